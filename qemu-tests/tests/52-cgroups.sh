#!/bin/sh
# The cgroup limits of a context end to end: vlimit --memory/--pids/--cpu on a
# persistent context, a guest entering it lands in /sys/fs/cgroup/vserver/N and
# stays there, the memory limit OOM-kills the guest and not the host, the CPU
# quota throttles a busy loop, pids.max stops forks; vlimit's table and JSON,
# --remove-cgroup, and vlimit's errors.
. /usr/lib/vs/ktap.sh

X=5201 # the context under test
NX=5299 # no such context
CG=/sys/fs/cgroup/vserver/$X
W=/tmp/t52
mkdir -p $W

# key FILE KEY: the value of KEY in a flat keyed cgroup file (memory.events...).
key() {
	awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null
}

# is VALUE OP VALUE: a numeric test that tells what it compared when it fails.
is() {
	[ -n "$1" ] && [ "$1" "$2" "$3" ] 2>/dev/null && return 0
	diag "wanted '$1' $2 '$3'"
	return 1
}

check "chcontext --xid $X --flag persistent -- true leaves a persistent context" \
	sh -c "chcontext --xid $X --flag persistent -- true && vsctl stat | grep -qE '^ *$X .*persistent'"
check "vlimit --xid $X --memory 32M --pids 50 --cpu 20%" vlimit --xid $X --memory 32M --pids 50 --cpu 20%
check "memory.max is 33554432" is "$(cat $CG/memory.max)" = 33554432
check "cpu.max is '20000 100000'" [ "$(cat $CG/cpu.max)" = "20000 100000" ]
check "pids.max is 50" is "$(cat $CG/pids.max)" = 50
expect_output "vlimit --xid $X shows the table" '^LIMIT +CURRENT +MIN +MAX +SOFT +HARD +HITS$' vlimit --xid $X
expect_output "... with the memory limit, 32M" '^memory +[0-9.]+[KMG]? +- +- +- +32M +0$' vlimit --xid $X
expect_output "... the CPU quota, 20%" '^cpu +[0-9]+\.[0-9]{3}s +- +- +- +20% +-$' vlimit --xid $X
expect_output "... and the pids limit, 50" '^pids +0 +- +- +- +50 +-$' vlimit --xid $X
expect_output "vlimit --xid $X --json has the cgroup's path and memory_max" \
	"\"cgroup\":\{\"path\":\"$CG\",.*\"memory_max\":33554432" vlimit --xid $X --json
expect_output "... cpu_max_quota_usec 20000 and pids_max 50" \
	'"cpu_max_quota_usec":20000,"cpu_max_period_usec":100000,.*"pids_max":50\}\}$' vlimit --xid $X --json

# A guest started into the context is in its cgroup, and so are its children.
expect_output "a guest started with chcontext --xid $X is in /sys/fs/cgroup/vserver/$X" \
	"^0::/vserver/$X\$" chcontext --xid $X -- cat /proc/self/cgroup
expect_output "... and so are the processes it forks" \
	"^0::/vserver/$X\$" chcontext --xid $X -- sh -c 'cat /proc/self/cgroup; true'
out=$(chcontext --xid $X -- sh -c 'echo $$ >/sys/fs/cgroup/cgroup.procs && echo moved; cat /proc/self/cgroup' 2>&1)
check "the guest cannot move itself to the root cgroup (the write fails)" \
	sh -c "! printf '%s\n' \"\$1\" | grep -q moved" - "$out"
check "... and it is still in /vserver/$X afterwards" sh -c "printf '%s\n' \"\$1\" | grep -qx '0::/vserver/$X'" - "$out"
diag "the guest's attempt: $(printf '%s' "$out" | tr '\n' ' ')"
out=$(chcontext --xid $X -- sh -c "echo max >$CG/memory.max && echo raised" 2>&1)
check "the guest cannot raise its own memory.max" sh -c "! printf '%s\n' \"\$1\" | grep -q raised" - "$out"
echo 33554432 >$CG/memory.max # back to 32M, in case it could

# Memory: a guest that needs 64M is OOM-killed; the host is not touched.
sleep 1000 &
host_sleep=$!
chcontext --xid $X -- dd if=/dev/zero of=/dev/null bs=64M count=1 >$W/dd.out 2>&1
st=$?
check "a guest allocating 64M (dd bs=64M) is killed: exit $st" is "$st" = 137
check "memory.events counts the OOM kill (oom_kill >= 1)" is "$(key $CG/memory.events oom_kill)" -ge 1
check "memory.peak stayed within 32M" is "$(cat $CG/memory.peak)" -le 33554432
expect_output "vlimit shows the OOM kill" '^memory.oom_kill +- +- +- +- +- +[1-9][0-9]*$' vlimit --xid $X
check "the host still runs its own processes" kill -0 $host_sleep
check "the host itself allocates 64M (dd bs=64M)" dd if=/dev/zero of=/dev/null bs=64M count=1
kill $host_sleep
wait $host_sleep

# CPU: a busy loop under --cpu 20% gets about 20% of one CPU.
chcontext --xid $X -- sh -c 'while :; do :; done' &
spin=$!
sleep 0.5
u1=$(key $CG/cpu.stat usage_usec)
t1=$(cut -d' ' -f1 /proc/uptime)
sleep 3
u2=$(key $CG/cpu.stat usage_usec)
t2=$(cut -d' ' -f1 /proc/uptime)
kill -KILL $spin
wait $spin
pct=$(awk -v a="$u1" -v b="$u2" -v s="$t1" -v e="$t2" 'BEGIN { if (e > s) printf "%d", (b - a) / ((e - s) * 10000) }')
diag "busy loop: $((u2 - u1)) us of CPU in $t1..$t2 s: $pct%"
check "a busy loop under --cpu 20% uses 15% to 25% of one CPU ($pct%)" \
	sh -c "[ -n '$pct' ] && [ '$pct' -ge 15 ] && [ '$pct' -le 25 ]"
check "cpu.stat shows it was throttled (nr_throttled > 0)" is "$(key $CG/cpu.stat nr_throttled)" -gt 0

# pids: the guest forks 60 sleeps; pids.max stops it at 50 tasks.
chcontext --xid $X -- sh -c 'for i in $(seq 60); do sleep 100 & done; echo all forked' >$W/pids.out 2>&1
check "the guest's shell cannot fork past 50 tasks" grep -q "can't fork" $W/pids.out
check "... and never got to the end of its loop" sh -c "! grep -q 'all forked' $W/pids.out"
check "pids.peak is 50" is "$(cat $CG/pids.peak)" = 50
check "pids.current is at most 50" is "$(cat $CG/pids.current)" -le 50
check "pids.events counts the refused forks (max >= 1)" is "$(key $CG/pids.events max)" -ge 1
refuses "vlimit --remove-cgroup while the guest's sleeps run: exit 1" 1 \
	"remove the cgroup of context $X \($CG\): it still has processes" vlimit --xid $X --remove-cgroup
check "vkill --xid $X -s KILL" vkill --xid $X -s KILL
check "pids.current drops to 0" retry sh -c "[ \"\$(cat $CG/pids.current)\" = 0 ]"
check "vlimit --xid $X --remove-cgroup after the guest ended" retry vlimit --xid $X --remove-cgroup
check "the cgroup directory is gone" [ ! -e $CG ]
check "vlimit --xid $X shows no cgroup line any more" sh -c "! vlimit --xid $X | grep -qE '^(memory|cpu|pids)'"
expect_output "vlimit --xid $X --json has \"cgroup\":null" '"cgroup":null\}$' vlimit --xid $X --json
refuses "removing it again says it does not exist: exit 1" 1 "it does not exist" vlimit --xid $X --remove-cgroup

# Bad command lines: exit 2 and a message naming the problem.
refuses "vlimit without --xid" 2 "vlimit: missing --xid N" vlimit --memory 32M
refuses "vlimit --xid abc" 2 "'abc' is not a number" vlimit --xid abc
refuses "vlimit --xid 65536" 2 "out of range" vlimit --xid 65536
refuses "vlimit --memory without a value" 2 "option '--memory' needs a value" vlimit --xid $X --memory
refuses "vlimit --memory 0" 2 "memory 0 would leave the guest no memory" vlimit --xid $X --memory 0
refuses "vlimit --memory 32X" 2 "memory '32X' is not a size" vlimit --xid $X --memory 32X
refuses "vlimit --memory -1M" 2 "memory '-1M' is not a size" vlimit --xid $X --memory -1M
most=$((100 * $(nproc))) # --cpu goes up to 100% per online CPU
refuses "vlimit --cpu 0%" 2 "cpu 0% is out of range \(1% to $most%" vlimit --xid $X --cpu 0%
refuses "vlimit --cpu $((most + 1))% ($(nproc) CPUs online)" 2 \
	"cpu $((most + 1))% is out of range \(1% to $most%: 100% per online CPU\)" vlimit --xid $X --cpu $((most + 1))%
refuses "vlimit --cpu fast" 2 "cpu 'fast' is not a percentage" vlimit --xid $X --cpu fast
refuses "vlimit --cpu 12.3456%" 2 "cpu '12.3456%' is not a percentage" vlimit --xid $X --cpu 12.3456%
refuses "vlimit --pids 0" 2 "pids 0 is out of range \(1 to 4194304, or inf\)" vlimit --xid $X --pids 0
refuses "vlimit --pids 4194305" 2 "pids 4194305 is out of range" vlimit --xid $X --pids 4194305
refuses "vlimit --pids many" 2 "pids 'many' is not a number or inf" vlimit --xid $X --pids many
refuses "vlimit --nproc ten" 2 "nproc 'ten' is not a number or inf" vlimit --xid $X --nproc ten
refuses "vlimit --nofile 100:10" 2 "nofile: the soft limit 100 is above the hard limit 10" vlimit --xid $X --nofile 100:10
refuses "vlimit --nsock -1" 2 "nsock '-1' is not a number or inf" vlimit --xid $X --nsock -1
refuses "vlimit --rlimit NOFILE" 2 "rlimit 'NOFILE' is not NAME=VALUE" vlimit --xid $X --rlimit NOFILE
refuses "vlimit --rlimit FILES=1" 2 "unknown rlimit 'FILES'" vlimit --xid $X --rlimit FILES=1
refuses "vlimit --json with a limit" 2 "--json only goes with showing the limits" vlimit --xid $X --pids 5 --json
refuses "vlimit --remove-cgroup with --memory" 2 "--remove-cgroup cannot go with --memory, --cpu or --pids" \
	vlimit --xid $X --remove-cgroup --memory 32M
refuses "vlimit --reset=1" 2 "option '--reset' takes no value" vlimit --xid $X --reset=1
refuses "vlimit --bogus" 2 "unknown option '--bogus'" vlimit --xid $X --bogus 5
refuses "vlimit with a stray word" 2 "unexpected argument 'memory'" vlimit --xid $X memory
check "the refused command lines left no cgroup behind" [ ! -e $CG ]

# A context that does not exist: exit 1, naming it.
refuses "vlimit --memory of an unknown context: exit 1" 1 "no such context $NX" vlimit --xid $NX --memory 32M
refuses "vlimit --nproc of an unknown context: exit 1" 1 "no such context $NX" vlimit --xid $NX --nproc 10
refuses "vlimit (show) of an unknown context: exit 1" 1 "no such context $NX" vlimit --xid $NX
refuses "vlimit --reset of an unknown context: exit 1" 1 "no such context $NX" vlimit --xid $NX --reset
check "... and no cgroup was created for it" [ ! -e /sys/fs/cgroup/vserver/$NX ]
refuses "vlimit as a non-root user: exit 1" 1 "run as root" su -s /bin/sh nobody -c "vlimit --xid $X --pids 10"

# A context whose id the module picks gets a cgroup only with --cgroup.
expect_output "chcontext without --xid leaves its command in the caller's cgroup" \
	'^0::/$' chcontext -- cat /proc/self/cgroup
out=$(chcontext --cgroup --print-xid -- cat /proc/self/cgroup 2>&1)
dyn=$(printf '%s\n' "$out" | sed -n 's/^xid \([0-9]*\)$/\1/p')
if [ -n "$dyn" ] && printf '%s\n' "$out" | grep -qx "0::/vserver/$dyn"; then
	ok "chcontext --cgroup puts a dynamic context in /sys/fs/cgroup/vserver/<xid>"
else
	diag "output: $out"
	fail "chcontext --cgroup puts a dynamic context in /sys/fs/cgroup/vserver/<xid>"
fi
[ -n "$dyn" ] && retry rmdir /sys/fs/cgroup/vserver/$dyn

# Clean up: the persistent context ends once it is not persistent.
check "vattribute --xid $X --clear-flag persistent ends the context" \
	sh -c "vattribute --xid $X --clear-flag persistent && ! vsctl stat | grep -qE '^ *$X '"
rm -rf $W
check "no cgroup of the context is left" [ ! -e $CG ]
finish
