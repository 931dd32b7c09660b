// SPDX-License-Identifier: GPL-2.0

//! `/dev/vserver`: the control device and its ioctls.

use crate::task::TaskBlob;
use crate::uapi;
use kernel::fs::File;
use kernel::ioctl::_IOC_SIZE;
use kernel::miscdevice::{MiscDevice, MiscDeviceRegistration};
use kernel::prelude::*;
use kernel::uaccess::{UserPtr, UserSlice};

/// The control device. It keeps no per-open state: every ioctl acts on the caller's task
/// or on the global context registry.
pub(crate) struct ControlDevice;

#[vtable]
impl MiscDevice for ControlDevice {
    type Ptr = ();

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result {
        Ok(())
    }

    fn ioctl(_me: (), _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let user = UserSlice::new(UserPtr::from_addr(arg), _IOC_SIZE(cmd));
        match cmd {
            uapi::VS_IOC_GET_VERSION => {
                let mut version = uapi::Version::default();
                version.major = uapi::VS_ABI_MAJOR;
                version.minor = uapi::VS_ABI_MINOR;
                user.writer().write(&version)?;
            }
            uapi::VS_IOC_GET_XID => {
                let (mut reader, mut writer) = user.reader_writer();
                let mut query: uapi::XidQuery = reader.read()?;
                query.xid = xid_of_pid(query.pid)?;
                writer.write(&query)?;
            }
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }
}

/// The context id of the task with the (caller-relative) pid `pid`, 0 meaning the caller.
fn xid_of_pid(pid: i32) -> Result<u32> {
    match pid {
        0 => Ok(TaskBlob::current().xid()),
        pid if pid < 0 => Err(EINVAL),
        pid => crate::lookup::with_visible_task(pid, |blob| blob.xid()),
    }
}
