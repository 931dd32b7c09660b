//! `vsctl version`: the tool's version and the kernel ABI it talks to.

use crate::error::CliError;
use vserver_uapi::{device_path, Abi, Device, OpenError};

pub fn run(args: &[String]) -> Result<(), CliError> {
    if let Some(extra) = args.first() {
        return Err(CliError::usage(format!(
            "version takes no arguments, got '{extra}'"
        )));
    }
    println!("vsctl {} (ABI {})", env!("CARGO_PKG_VERSION"), Abi::BUILT);
    // A module whose ABI does not fit is refused at open; its version is still shown.
    let opened = Device::open();
    match &opened {
        Ok(dev) => println!("kernel module ABI {}", dev.abi()),
        Err(OpenError::Abi(module)) => println!("kernel module ABI {module}"),
        Err(_) => {}
    }
    opened
        .map(drop)
        .map_err(|e| CliError::open_device(device_path(), &e))
}
