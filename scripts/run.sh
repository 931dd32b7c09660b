#!/usr/bin/env bash
# `make run`: builds everything for one flavour (FLAVOUR, default release),
# boots it in QEMU with vserver.ko loaded and opens a shell in the guest, or,
# with CMD set, runs that one command there and exits with its status.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
flavour=${FLAVOUR:-release}
bash "$here/install-deps.sh"
bash "$here/kernel.sh" "$flavour" >/dev/null
ko=$(bash "$here/module.sh" "$flavour")
userland=$(bash "$here/userland.sh")
dir="$VS_BUILD/$flavour"
mode=shell
[ -n "${CMD:-}" ] && mode=cmd
bash "$VS_TOP/qemu-tests/build-initramfs.sh" "$dir/run.cpio" "$ko" "$userland" "$mode" "${CMD:-}"
: >"$dir/run-ktap.log"
bash "$VS_TOP/qemu-tests/boot.sh" "$VS_CACHE/kernel/$flavour/arch/x86/boot/bzImage" \
	"$dir/run.cpio" "$mode" "$dir/run-ktap.log" || true
if [ "$mode" = cmd ]; then
	status=$(sed -n 's/^VS-EXIT: \([0-9]*\).*/\1/p' "$dir/run-ktap.log" | tail -n1)
	[ -n "$status" ] || { echo "run: the guest did not report the command's exit status" >&2; exit 1; }
	exit "$status"
fi
