//! The `/dev/vserver` ABI for user space: the structures and ioctl numbers of
//! `include/uapi/linux/vserver.h` (generated at build time), and thin ioctl wrappers.

#![allow(non_camel_case_types, non_upper_case_globals, dead_code)]

mod generated {
    #![allow(non_camel_case_types, non_upper_case_globals, dead_code, clippy::all)]
    include!(concat!(env!("OUT_DIR"), "/uapi.rs"));
}

pub use generated::*;

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;

/// The control device path, as the header names it.
pub fn device_path() -> &'static str {
    // The generated constant is a NUL-terminated byte string.
    let bytes = &VS_DEVICE_PATH[..VS_DEVICE_PATH.len() - 1];
    std::str::from_utf8(bytes).unwrap_or("/dev/vserver")
}

/// An open `/dev/vserver`.
pub struct Device {
    file: File,
}

impl Device {
    /// Opens the control device.
    pub fn open() -> io::Result<Self> {
        let file = OpenOptions::new().read(true).write(true).open(device_path())?;
        Ok(Self { file })
    }

    /// Issues `cmd` with a pointer to `arg`.
    ///
    /// # Safety
    ///
    /// `T` must be the argument type that the header gives `cmd`.
    pub unsafe fn ioctl<T>(&self, cmd: u32, arg: &mut T) -> io::Result<i32> {
        // SAFETY: the fd is open; by the caller's guarantee `arg` has the type and size the
        // kernel reads and writes for `cmd`.
        let ret = unsafe { libc::ioctl(self.file.as_raw_fd(), cmd as libc::c_ulong, arg as *mut T) };
        if ret < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(ret)
        }
    }

    /// `VS_IOC_GET_VERSION`.
    pub fn version(&self) -> io::Result<vs_version> {
        let mut v = vs_version::default();
        // SAFETY: VS_IOC_GET_VERSION takes a struct vs_version.
        unsafe { self.ioctl(VS_IOC_GET_VERSION, &mut v)? };
        Ok(v)
    }

    /// `VS_IOC_GET_XID`: the context of `pid` (0: the caller).
    pub fn xid_of(&self, pid: i32) -> io::Result<u32> {
        let mut q = vs_xid_query { pid, xid: 0 };
        // SAFETY: VS_IOC_GET_XID takes a struct vs_xid_query.
        unsafe { self.ioctl(VS_IOC_GET_XID, &mut q)? };
        Ok(q.xid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_numbers_encode_their_argument_sizes() {
        // _IOC layout: dir(2) size(14) type(8) nr(8).
        let size = |cmd: u32| (cmd >> 16) & 0x3fff;
        let magic = |cmd: u32| (cmd >> 8) & 0xff;
        assert_eq!(size(VS_IOC_GET_VERSION) as usize, std::mem::size_of::<vs_version>());
        assert_eq!(size(VS_IOC_GET_XID) as usize, std::mem::size_of::<vs_xid_query>());
        assert_eq!(magic(VS_IOC_GET_VERSION), VS_IOC_MAGIC);
        assert_eq!(VS_IOC_GET_VERSION & 0xff, VS_NR_GET_VERSION);
        assert_eq!(VS_IOC_GET_XID & 0xff, VS_NR_GET_XID);
    }

    #[test]
    fn device_path_matches_header() {
        assert_eq!(device_path(), "/dev/vserver");
    }
}
