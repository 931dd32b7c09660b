#!/bin/sh
# The context tools end to end: chcontext, vps, vsctl stat, vkill, vwait,
# vattribute, vsctl remove, and their error handling.
. /usr/lib/vs/ktap.sh

# A guest that reports its view of the world, then sleeps until killed.
chcontext --xid 300 -- sh -c 'vsctl stat --json >/tmp/g300.stat; vps >/tmp/g300.vps; \
	cat /proc/self/stat >/dev/null; exec sleep 1000' &
for i in $(seq 50); do [ -s /tmp/g300.vps ] && break; sleep 0.1; done

expect_output "vsctl stat shows the guest" '^ *300 +running' vsctl stat
expect_output "vsctl stat --json has the guest" '"xid": *300' vsctl stat --json
expect_output "vps from the host shows the guest's sleep in context 300" '300 +[A-Z] +sleep 1000' vps
expect_output "vps from the host shows host processes in context 0" '^ *1 +0 ' vps
check "vps in the guest shows no host process" sh -c '! grep -qE "^ *1 +0 " /tmp/g300.vps'
check "vps in the guest shows its own processes in context 300" grep -qE ' 300 ' /tmp/g300.vps
check "vsctl stat in the guest lists only its own context" \
	sh -c 'grep -q "\"xid\": *300" /tmp/g300.stat && [ "$(grep -o "\"xid\"" /tmp/g300.stat | wc -l)" = 1 ]'

expect_output "vkill with a bad signal name is a usage error" "signal" vkill --xid 300 -s NOPE
check "... exit 2" [ "$status" = 2 ]
expect_output "vkill of an unknown context says so" 'no such context 4242' vkill --xid 4242
check "... exit 1" [ "$status" = 1 ]
vwait --xid 300 >/tmp/vwait.out 2>&1 &
waiter=$!
sleep 0.3
check "vkill --xid 300 -s KILL" vkill --xid 300 -s KILL
wait $waiter
check "vwait reports that the guest exited" grep -qx exit /tmp/vwait.out
wait
expect_output "the context is gone afterwards" 'no such context 300' vsctl remove --xid 300

# Persistent contexts, vattribute and remove.
check "vcontext --create --xid 301 --flag persistent" sh -c 'vcontext --create --xid 301 --flag persistent >/tmp/x301 && grep -qx 301 /tmp/x301'
check "chcontext enters the existing persistent context" sh -c '[ "$(chcontext --xid 301 -- sh -c "vsctl stat --json" | grep -o "\"xid\": *301")" != "" ]'
check "it is still there with no task" sh -c 'vsctl stat | grep -qE "^ *301 "'
expect_output "vattribute with an unknown flag names it" "bogus" vattribute --xid 301 --set-flag bogus
check "... exit 2" [ "$status" = 2 ]
check "vattribute --clear-flag persistent ends the empty context" vattribute --xid 301 --clear-flag persistent
check "context 301 is gone" sh -c '! vsctl stat | grep -qE "^ *301 "'

expect_output "chcontext with a reserved xid names the valid range" '2 to 49151' chcontext --xid 1 -- true
check "... exit 2" [ "$status" = 2 ]
expect_output "chcontext without a command is a usage error" 'usage|--|command' chcontext --xid 302
check "... exit 2" [ "$status" = 2 ]
finish
