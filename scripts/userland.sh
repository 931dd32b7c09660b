#!/usr/bin/env bash
# Builds the static userland tools (release) and prints the directory holding them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
export VS_BINDGEN
cd "$VS_TOP/userland"
cargo build --release --locked --quiet
echo "$VS_TOP/userland/target/release"
