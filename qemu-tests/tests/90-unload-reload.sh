#!/bin/sh
# rmmod when idle, tools without the module, and loading it again.
. /usr/lib/vs/ktap.sh
check "a persistent context exists" vcontext --create --xid 900 --flag persistent
expect_output "rmmod is refused while it exists" 'unload|in use|unavailable|busy' rmmod vserver
check "... and the module stays loaded" grep -q '^vserver ' /proc/modules
check "vsctl remove --xid 900" vsctl remove --xid 900
check "rmmod vserver succeeds when no context exists" rmmod vserver
check "/dev/vserver is gone" [ ! -e /dev/vserver ]
expect_output "vsctl says the module is not loaded" 'module loaded\?' vsctl version
check "... and exits 1" [ "$status" = 1 ]
check "insmod vserver.ko again" insmod /lib/modules/vserver.ko
check "/dev/vserver is back" [ -c /dev/vserver ]
check "vsctl version works after the reload" vsctl version
finish
