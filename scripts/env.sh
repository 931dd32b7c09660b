# Common settings for the build scripts; sourced, not run.
# shellcheck shell=bash
VS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VS_CACHE=${VS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vserver-rs}
VS_BINDGEN_VERSION=0.73.2
VS_BINDGEN=$VS_CACHE/bindgen-$VS_BINDGEN_VERSION/bin/bindgen
VS_RUSTC=/usr/bin/rustc
VS_CLIPPY_DRIVER=/usr/bin/clippy-driver
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
VS_KMAKE=(make LLVM=-19 RUSTC="$VS_RUSTC" BINDGEN="$VS_BINDGEN" CLIPPY_DRIVER="$VS_CLIPPY_DRIVER")
# What one checkout builds (module, initramfs, test binaries, results) lives
# apart from every other checkout's: two checkouts can run at once. Kernel
# trees are shared, keyed by what produced them (scripts/kernel.sh).
VS_BUILD=${VS_BUILD:-$VS_CACHE/build/$(basename "$VS_TOP")-$(printf %s "$VS_TOP" | sha256sum | cut -c1-8)}
mkdir -p "$VS_CACHE" "$VS_BUILD"

# Extracts PATH... (files or directories) of the 7.3 source in the Debian
# package DEB into DIR: vs_source_extract DEB DIR PATH...
vs_source_extract() {
	local deb=$1 dir=$2
	shift 2
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-7.3.tar.xz |
		tar -C "$dir" --strip-components=1 -xJ $(printf 'linux-source-7.3/%s\n' "$@")
}
