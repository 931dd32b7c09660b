#!/usr/bin/env bash
# `make check`: installs what is missing, builds everything, runs the host-side
# gates and the QEMU suite on each kernel flavour, and prints the results with a
# final "N passed, M failed" line. Exits non-zero on any failure.
#   env: FLAVOURS (default "release debug"), TESTS, EXTRA_TESTS, VS_TEST_TIMEOUT
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
flavours=${FLAVOURS:-release debug}
results="$VS_BUILD/results"
rm -rf "$results"
mkdir -p "$results"
start=$(date +%s)

if [ -n "${EXTRA_TESTS:-}" ]; then
	EXTRA_TESTS=$(cd "$EXTRA_TESTS" 2>/dev/null && pwd) || {
		echo "EXTRA_TESTS: no such directory" >&2
		exit 2
	}
	export EXTRA_TESTS
fi

bash "$here/install-deps.sh" || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

# --- host-side gates: each one is a result ---------------------------------
host_pass=0 host_fail=0
gate() {
	local name=$1
	shift
	local log="$results/gate-${name// /-}.log"
	if "$@" >"$log" 2>&1; then
		echo "[host] ok $name"
		host_pass=$((host_pass + 1))
	else
		echo "[host] not ok $name"
		sed 's/^/[host]   /' "$log" | tail -n 40
		host_fail=$((host_fail + 1))
	fi
}
gate "rustfmt (module and userland)" bash "$here/fmt.sh" --check
gate "kernel patch series: git am onto 7.3, UAPI header in sync, checkpatch without errors" bash "$here/series.sh" check
gate "module layering: no import cycle between files or folders" python3 "$here/module-deps.py" "$VS_TOP/src"
gate "UAPI structures: no padding, sizes multiples of 8 (static asserts)" python3 "$here/uapi-layout.py" "$VS_TOP/include/uapi"
gate "ABI reference: abi.rst is the header's kernel-doc, without warnings" bash "$here/uapi-doc.sh" --check
gate "UAPI header compiles alone as C99" bash -c \
	"printf '#include <linux/vserver.h>\nint main(void){return 0;}\n' |
	 gcc -std=c99 -pedantic -Wall -Wextra -Werror -I'$VS_TOP/include/uapi' -x c -o /dev/null -"
gate "userland cargo test" bash -c "cd '$VS_TOP/userland' && VS_BINDGEN='$VS_BINDGEN' cargo test --locked --quiet"
gate "userland clippy" bash -c "cd '$VS_TOP/userland' && VS_BINDGEN='$VS_BINDGEN' cargo clippy --locked --quiet --all-targets -- -D warnings"
userland=$(bash "$here/userland.sh") || userland=""
[ -n "$userland" ] && gate "userland builds static" bash -c "file '$userland/vsctl' | grep -q 'static'"
printf '{"flavour": "host", "passed": %d, "failed": %d, "skipped": 0}\n' \
	"$host_pass" "$host_fail" >"$results/host.json"

# --- the QEMU suite on each flavour ----------------------------------------
tallies=("$results/host.json")
for flavour in $flavours; do
	tally="$results/$flavour.json"
	tallies+=("$tally")
	fail_flavour() {
		echo "[$flavour] not ok $1"
		printf '{"flavour": "%s", "passed": 0, "failed": 1, "skipped": 0}\n' "$flavour" >"$tally"
	}
	if ! bash "$here/kernel.sh" "$flavour" >/dev/null; then fail_flavour "kernel build"; continue; fi
	if ! ko=$(bash "$here/module.sh" "$flavour"); then fail_flavour "module build (clippy, zero warnings)"; continue; fi
	[ -n "$userland" ] || { fail_flavour "userland build"; continue; }
	dir="$VS_BUILD/$flavour"
	if ! bash "$VS_TOP/qemu-tests/build-initramfs.sh" "$dir/check.cpio" "$ko" "$userland" check; then
		fail_flavour "initramfs build"
		continue
	fi
	# Whole-guest limits for a busy 2-core machine: the suite took 114 s
	# (release) and 759 s (debug, with other QEMU guests running beside it).
	limit=900
	[ "$flavour" = debug ] && limit=2400
	: >"$dir/console.log"
	: >"$dir/ktap.log"
	t0=$(date +%s)
	bash "$VS_TOP/qemu-tests/boot.sh" "$VS_CACHE/kernel/$flavour/arch/x86/boot/bzImage" \
		"$dir/check.cpio" check "$dir/ktap.log" "$dir/console.log" "$limit"
	rc=$?
	timed_out=0
	[ $rc -eq 124 ] || [ $rc -eq 137 ] && timed_out=$limit
	echo "[$flavour] guest ran $(($(date +%s) - t0)) s; console: $dir/console.log"
	kunit=()
	[ "$flavour" = debug ] && kunit=(--kunit)
	python3 "$VS_TOP/qemu-tests/ktap.py" parse --flavour "$flavour" --ktap "$dir/ktap.log" \
		--console "$dir/console.log" --json "$tally" --timed-out "$timed_out" "${kunit[@]}"
done

# The benchmark harness, in its quick mode: proves it runs (no thresholds here).
if [[ " $flavours " == *" release "* ]] && [ -z "${TESTS:-}" ]; then
	if bash "$here/bench.sh" --quick >"$results/bench-quick.log" 2>&1 &&
		grep -q '^guest/unloaded' "$results/bench-quick.log"; then
		echo "[host] ok make bench --quick runs and reports ratios"
		bench_pass=1 bench_fail=0
	else
		echo "[host] not ok make bench --quick"
		tail -n 20 "$results/bench-quick.log" | sed 's/^/[host]   /'
		bench_pass=0 bench_fail=1
	fi
	printf '{"flavour": "bench", "passed": %d, "failed": %d, "skipped": 0}\n' \
		"$bench_pass" "$bench_fail" >"$results/bench.json"
	tallies+=("$results/bench.json")
fi

echo "make check took $(($(date +%s) - start)) s"
python3 "$VS_TOP/qemu-tests/ktap.py" summary "${tallies[@]}"
