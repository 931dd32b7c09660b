// SPDX-License-Identifier: GPL-2.0

//! `/dev/vserver`: the control device.

use crate::uapi;
use kernel::fs::File;
use kernel::ioctl::_IOC_SIZE;
use kernel::miscdevice::{MiscDevice, MiscDeviceRegistration};
use kernel::prelude::*;
use kernel::uaccess::{UserPtr, UserSlice};

pub(crate) mod context;
pub(crate) mod limits;
pub(crate) mod list;
pub(crate) mod net;

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
            uapi::VS_IOC_GET_VERSION => context::get_version(user.writer()),
            uapi::VS_IOC_GET_XID => context::get_xid(user),
            uapi::VS_IOC_CREATE => context::create(user),
            uapi::VS_IOC_MIGRATE => context::migrate(user.reader()),
            uapi::VS_IOC_END_SETUP => context::end_setup(user.reader()),
            uapi::VS_IOC_GET_INFO => context::get_info(user),
            uapi::VS_IOC_LIST => context::list(user),
            uapi::VS_IOC_SET_FLAGS => context::set_flags(user.reader()),
            uapi::VS_IOC_REMOVE => context::remove(user.reader()),
            uapi::VS_IOC_KILL => context::kill(user.reader()),
            uapi::VS_IOC_WAIT => context::wait(user),
            uapi::VS_IOC_SET_BCAPS => context::set_bcaps(user.reader()),
            uapi::VS_IOC_BARRIER => context::barrier(user),
            uapi::VS_IOC_GET_CAPS => limits::get_caps(user),
            uapi::VS_IOC_SET_CCAPS => limits::set_ccaps(user.reader()),
            uapi::VS_IOC_SET_LIMIT => limits::set_limit(user.reader()),
            uapi::VS_IOC_GET_LIMITS => limits::get_limits(user),
            uapi::VS_IOC_RESET_LIMITS => limits::reset_limits(user.reader()),
            uapi::VS_IOC_SET_RLIMIT => limits::set_rlimit(user.reader()),
            uapi::VS_IOC_GET_RLIMIT => limits::get_rlimit(user),
            uapi::VS_IOC_NET_CREATE => net::create(user),
            uapi::VS_IOC_NET_MIGRATE => net::migrate(user.reader()),
            uapi::VS_IOC_NET_ADD => net::add(user.reader()),
            uapi::VS_IOC_NET_REMOVE_ADDR => net::remove_addr(user.reader()),
            uapi::VS_IOC_NET_GET_INFO => net::get_info(user),
            uapi::VS_IOC_NET_LIST => net::list(user),
            uapi::VS_IOC_NET_REMOVE => net::remove(user.reader()),
            uapi::VS_IOC_NET_GET_NID => net::get_nid(user),
            _ => Err(ENOTTY),
        }?;
        Ok(0)
    }
}
