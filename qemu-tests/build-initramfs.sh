#!/usr/bin/env bash
# Builds the guest's initramfs: busybox, vserver.ko, the userland tools, the
# test programs and the guest's init.
# usage: build-initramfs.sh OUT.cpio MODULE.ko USERLAND_DIR MODE [CMD]
#   MODE: check (run the tests), cmd (run CMD), shell (interactive), bench
#   (benchmarks; VS_BENCH="ROUNDS ITERATIONS patched|vanilla [quick]")
#   env: TESTS (substring filter), EXTRA_TESTS (a directory of test executables),
#        VS_TEST_TIMEOUT (seconds per test)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/scripts/env.sh"
out=${1:?} module=${2:?} userland=${3:?} mode=${4:?} cmd=${5:-}

stage=$(mktemp -d)
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/lib/vs,lib/modules,etc/vs,proc,sys,dev,tmp,run,root,tests,tests-extra}

cp /bin/busybox "$stage/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done
cp "$here/guest/init" "$stage/init"
cp "$here/guest/runner" "$stage/usr/lib/vs/runner"
cp "$here/guest/bench-run" "$stage/usr/lib/vs/bench-run"
# C programs are built static against our UAPI header. A binary is kept in
# the checkout's build directory under the hash of everything it is made from,
# so a warm run compiles only what changed.
cflags=(-static -O2 -Wall -Wextra -Werror -std=gnu11 -I"$top/include/uapi")
cbin="$VS_BUILD/cbin"
mkdir -p "$cbin"
compiler_id=$(gcc --version | head -n1)
compile() { # OUT SOURCE
	local key
	key=$({ echo "$compiler_id ${cflags[*]}"; cat "$2" "$here"/lib/*.h "$top/include/uapi/linux/vserver.h"; } |
		sha256sum | cut -c1-16)
	local cached="$cbin/$(basename "$2" .c)-$key"
	if [ ! -x "$cached" ]; then
		rm -f "$cbin/$(basename "$2" .c)"-????????????????
		gcc "${cflags[@]}" -o "$cached.$$" "$2"
		mv "$cached.$$" "$cached"
	fi
	cp "$cached" "$1"
}
compile "$stage/usr/lib/vs/bench" "$here/bench/bench.c"
cp "$here/guest/banner" "$stage/etc/vs/banner"
cp "$here/lib/ktap.sh" "$stage/usr/lib/vs/ktap.sh"
cp "$module" "$stage/lib/modules/vserver.ko"
cp "$userland/vsctl" "$stage/usr/bin/vsctl"
# The classic util-vserver names are links to the one multi-call binary.
for name in chcontext chbind naddress vcontext vkill vwait vattribute vlimit vps vserver vserver-stat setattr showattr; do
	ln -s vsctl "$stage/usr/bin/$name"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
echo 'export PS1="vserver-guest:\w# "' >"$stage/etc/profile"

echo "$mode" >"$stage/etc/vs/mode"
printf '%s\n' "$cmd" >"$stage/etc/vs/cmd"
printf '%s' "${TESTS:-}" >"$stage/etc/vs/tests"
echo "${VS_TEST_TIMEOUT:-300}" >"$stage/etc/vs/timeout"
echo "${VS_BENCH:-5 20000 patched}" >"$stage/etc/vs/bench"

# The tests.
for t in "$here"/tests/*; do
	name=$(basename "$t")
	case "$name" in
	*.c)
		compile "$stage/tests/${name%.c}" "$t"
		;;
	*.sh)
		install -m 0755 "$t" "$stage/tests/${name%.sh}"
		;;
	esac
done
if [ -n "${EXTRA_TESTS:-}" ]; then
	[ -d "$EXTRA_TESTS" ] || { echo "EXTRA_TESTS=$EXTRA_TESTS is not a directory" >&2; exit 1; }
	cp -a "$EXTRA_TESTS/." "$stage/tests-extra/"
fi

(cd "$stage" && find . -print0 | cpio --null -o -H newc --owner=0:0 --quiet) >"$out"
