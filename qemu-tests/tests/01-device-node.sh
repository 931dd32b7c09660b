#!/bin/sh
# /dev/vserver is a root-only character device.
. /usr/lib/vs/ktap.sh
check "/dev/vserver is a character device" [ -c /dev/vserver ]
mode=$(stat -c '%a %u %g' /dev/vserver 2>&1)
check "/dev/vserver is mode 0600, owned by root:root (got $mode)" [ "$mode" = "600 0 0" ]
check "it is a misc device (major 10)" [ "$(stat -c '%t' /dev/vserver)" = a ]
finish
