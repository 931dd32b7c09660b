#!/usr/bin/env bash
# Builds vserver.ko out of tree (M=) against a built kernel flavour, with
# clippy, into the cache. Prints the .ko path. Fails on any compiler or clippy
# warning: the module must build clean.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
flavour=${1:?usage: module.sh release|debug}
tree="$VS_CACHE/kernel/$flavour"
out="$VS_BUILD/$flavour/module"
mkdir -p "$out"
log="$out/build.log"
set +e
"${VS_KMAKE[@]}" -C "$tree" M="$VS_TOP" MO="$out" CLIPPY=1 -j"$(nproc)" modules >"$log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ] || grep -qE '^(warning|error)(\[|:)' "$log"; then
	cat "$log" >&2
	echo "[module:$flavour] build failed or warned (see above)" >&2
	exit 1
fi
echo "$out/src/vserver.ko"
