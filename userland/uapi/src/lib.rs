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
use std::os::fd::{AsRawFd, RawFd};

/// `VS_CF_PERSISTENT` as the 64-bit flag word the structures carry.
pub const CF_PERSISTENT: u64 = VS_CF_PERSISTENT as u64;
/// `VS_CF_PROLIFIC` as the 64-bit flag word the structures carry.
pub const CF_PROLIFIC: u64 = VS_CF_PROLIFIC as u64;
/// `VS_CF_ALL` as the 64-bit flag word the structures carry.
pub const CF_ALL: u64 = VS_CF_ALL as u64;
/// `VS_BCAPS_DEFAULT` as a 64-bit capability mask.
#[allow(clippy::unnecessary_cast)]
pub const BCAPS_DEFAULT: u64 = VS_BCAPS_DEFAULT as u64;
/// `VS_BCAPS_ALL` as a 64-bit capability mask.
#[allow(clippy::unnecessary_cast)]
pub const BCAPS_ALL: u64 = VS_BCAPS_ALL as u64;

/// How many times [`Device::list`] retries when contexts appear faster than it reads.
const LIST_RETRIES: usize = 16;
/// No more contexts than ids can exist.
const LIST_MAX: usize = 65536;

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
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(device_path())?;
        Ok(Self { file })
    }

    /// Issues `cmd` with a pointer to `arg`.
    ///
    /// # Safety
    ///
    /// `T` must be the argument type that the header gives `cmd`.
    pub unsafe fn ioctl<T>(&self, cmd: u32, arg: &mut T) -> io::Result<i32> {
        let fd = self.file.as_raw_fd();
        let request = libc::c_ulong::from(cmd);
        // SAFETY: the fd is open; by the caller's guarantee `arg` has the type and size the
        // kernel reads and writes for `cmd`.
        let ret = unsafe { libc::ioctl(fd, request, arg as *mut T) };
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

    /// `VS_IOC_CREATE`: creates a context with id `xid` (or [`VS_XID_ALLOCATE`]) and
    /// `flags`; returns its id.
    pub fn create(&self, xid: u32, flags: u64) -> io::Result<u32> {
        let mut c = vs_context_create {
            xid,
            reserved: 0,
            flags,
        };
        // SAFETY: VS_IOC_CREATE takes a struct vs_context_create.
        unsafe { self.ioctl(VS_IOC_CREATE, &mut c)? };
        Ok(c.xid)
    }

    /// `VS_IOC_MIGRATE`: moves the calling (single-threaded) process into `xid`.
    pub fn migrate(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        // SAFETY: VS_IOC_MIGRATE takes a struct vs_context_id.
        unsafe { self.ioctl(VS_IOC_MIGRATE, &mut id)? };
        Ok(())
    }

    /// `VS_IOC_END_SETUP`: ends the setup state of `xid`.
    pub fn end_setup(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        // SAFETY: VS_IOC_END_SETUP takes a struct vs_context_id.
        unsafe { self.ioctl(VS_IOC_END_SETUP, &mut id)? };
        Ok(())
    }

    /// `VS_IOC_GET_INFO`: describes `xid` ([`VS_XID_SELF`]: the caller's context).
    pub fn get_info(&self, xid: u32) -> io::Result<vs_context_info> {
        let mut info = vs_context_info {
            xid,
            ..Default::default()
        };
        // SAFETY: VS_IOC_GET_INFO takes a struct vs_context_info.
        unsafe { self.ioctl(VS_IOC_GET_INFO, &mut info)? };
        Ok(info)
    }

    /// `VS_IOC_LIST`: the ids of the contexts the caller can see.
    ///
    /// When the buffer is too small (`E2BIG`), retries with the total the kernel reports.
    pub fn list(&self) -> io::Result<Vec<u32>> {
        let mut room = 64usize;
        let mut last = io::Error::from_raw_os_error(libc::E2BIG);
        for _ in 0..LIST_RETRIES {
            let mut xids = vec![0u32; room];
            let mut l = vs_context_list {
                count: room as u32,
                total: 0,
                xids: xids.as_mut_ptr() as u64,
            };
            // SAFETY: VS_IOC_LIST takes a struct vs_context_list whose `xids` points to
            // `count` writable u32 entries; `xids` outlives the call.
            match unsafe { self.ioctl(VS_IOC_LIST, &mut l) } {
                Ok(_) => {
                    xids.truncate((l.count as usize).min(room));
                    return Ok(xids);
                }
                Err(e) if e.raw_os_error() == Some(libc::E2BIG) => {
                    // Some slack for contexts created before the next try.
                    room = (l.total as usize)
                        .saturating_add(8)
                        .max(room + 1)
                        .min(LIST_MAX);
                    last = e;
                }
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// `VS_IOC_SET_FLAGS`: sets the flags `set` and clears the flags `clear` of `xid`.
    pub fn set_flags(&self, xid: u32, set: u64, clear: u64) -> io::Result<()> {
        let mut f = vs_context_flags {
            xid,
            reserved: 0,
            set,
            clear,
        };
        // SAFETY: VS_IOC_SET_FLAGS takes a struct vs_context_flags.
        unsafe { self.ioctl(VS_IOC_SET_FLAGS, &mut f)? };
        Ok(())
    }

    /// `VS_IOC_SET_BCAPS`: sets the bounding capability set of `xid`.
    pub fn set_bcaps(&self, xid: u32, bcaps: u64) -> io::Result<()> {
        let mut c = vs_context_caps {
            xid,
            reserved: 0,
            bcaps,
        };
        // SAFETY: VS_IOC_SET_BCAPS takes a struct vs_context_caps.
        unsafe { self.ioctl(VS_IOC_SET_BCAPS, &mut c)? };
        Ok(())
    }

    /// `VS_IOC_BARRIER`: applies `op` (a `VS_BARRIER_*`) to the directory open as `fd`;
    /// returns whether it is a barrier afterwards.
    pub fn barrier(&self, fd: i32, op: u32) -> io::Result<bool> {
        let mut b = vs_barrier {
            fd,
            op,
            is_barrier: 0,
            reserved: 0,
        };
        // SAFETY: VS_IOC_BARRIER takes a struct vs_barrier.
        unsafe { self.ioctl(VS_IOC_BARRIER, &mut b)? };
        Ok(b.is_barrier != 0)
    }

    /// `VS_IOC_REMOVE`: removes `xid`, which must have no tasks.
    pub fn remove(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        // SAFETY: VS_IOC_REMOVE takes a struct vs_context_id.
        unsafe { self.ioctl(VS_IOC_REMOVE, &mut id)? };
        Ok(())
    }

    /// `VS_IOC_KILL`: sends `sig` to every process of `xid`.
    pub fn kill(&self, xid: u32, sig: i32) -> io::Result<()> {
        let mut k = vs_context_kill { xid, sig };
        // SAFETY: VS_IOC_KILL takes a struct vs_context_kill.
        unsafe { self.ioctl(VS_IOC_KILL, &mut k)? };
        Ok(())
    }

    /// `VS_IOC_WAIT`: blocks until every task of `xid` has ended; returns the `VS_END_*`
    /// reason. Retries when a signal interrupts the wait.
    pub fn wait(&self, xid: u32) -> io::Result<u32> {
        loop {
            let mut w = vs_context_wait { xid, reason: 0 };
            // SAFETY: VS_IOC_WAIT takes a struct vs_context_wait.
            match unsafe { self.ioctl(VS_IOC_WAIT, &mut w) } {
                Ok(_) => return Ok(w.reason),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl AsRawFd for Device {
    /// The descriptor of the open device (opened close-on-exec).
    fn as_raw_fd(&self) -> RawFd {
        self.file.as_raw_fd()
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
        assert_eq!(
            size(VS_IOC_GET_VERSION) as usize,
            std::mem::size_of::<vs_version>()
        );
        assert_eq!(
            size(VS_IOC_GET_XID) as usize,
            std::mem::size_of::<vs_xid_query>()
        );
        assert_eq!(magic(VS_IOC_GET_VERSION), VS_IOC_MAGIC);
        assert_eq!(VS_IOC_GET_VERSION & 0xff, VS_NR_GET_VERSION);
        assert_eq!(VS_IOC_GET_XID & 0xff, VS_NR_GET_XID);
    }

    #[test]
    fn context_ioctls_encode_their_argument_sizes_and_numbers() {
        let size = |cmd: u32| ((cmd >> 16) & 0x3fff) as usize;
        let cases: [(u32, u32, usize); 9] = [
            (
                VS_IOC_CREATE,
                VS_NR_CREATE,
                std::mem::size_of::<vs_context_create>(),
            ),
            (
                VS_IOC_MIGRATE,
                VS_NR_MIGRATE,
                std::mem::size_of::<vs_context_id>(),
            ),
            (
                VS_IOC_END_SETUP,
                VS_NR_END_SETUP,
                std::mem::size_of::<vs_context_id>(),
            ),
            (
                VS_IOC_GET_INFO,
                VS_NR_GET_INFO,
                std::mem::size_of::<vs_context_info>(),
            ),
            (
                VS_IOC_LIST,
                VS_NR_LIST,
                std::mem::size_of::<vs_context_list>(),
            ),
            (
                VS_IOC_SET_FLAGS,
                VS_NR_SET_FLAGS,
                std::mem::size_of::<vs_context_flags>(),
            ),
            (
                VS_IOC_REMOVE,
                VS_NR_REMOVE,
                std::mem::size_of::<vs_context_id>(),
            ),
            (
                VS_IOC_KILL,
                VS_NR_KILL,
                std::mem::size_of::<vs_context_kill>(),
            ),
            (
                VS_IOC_WAIT,
                VS_NR_WAIT,
                std::mem::size_of::<vs_context_wait>(),
            ),
        ];
        for (cmd, nr, len) in cases {
            assert_eq!(cmd & 0xff, nr, "{cmd:#x}");
            assert_eq!((cmd >> 8) & 0xff, VS_IOC_MAGIC, "{cmd:#x}");
            assert_eq!(size(cmd), len, "{cmd:#x}");
        }
    }

    #[test]
    fn flag_words_match_the_header() {
        assert_eq!(CF_PERSISTENT, 1);
        assert_eq!(CF_PROLIFIC, 2);
        assert_eq!(CF_ALL, CF_PERSISTENT | CF_PROLIFIC);
    }

    #[test]
    fn device_path_matches_header() {
        assert_eq!(device_path(), "/dev/vserver");
    }
}
