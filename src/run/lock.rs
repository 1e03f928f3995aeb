//! A run folder belongs to one run at a time: a run holds an exclusive lock on `run.lock`
//! in its folder from before it reads or writes anything there until it exits, so a
//! second `--resume` of the same folder stops at once instead of replaying the same steps
//! against the same org beside the first and interleaving their journals and reports.
//!
//! flock(2) on an open file: the kernel drops it when the holder exits however it exits
//! (SIGKILL included), so a killed run never leaves a folder locked. The file itself stays
//! (empty but for the holder's process id): removing it would let a second run lock a new
//! file while a third still waits on the old one.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

pub const LOCK: &str = "run.lock";

/// The lock on a run folder, held until dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    pub path: PathBuf,
}

impl RunLock {
    /// Takes the folder's lock, or says who holds it. Never waits.
    pub fn acquire(dir: &Path) -> Result<RunLock, String> {
        let path = dir.join(LOCK);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            // The folder is a CI artifact others may write to: never lock through a symlink.
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|e| {
                format!(
                    "cannot open {} to lock the run folder: {e}; check that the folder is yours and writable",
                    path.display()
                )
            })?;
        use std::os::fd::AsRawFd;
        // SAFETY: flock(2) on a descriptor this function owns; no memory is touched.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::WouldBlock {
                return Err(format!(
                    "cannot lock {}: {e}; the run folder must be on a file system with flock(2) (not every network file system has it)",
                    path.display()
                ));
            }
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let by = if !holder.is_empty() && holder.bytes().all(|b| b.is_ascii_digit()) {
                format!(" (process {holder})")
            } else {
                String::new()
            };
            return Err(format!(
                "the run folder {} is in use by another setupwright run{by}\n  help: wait for that run to end, or stop it (it writes its reports and prints its resume command); two runs in one folder would repeat the same steps and mix their reports",
                dir.display()
            ));
        }
        // Who holds it, for the message a second run prints; best effort.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| write!(file, "{}", std::process::id()));
        Ok(RunLock { _file: file, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_folder_is_refused_until_its_lock_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        let second = RunLock::acquire(dir.path()).unwrap_err();
        assert!(
            second.contains("is in use by another setupwright run"),
            "{second}"
        );
        assert!(
            second.contains(&format!("(process {})", std::process::id())),
            "{second}"
        );
        drop(first);
        RunLock::acquire(dir.path()).unwrap();
    }
}
