#!/usr/bin/env bash
# Prepares and builds one kernel flavour (release, debug or vanilla) in the
# cache and prints the tree's path. A tree is reused as long as its key (the
# kernel source, our patch series, the config fragments and the toolchain) is unchanged; otherwise it is brought up to date incrementally.
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
	[ ${#patches[@]} -gt 0 ] && cat "${patches[@]}"
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
fi

# The series is applied patch by patch and reverted in reverse order, so a
# file that several patches touch comes back exactly. What is applied is kept
# in .vserver-applied/ (a tree of an older layout kept one concatenated file,
# .vserver-applied.patch, plus a copied UAPI header).
applied="$tree/.vserver-applied"
revert_applied() {
	if [ -s "$tree/.vserver-applied.patch" ]; then
		patch -d "$tree" -p1 -R -s -E <"$tree/.vserver-applied.patch"
		rm -f "$tree/include/uapi/linux/vserver.h"
	fi
	rm -f "$tree/.vserver-applied.patch"
	if [ -d "$applied" ]; then
		local p
		for p in $(ls "$applied" | sort -r); do
			patch -d "$tree" -p1 -R -s -E <"$applied/$p"
		done
		rm -rf "$applied"
	fi
}
same_series() {
	[ -d "$applied" ] && [ ! -e "$tree/.vserver-applied.patch" ] || return 1
	[ "$(ls "$applied" | wc -l)" -eq ${#patches[@]} ] || return 1
	local p
	for p in ${patches[@]+"${patches[@]}"}; do
		cmp -s "$p" "$applied/$(basename "$p")" || return 1
	done
}
# The files a series touches, as paths relative to the tree.
touched() { sed -n 's|^+++ b/||p' "$@" 2>/dev/null | sort -u || true; }
if ! same_series; then
	# A file that comes out of the switch as it went in keeps its time
	# stamp, so the build recompiles only what really changed.
	stamps=$(mktemp)
	(cd "$tree" && { touched "$tree/.vserver-applied.patch" "$applied"/*.patch ${patches[@]+"${patches[@]}"}; echo include/uapi/linux/vserver.h; } |
		sort -u | while read -r f; do
			if [ -f "$f" ]; then
				printf '%s %s %s\n' "$(sha256sum <"$f" | cut -c1-64)" "$(stat -c %Y "$f")" "$f"
			fi
		done) >"$stamps"
	if [ -s "$tree/.vserver-applied.patch" ] || [ -d "$applied" ]; then
		log "reverting the previous patches"
		revert_applied
	fi
	rm -f "$tree/.vserver-applied.patch"
	mkdir -p "$applied"
	for p in ${patches[@]+"${patches[@]}"}; do
		log "applying $(basename "$p")"
		patch -d "$tree" -p1 -s -N <"$p"
		cp "$p" "$applied/"
	done
	(cd "$tree" && while read -r sum stamp f; do
		if [ -f "$f" ] && [ "$(sha256sum <"$f" | cut -c1-64)" = "$sum" ]; then
			touch -d "@$stamp" "$f"
		fi
	done) <"$stamps"
	rm -f "$stamps"
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
