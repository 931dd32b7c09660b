#!/bin/sh
# Two busybox guests with `vserver NAME start`, side by side; stop; a guest's
# own reboot seen by `vserver NAME run`; the host untouched throughout.
. /usr/lib/vs/ktap.sh

mkguest() {
	name=$1
	xid=$2
	root=/tmp/guests/$name
	mkdir -p "$root/bin" "$root/etc" "$root/dev" "$root/tmp" "$root/proc"
	cp /bin/busybox "$root/bin/busybox"
	for a in sh sleep echo cat ls hostname linuxrc reboot poweroff; do
		ln -sf busybox "$root/bin/$a"
	done
	mknod "$root/dev/null" c 1 3
	mknod "$root/dev/console" c 5 1
	cat >"$root/etc/inittab" <<-EOT
	::sysinit:/bin/sh -c 'echo up >/tmp/up'
	::respawn:/bin/sleep 1000
	::shutdown:/bin/sh -c 'echo down >/tmp/down'
	EOT
	mkdir -p "/etc/vservers/$name"
	echo "$root" >"/etc/vservers/$name/root"
	echo "$xid" >"/etc/vservers/$name/xid"
	# busybox init runs as init without being pid 1 when called linuxrc.
	echo /bin/linuxrc >"/etc/vservers/$name/init"
	echo "guest-$name" >"/etc/vservers/$name/hostname"
}

wait_for() {
	for _ in $(seq 50); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

mkguest a 401
mkguest b 402
check "vserver a start" vserver a start
check "vserver b start" vserver b start
check "guest a's init ran its sysinit" wait_for /tmp/guests/a/tmp/up
check "guest b's init ran its sysinit" wait_for /tmp/guests/b/tmp/up
expect_output "vserver a status: running" 'a running \(xid 401' vserver a status
expect_output "vps shows guest b's init in context 402" '402 +[A-Z] +init' vps
expect_output "a command in guest a sees guest a's hostname" '^guest-a$' vserver a exec hostname
check "the host keeps its own hostname" [ "$(hostname)" = vserver-guest ]
check "vserver a stop" vserver a stop
check "guest a's init ran its shutdown actions" wait_for /tmp/guests/a/tmp/down
expect_output "vserver a status: stopped" 'a stopped' vserver a status
check "... exit 3" [ "$status" = 3 ]
expect_output "guest b still runs" 'b running' vserver b status
check "vserver b stop" vserver b stop

# The guest's own reboot restarts it under `vserver run`; its poweroff ends it.
rm -f /tmp/guests/a/tmp/up
vserver a run >/tmp/run-a.out 2>&1 &
runner=$!
wait_for /tmp/guests/a/tmp/up
rm -f /tmp/guests/a/tmp/up
vserver a exec reboot -f >/dev/null 2>&1
check "after the guest's reboot it comes back up" wait_for /tmp/guests/a/tmp/up
vserver a exec poweroff -f >/dev/null 2>&1
wait $runner
check "vserver run saw restart, then poweroff" sh -c 'grep -q restart /tmp/run-a.out && grep -q poweroff /tmp/run-a.out'
diag "$(cat /tmp/run-a.out)"
check "no context is left" sh -c '[ -z "$(vsctl stat --json | grep -o "\"xid\"")" ]'
check "the host is untouched: pid 1 is still here" kill -0 1
finish
