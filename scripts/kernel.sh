#!/usr/bin/env bash
# Prepares and builds one kernel flavour (release, debug or vanilla) in the
# cache and prints the tree's path. A tree is reused as long as its key (the
# kernel source, our patches and UAPI header, the config fragments and the
# toolchain) is unchanged; otherwise it is brought up to date incrementally.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

flavour=${1:?usage: kernel.sh release|debug|vanilla}
case "$flavour" in release|debug|vanilla) ;; *) echo "unknown flavour $flavour" >&2; exit 2;; esac
log() { printf '[kernel:%s] %s\n' "$flavour" "$*" >&2; }

# --- the pristine source ---------------------------------------------------
if [ -n "${KERNEL_SRC:-}" ]; then
	[ -f "$KERNEL_SRC/Makefile" ] || { log "KERNEL_SRC=$KERNEL_SRC is not a kernel tree"; exit 1; }
	source_id="dir:$(cd "$KERNEL_SRC" && pwd)"
else
	deb=$(ls "$VS_CACHE"/downloads/linux-source-7.3_*.deb 2>/dev/null | sort -V | tail -n1)
	[ -n "$deb" ] || { log "no kernel source: run scripts/install-deps.sh"; exit 1; }
	source_id="deb:$(basename "$deb")"
fi

patches=("$VS_TOP"/patches/*.patch)
fragments=("$VS_TOP/kernel-config/base.config" "$VS_TOP/kernel-config/$flavour.config")
if [ "$flavour" = vanilla ]; then
	# The same configuration minus what only exists with the patch.
	patches=()
	mkdir -p "$VS_CACHE/kernel"
	grep -vE 'VSERVER|^CONFIG_LSM=' "$VS_TOP/kernel-config/base.config" >"$VS_CACHE/kernel/vanilla-base.config"
	fragments=("$VS_CACHE/kernel/vanilla-base.config" "$VS_TOP/kernel-config/vanilla.config")
fi

toolchain=$("$VS_RUSTC" --version; clang-19 --version | head -n1; "$VS_BINDGEN" --version)
key=$({
	echo "$source_id"
	echo "$toolchain"
	[ ${#patches[@]} -gt 0 ] && cat "${patches[@]}" "$VS_TOP/include/uapi/linux/vserver.h"
	cat "${fragments[@]}"
	cat "$here/kernel.sh"
} | sha256sum | cut -c1-16)

tree="$VS_CACHE/kernel/$flavour"
# One build per tree at a time: a second `make` waits here for the first.
mkdir -p "$VS_CACHE/kernel"
exec 9>"$VS_CACHE/kernel/$flavour.lock"
flock 9
if [ -f "$tree/.vserver-key" ] && [ "$(cat "$tree/.vserver-key")" = "$key" ] &&
   [ -f "$tree/arch/x86/boot/bzImage" ]; then
	log "cached ($key)"
	echo "$tree"
	exit 0
fi

# --- source and patches ----------------------------------------------------
if [ ! -f "$tree/.vserver-source" ] || [ "$(cat "$tree/.vserver-source")" != "$source_id" ]; then
	log "unpacking $source_id"
	rm -rf "$tree"
	mkdir -p "$tree"
	if [ -n "${KERNEL_SRC:-}" ]; then
		cp -a "$KERNEL_SRC/." "$tree/"
	else
		tmp=$(mktemp -d)
		dpkg-deb --fsys-tarfile "$deb" | tar -C "$tmp" -x ./usr/src/linux-source-7.3.tar.xz
		tar -C "$tree" --strip-components=1 -xf "$tmp/usr/src/linux-source-7.3.tar.xz"
		rm -rf "$tmp"
	fi
	echo "$source_id" >"$tree/.vserver-source"
	: >"$tree/.vserver-applied.patch"
fi

wanted=$(mktemp)
[ ${#patches[@]} -gt 0 ] && cat "${patches[@]}" >"$wanted"
if ! cmp -s "$wanted" "$tree/.vserver-applied.patch"; then
	if [ -s "$tree/.vserver-applied.patch" ]; then
		log "reverting the previous patches"
		patch -d "$tree" -p1 -R -s -E <"$tree/.vserver-applied.patch"
		rm -f "$tree/include/uapi/linux/vserver.h"
		: >"$tree/.vserver-applied.patch"
	fi
	if [ -s "$wanted" ]; then
		log "applying patches"
		patch -d "$tree" -p1 -s <"$wanted"
	fi
	cp "$wanted" "$tree/.vserver-applied.patch"
fi
rm -f "$wanted"
if [ "$flavour" != vanilla ]; then
	# The UAPI header lives in this repo; the kernel tree gets a copy.
	cmp -s "$VS_TOP/include/uapi/linux/vserver.h" "$tree/include/uapi/linux/vserver.h" ||
		cp "$VS_TOP/include/uapi/linux/vserver.h" "$tree/include/uapi/linux/vserver.h"
fi

# --- configuration -----------------------------------------------------------
cd "$tree"
frag_sum=$(cat "${fragments[@]}" | sha256sum | cut -c1-16)
if [ ! -f .config ] || [ "$(cat .vserver-config 2>/dev/null)" != "$frag_sum" ]; then
	log "configuring"
	"${VS_KMAKE[@]}" -s tinyconfig >/dev/null
	KCONFIG_CONFIG=.config scripts/kconfig/merge_config.sh -m -O . .config "${fragments[@]}" >/dev/null
	"${VS_KMAKE[@]}" -s olddefconfig >/dev/null
	missing=0
	for f in "${fragments[@]}"; do
		while IFS= read -r line; do
			case "$line" in CONFIG_*=*) ;; *) continue;; esac
			grep -qxF "$line" .config || { log "config did not take: $line"; missing=1; }
		done <"$f"
	done
	[ "$missing" = 0 ] || { log "configuration incomplete"; exit 1; }
	echo "$frag_sum" >.vserver-config
fi

# --- build -------------------------------------------------------------------
log "building bzImage and modules (key $key)"
start=$(date +%s)
"${VS_KMAKE[@]}" -j"$(nproc)" -s bzImage modules >&2
log "built in $(($(date +%s) - start)) s"
echo "$key" >.vserver-key
echo "$tree"
