#!/bin/sh
# The vsctl tool: version, help, usage errors, non-root callers.
. /usr/lib/vs/ktap.sh
expect_output "vsctl version prints the kernel ABI" '^kernel module ABI 2\.[0-9]+$' vsctl version
check "vsctl version exits 0" [ "$status" = 0 ]
expect_output "vsctl help lists the commands" 'Commands:' vsctl help
check "vsctl help exits 0" [ "$status" = 0 ]
expect_output "an unknown command is named in the error" "unknown command 'frobnicate'" vsctl frobnicate
check "an unknown command exits 2" [ "$status" = 2 ]
expect_output "a non-root caller is told to be root" 'permission denied: run as root' \
	su -s /bin/sh nobody -c 'vsctl version'
check "a non-root caller gets exit status 1" [ "$status" = 1 ]
finish
