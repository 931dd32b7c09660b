#!/bin/sh
# The module loaded at boot, registered its hooks and its device.
. /usr/lib/vs/ktap.sh
check "insmod vserver.ko succeeded" [ "$(cat /run/insmod.status)" = 0 ]
[ "$(cat /run/insmod.status)" = 0 ] || diag "insmod: $(cat /run/insmod.log)"
check "vserver is in /proc/modules" grep -q '^vserver ' /proc/modules
check "the vserver LSM is active" grep -q vserver /sys/kernel/security/lsm
check "the shim announced itself at boot" sh -c 'dmesg | grep -q "vserver: hook shim ready"'
finish
