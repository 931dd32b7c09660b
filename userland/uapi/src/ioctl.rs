//! Typed ioctl requests: each `VS_IOC_*` number tied to the structure it carries.
//!
//! The ioctl system call takes an untyped pointer, so calling it directly is `unsafe`
//! at every call site: nothing stops a caller from passing the wrong structure. Here
//! each number becomes a [`Request<T>`] constant whose size field (`_IOC_SIZE`) is
//! checked against `size_of::<T>()` when the constant is evaluated, that is at compile
//! time: a header change that breaks the pairing stops the build. With the pairing
//! fixed once, [`crate::Device::call`] is safe.
//!
//! Three structures carry a user pointer to an array the kernel fills
//! (`vs_context_list`, `vs_limit_stats`, `vs_net_info`), all with the header's list
//! convention (room in `count`; `total` out; `E2BIG` when it does not fit). Their
//! requests are [`BufferRequest`]s: [`crate::Device::call_with_buffer`] points them at
//! a slice it is given, with the slice's own length, so no caller writes a raw address.

use crate::generated::*;
use std::marker::PhantomData;

/// `_IOC_SIZE(cmd)`: the argument size an ioctl number encodes (the generic layout
/// of `asm-generic/ioctl.h`, used by x86 and arm: dir 2 bits, size 14, type 8, nr 8).
pub const fn ioc_size(cmd: u32) -> usize {
    ((cmd >> 16) & 0x3fff) as usize
}

/// An ioctl number whose argument is a `T`.
pub struct Request<T> {
    cmd: u32,
    _arg: PhantomData<fn(&mut T)>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Request<T> {}

impl<T> Request<T> {
    /// Ties `cmd` to `T`; panics (at compile time, in a constant) when the size `cmd`
    /// encodes is not `size_of::<T>()`.
    ///
    /// # Safety
    ///
    /// The header must declare `cmd` with `struct T`, and `T` must be plain data (any
    /// bit pattern valid, no pointer the kernel follows), so that the kernel reading
    /// and writing one `T` through the argument is all the call does to memory.
    const unsafe fn new(cmd: u32) -> Self {
        assert!(
            ioc_size(cmd) == std::mem::size_of::<T>(),
            "ioctl number encodes another argument size"
        );
        Self {
            cmd,
            _arg: PhantomData,
        }
    }

    /// The ioctl number.
    pub const fn cmd(self) -> u32 {
        self.cmd
    }
}

/// A structure that points the kernel at an array of `Item`s (`count` entries).
///
/// # Safety
///
/// [`Buffered::attach`] must store exactly the address and (at most) the length of
/// the slice it is given, in the fields the kernel reads them from.
pub unsafe trait Buffered {
    type Item;
    /// Points the structure at `buf`.
    fn attach(&mut self, buf: &mut [Self::Item]);
    /// `count` after the call: how many entries the kernel wrote.
    fn written(&self) -> u32;
    /// `total` after the call: how many entries there are.
    fn total(&self) -> u32;
}

/// The length of `buf` as the 32-bit count of the ABI (a longer slice is offered
/// only in part, which is still within it).
fn count<T>(buf: &[T]) -> u32 {
    u32::try_from(buf.len()).unwrap_or(u32::MAX)
}

// SAFETY: `xids` and `count` are the address and length the kernel writes ids to.
unsafe impl Buffered for vs_context_list {
    type Item = u32;
    fn attach(&mut self, buf: &mut [u32]) {
        self.count = count(buf);
        self.xids = buf.as_mut_ptr() as u64;
    }
    fn written(&self) -> u32 {
        self.count
    }
    fn total(&self) -> u32 {
        self.total
    }
}

// SAFETY: `stats` and `count` are the address and length the kernel writes to.
unsafe impl Buffered for vs_limit_stats {
    type Item = vs_limit_stat;
    fn attach(&mut self, buf: &mut [vs_limit_stat]) {
        self.count = count(buf);
        self.stats = buf.as_mut_ptr() as u64;
    }
    fn written(&self) -> u32 {
        self.count
    }
    fn total(&self) -> u32 {
        self.total
    }
}

// SAFETY: `addrs` and `count` are the address and length the kernel writes to.
unsafe impl Buffered for vs_net_info {
    type Item = vs_net_addr;
    fn attach(&mut self, buf: &mut [vs_net_addr]) {
        self.count = count(buf);
        self.addrs = buf.as_mut_ptr() as u64;
    }
    fn written(&self) -> u32 {
        self.count
    }
    fn total(&self) -> u32 {
        self.total
    }
}

/// An ioctl number whose argument is a `T` that points at an array (see [`Buffered`]).
pub struct BufferRequest<T>(Request<T>);

impl<T> Clone for BufferRequest<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for BufferRequest<T> {}

impl<T: Buffered> BufferRequest<T> {
    /// As [`Request::new`], for a structure with an array pointer.
    ///
    /// # Safety
    ///
    /// As [`Request::new`], except for the array pointer: the kernel writes at most
    /// `count` `T::Item`s through it, and nothing else.
    const unsafe fn new(cmd: u32) -> Self {
        // SAFETY: the caller's guarantee, but for the pointer [`Buffered`] describes.
        Self(unsafe { Request::new(cmd) })
    }

    /// The ioctl number.
    pub const fn cmd(self) -> u32 {
        self.0.cmd
    }
}

/// Declares each request with the structure the header gives it.
macro_rules! requests {
    ($($(#[$doc:meta])* $kind:ident $name:ident: $cmd:ident, $arg:ty;)*) => {$(
        $(#[$doc])*
        // SAFETY: the header declares the number with this plain structure (see the
        // `_IO*` lines of include/uapi/linux/vserver.h); the size is checked here.
        pub const $name: $kind<$arg> = unsafe { $kind::new($cmd) };
    )*};
}

requests! {
    /// `VS_IOC_GET_VERSION`.
    Request GET_VERSION: VS_IOC_GET_VERSION, vs_version;
    /// `VS_IOC_GET_XID`.
    Request GET_XID: VS_IOC_GET_XID, vs_xid_query;
    /// `VS_IOC_CREATE`.
    Request CREATE: VS_IOC_CREATE, vs_context_create;
    /// `VS_IOC_MIGRATE`.
    Request MIGRATE: VS_IOC_MIGRATE, vs_context_id;
    /// `VS_IOC_END_SETUP`.
    Request END_SETUP: VS_IOC_END_SETUP, vs_context_id;
    /// `VS_IOC_GET_INFO`.
    Request GET_INFO: VS_IOC_GET_INFO, vs_context_info;
    /// `VS_IOC_LIST`.
    BufferRequest LIST: VS_IOC_LIST, vs_context_list;
    /// `VS_IOC_SET_FLAGS`.
    Request SET_FLAGS: VS_IOC_SET_FLAGS, vs_context_flags;
    /// `VS_IOC_REMOVE`.
    Request REMOVE: VS_IOC_REMOVE, vs_context_id;
    /// `VS_IOC_KILL`.
    Request KILL: VS_IOC_KILL, vs_context_kill;
    /// `VS_IOC_WAIT`.
    Request WAIT: VS_IOC_WAIT, vs_context_wait;
    /// `VS_IOC_SET_BCAPS`.
    Request SET_BCAPS: VS_IOC_SET_BCAPS, vs_context_caps;
    /// `VS_IOC_BARRIER`.
    Request BARRIER: VS_IOC_BARRIER, vs_barrier;
    /// `VS_IOC_GET_CAPS`.
    Request GET_CAPS: VS_IOC_GET_CAPS, vs_context_capsets;
    /// `VS_IOC_SET_CCAPS`.
    Request SET_CCAPS: VS_IOC_SET_CCAPS, vs_context_ccaps;
    /// `VS_IOC_SET_LIMIT`.
    Request SET_LIMIT: VS_IOC_SET_LIMIT, vs_limit;
    /// `VS_IOC_GET_LIMITS`.
    BufferRequest GET_LIMITS: VS_IOC_GET_LIMITS, vs_limit_stats;
    /// `VS_IOC_RESET_LIMITS`.
    Request RESET_LIMITS: VS_IOC_RESET_LIMITS, vs_context_id;
    /// `VS_IOC_SET_RLIMIT`.
    Request SET_RLIMIT: VS_IOC_SET_RLIMIT, vs_rlimit;
    /// `VS_IOC_GET_RLIMIT`.
    Request GET_RLIMIT: VS_IOC_GET_RLIMIT, vs_rlimit;
    /// `VS_IOC_NET_CREATE`.
    Request NET_CREATE: VS_IOC_NET_CREATE, vs_net_create;
    /// `VS_IOC_NET_MIGRATE`.
    Request NET_MIGRATE: VS_IOC_NET_MIGRATE, vs_context_id;
    /// `VS_IOC_NET_ADD`.
    Request NET_ADD: VS_IOC_NET_ADD, vs_net_addr;
    /// `VS_IOC_NET_REMOVE_ADDR`.
    Request NET_REMOVE_ADDR: VS_IOC_NET_REMOVE_ADDR, vs_net_addr;
    /// `VS_IOC_NET_GET_INFO`.
    BufferRequest NET_GET_INFO: VS_IOC_NET_GET_INFO, vs_net_info;
    /// `VS_IOC_NET_LIST`.
    BufferRequest NET_LIST: VS_IOC_NET_LIST, vs_context_list;
    /// `VS_IOC_NET_REMOVE`.
    Request NET_REMOVE: VS_IOC_NET_REMOVE, vs_context_id;
    /// `VS_IOC_NET_GET_NID`.
    Request NET_GET_NID: VS_IOC_NET_GET_NID, vs_nid_query;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_keep_their_numbers() {
        assert_eq!(GET_VERSION.cmd(), VS_IOC_GET_VERSION);
        assert_eq!(NET_GET_NID.cmd(), VS_IOC_NET_GET_NID);
        assert_eq!(LIST.cmd(), VS_IOC_LIST);
        assert_eq!(
            ioc_size(GET_INFO.cmd()),
            std::mem::size_of::<vs_context_info>()
        );
    }

    #[test]
    fn attach_points_at_the_whole_slice() {
        let mut buf = [0u32; 7];
        let mut l = vs_context_list::default();
        l.attach(&mut buf);
        assert_eq!(l.count, 7);
        assert_eq!(l.xids, buf.as_ptr() as u64);
        let mut none: [vs_net_addr; 0] = [];
        let mut info = vs_net_info::default();
        info.attach(&mut none);
        assert_eq!(info.count, 0);
    }
}
