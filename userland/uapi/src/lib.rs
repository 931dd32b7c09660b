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

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::{AsRawFd, RawFd};

/// `VS_CF_PERSISTENT` as the 64-bit flag word the structures carry.
pub const CF_PERSISTENT: u64 = VS_CF_PERSISTENT as u64;
/// `VS_CF_PROLIFIC` as the 64-bit flag word the structures carry.
pub const CF_PROLIFIC: u64 = VS_CF_PROLIFIC as u64;
/// `VS_BCAPS_DEFAULT` as a 64-bit capability mask.
#[allow(clippy::unnecessary_cast)]
pub const BCAPS_DEFAULT: u64 = VS_BCAPS_DEFAULT as u64;
/// `VS_CCAP_SET_UTSNAME` as a 64-bit context capability mask.
pub const CCAP_SET_UTSNAME: u64 = VS_CCAP_SET_UTSNAME as u64;
/// `VS_CCAP_RAW_ICMP` as a 64-bit context capability mask.
pub const CCAP_RAW_ICMP: u64 = VS_CCAP_RAW_ICMP as u64;
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
/// `VS_NA_LOOPBACK`, a flag of `struct vs_net_addr`.
pub const NA_LOOPBACK: u32 = VS_NA_LOOPBACK;
/// `VS_NET_MAX_ADDRS`: the most addresses of one family in a network context.
pub const NET_MAX_ADDRS: usize = VS_NET_MAX_ADDRS as usize;
/// `AF_INET` as `struct vs_net_addr.family` carries it.
pub const NET_AF_INET: u32 = libc::AF_INET as u32;
/// `AF_INET6` as `struct vs_net_addr.family` carries it.
pub const NET_AF_INET6: u32 = libc::AF_INET6 as u32;

/// How many times a list ioctl is retried when entries appear faster than it reads.
const LIST_RETRIES: usize = 16;
/// No list is longer than the number of ids.
const LIST_MAX: usize = 65536;

/// An ABI version, as `VS_IOC_GET_VERSION` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abi {
    pub major: u32,
    pub minor: u32,
}

impl Abi {
    /// The ABI this program was built for (the header's `VS_ABI_MAJOR.VS_ABI_MINOR`).
    pub const BUILT: Abi = Abi {
        major: VS_ABI_MAJOR,
        minor: VS_ABI_MINOR,
    };

    /// Whether a program built for `self` works with a module speaking `module`: the
    /// same major version, and a minor one no lower, as a new minor version only adds
    /// (the header's "DOC: ABI version").
    pub fn accepts(self, module: Abi) -> bool {
        module.major == self.major && module.minor >= self.minor
    }
}

impl fmt::Display for Abi {
    /// `MAJOR.MINOR`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Why [`Device::open`] failed.
#[derive(Debug)]
pub enum OpenError {
    /// The device could not be opened (no module loaded, not root, ...).
    Device(io::Error),
    /// `VS_IOC_GET_VERSION` failed: the file is not the vserver device.
    Version(io::Error),
    /// The module speaks an ABI this program does not work with (see [`Abi::accepts`]).
    Abi(Abi),
}

/// The control device path, as the header names it.
pub fn device_path() -> &'static str {
    // The generated constant is a NUL-terminated byte string.
    let bytes = &VS_DEVICE_PATH[..VS_DEVICE_PATH.len() - 1];
    std::str::from_utf8(bytes).unwrap_or("/dev/vserver")
}

/// An open `/dev/vserver` whose module speaks an ABI this program works with.
pub struct Device {
    file: File,
    abi: Abi,
}

impl Device {
    /// Opens the control device and checks, once, that the module's ABI fits the one
    /// this program was built for: every other ioctl's layout depends on it, while
    /// `VS_IOC_GET_VERSION` is the same in every ABI.
    pub fn open() -> Result<Self, OpenError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(device_path())
            .map_err(OpenError::Device)?;
        let mut dev = Self {
            file,
            abi: Abi::BUILT,
        };
        let mut v = vs_version::default();
        dev.call(ioctl::GET_VERSION, &mut v)
            .map_err(OpenError::Version)?;
        dev.abi = Abi {
            major: v.major,
            minor: v.minor,
        };
        if Abi::BUILT.accepts(dev.abi) {
            Ok(dev)
        } else {
            Err(OpenError::Abi(dev.abi))
        }
    }

    /// The ABI the module speaks, as it said when the device was opened.
    pub fn abi(&self) -> Abi {
        self.abi
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

    /// Issues the list request `req` with `arg` (the `count`/`total` convention of the
    /// header): first with room for `room` entries, then, on `E2BIG`, with room for the
    /// `total` the module reports plus `slack` (for entries that may appear before the
    /// next try). Returns the answer and exactly the entries the module wrote.
    fn list_of<T>(
        &self,
        req: BufferRequest<T>,
        arg: T,
        mut room: usize,
        slack: usize,
    ) -> io::Result<(T, Vec<T::Item>)>
    where
        T: Buffered + Copy,
        T::Item: Default + Clone,
    {
        let mut last = io::Error::from_raw_os_error(libc::E2BIG);
        for _ in 0..LIST_RETRIES {
            let mut items = vec![T::Item::default(); room];
            let mut answer = arg;
            match self.call_with_buffer(req, &mut answer, &mut items) {
                Ok(_) => {
                    // The module writes no more than the room it was given.
                    items.truncate((answer.written() as usize).min(room));
                    return Ok((answer, items));
                }
                Err(e) if e.raw_os_error() == Some(libc::E2BIG) => {
                    room = (answer.total() as usize)
                        .saturating_add(slack)
                        .max(room + 1)
                        .min(LIST_MAX);
                    last = e;
                }
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// `VS_IOC_GET_XID`: the context of `pid` (0: the caller).
    pub fn xid_of(&self, pid: i32) -> io::Result<u32> {
        let mut q = vs_xid_query {
            pid,
            xid: 0,
            reserved: 0,
        };
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
        let (_, ids) = self.list_of(req, vs_context_list::default(), 64, 8)?;
        Ok(ids)
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
            flags: 0,
        };
        self.call(ioctl::SET_LIMIT, &mut l)?;
        Ok(())
    }

    /// `VS_IOC_GET_LIMITS`: every counter of `xid` ([`VS_XID_SELF`]: the caller's
    /// context), indexed by `VS_LIMIT_*`; as many as the module has (a newer minor
    /// version may have more than [`LIMIT_COUNT`]).
    pub fn get_limits(&self, xid: u32) -> io::Result<Vec<vs_limit_stat>> {
        let arg = vs_limit_stats {
            xid,
            ..Default::default()
        };
        let (_, stats) = self.list_of(ioctl::GET_LIMITS, arg, LIMIT_COUNT, 0)?;
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
            flags: 0,
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
            flags: 0,
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
        let mut k = vs_context_kill { xid, sig, flags: 0 };
        self.call(ioctl::KILL, &mut k)?;
        Ok(())
    }

    /// `VS_IOC_WAIT`: blocks until every task of `xid` has ended; returns the `VS_END_*`
    /// reason. Retries when a signal interrupts the wait.
    pub fn wait(&self, xid: u32) -> io::Result<u32> {
        loop {
            let mut w = vs_context_wait {
                xid,
                reason: 0,
                flags: 0,
            };
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
        let arg = vs_net_info {
            nid,
            ..Default::default()
        };
        // Both families full, and a loopback address each.
        let room = 2 * NET_MAX_ADDRS + 2;
        let (mut info, addrs) = self.list_of(ioctl::NET_GET_INFO, arg, room, 0)?;
        info.addrs = 0;
        Ok((info, addrs))
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
        let mut q = vs_nid_query {
            pid,
            nid: 0,
            reserved: 0,
        };
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
    use std::mem::size_of;

    /// `_IOC` directions: write (user to kernel), read, both.
    const W: u32 = 1;
    const R: u32 = 2;
    const RW: u32 = 3;

    /// Every ioctl of the header: its name, number, command number, argument size and
    /// direction.
    macro_rules! ioctls {
        ($($cmd:ident $nr:ident $arg:ty, $dir:expr;)*) => {
            [$((stringify!($cmd), $cmd, $nr, size_of::<$arg>(), $dir)),*]
        };
    }

    fn table() -> Vec<(&'static str, u32, u32, usize, u32)> {
        ioctls! {
            VS_IOC_GET_VERSION VS_NR_GET_VERSION vs_version, R;
            VS_IOC_GET_XID VS_NR_GET_XID vs_xid_query, RW;
            VS_IOC_CREATE VS_NR_CREATE vs_context_create, RW;
            VS_IOC_MIGRATE VS_NR_MIGRATE vs_context_id, W;
            VS_IOC_END_SETUP VS_NR_END_SETUP vs_context_id, W;
            VS_IOC_GET_INFO VS_NR_GET_INFO vs_context_info, RW;
            VS_IOC_LIST VS_NR_LIST vs_context_list, RW;
            VS_IOC_SET_FLAGS VS_NR_SET_FLAGS vs_context_flags, W;
            VS_IOC_REMOVE VS_NR_REMOVE vs_context_id, W;
            VS_IOC_KILL VS_NR_KILL vs_context_kill, W;
            VS_IOC_WAIT VS_NR_WAIT vs_context_wait, RW;
            VS_IOC_SET_BCAPS VS_NR_SET_BCAPS vs_context_caps, W;
            VS_IOC_BARRIER VS_NR_BARRIER vs_barrier, RW;
            VS_IOC_GET_CAPS VS_NR_GET_CAPS vs_context_capsets, RW;
            VS_IOC_SET_CCAPS VS_NR_SET_CCAPS vs_context_ccaps, W;
            VS_IOC_SET_LIMIT VS_NR_SET_LIMIT vs_limit, W;
            VS_IOC_GET_LIMITS VS_NR_GET_LIMITS vs_limit_stats, RW;
            VS_IOC_RESET_LIMITS VS_NR_RESET_LIMITS vs_context_id, W;
            VS_IOC_SET_RLIMIT VS_NR_SET_RLIMIT vs_rlimit, W;
            VS_IOC_GET_RLIMIT VS_NR_GET_RLIMIT vs_rlimit, RW;
            VS_IOC_NET_CREATE VS_NR_NET_CREATE vs_net_create, RW;
            VS_IOC_NET_MIGRATE VS_NR_NET_MIGRATE vs_context_id, W;
            VS_IOC_NET_ADD VS_NR_NET_ADD vs_net_addr, W;
            VS_IOC_NET_REMOVE_ADDR VS_NR_NET_REMOVE_ADDR vs_net_addr, W;
            VS_IOC_NET_GET_INFO VS_NR_NET_GET_INFO vs_net_info, RW;
            VS_IOC_NET_LIST VS_NR_NET_LIST vs_context_list, RW;
            VS_IOC_NET_REMOVE VS_NR_NET_REMOVE vs_context_id, W;
            VS_IOC_NET_GET_NID VS_NR_NET_GET_NID vs_nid_query, RW;
        }
        .to_vec()
    }

    #[test]
    fn every_ioctl_encodes_its_number_argument_size_and_direction() {
        // _IOC layout: dir(2) size(14) type(8) nr(8).
        for (name, cmd, nr, len, dir) in table() {
            assert_eq!(cmd & 0xff, nr, "{name}");
            assert_eq!((cmd >> 8) & 0xff, VS_IOC_MAGIC, "{name}");
            assert_eq!(ioctl::ioc_size(cmd), len, "{name}");
            assert_eq!(cmd >> 30, dir, "{name}");
            // The header's convention: no tail padding that differs between 32 and 64 bits.
            assert_eq!(len % 8, 0, "{name}");
        }
    }

    #[test]
    fn the_table_has_every_ioctl_of_the_header() {
        let header = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../include/uapi/linux/vserver.h"
        ));
        let mut declared: Vec<&str> = header
            .lines()
            .filter_map(|l| l.strip_prefix("#define "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| name.starts_with("VS_IOC_") && *name != "VS_IOC_MAGIC")
            .collect();
        let mut tested: Vec<&str> = table().iter().map(|t| t.0).collect();
        declared.sort_unstable();
        tested.sort_unstable();
        assert_eq!(tested, declared);
    }

    #[test]
    fn abi_2_0_structures_have_their_sizes() {
        assert_eq!(size_of::<vs_version>(), 16);
        assert_eq!(size_of::<vs_xid_query>(), 16);
        assert_eq!(size_of::<vs_nid_query>(), 16);
        assert_eq!(size_of::<vs_context_kill>(), 16);
        assert_eq!(size_of::<vs_context_wait>(), 16);
        assert_eq!(size_of::<vs_context_list>(), 24);
        assert_eq!(size_of::<vs_limit>(), 32);
        assert_eq!(size_of::<vs_rlimit>(), 24);
        assert_eq!(size_of::<vs_limit_stats>(), 24);
        assert_eq!(size_of::<vs_limit_stat>(), 64);
        assert_eq!(size_of::<vs_net_addr>(), 32);
        assert_eq!(size_of::<vs_net_info>(), 40);
        assert_eq!(size_of::<vs_net_create>(), 16);
        assert_eq!(size_of_val(&vs_net_addr::default().addr), 16);
    }

    #[test]
    fn constants_match_the_header() {
        assert_eq!(Abi::BUILT, Abi { major: 2, minor: 0 });
        assert_eq!(CF_PERSISTENT, 1);
        assert_eq!(CF_PROLIFIC, 2);
        assert_eq!(CCAP_SET_UTSNAME, 1);
        assert_eq!(CCAP_RAW_ICMP, 2);
        assert_eq!(CCAPS_DEFAULT, 0);
        assert_eq!((LIMIT_NPROC, LIMIT_NOFILE, LIMIT_NSOCK), (0, 1, 2));
        assert_eq!(LIMIT_COUNT, 3);
        assert_eq!(LIMIT_INFINITY, u64::MAX);
        assert_eq!(RLIMIT_COUNT, 16);
        assert_eq!(NF_PERSISTENT, 1);
        assert_eq!(NA_LOOPBACK, 1);
        assert_eq!(NET_MAX_ADDRS, 16);
        assert_eq!((NET_AF_INET, NET_AF_INET6), (2, 10));
    }

    #[test]
    fn a_program_works_with_its_major_version_and_any_later_minor_one() {
        let abi = |major, minor| Abi { major, minor };
        let built = abi(2, 1);
        assert!(built.accepts(abi(2, 1)));
        assert!(built.accepts(abi(2, 7)));
        assert!(!built.accepts(abi(2, 0)));
        assert!(!built.accepts(abi(1, 1)));
        assert!(!built.accepts(abi(3, 1)));
        assert!(Abi::BUILT.accepts(Abi::BUILT));
        assert_eq!(abi(1, 12).to_string(), "1.12");
    }

    #[test]
    fn device_path_matches_header() {
        assert_eq!(device_path(), "/dev/vserver");
    }
}
