// SPDX-License-Identifier: GPL-2.0

//! `/dev/vserver`: the control device.

use crate::uapi;
use crate::{ioctl, ioctl_limits, ioctl_net};
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
            uapi::VS_IOC_GET_CAPS => ioctl_limits::get_caps(user),
            uapi::VS_IOC_SET_CCAPS => ioctl_limits::set_ccaps(user.reader()),
            uapi::VS_IOC_SET_LIMIT => ioctl_limits::set_limit(user.reader()),
            uapi::VS_IOC_GET_LIMITS => ioctl_limits::get_limits(user),
            uapi::VS_IOC_RESET_LIMITS => ioctl_limits::reset_limits(user.reader()),
            uapi::VS_IOC_SET_RLIMIT => ioctl_limits::set_rlimit(user.reader()),
            uapi::VS_IOC_GET_RLIMIT => ioctl_limits::get_rlimit(user),
            uapi::VS_IOC_NET_CREATE => ioctl_net::create(user),
            uapi::VS_IOC_NET_MIGRATE => ioctl_net::migrate(user.reader()),
            uapi::VS_IOC_NET_ADD => ioctl_net::add(user.reader()),
            uapi::VS_IOC_NET_REMOVE_ADDR => ioctl_net::remove_addr(user.reader()),
            uapi::VS_IOC_NET_GET_INFO => ioctl_net::get_info(user),
            uapi::VS_IOC_NET_LIST => ioctl_net::list(user),
            uapi::VS_IOC_NET_REMOVE => ioctl_net::remove(user.reader()),
            uapi::VS_IOC_NET_GET_NID => ioctl_net::get_nid(user),
            _ => Err(ENOTTY),
        }?;
        Ok(0)
    }
}
