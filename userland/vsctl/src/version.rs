//! `vsctl version`: the tool's version and the kernel ABI it talks to.

use crate::error::CliError;
use vserver_uapi::{Device, VS_ABI_MAJOR, VS_ABI_MINOR};

pub fn run(args: &[String]) -> Result<(), CliError> {
    if let Some(extra) = args.first() {
        return Err(CliError::usage(format!(
            "version takes no arguments, got '{extra}'"
        )));
    }
    println!(
        "vsctl {} (ABI {VS_ABI_MAJOR}.{VS_ABI_MINOR})",
        env!("CARGO_PKG_VERSION")
    );
    let dev = Device::open().map_err(|e| CliError::open_device(vserver_uapi::device_path(), &e))?;
    let v = dev
        .version()
        .map_err(|e| CliError::ioctl("VS_IOC_GET_VERSION", &e))?;
    println!("kernel module ABI {}.{}", v.major, v.minor);
    if v.major != VS_ABI_MAJOR {
        return Err(CliError::Failed(format!(
            "kernel ABI {}.{} is incompatible with this tool (ABI {VS_ABI_MAJOR}.x)",
            v.major, v.minor
        )));
    }
    Ok(())
}
