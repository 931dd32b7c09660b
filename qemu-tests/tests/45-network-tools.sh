#!/bin/sh
# The network context tools end to end: two web guests on their own addresses
# (chbind + chcontext + busybox httpd, IPv4 and IPv6) served side by side, a
# guest's 127.0.0.1 kept apart from another guest's and the host's, address
# listings inside a guest, naddress at run time, vsctl stat's network table, a
# `vserver NAME start` guest with an addresses file, and the tools' errors.
. /usr/lib/vs/ktap.sh

W=/tmp/t45
XA=4501 # guest A: network context and context 4501, 10.1.0.1 and fd00::1
XB=4502 # guest B: 4502, 10.1.0.2 and fd00::2
XG=4503 # a throw-away guest context for the refusal cases
XV=4510 # the vserver guest v45, 10.1.0.3
ADDRS="10.1.0.1/32 10.1.0.2/32 10.1.0.3/32 10.1.0.4/32 10.1.0.9/32 fd00::1/128 fd00::2/128"

# fetch URL: the page, fetched by the caller with a bounded wait.
fetch() {
	timeout 5 wget -qO- "$1" 2>&1
}

# page_is URL TEXT: URL serves exactly TEXT (waits up to 10 s for the server).
page_is() {
	_end=$(($(date +%s) + 10))
	while [ "$(date +%s)" -le $_end ]; do
		[ "$(fetch "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	diag "$1 gave: $(fetch "$1")"
	return 1
}

# lists_only FILE ADDR/PREFIX...: the `ip addr` output in FILE lists these
# addresses and no other.
lists_only() {
	_f=$1
	shift
	for _a in "$@"; do
		grep -qE "inet6? $_a " "$_f" || { diag "no $_a in: $(tr -s ' \n' ' ' <"$_f")"; return 1; }
	done
	[ "$(grep -cE 'inet6? ' "$_f")" = $# ] && return 0
	diag "more than $* in: $(grep -E 'inet6? ' "$_f" | tr -s ' \n' ' ')"
	return 1
}

# in_a / in_b CMD...: CMD in guest A's (B's) network context and context.
in_a() { chbind --nid $XA -- chcontext --xid $XA -- "$@"; }
in_b() { chbind --nid $XB -- chcontext --xid $XB -- "$@"; }

mkdir -p $W/a/local $W/b $W/host
echo "page of guest A" >$W/a/index.html
echo "localhost of guest A" >$W/a/local/index.html
echo "page of guest B" >$W/b/index.html
echo "page of the host" >$W/host/index.html

added=0
for a in $ADDRS; do ip addr add "$a" dev lo && added=$((added + 1)); done
check "the host adds the test addresses to lo" [ "$added" = 7 ]

# The host's own servers: on 127.0.0.1:8080 and on its address 10.1.0.9:80.
httpd -f -p 127.0.0.1:8080 -h $W/host &
host_lo=$!
httpd -f -p 10.1.0.9:80 -h $W/host &
host_web=$!

# Two web guests, each on 0.0.0.0:80 of its own address. Both network contexts
# and contexts are persistent so more commands can be started in them below.
chbind --nid $XA --persistent --ip 10.1.0.1 --ip fd00::1 -- \
	chcontext --xid $XA --flag persistent -- busybox httpd -f -p 0.0.0.0:80 -h $W/a &
guest_a=$!
chbind --nid $XB --persistent --ip 10.1.0.2 --ip fd00::2 -- \
	chcontext --xid $XB --flag persistent -- busybox httpd -f -p 0.0.0.0:80 -h $W/b &
guest_b=$!

check "the host fetches guest A's page from http://10.1.0.1/" page_is http://10.1.0.1/ "page of guest A"
check "the host fetches guest B's page from http://10.1.0.2/" page_is http://10.1.0.2/ "page of guest B"
check "the host's own server on 10.1.0.9 answers" page_is http://10.1.0.9/ "page of the host"
check "vps shows both httpd running at once, in contexts $XA and $XB" \
	sh -c "vps | grep -qE ' $XA +[A-Z] +.*httpd' && vps | grep -qE ' $XB +[A-Z] +.*httpd'"
refuses "guest A cannot bind the host's address 10.1.0.9" 1 'Cannot assign requested address' \
	in_a httpd -p 10.1.0.9:8083 -h $W/a
check "guest A fetches the host's page from 10.1.0.9" \
	sh -c "[ \"\$(chbind --nid $XA -- chcontext --xid $XA -- timeout 5 wget -qO- http://10.1.0.9/)\" = 'page of the host' ]"

# IPv6: each guest's [::]:80 becomes its one IPv6 address.
check "guest A's httpd on [::]:80 starts" in_a httpd -p '[::]:80' -h $W/a
check "guest B's httpd on [::]:80 starts" in_b httpd -p '[::]:80' -h $W/b
check "the host fetches guest A's page from http://[fd00::1]/" page_is "http://[fd00::1]/" "page of guest A"
check "the host fetches guest B's page from http://[fd00::2]/" page_is "http://[fd00::2]/" "page of guest B"
check "guest B fetches guest A's page over IPv6" \
	sh -c "[ \"\$(chbind --nid $XB -- chcontext --xid $XB -- timeout 5 wget -qO- 'http://[fd00::1]/')\" = 'page of guest A' ]"

# "localhost": 127.0.0.1 of a guest is its own address.
check "guest A listens on its 127.0.0.1:8080 while the host has a listener there" \
	in_a httpd -p 127.0.0.1:8080 -h $W/a/local
out=$(in_a timeout 5 wget -qO- http://127.0.0.1:8080/ 2>&1)
check "guest A reaches its own 127.0.0.1:8080" [ "$out" = "localhost of guest A" ]
out=$(in_b timeout 5 wget -qO- http://127.0.0.1:8080/ 2>&1)
st=$?
if [ "$st" != 0 ] && ! printf '%s' "$out" | grep -q "guest A"; then
	ok "guest B's 127.0.0.1:8080 is not guest A's (wget fails)"
else
	diag "exit $st, output: $out"
	fail "guest B's 127.0.0.1:8080 is not guest A's (wget fails)"
fi
check "the host's 127.0.0.1:8080 is still the host's listener" \
	page_is http://127.0.0.1:8080/ "page of the host"
check "guest A's 127.0.0.1:8080 is 10.1.0.1:8080 to the host" \
	page_is http://10.1.0.1:8080/ "localhost of guest A"
check "guest A's [::1] is its fd00::1 (connection to [::1]:80 reaches its page)" \
	sh -c "[ \"\$(chbind --nid $XA -- chcontext --xid $XA -- timeout 5 wget -qO- 'http://[::1]/')\" = 'page of guest A' ]"

# What a guest sees of the host's addresses: a process in guest A's network
# context only, then in guest A (network context and context), then guest B.
chbind --nid $XA -- ip addr >$W/ip-na 2>&1
check "ip addr in guest A's network context lists only 10.1.0.1/32 and fd00::1/128" \
	lists_only $W/ip-na 10.1.0.1/32 fd00::1/128
in_a ip addr >$W/ip-a 2>&1
check "ip addr in guest A (chbind + chcontext) lists only 10.1.0.1/32 and fd00::1/128" \
	lists_only $W/ip-a 10.1.0.1/32 fd00::1/128
in_b ip -6 addr >$W/ip-b 2>&1
check "ip -6 addr in guest B lists only fd00::2/128" lists_only $W/ip-b fd00::2/128
check "guest B's /proc/net/if_inet6 lists only fd00::2" \
	sh -c "[ \"\$(chbind --nid $XB -- chcontext --xid $XB -- cat /proc/net/if_inet6 | cut -c1-32)\" = fd000000000000000000000000000002 ]"

# The listings of the tools.
expect_output "vsctl stat shows the network contexts table" '^ *NID +TASKS +FLAGS +ADDRESSES' vsctl stat
expect_output "... with guest A's line" "^ *$XA +[0-9]+ +persistent +10\.1\.0\.1/32,fd00::1/128\$" vsctl stat
expect_output "vsctl stat --json has a \"networks\" array" '"networks": *\[' vsctl stat --json
expect_output "... with guest B's network context and address" \
	"\"nid\": *$XB.*\"address\": *\"10\.1\.0\.2\"" vsctl stat --json
expect_output "naddress --nid $XA lists 10.1.0.1/32 as primary" '^10\.1\.0\.1/32 +primary$' naddress --nid $XA
expect_output "naddress --nid $XA --json has fd00::1 with family ipv6" \
	'"address": *"fd00::1", *"prefix": *128, *"family": *"ipv6", *"role": *"primary"' naddress --nid $XA --json
expect_output "vsctl stat in guest B lists its own network context" \
	"^ *$XB +[0-9]+ +persistent +10\\.1\\.0\\.2/32,fd00::2/128\$" in_b vsctl stat
check "... and not guest A's" sh -c "! (chbind --nid $XB -- chcontext --xid $XB -- vsctl stat | grep -qE '^ *$XA +[0-9]+ +persistent')"

# naddress at run time.
refuses "before: guest A cannot bind 10.1.0.3" 1 'address' in_a httpd -p 10.1.0.3:8081 -h $W/a
check "naddress --nid $XA --add 10.1.0.3" naddress --nid $XA --add 10.1.0.3
expect_output "naddress lists 10.1.0.3/32 as secondary" '^10\.1\.0\.3/32 +secondary$' naddress --nid $XA
check "now guest A binds 10.1.0.3:8081" in_a httpd -p 10.1.0.3:8081 -h $W/a
check "the host fetches guest A's page from http://10.1.0.3:8081/" page_is http://10.1.0.3:8081/ "page of guest A"
check "naddress --nid $XA --remove 10.1.0.3" naddress --nid $XA --remove 10.1.0.3
check "naddress no longer lists 10.1.0.3" sh -c "! naddress --nid $XA | grep -q 10.1.0.3"
refuses "after the removal binding 10.1.0.3 fails again" 1 'address' in_a httpd -p 10.1.0.3:8082 -h $W/a
check "the server bound before keeps its socket on 10.1.0.3:8081" \
	sh -c "netstat -tln | grep -qE ' 10\.1\.0\.3:8081 .*LISTEN'"
out=$(chbind --print-nid --ip 10.1.0.4 -- true 2>&1)
check "chbind without --nid gets an allocated nid (--print-nid: $out)" \
	sh -c "[ \"\${1#nid }\" -ge 49152 ] 2>/dev/null" - "$out"

# Bad command lines: exit 2 and a message naming the problem.
refuses "chbind --ip garbage: exit 2, names it" 2 "chbind: address 'garbage' is not an IPv4 or IPv6 address" \
	chbind --ip garbage -- true
refuses "chbind --ip 10.1.0.300" 2 "'10\.1\.0\.300' is not an IPv4" chbind --ip 10.1.0.300 -- true
refuses "chbind --ip 10.1.0.4/33" 2 "prefix 33 is out of range \(0 to 32 for IPv4\)" chbind --ip 10.1.0.4/33 -- true
refuses "chbind --ip fd00::4/129" 2 "prefix 129 is out of range \(0 to 128 for IPv6\)" chbind --ip fd00::4/129 -- true
refuses "chbind --ip 10.1.0.4/x" 2 "prefix 'x' is not a number" chbind --ip 10.1.0.4/x -- true
refuses "chbind --ip 0.0.0.0" 2 "is a wildcard" chbind --ip 0.0.0.0 -- true
refuses "chbind --ip 127.0.0.1" 2 "is a loopback address" chbind --ip 127.0.0.1 -- true
refuses "chbind --ip without a value" 2 "option '--ip' needs a value" chbind --ip
refuses "chbind --lback 127.0.0.2/8" 2 "takes no /PREFIX" chbind --lback 127.0.0.2/8 -- true
refuses "chbind --lback garbage" 2 "'garbage' is not an IPv4 or IPv6" chbind --lback garbage -- true
refuses "chbind --nid 1" 2 "nid 1 is out of range \(2 to 49151\)" chbind --nid 1 --ip 10.1.0.4 -- true
refuses "chbind --nid 49152 (not a static id)" 2 "out of range" chbind --nid 49152 --ip 10.1.0.4 -- true
refuses "chbind --nid ten" 2 "nid 'ten' is not a number" chbind --nid ten --ip 10.1.0.4 -- true
refuses "chbind --persistent without --ip" 2 "missing --ip" chbind --persistent -- true
refuses "chbind --print-nid=1" 2 "option '--print-nid' takes no value" chbind --print-nid=1 --ip 10.1.0.4 -- true
refuses "chbind without --" 2 "unexpected argument 'true' \(put the command after '--'\)" chbind --ip 10.1.0.4 true
refuses "chbind without a command" 2 "missing '-- CMD" chbind --ip 10.1.0.4
refuses "chbind with nothing after --" 2 "missing command after '--'" chbind --ip 10.1.0.4 --
refuses "chbind --bogus" 2 "unknown option '--bogus'" chbind --bogus --ip 10.1.0.4 -- true
refuses "chbind --nid of an unknown network context: exit 1" 1 "no such network context 4999" \
	chbind --nid 4999 -- true
refuses "chbind --nid of an existing one with --ip: exit 1" 1 "network context $XA already exists" \
	chbind --nid $XA --ip 10.1.0.4 -- true
refuses "chbind from a guest context (no CAP_SYS_ADMIN in the host): exit 1" 1 \
	"permission denied \(need root in the host context" chcontext --xid $XG -- chbind --ip 10.1.0.4 -- true
refuses "chbind as a non-root user: exit 1" 1 "run as root" \
	su -s /bin/sh nobody -c "chbind --ip 10.1.0.4 -- true"

refuses "naddress without --nid" 2 "missing --nid N" naddress --add 10.1.0.4
refuses "naddress --nid 1" 2 "nid 1 is out of range" naddress --nid 1 --add 10.1.0.4
refuses "naddress --nid x" 2 "nid 'x' is not a number" naddress --nid x
refuses "naddress --add garbage" 2 "'garbage' is not an IPv4 or IPv6 address" naddress --nid $XA --add garbage
refuses "naddress --add 10.1.0.4/33" 2 "prefix 33 is out of range" naddress --nid $XA --add 10.1.0.4/33
refuses "naddress --add fd00::4/129" 2 "prefix 129 is out of range" naddress --nid $XA --add fd00::4/129
refuses "naddress --add without addresses" 2 "missing the addresses" naddress --nid $XA --add
refuses "naddress --add and --remove together" 2 "only one of --add and --remove" \
	naddress --nid $XA --add --remove 10.1.0.4
refuses "naddress with an address but no --add/--remove" 2 "need --add or --remove" naddress --nid $XA 10.1.0.4
refuses "naddress --add ... --json" 2 "--json only goes with listing" naddress --nid $XA --add 10.1.0.4 --json
refuses "naddress --lback 127.0.0.2/8" 2 "takes no /PREFIX" naddress --nid $XA --add --lback 127.0.0.2/8
refuses "naddress --add -- ADDR" 2 "unexpected '--'" naddress --nid $XA --add -- 10.1.0.4
refuses "naddress --bogus" 2 "unknown option '--bogus'" naddress --nid $XA --bogus
refuses "naddress of an unknown network context: exit 1" 1 "no such network context 4999" \
	naddress --nid 4999 --add 10.1.0.4
refuses "naddress --nid 4999 (list): exit 1" 1 "no such network context 4999" naddress --nid 4999
refuses "naddress --add of an address it has: exit 1" 1 "10\.1\.0\.1 is one of its addresses already" \
	naddress --nid $XA --add 10.1.0.1
refuses "naddress --remove of an address it lacks: exit 1" 1 "10\.1\.0\.7 is not one of its addresses" \
	naddress --nid $XA --remove 10.1.0.7
refuses "naddress from a guest context: exit 1" 1 "permission denied" \
	chcontext --xid $XG -- naddress --nid $XA --add 10.1.0.4
refuses "naddress as a non-root user: exit 1" 1 "run as root" \
	su -s /bin/sh nobody -c "naddress --nid $XA --add 10.1.0.4"
check "the refused commands left guest A's addresses as they were" \
	sh -c "[ \"\$(naddress --nid $XA | tail -n +2 | tr -s ' \n' ' ')\" = '10.1.0.1/32 primary fd00::1/128 primary ' ]"

# A guest of /etc/vservers with an addresses file.
root=/tmp/guests/v45
mkdir -p $root/bin $root/etc $root/dev $root/tmp $root/proc
cp /bin/busybox $root/bin/busybox
for a in sh sleep echo cat ip linuxrc; do ln -sf busybox $root/bin/$a; done
mknod $root/dev/null c 1 3
mknod $root/dev/console c 5 1
printf '::sysinit:/bin/sh -c "echo up >/tmp/up"\n::respawn:/bin/sleep 1000\n' >$root/etc/inittab
mkdir -p /etc/vservers/v45
echo $root >/etc/vservers/v45/root
echo $XV >/etc/vservers/v45/xid
echo /bin/linuxrc >/etc/vservers/v45/init
echo 10.1.0.3 >/etc/vservers/v45/addresses
check "vserver v45 start (addresses: 10.1.0.3)" vserver v45 start
vserver v45 exec ip addr >$W/ip-v45 2>&1
check "ip addr in the vserver guest lists only 10.1.0.3/32" lists_only $W/ip-v45 10.1.0.3/32
expect_output "vsctl stat lists the guest's network context $XV with 10.1.0.3/32" \
	"^ *$XV +[0-9]+ +- +10\.1\.0\.3/32\$" vsctl stat
check "vserver v45 stop" vserver v45 stop
check "its network context ends with it" retry sh -c "! vsctl stat | grep -qE '^ *$XV +[0-9]+ +-'"

# Clean up: the guests, the host's servers, the addresses, the cgroups.
vkill --xid $XA -s KILL >/dev/null 2>&1
vkill --xid $XB -s KILL >/dev/null 2>&1
kill -KILL $guest_a $guest_b $host_lo $host_web 2>/dev/null
wait
vattribute --xid $XA --clear-flag persistent >/dev/null 2>&1
vattribute --xid $XB --clear-flag persistent >/dev/null 2>&1
retry vsctl remove --nid $XA
retry vsctl remove --nid $XB
for x in $XA $XB $XG; do retry vlimit --xid $x --remove-cgroup; done
for a in $ADDRS; do ip addr del "$a" dev lo; done
rm -rf $W /tmp/guests/v45 /etc/vservers/v45
check "none of these contexts and network contexts is left" \
	sh -c "! vsctl stat --json | grep -qE '\"(xid|nid)\": *($XA|$XB|$XG|$XV)[^0-9]'"
check "no cgroup of these contexts is left" \
	sh -c "! ls -d /sys/fs/cgroup/vserver/$XA /sys/fs/cgroup/vserver/$XB /sys/fs/cgroup/vserver/$XG /sys/fs/cgroup/vserver/$XV 2>/dev/null | grep -q ."
check "lo has none of the test addresses left" sh -c "! ip addr show dev lo | grep -qE '10\.1\.0\.|fd00::'"
finish
