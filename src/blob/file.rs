// SPDX-License-Identifier: GPL-2.0

//! Files and inodes as the hooks see them: the credentials a file was opened with, and
//! what tells the host's kernel tunables, block devices, `/dev/kmsg` and the cgroup file
//! systems (which hold every context's resource limits) among opened files.

use crate::blob::opaque;
use kernel::bindings;
use kernel::cred::Credential;
use kernel::types::Opaque;

/// The entries of the proc root that tune the host's kernel.
const PROC_TUNABLES: [&[u8]; 2] = [b"sys", b"sysrq-trigger"];

/// `/dev/kmsg` (`include/linux/major.h`: `MEM_MAJOR`, minor 11).
const KMSG_DEVICE: (u32, u32) = (bindings::MEM_MAJOR, 11);

/// The (major, minor) numbers of a kernel `dev_t`.
pub(crate) fn major_minor(dev: bindings::dev_t) -> (u32, u32) {
    (
        dev >> bindings::MINORBITS,
        dev & ((1 << bindings::MINORBITS) - 1),
    )
}

/// A `struct file` from its allocation to its release: its credentials are set.
///
/// # Invariants
///
/// The file is alive while borrowed, and its `f_cred` is set and held.
#[repr(transparent)]
pub(crate) struct File(Opaque<bindings::file>);

impl File {
    /// The file `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a file that stays alive for `'a`, whose `f_cred` is set.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::file) -> &'a Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: `File` is a transparent wrapper of `struct file`, alive for `'a` (caller's
        // guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The file whose owner `fown` is (`F_SETOWN`), borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `fown` must be the `f_owner` of a file that stays alive for `'a`.
    pub(crate) unsafe fn of_owner<'a>(fown: *const bindings::fown_struct) -> &'a Self {
        // SAFETY: `fown` belongs to a file alive for `'a`, which it points back to, and a
        // live file has its credentials (caller's guarantee).
        unsafe { Self::from_raw((*fown).file) }
    }

    /// The credentials the file was opened with; the file holds them until it is freed.
    pub(crate) fn cred(&self) -> &Credential {
        // SAFETY: `f_cred` is set and held while the file lives (type invariant).
        unsafe { Credential::from_ptr((*opaque::ptr(&self.0)).f_cred) }
    }
}

/// A file being opened: its path, dentry and inode are set, and the RCU read lock is held.
///
/// # Invariants
///
/// The file is alive while borrowed, its `f_inode` and `f_path` are valid, and the RCU read
/// lock is held for as long as the borrow lives, which keeps the file's dentry chain valid.
#[repr(transparent)]
pub(crate) struct OpenFile(Opaque<bindings::file>);

impl OpenFile {
    /// The file `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a file being opened that stays alive for `'a`, and the caller
    /// must hold the RCU read lock for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::file) -> &'a Self {
        // INVARIANT: As the caller guarantees.
        // SAFETY: `OpenFile` is a transparent wrapper of `struct file`, alive for `'a`
        // (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    fn is_write(&self) -> bool {
        // SAFETY: The file is valid (type invariant); `f_mode` is set before it is opened.
        let fmode = unsafe { (*opaque::ptr(&self.0)).f_mode };
        fmode & bindings::FMODE_WRITE != 0
    }

    /// The inode of the file.
    pub(crate) fn inode(&self) -> &Inode {
        // SAFETY: An opened file's inode is valid as long as the file (type invariant).
        unsafe { Inode::from_raw((*opaque::ptr(&self.0)).f_inode) }
    }

    /// Is the file a block device (the host's disks, however the node got there)?
    pub(crate) fn is_block_device(&self) -> bool {
        self.inode().format() == bindings::S_IFBLK
    }

    /// Is the file the kernel log device opened for writing (which injects lines into the
    /// host's kernel log)?
    pub(crate) fn is_kmsg_write(&self) -> bool {
        let inode = self.inode();
        self.is_write()
            && inode.format() == bindings::S_IFCHR
            && major_minor(inode.rdev()) == KMSG_DEVICE
    }

    /// Is the file being opened for writing on sysfs, or under `/proc/sys` or
    /// `/proc/sysrq-trigger`?
    pub(crate) fn is_host_tunable_write(&self) -> bool {
        // SAFETY: The file is valid (type invariant).
        let dentry = unsafe { (*opaque::ptr(&self.0)).__bindgen_anon_1.f_path.dentry };
        if !self.is_write() || dentry.is_null() {
            return false;
        }
        // SAFETY: An opened file's dentry and its superblock are valid.
        let magic = u64::try_from(unsafe { (*(*dentry).d_sb).s_magic }).unwrap_or(0);
        if magic == u64::from(bindings::SYSFS_MAGIC) {
            return true;
        }
        if magic != u64::from(bindings::PROC_SUPER_MAGIC) {
            return false;
        }
        // SAFETY: The dentry chain is valid under the RCU read lock we hold (type
        // invariant), and the names of the proc root's entries are never renamed.
        let top = unsafe { top_level_name(dentry) };
        top.is_some_and(|name| PROC_TUNABLES.contains(&name))
    }
}

/// The name of the ancestor of `dentry` (or `dentry` itself) that sits right below the
/// root of its filesystem, or `None` for the root itself.
///
/// # Safety
///
/// `dentry` and its ancestors must stay valid for the duration of the call, and names of
/// the proc root's entries stay put (they are never renamed).
unsafe fn top_level_name<'a>(mut dentry: *const bindings::dentry) -> Option<&'a [u8]> {
    loop {
        // SAFETY: Valid by the caller's guarantee.
        let parent = unsafe { (*dentry).d_parent }.cast_const();
        if parent == dentry {
            return None;
        }
        // SAFETY: As above.
        let grandparent = unsafe { (*parent).d_parent }.cast_const();
        if grandparent == parent {
            // SAFETY: `d_name` of a valid dentry points to `len` bytes.
            return Some(unsafe {
                let name = &(*dentry).__bindgen_anon_1.d_name;
                let len = name.__bindgen_anon_1.__bindgen_anon_1.len as usize;
                core::slice::from_raw_parts(name.name, len)
            });
        }
        dentry = parent;
    }
}

/// An inode, borrowed from whoever keeps it alive (the hook's caller, an open file).
///
/// # Invariants
///
/// The inode and its superblock are valid while borrowed.
#[repr(transparent)]
pub(crate) struct Inode(Opaque<bindings::inode>);

impl Inode {
    /// The inode `ptr` points to, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to an inode that stays valid for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::inode) -> &'a Self {
        // INVARIANT: A valid inode has a valid superblock.
        // SAFETY: `Inode` is a transparent wrapper of `struct inode`, valid for `'a`
        // (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The inode of the open file `file`, for as long as `file` is borrowed.
    pub(crate) fn of_file(file: &kernel::fs::LocalFile) -> &Self {
        // SAFETY: The file is open (we borrow a reference to it), so its inode is valid as
        // long as it is.
        unsafe { Self::from_raw((*file.as_ptr()).f_inode) }
    }

    fn mode(&self) -> u32 {
        // SAFETY: The inode is valid (type invariant); the format bits of `i_mode` never
        // change.
        u32::from(unsafe { (*opaque::ptr(&self.0)).i_mode })
    }

    /// The file format (`S_IFMT` bits of the mode).
    pub(crate) fn format(&self) -> u32 {
        self.mode() & bindings::S_IFMT
    }

    /// The device number of a device node.
    pub(crate) fn rdev(&self) -> bindings::dev_t {
        // SAFETY: The inode is valid (type invariant).
        unsafe { (*opaque::ptr(&self.0)).i_rdev }
    }

    /// The key of the inode if it is a directory: (device, inode number).
    pub(crate) fn directory_key(&self) -> Option<(u32, u64)> {
        if self.format() != bindings::S_IFDIR {
            return None;
        }
        // SAFETY: The inode and its superblock are valid (type invariant).
        let (ino, dev) = unsafe {
            (
                (*opaque::ptr(&self.0)).i_ino,
                (*(*opaque::ptr(&self.0)).i_sb).s_dev,
            )
        };
        Some((dev, ino))
    }

    /// Is the inode on a cgroup file system (v1 or v2), where the limits of every context
    /// live?
    pub(crate) fn is_cgroup_fs(&self) -> bool {
        // SAFETY: A valid inode's superblock is valid (type invariant).
        let magic = u64::try_from(unsafe { (*(*opaque::ptr(&self.0)).i_sb).s_magic }).unwrap_or(0);
        magic == u64::from(bindings::CGROUP2_SUPER_MAGIC)
            || magic == u64::from(bindings::CGROUP_SUPER_MAGIC)
    }
}
