//! Opening `/dev/vserver` and asking about contexts that may be gone.

use crate::error::CliError;
use vserver_uapi::{vs_context_info, Device};

/// Opens the control device, with the usual hints when that fails.
pub fn open() -> Result<Device, CliError> {
    Device::open().map_err(|e| CliError::open_device(vserver_uapi::device_path(), &e))
}

/// `get_info(xid)`, or `None` if the context does not exist (ESRCH).
pub fn info_if_exists(dev: &Device, xid: u32) -> Result<Option<vs_context_info>, CliError> {
    match dev.get_info(xid) {
        Ok(info) => Ok(Some(info)),
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(None),
        Err(e) => Err(CliError::kernel(
            &format!("get info of context {xid}"),
            xid,
            &e,
        )),
    }
}

/// Whether an error is "no such context".
pub fn is_gone(err: &std::io::Error) -> bool {
    err.raw_os_error() == Some(libc::ESRCH)
}
