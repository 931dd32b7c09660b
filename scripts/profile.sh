#!/usr/bin/env bash
# `make profile OPS=kill0,open_close`: where the time of bench operations goes.
# Boots the release kernel under `-icount` (guest time counts instructions),
# runs each operation with the module unloaded, loaded (host task) and in a
# guest, sampling the task clock, and prints, per operation, the symbols whose
# cost differs most between the modes, in instructions per operation.
#   usage: profile.sh OPS [ITERATIONS]   (PROFILE_VANILLA=1: the vanilla kernel too)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
ops=${1:?usage: profile.sh OPS [ITERATIONS]} iterations=${2:-400000}
case "$ops" in
*[!a-z0-9_,]*) echo "profile.sh: OPS is a comma-separated list of bench operations" >&2; exit 2 ;;
esac
case "$iterations" in
'' | *[!0-9]*) echo "profile.sh: ITERATIONS must be a number" >&2; exit 2 ;;
esac
bash "$here/install-deps.sh" >/dev/null
bash "$here/kernel.sh" release >/dev/null
ko=$(bash "$here/module.sh" release)
userland=$(bash "$here/userland.sh")
dir="$VS_BUILD/profile"
mkdir -p "$dir"
logs=()
profile_boot() { # bzImage kind
	VS_BENCH="profile $iterations $2 $ops" bash "$VS_TOP/qemu-tests/build-initramfs.sh" \
		"$dir/$2.cpio" "$ko" "$userland" bench
	: >"$dir/$2.log"
	VS_ICOUNT=${VS_ICOUNT:-shift=0,align=off,sleep=off} bash "$VS_TOP/qemu-tests/boot.sh" \
		"$1" "$dir/$2.cpio" bench "$dir/$2.log" "$dir/$2-console.log" 1800 || true
	logs+=("$dir/$2.log")
}
profile_boot "$VS_CACHE/kernel/release/arch/x86/boot/bzImage" patched
if [ "${PROFILE_VANILLA:-0}" = 1 ]; then
	tree=$(bash "$here/kernel.sh" vanilla)
	profile_boot "$tree/arch/x86/boot/bzImage" vanilla
fi
python3 "$VS_TOP/qemu-tests/profile.py" "${logs[@]}"
