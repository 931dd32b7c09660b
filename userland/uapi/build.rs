//! Generates the ABI types and ioctl numbers from the UAPI header with bindgen, so the
//! userland never carries a hand-written copy of them.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let header = manifest.join("../../include/uapi/linux/vserver.h");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("uapi.rs");
    println!("cargo:rerun-if-changed={}", header.display());
    println!("cargo:rerun-if-env-changed=VS_BINDGEN");

    let bindgen = env::var("VS_BINDGEN").unwrap_or_else(|_| "bindgen".into());
    let status = Command::new(&bindgen)
        .arg(&header)
        .args(["--allowlist-item", "vs_.*|VS_.*", "--clang-macro-fallback"])
        .args(["--with-derive-default", "--no-doc-comments", "-o"])
        .arg(&out)
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run bindgen ({bindgen}): {e}; run scripts/install-deps.sh or set VS_BINDGEN")
        });
    assert!(status.success(), "bindgen failed on {}", header.display());
}
