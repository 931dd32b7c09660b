#!/usr/bin/env bash
# `make bench`: boots the release kernel and measures hot-syscall costs with the
# module unloaded, loaded (host task) and inside a guest context, in interleaved
# rounds of one boot; also boots a vanilla 7.3 kernel (same config, no patch) for
# the patch's own cost. Prints a table and writes bench-results.json.
#   The guests run with QEMU's `-icount shift=0`: the guest clock advances one
#   nanosecond per instruction executed, so every figure counts instructions
#   (with everything the CPU did meanwhile: interrupts, softirqs, kernel
#   threads), the same on a loaded or idle host, and rounds agree closely.
#   VS_BENCH_CLOCK=wall measures TCG wall-clock time instead.
#   --quick: few rounds and iterations, smaller scenes (contexts, crowds), no
#   vanilla kernel: proves the harness works. Its files are its own, so a
#   `make check` does not overwrite those of a `make bench` running meanwhile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
quick=0
[ "${1:-}" = --quick ] && quick=1
bash "$here/install-deps.sh"
bash "$here/kernel.sh" release >/dev/null
ko=$(bash "$here/module.sh" release)
userland=$(bash "$here/userland.sh")
if [ "${VS_BENCH_CLOCK:-icount}" = wall ]; then
	export VS_ICOUNT=
	unit=ns
else
	export VS_ICOUNT=shift=0,align=off,sleep=off
	unit=instructions
fi
dir="$VS_BUILD/bench"
[ $quick = 1 ] && dir="$VS_BUILD/bench-quick"
mkdir -p "$dir"
logs=()

run_boot() { # kernel flavour-kind rounds iterations [quick]
	local kernel=$1 kind=$2 rounds=$3 iterations=$4 scale=${5:-}
	VS_BENCH="$rounds $iterations $kind $scale" bash "$VS_TOP/qemu-tests/build-initramfs.sh" \
		"$dir/$kind.cpio" "$ko" "$userland" bench
	: >"$dir/$kind.log"
	bash "$VS_TOP/qemu-tests/boot.sh" "$kernel" "$dir/$kind.cpio" bench "$dir/$kind.log" \
		"$dir/$kind-console.log" 1200 || true
	logs+=("$dir/$kind.log")
}

if [ $quick = 1 ]; then
	run_boot "$VS_CACHE/kernel/release/arch/x86/boot/bzImage" patched 2 400 quick
	out="$dir/bench-quick.json"
else
	# The vanilla kernel builds (if it is not cached) while the patched one is
	# measured: the counts do not change with the host's load.
	bash "$here/kernel.sh" vanilla >"$dir/vanilla-tree" 2>"$dir/vanilla-build.log" &
	vanilla_build=$!
	run_boot "$VS_CACHE/kernel/release/arch/x86/boot/bzImage" patched 7 40000
	if ! wait "$vanilla_build"; then
		cat "$dir/vanilla-build.log" >&2
		echo "bench: the vanilla kernel did not build" >&2
		exit 1
	fi
	cat "$dir/vanilla-build.log" >&2
	tree=$(cat "$dir/vanilla-tree")
	run_boot "$tree/arch/x86/boot/bzImage" vanilla 7 40000
	out="$VS_TOP/bench-results.json"
fi
python3 "$VS_TOP/qemu-tests/bench.py" --unit "$unit" --json "$out" "${logs[@]}"
