#!/usr/bin/env bash
# rustfmt over the module and the userland; --check only reports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
mode=()
[ "${1:-}" = --check ] && mode=(--check)
rustfmt --edition 2021 "${mode[@]}" "$VS_TOP"/src/vserver.rs
cd "$VS_TOP/userland" && cargo fmt --all -- "${mode[@]}"
