#!/usr/bin/env bash
# Installs everything the build needs, idempotently: Debian packages, bindgen-cli from
# crates.io, and the Debian linux-source-7.3 tarball (from trixie-backports through a
# private apt configuration that leaves the host's apt sources untouched).
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
if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
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
	apt_dir="$VS_CACHE/apt-trixie"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
	cat >"$apt_dir/sources.list" <<EOS
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
EOS
	opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::Archives="$apt_dir/archives"
		-o APT::Get::List-Cleanup=0 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	log "fetching linux-source-7.3 from trixie-backports"
	apt-get "${opts[@]}" update -qq >&2
	ver=$(apt-cache "${opts[@]}" madison linux-source-7.3 | awk '{print $3}' | sort -V | tail -n1)
	[ -n "$ver" ] || { log "linux-source-7.3 not found in trixie-backports"; exit 1; }
	(cd "$dl" && apt-get "${opts[@]}" download "linux-source-7.3=$ver" >&2)
fi
log "dependencies ready"
