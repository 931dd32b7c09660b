//! The `/dev/vserver` ABI for user space: the structures and ioctl numbers of
//! `include/uapi/linux/vserver.h` (generated at build time), and safe ioctl wrappers
//! on the typed requests of [`ioctl`].

#![allow(non_camel_case_types, non_upper_case_globals, dead_code)]

mod generated {
    #![allow(non_camel_case_types, non_upper_case_globals, dead_code, clippy::all)]
    include!(concat!(env!("OUT_DIR"), "/uapi.rs"));
}

pub use generated::*;

pub mod ioctl;

use ioctl::{BufferRequest, Buffered, Request};

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
/// `VS_CCAP_SET_UTSNAME` as a 64-bit context capability mask.
pub const CCAP_SET_UTSNAME: u64 = VS_CCAP_SET_UTSNAME as u64;
/// `VS_CCAP_RAW_ICMP` as a 64-bit context capability mask.
pub const CCAP_RAW_ICMP: u64 = VS_CCAP_RAW_ICMP as u64;
/// `VS_CCAPS_ALL` as a 64-bit context capability mask.
pub const CCAPS_ALL: u64 = VS_CCAPS_ALL as u64;
/// `VS_CCAPS_DEFAULT`: the context capabilities a new context starts with.
pub const CCAPS_DEFAULT: u64 = VS_CCAPS_DEFAULT as u64;
/// `VS_LIMIT_NPROC`: the counter of a context's tasks.
pub const LIMIT_NPROC: u32 = VS_LIMIT_NPROC;
/// `VS_LIMIT_NOFILE`: the counter of a context's open file descriptions.
pub const LIMIT_NOFILE: u32 = VS_LIMIT_NOFILE;
/// `VS_LIMIT_NSOCK`: the counter of a context's sockets.
pub const LIMIT_NSOCK: u32 = VS_LIMIT_NSOCK;
/// `VS_LIMIT_COUNT`: how many counters a context has.
pub const LIMIT_COUNT: usize = VS_LIMIT_COUNT as usize;
/// `VS_LIMIT_INFINITY` (`~0ULL`; bindgen types the macro as a signed -1): no limit.
#[allow(clippy::unnecessary_cast)]
pub const LIMIT_INFINITY: u64 = VS_LIMIT_INFINITY as i64 as u64;
/// `VS_RLIMIT_COUNT`: the rlimit resources (`RLIMIT_*`) a context has a ceiling for.
pub const RLIMIT_COUNT: u32 = VS_RLIMIT_COUNT;
/// `VS_NF_PERSISTENT` as the 64-bit flag word of a network context.
pub const NF_PERSISTENT: u64 = VS_NF_PERSISTENT as u64;
/// `VS_NF_ALL` as the 64-bit flag word of a network context.
pub const NF_ALL: u64 = VS_NF_ALL as u64;
/// `VS_NA_LOOPBACK` as the 8-bit flag word of `struct vs_net_addr`.
pub const NA_LOOPBACK: u8 = VS_NA_LOOPBACK as u8;
/// `VS_NET_MAX_ADDRS`: the most addresses of one family in a network context.
pub const NET_MAX_ADDRS: usize = VS_NET_MAX_ADDRS as usize;
/// `AF_INET` as `struct vs_net_addr.family` carries it.
pub const NET_AF_INET: u16 = libc::AF_INET as u16;
/// `AF_INET6` as `struct vs_net_addr.family` carries it.
pub const NET_AF_INET6: u16 = libc::AF_INET6 as u16;

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
    /// The kernel's handler of `cmd` must read and write nothing but the `T` at `arg`
    /// (and memory that `arg` points to and that is valid for it).
    unsafe fn raw<T>(&self, cmd: u32, arg: &mut T) -> io::Result<i32> {
        let fd = self.file.as_raw_fd();
        let request = libc::c_ulong::from(cmd);
        // SAFETY: the fd is open; by the caller's guarantee the kernel touches only `arg`
        // (and what it points to) for `cmd`.
        let ret = unsafe { libc::ioctl(fd, request, arg as *mut T) };
        if ret < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(ret)
        }
    }

    /// Issues `req` with `arg`: safe, as the request's type and size fix what the
    /// kernel reads and writes.
    pub fn call<T>(&self, req: Request<T>, arg: &mut T) -> io::Result<i32> {
        // SAFETY: a `Request<T>` exists only for a number the header declares with a
        // plain `T` of the size the number encodes (see `ioctl::Request::new`).
        unsafe { self.raw(req.cmd(), arg) }
    }

    /// Issues `req` with `arg` pointed at `buf`, which the kernel may fill (up to its
    /// length).
    pub fn call_with_buffer<T: Buffered>(
        &self,
        req: BufferRequest<T>,
        arg: &mut T,
        buf: &mut [T::Item],
    ) -> io::Result<i32> {
        arg.attach(buf);
        // SAFETY: as in `call`; the array pointer is `buf` with its length, and `buf`
        // outlives the call.
        unsafe { self.raw(req.cmd(), arg) }
    }

    /// `VS_IOC_GET_VERSION`.
    pub fn version(&self) -> io::Result<vs_version> {
        let mut v = vs_version::default();
        self.call(ioctl::GET_VERSION, &mut v)?;
        Ok(v)
    }

    /// `VS_IOC_GET_XID`: the context of `pid` (0: the caller).
    pub fn xid_of(&self, pid: i32) -> io::Result<u32> {
        let mut q = vs_xid_query { pid, xid: 0 };
        self.call(ioctl::GET_XID, &mut q)?;
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
        self.call(ioctl::CREATE, &mut c)?;
        Ok(c.xid)
    }

    /// `VS_IOC_MIGRATE`: moves the calling (single-threaded) process into `xid`.
    pub fn migrate(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        self.call(ioctl::MIGRATE, &mut id)?;
        Ok(())
    }

    /// `VS_IOC_END_SETUP`: ends the setup state of `xid`.
    pub fn end_setup(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        self.call(ioctl::END_SETUP, &mut id)?;
        Ok(())
    }

    /// `VS_IOC_GET_INFO`: describes `xid` ([`VS_XID_SELF`]: the caller's context).
    pub fn get_info(&self, xid: u32) -> io::Result<vs_context_info> {
        let mut info = vs_context_info {
            xid,
            ..Default::default()
        };
        self.call(ioctl::GET_INFO, &mut info)?;
        Ok(info)
    }

    /// `VS_IOC_LIST`: the ids of the contexts the caller can see.
    ///
    /// When the buffer is too small (`E2BIG`), retries with the total the kernel reports.
    pub fn list(&self) -> io::Result<Vec<u32>> {
        self.list_ids(ioctl::LIST)
    }

    /// `req` (`VS_IOC_LIST` or `VS_IOC_NET_LIST`, both taking a struct vs_context_list):
    /// the ids it reports, retrying with the total the kernel reports on `E2BIG`.
    fn list_ids(&self, req: BufferRequest<vs_context_list>) -> io::Result<Vec<u32>> {
        let mut room = 64usize;
        let mut last = io::Error::from_raw_os_error(libc::E2BIG);
        for _ in 0..LIST_RETRIES {
            let mut xids = vec![0u32; room];
            let mut l = vs_context_list::default();
            match self.call_with_buffer(req, &mut l, &mut xids) {
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
        self.call(ioctl::SET_FLAGS, &mut f)?;
        Ok(())
    }

    /// `VS_IOC_SET_BCAPS`: sets the bounding capability set of `xid`.
    pub fn set_bcaps(&self, xid: u32, bcaps: u64) -> io::Result<()> {
        let mut c = vs_context_caps {
            xid,
            reserved: 0,
            bcaps,
        };
        self.call(ioctl::SET_BCAPS, &mut c)?;
        Ok(())
    }

    /// `VS_IOC_GET_CAPS`: the bounding set and context capabilities of `xid`
    /// ([`VS_XID_SELF`]: the caller's context).
    pub fn get_caps(&self, xid: u32) -> io::Result<vs_context_capsets> {
        let mut c = vs_context_capsets {
            xid,
            ..Default::default()
        };
        self.call(ioctl::GET_CAPS, &mut c)?;
        Ok(c)
    }

    /// `VS_IOC_SET_CCAPS`: sets the context capabilities (`VS_CCAP_*`) of `xid`.
    pub fn set_ccaps(&self, xid: u32, ccaps: u64) -> io::Result<()> {
        let mut c = vs_context_ccaps {
            xid,
            reserved: 0,
            ccaps,
        };
        self.call(ioctl::SET_CCAPS, &mut c)?;
        Ok(())
    }

    /// `VS_IOC_SET_LIMIT`: sets the soft and hard limit of counter `resource` (a
    /// `VS_LIMIT_*`) of `xid`; [`LIMIT_INFINITY`] for none.
    pub fn set_limit(&self, xid: u32, resource: u32, soft: u64, hard: u64) -> io::Result<()> {
        let mut l = vs_limit {
            xid,
            resource,
            soft,
            hard,
        };
        self.call(ioctl::SET_LIMIT, &mut l)?;
        Ok(())
    }

    /// `VS_IOC_GET_LIMITS`: every counter of `xid` ([`VS_XID_SELF`]: the caller's
    /// context), indexed by `VS_LIMIT_*`; as many as the module reports.
    pub fn get_limits(&self, xid: u32) -> io::Result<Vec<vs_limit_stat>> {
        let mut stats = vec![vs_limit_stat::default(); LIMIT_COUNT];
        let mut s = vs_limit_stats {
            xid,
            ..Default::default()
        };
        self.call_with_buffer(ioctl::GET_LIMITS, &mut s, &mut stats)?;
        stats.truncate((s.count as usize).min(LIMIT_COUNT));
        Ok(stats)
    }

    /// `VS_IOC_RESET_LIMITS`: resets the min, max and hits of every counter of `xid`.
    pub fn reset_limits(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        self.call(ioctl::RESET_LIMITS, &mut id)?;
        Ok(())
    }

    /// `VS_IOC_SET_RLIMIT`: sets the ceiling of `resource` (an `RLIMIT_*`) for the tasks
    /// of `xid`; [`LIMIT_INFINITY`] for none.
    pub fn set_rlimit(&self, xid: u32, resource: u32, ceiling: u64) -> io::Result<()> {
        let mut r = vs_rlimit {
            xid,
            resource,
            ceiling,
        };
        self.call(ioctl::SET_RLIMIT, &mut r)?;
        Ok(())
    }

    /// `VS_IOC_GET_RLIMIT`: the ceiling of `resource` (an `RLIMIT_*`) for the tasks of
    /// `xid` ([`VS_XID_SELF`]: the caller's context); [`LIMIT_INFINITY`] for none.
    pub fn get_rlimit(&self, xid: u32, resource: u32) -> io::Result<u64> {
        let mut r = vs_rlimit {
            xid,
            resource,
            ceiling: 0,
        };
        self.call(ioctl::GET_RLIMIT, &mut r)?;
        Ok(r.ceiling)
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
        self.call(ioctl::BARRIER, &mut b)?;
        Ok(b.is_barrier != 0)
    }

    /// `VS_IOC_REMOVE`: removes `xid`, which must have no tasks.
    pub fn remove(&self, xid: u32) -> io::Result<()> {
        let mut id = vs_context_id { xid, reserved: 0 };
        self.call(ioctl::REMOVE, &mut id)?;
        Ok(())
    }

    /// `VS_IOC_KILL`: sends `sig` to every process of `xid`.
    pub fn kill(&self, xid: u32, sig: i32) -> io::Result<()> {
        let mut k = vs_context_kill { xid, sig };
        self.call(ioctl::KILL, &mut k)?;
        Ok(())
    }

    /// `VS_IOC_WAIT`: blocks until every task of `xid` has ended; returns the `VS_END_*`
    /// reason. Retries when a signal interrupts the wait.
    pub fn wait(&self, xid: u32) -> io::Result<u32> {
        loop {
            let mut w = vs_context_wait { xid, reason: 0 };
            match self.call(ioctl::WAIT, &mut w) {
                Ok(_) => return Ok(w.reason),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// `VS_IOC_NET_CREATE`: creates a network context with id `nid` (or
    /// [`VS_XID_ALLOCATE`]) and `flags` (`VS_NF_*`); returns its id.
    pub fn net_create(&self, nid: u32, flags: u64) -> io::Result<u32> {
        let mut c = vs_net_create {
            nid,
            reserved: 0,
            flags,
        };
        self.call(ioctl::NET_CREATE, &mut c)?;
        Ok(c.nid)
    }

    /// `VS_IOC_NET_MIGRATE`: moves the calling (single-threaded) process into the network
    /// context `nid`, for good.
    pub fn net_migrate(&self, nid: u32) -> io::Result<()> {
        let mut id = vs_context_id {
            xid: nid,
            reserved: 0,
        };
        self.call(ioctl::NET_MIGRATE, &mut id)?;
        Ok(())
    }

    /// `VS_IOC_NET_ADD`: adds the address `addr` to the network context `addr.nid`.
    pub fn net_add(&self, addr: &vs_net_addr) -> io::Result<()> {
        let mut a = *addr;
        self.call(ioctl::NET_ADD, &mut a)?;
        Ok(())
    }

    /// `VS_IOC_NET_REMOVE_ADDR`: removes the address `addr` from the network context
    /// `addr.nid` (the prefix does not matter; the `VS_NA_LOOPBACK` flag does).
    pub fn net_remove_addr(&self, addr: &vs_net_addr) -> io::Result<()> {
        let mut a = *addr;
        self.call(ioctl::NET_REMOVE_ADDR, &mut a)?;
        Ok(())
    }

    /// `VS_IOC_NET_GET_INFO`: describes the network context `nid` ([`VS_XID_SELF`]: the
    /// caller's) and lists its addresses, primary ones first, loopback entries last. The
    /// `addrs` pointer of the returned info is cleared.
    ///
    /// When the buffer is too small (`E2BIG`), retries with the total the kernel reports.
    pub fn net_get_info(&self, nid: u32) -> io::Result<(vs_net_info, Vec<vs_net_addr>)> {
        // Both families full, and a loopback address each.
        let mut room = 2 * NET_MAX_ADDRS + 2;
        let mut last = io::Error::from_raw_os_error(libc::E2BIG);
        for _ in 0..LIST_RETRIES {
            let mut addrs = vec![vs_net_addr::default(); room];
            let mut info = vs_net_info {
                nid,
                ..Default::default()
            };
            match self.call_with_buffer(ioctl::NET_GET_INFO, &mut info, &mut addrs) {
                Ok(_) => {
                    addrs.truncate((info.count as usize).min(room));
                    info.addrs = 0;
                    return Ok((info, addrs));
                }
                Err(e) if e.raw_os_error() == Some(libc::E2BIG) => {
                    room = (info.total as usize).max(room + 1).min(LIST_MAX);
                    last = e;
                }
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// `VS_IOC_NET_LIST`: the ids of every network context (the host only).
    ///
    /// When the buffer is too small (`E2BIG`), retries with the total the kernel reports.
    pub fn net_list(&self) -> io::Result<Vec<u32>> {
        self.list_ids(ioctl::NET_LIST)
    }

    /// `VS_IOC_NET_REMOVE`: removes the network context `nid`, which must have no tasks.
    pub fn net_remove(&self, nid: u32) -> io::Result<()> {
        let mut id = vs_context_id {
            xid: nid,
            reserved: 0,
        };
        self.call(ioctl::NET_REMOVE, &mut id)?;
        Ok(())
    }

    /// `VS_IOC_NET_GET_NID`: the network context of `pid` (0: the caller); 0 for none.
    pub fn nid_of(&self, pid: i32) -> io::Result<u32> {
        let mut q = vs_nid_query { pid, nid: 0 };
        self.call(ioctl::NET_GET_NID, &mut q)?;
        Ok(q.nid)
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
    fn abi_1_1_ioctls_encode_their_argument_sizes_numbers_and_directions() {
        // _IOC directions: 1 write (user to kernel), 2 read, 3 both.
        let dir = |cmd: u32| cmd >> 30;
        let size = |cmd: u32| ((cmd >> 16) & 0x3fff) as usize;
        let cases: [(u32, u32, usize, u32); 7] = [
            (
                VS_IOC_GET_CAPS,
                VS_NR_GET_CAPS,
                std::mem::size_of::<vs_context_capsets>(),
                3,
            ),
            (
                VS_IOC_SET_CCAPS,
                VS_NR_SET_CCAPS,
                std::mem::size_of::<vs_context_ccaps>(),
                1,
            ),
            (
                VS_IOC_SET_LIMIT,
                VS_NR_SET_LIMIT,
                std::mem::size_of::<vs_limit>(),
                1,
            ),
            (
                VS_IOC_GET_LIMITS,
                VS_NR_GET_LIMITS,
                std::mem::size_of::<vs_limit_stats>(),
                3,
            ),
            (
                VS_IOC_RESET_LIMITS,
                VS_NR_RESET_LIMITS,
                std::mem::size_of::<vs_context_id>(),
                1,
            ),
            (
                VS_IOC_SET_RLIMIT,
                VS_NR_SET_RLIMIT,
                std::mem::size_of::<vs_rlimit>(),
                1,
            ),
            (
                VS_IOC_GET_RLIMIT,
                VS_NR_GET_RLIMIT,
                std::mem::size_of::<vs_rlimit>(),
                3,
            ),
        ];
        for (cmd, nr, len, direction) in cases {
            assert_eq!(cmd & 0xff, nr, "{cmd:#x}");
            assert_eq!((cmd >> 8) & 0xff, VS_IOC_MAGIC, "{cmd:#x}");
            assert_eq!(size(cmd), len, "{cmd:#x}");
            assert_eq!(dir(cmd), direction, "{cmd:#x}");
        }
        assert_eq!(std::mem::size_of::<vs_limit_stat>(), 64);
    }

    #[test]
    fn abi_1_1_constants_match_the_header() {
        assert_eq!((VS_ABI_MAJOR, VS_ABI_MINOR), (1, 1));
        assert_eq!(CCAP_SET_UTSNAME, 1);
        assert_eq!(CCAP_RAW_ICMP, 2);
        assert_eq!(CCAPS_ALL, CCAP_SET_UTSNAME | CCAP_RAW_ICMP);
        assert_eq!(CCAPS_DEFAULT, 0);
        assert_eq!((LIMIT_NPROC, LIMIT_NOFILE, LIMIT_NSOCK), (0, 1, 2));
        assert_eq!(LIMIT_COUNT, 3);
        assert_eq!(LIMIT_INFINITY, u64::MAX);
        assert_eq!(RLIMIT_COUNT, 16);
    }

    #[test]
    fn network_ioctls_encode_their_argument_sizes_numbers_and_directions() {
        let dir = |cmd: u32| cmd >> 30;
        let size = |cmd: u32| ((cmd >> 16) & 0x3fff) as usize;
        let id = std::mem::size_of::<vs_context_id>();
        let addr = std::mem::size_of::<vs_net_addr>();
        let cases: [(u32, u32, usize, u32); 8] = [
            (
                VS_IOC_NET_CREATE,
                VS_NR_NET_CREATE,
                std::mem::size_of::<vs_net_create>(),
                3,
            ),
            (VS_IOC_NET_MIGRATE, VS_NR_NET_MIGRATE, id, 1),
            (VS_IOC_NET_ADD, VS_NR_NET_ADD, addr, 1),
            (VS_IOC_NET_REMOVE_ADDR, VS_NR_NET_REMOVE_ADDR, addr, 1),
            (
                VS_IOC_NET_GET_INFO,
                VS_NR_NET_GET_INFO,
                std::mem::size_of::<vs_net_info>(),
                3,
            ),
            (
                VS_IOC_NET_LIST,
                VS_NR_NET_LIST,
                std::mem::size_of::<vs_context_list>(),
                3,
            ),
            (VS_IOC_NET_REMOVE, VS_NR_NET_REMOVE, id, 1),
            (
                VS_IOC_NET_GET_NID,
                VS_NR_NET_GET_NID,
                std::mem::size_of::<vs_nid_query>(),
                3,
            ),
        ];
        for (cmd, nr, len, direction) in cases {
            assert_eq!(cmd & 0xff, nr, "{cmd:#x}");
            assert_eq!((cmd >> 8) & 0xff, VS_IOC_MAGIC, "{cmd:#x}");
            assert_eq!(size(cmd), len, "{cmd:#x}");
            assert_eq!(dir(cmd), direction, "{cmd:#x}");
        }
        assert_eq!(addr, 24);
        assert_eq!(std::mem::size_of::<vs_net_info>(), 32);
        assert_eq!(std::mem::size_of::<vs_net_create>(), 16);
        assert_eq!(std::mem::size_of::<vs_nid_query>(), 8);
    }

    #[test]
    fn network_constants_match_the_header() {
        assert_eq!((NF_PERSISTENT, NF_ALL), (1, 1));
        assert_eq!(NA_LOOPBACK, 1);
        assert_eq!(NET_MAX_ADDRS, 16);
        assert_eq!((NET_AF_INET, NET_AF_INET6), (2, 10));
        assert_eq!(std::mem::size_of_val(&vs_net_addr::default().addr), 16);
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
