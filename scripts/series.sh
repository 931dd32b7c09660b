#!/usr/bin/env bash
# The kernel patch series (patches/*.patch, `git format-patch` output).
#
#   series.sh check   `git am` the series onto the pristine 7.3 files it
#                     touches, check that the UAPI header it adds is the
#                     repository's include/uapi/linux/vserver.h, and run
#                     checkpatch on every patch: fails on any error, prints
#                     each patch's totals.
#   series.sh uapi    rewrite the UAPI patch so that it adds the repository's
#                     include/uapi/linux/vserver.h (the one source of truth;
#                     edit the header, then run this).
#   series.sh export DIR
#                     leave a git tree of the pristine files with the series
#                     applied in DIR, to edit and `git format-patch
#                     --zero-commit --no-signature -o patches base..HEAD`.
#
# The pristine files come from the Debian linux-source-7.3 package that
# scripts/install-deps.sh downloads, kept in the cache under its name.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
log() { printf '[series] %s\n' "$*" >&2; }
cmd=${1:-}
case "$cmd" in
check | uapi) ;;
export) [ -n "${2:-}" ] || { log "usage: series.sh export DIR"; exit 2; } ;;
-h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) log "usage: series.sh check|uapi|export DIR (--help for more)"; exit 2 ;;
esac

patches=("$VS_TOP"/patches/*.patch)
uapi_patch=$(grep -l '^+++ b/include/uapi/linux/vserver.h' "${patches[@]}" | head -n1)
[ -n "$uapi_patch" ] || { log "no patch adds include/uapi/linux/vserver.h"; exit 1; }

deb=$(ls "$VS_CACHE"/downloads/linux-source-7.3_*.deb 2>/dev/null | sort -V | tail -n1)
[ -n "$deb" ] || { log "no kernel source: run scripts/install-deps.sh"; exit 1; }

# The pristine files: every file of 7.3 the series changes, and what
# checkpatch reads
# (not those it creates).
created=$(grep -A1 '^--- /dev/null' "${patches[@]}" | sed -n 's|^.*+++ b/||p' | sort -u)
files=$(sed -n 's|^--- a/||p' "${patches[@]}" | sort -u | grep -vxF -f <(printf '%s\n' "$created"))
files+=$'\n'"scripts/checkpatch.pl"$'\n'"scripts/spelling.txt"$'\n'"scripts/const_structs.checkpatch"
key=$(printf '%s\n%s\n' "$(basename "$deb")" "$files" | sha256sum | cut -c1-16)
pristine="$VS_CACHE/series/pristine-$key"
if [ ! -d "$pristine/.git" ]; then
	log "extracting the pristine files from $(basename "$deb")"
	rm -rf "$pristine.tmp"
	mkdir -p "$pristine.tmp"
	# shellcheck disable=SC2086 # one path per word
	vs_source_extract "$deb" "$pristine.tmp" $files
	git -C "$pristine.tmp" init -q
	git -C "$pristine.tmp" add -A
	git -C "$pristine.tmp" -c user.name=vserver-rs -c user.email=dev@vserver-rs.invalid \
		commit -q -m "Linux 7.3 (the files the vserver series touches)"
	git -C "$pristine.tmp" tag base
	rm -rf "$pristine"
	mv "$pristine.tmp" "$pristine"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$pristine" "$work/tree"
am() { git -C "$work/tree" -c user.name=vserver-rs -c user.email=dev@vserver-rs.invalid am -q "$@"; }

case "$cmd" in
check)
	am "${patches[@]}" || { log "git am failed (above)"; exit 1; }
	log "git am applied ${#patches[@]} patches to the pristine 7.3 files"
	cmp -s "$work/tree/include/uapi/linux/vserver.h" "$VS_TOP/include/uapi/linux/vserver.h" || {
		log "$(basename "$uapi_patch") does not add include/uapi/linux/vserver.h as the repository has it:"
		log "run scripts/series.sh uapi"
		exit 1
	}
	errors=0
	for p in "${patches[@]}"; do
		out=$(cd "$work/tree" && perl scripts/checkpatch.pl --no-tree --quiet "$p" 2>&1 || true)
		total=$(cd "$work/tree" && perl scripts/checkpatch.pl --no-tree "$p" 2>&1 | grep '^total:' || true)
		log "$(basename "$p"): ${total:-no checkpatch output}"
		if grep -q '^ERROR' <<<"$out"; then
			errors=$((errors + 1))
			printf '%s\n' "$out" >&2
		fi
	done
	[ $errors -eq 0 ] || { log "checkpatch: errors in $errors patches"; exit 1; }
	;;
uapi)
	for p in "${patches[@]}"; do
		am "$p"
		if [ "$p" = "$uapi_patch" ]; then
			cp "$VS_TOP/include/uapi/linux/vserver.h" "$work/tree/include/uapi/linux/vserver.h"
			git -C "$work/tree" add include/uapi/linux/vserver.h
			git -C "$work/tree" -c user.name=vserver-rs -c user.email=dev@vserver-rs.invalid \
				commit -q --amend --no-edit
		fi
	done
	rm -f "${patches[@]}"
	git -C "$work/tree" format-patch -q --zero-commit --no-signature -o "$VS_TOP/patches" base..HEAD
	log "rewrote $(basename "$uapi_patch") from include/uapi/linux/vserver.h"
	;;
export)
	am "${patches[@]}"
	rm -rf "$2"
	mv "$work/tree" "$2"
	log "the series is applied in $2 (branch $(git -C "$2" branch --show-current), base: tag base)"
	;;
esac
