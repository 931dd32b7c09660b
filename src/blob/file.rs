// SPDX-License-Identifier: GPL-2.0

//! Recognising the host's kernel tunables among opened files, and the cgroup file
//! systems that hold every context's resource limits.

use kernel::bindings;

/// `FMODE_WRITE` (`include/linux/fs.h`), whose `__force` cast bindgen cannot evaluate.
const FMODE_WRITE: u32 = 1 << 1;

/// The entries of the proc root that tune the host's kernel.
const PROC_TUNABLES: [&[u8]; 2] = [b"sys", b"sysrq-trigger"];

/// Is `file` a block device (the host's disks, however the node got there)?
///
/// # Safety
///
/// `file` must be a file being opened: its inode is valid.
pub(crate) unsafe fn is_block_device(file: *const bindings::file) -> bool {
    // SAFETY: An opened file's inode is valid (caller's guarantee).
    let mode = unsafe { (*(*file).f_inode).i_mode };
    u32::from(mode) & bindings::S_IFMT == bindings::S_IFBLK
}

/// `/dev/kmsg` (`include/linux/major.h`: `MEM_MAJOR`, minor 11).
const KMSG_DEVICE: (u32, u32) = (1, 11);

/// `MINORBITS` (`include/linux/kdev_t.h`): the split of a kernel `dev_t`.
pub(crate) const MINOR_BITS: u32 = 20;

/// Is `file` the kernel log device opened for writing (which injects lines into the host's
/// kernel log)?
///
/// # Safety
///
/// `file` must be a file being opened: its inode is valid.
pub(crate) unsafe fn is_kmsg_write(file: *const bindings::file) -> bool {
    // SAFETY: An opened file's inode is valid (caller's guarantee).
    let (fmode, mode, rdev) = unsafe {
        (
            (*file).f_mode,
            (*(*file).f_inode).i_mode,
            (*(*file).f_inode).i_rdev,
        )
    };
    fmode & FMODE_WRITE != 0
        && u32::from(mode) & bindings::S_IFMT == bindings::S_IFCHR
        && (rdev >> MINOR_BITS, rdev & ((1 << MINOR_BITS) - 1)) == KMSG_DEVICE
}

/// Is `inode` on a cgroup file system (v1 or v2), where the limits of every context live?
///
/// # Safety
///
/// `inode` must be valid: its superblock is.
pub(crate) unsafe fn is_cgroup_fs(inode: *const bindings::inode) -> bool {
    // SAFETY: A valid inode's superblock is valid (caller's guarantee).
    let magic = u64::try_from(unsafe { (*(*inode).i_sb).s_magic }).unwrap_or(0);
    magic == u64::from(bindings::CGROUP2_SUPER_MAGIC)
        || magic == u64::from(bindings::CGROUP_SUPER_MAGIC)
}

/// Is `file` being opened for writing on sysfs, or under `/proc/sys` or
/// `/proc/sysrq-trigger`?
///
/// # Safety
///
/// `file` must be a file being opened: its path and superblock are valid. The caller holds
/// the RCU read lock (the shim does), which keeps the dentry chain valid while we walk it.
pub(crate) unsafe fn is_host_tunable_write(file: *const bindings::file) -> bool {
    // SAFETY: `file` is valid (caller's guarantee).
    let (mode, dentry) = unsafe { ((*file).f_mode, (*file).__bindgen_anon_1.f_path.dentry) };
    if mode & FMODE_WRITE == 0 || dentry.is_null() {
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
    // SAFETY: The dentry chain is valid under RCU (caller's guarantee).
    let top = unsafe { top_level_name(dentry) };
    top.is_some_and(|name| PROC_TUNABLES.contains(&name))
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
