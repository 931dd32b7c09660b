// SPDX-License-Identifier: GPL-2.0

//! `/dev/vserver`: the control device.

use crate::ioctl;
use crate::uapi;
use kernel::fs::File;
use kernel::ioctl::_IOC_SIZE;
use kernel::miscdevice::{MiscDevice, MiscDeviceRegistration};
use kernel::prelude::*;
use kernel::uaccess::{UserPtr, UserSlice};

/// The control device. It keeps no per-open state: every ioctl acts on the caller's task
/// or on the context registry.
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
            uapi::VS_IOC_GET_VERSION => ioctl::get_version(user.writer()),
            uapi::VS_IOC_GET_XID => ioctl::get_xid(user),
            uapi::VS_IOC_CREATE => ioctl::create(user),
            uapi::VS_IOC_MIGRATE => ioctl::migrate(user.reader()),
            uapi::VS_IOC_END_SETUP => ioctl::end_setup(user.reader()),
            uapi::VS_IOC_GET_INFO => ioctl::get_info(user),
            uapi::VS_IOC_LIST => ioctl::list(user),
            uapi::VS_IOC_SET_FLAGS => ioctl::set_flags(user.reader()),
            uapi::VS_IOC_REMOVE => ioctl::remove(user.reader()),
            uapi::VS_IOC_KILL => ioctl::kill(user.reader()),
            uapi::VS_IOC_WAIT => ioctl::wait(user),
            uapi::VS_IOC_SET_BCAPS => ioctl::set_bcaps(user.reader()),
            uapi::VS_IOC_BARRIER => ioctl::barrier(user),
            _ => Err(ENOTTY),
        }?;
        Ok(0)
    }
}
