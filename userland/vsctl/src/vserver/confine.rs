//! Confining the guest's init-to-be to the guest's root, in its own mount namespace.

use crate::error::CliError;
use crate::{mount, sys};

/// Makes `root` the root directory of this process, in a new private mount namespace:
///
/// 1. `unshare(CLONE_NEWNS)`, then every mount is made private (`MS_REC | MS_PRIVATE`
///    on `/`), so nothing below propagates to the host;
/// 2. `root` is bind-mounted onto itself (`pivot_root` needs a mount point) and becomes
///    the current directory;
/// 3. `pivot_root(".", ".")` then `umount2(".", MNT_DETACH)` (runc's idiom: the old root
///    is stacked on the new one and detached at once, no `put_old` directory needed),
///    then `chdir("/")`: the host's mounts are gone from the namespace.
///
/// When the host's root is the initramfs `rootfs`, which cannot be pivoted
/// (`pivot_root` fails with `EINVAL`), it falls back to `switch_root`'s idiom in the
/// same private namespace: `mount(".", "/", MS_MOVE)`, `chroot(".")`, `chdir("/")`.
/// The host's root then stays underneath, covered by the guest's; `..` at the guest's
/// root stays there.
pub fn enter_root(root: &str) -> Result<(), CliError> {
    sys::unshare(libc::CLONE_NEWNS)?;
    // A root whose propagation cannot change (not a mount point, inside a chroot) is
    // left as it is: pivot_root then fails and the fallback below applies.
    let _ = sys::make_mounts_private();
    mount::bind_self(root)?;
    mount::chdir(root)?;
    match mount::pivot_root_cwd() {
        Ok(()) => {
            mount::detach_cwd()?;
        }
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            mount::move_cwd_to_root()?;
            mount::chroot_cwd()?;
        }
        Err(e) => return Err(CliError::system(&format!("pivot_root to {root}"), &e)),
    }
    mount::chdir("/")
}
