#!/usr/bin/env bash
# Installs everything the build needs, idempotently: Debian packages, bindgen-cli from
# crates.io, and the Debian linux-source-7.3 tarball (from trixie-backports, on the
# host's own mirror, through a private apt configuration that leaves the host's apt
# sources untouched). It never removes a package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

log() { printf '[deps] %s\n' "$*" >&2; }

packages=(rustc-web rust-web-src rust-web-clippy clang-19 lld-19 llvm-19 libclang-19-dev
	flex bison bc libelf-dev libssl-dev cpio xz-utils qemu-system-x86 busybox-static
	make gcc libc6-dev python3 kmod)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# Suites beyond the host's own come from the host's own mirror (the repository
# names none), through a private apt configuration: the host's sources, lists
# and preferences stay as they are.
private_apt() { # NAME [+host] SUITE...: prints apt-get options for a private source list
	local dir="$VS_CACHE/apt-$1" mirror keyring
	read -r mirror keyring < <(python3 "$here/apt-mirror.py") || return 1
	shift
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	{
		[ "$1" = +host ] && { shift; [ -f /etc/apt/sources.list ] && cat /etc/apt/sources.list; }
		for suite in "$@"; do
			echo "deb [signed-by=$keyring] $mirror $suite main"
		done
	} >"$dir/sources.list"
	printf '%s\n' -o Dir::Etc::SourceList="$dir/sources.list" \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache::Archives="$dir/archives" \
		-o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root
}

# The install never removes a package the machine has (apt would, for
# example, replace a newer qemu-utils from backports by installing
# qemu-system-x86 from the release): when the release's versions conflict,
# the same packages are taken from the release's backports; if they still
# conflict, nothing is installed and the conflict is reported.
conflicts() { # APT-GET-OPTIONS...: prints why installing the missing packages would not
	# go without removing a package (nothing when it would)
	local out
	if ! out=$(apt-get "$@" install -s --no-install-recommends "${missing[@]}" 2>&1); then
		printf '%s\n' "$out" | grep -E '^(E:| )' | head -n 5
		return
	fi
	printf '%s\n' "$out" | sed -n 's/^Remv \([^ ]*\).*/would remove \1/p'
}
if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	opts=()
	why=$(conflicts)
	if [ -n "$why" ]; then
		release=$(. /etc/os-release && echo "$VERSION_CODENAME")
		log "the release's packages conflict with the machine's ($(echo $why)); trying $release-backports"
		mapfile -t opts < <(private_apt host-backports +host "$release-backports")
		[ ${#opts[@]} -gt 0 ] || exit 1
		opts+=(-o Dir::Etc::SourceParts=/etc/apt/sources.list.d -t "$release-backports")
		apt-get "${opts[@]}" update -qq >&2
		why=$(conflicts "${opts[@]}")
		if [ -n "$why" ]; then
			log "installing ${missing[*]} would remove packages the machine has:"
			printf '%s\n' "$why" | sed 's/^/[deps]   /' >&2
			log "install them by hand, choosing what to keep"
			exit 1
		fi
	fi
	apt-get "${opts[@]}" install -y -qq --no-remove --no-install-recommends "${missing[@]}" >&2
fi

# bindgen: Debian's is too old for kernel 7.3 (needs >= 0.71.1).
if [ ! -x "$VS_BINDGEN" ]; then
	log "cargo install bindgen-cli $VS_BINDGEN_VERSION"
	cargo install --locked --quiet --root "$VS_CACHE/bindgen-$VS_BINDGEN_VERSION" \
		bindgen-cli --version "$VS_BINDGEN_VERSION" >&2
fi

# Kernel source tarball.
if [ -n "${KERNEL_SRC:-}" ]; then
	log "using KERNEL_SRC=$KERNEL_SRC"
	exit 0
fi
dl="$VS_CACHE/downloads"
mkdir -p "$dl"
if ! ls "$dl"/linux-source-7.3_*.deb >/dev/null 2>&1 || [ "${VS_REFRESH_SOURCE:-0}" = 1 ]; then
	mapfile -t opts < <(private_apt trixie trixie-backports)
	[ ${#opts[@]} -gt 0 ] || exit 1
	opts+=(-o Dir::Etc::SourceParts=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	log "fetching linux-source-7.3 from trixie-backports"
	apt-get "${opts[@]}" update -qq >&2
	ver=$(apt-cache "${opts[@]}" madison linux-source-7.3 | awk '{print $3}' | sort -V | tail -n1)
	[ -n "$ver" ] || { log "linux-source-7.3 not found in trixie-backports"; exit 1; }
	(cd "$dl" && apt-get "${opts[@]}" download "linux-source-7.3=$ver" >&2)
fi
log "dependencies ready"
