//! The profile of a Chromium that runs on this machine: a folder only its user can read
//! (0700), removed however the run ends. Chromium keeps cookies there (the org session,
//! a frontdoor URL in its history) and `DevToolsActivePort`, which names a debugging port
//! anyone on the machine could connect to.
//!
//! A run that ends normally removes it when the browser is dropped. One that is killed
//! (SIGKILL, the OOM killer) runs no destructor, so a janitor removes it: a small shell in
//! a process group of its own (the keeper's `kill 0` does not reach it), whose stdin is a
//! pipe only setupwright writes to. When that pipe reaches end of file, setupwright has
//! ended or dropped the profile; the janitor waits for chromedriver's process group to be
//! gone (nothing then writes into the folder) and removes it.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

/// `$1` the profile, `$2` chromedriver's process group. It waits at most about 10 s for
/// the group (a group id reused by then is not waited on longer).
const JANITOR: &str = r#"read -r _
i=0
while [ "$i" -lt 200 ] && kill -0 -"$2" 2>/dev/null; do
  sleep 0.05
  i=$((i + 1))
done
rm -rf -- "$1"
"#;

pub struct Profile {
    dir: tempfile::TempDir,
    janitor: Option<(Child, ChildStdin)>,
}

impl Profile {
    /// A new private folder under the temporary folder (`TMPDIR`).
    pub fn create() -> std::io::Result<Profile> {
        Profile::private("setupwright-profile-")
    }

    /// Chromium's configuration home (`CHROME_CONFIG_HOME`) for every browser of one
    /// chromedriver. Chromium writes its crash reports there, not in the profile: left
    /// as it is, a renderer that crashes leaves a minidump (a piece of the page's memory)
    /// in `~/.config/chromium/Crash Reports` for good.
    pub fn config_home() -> std::io::Result<Profile> {
        Profile::private("setupwright-config-")
    }

    fn private(prefix: &str) -> std::io::Result<Profile> {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()?;
        Ok(Profile { dir, janitor: None })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Has the folder removed once setupwright ends, however it ends, after the process
    /// group `group` (chromedriver and its Chromium) is gone. Without a janitor (no
    /// /bin/sh) the folder is still removed on every exit that runs destructors.
    pub fn guard_after(&mut self, group: u32) {
        let spawned = Command::new("/bin/sh")
            .arg("-c")
            .arg(JANITOR)
            .arg("setupwright-janitor")
            .arg(self.dir.path())
            .arg(group.to_string())
            // Its own group: neither the keeper's `kill 0` nor a Ctrl-C at the terminal
            // (sent to setupwright's group) ends it before its work.
            .process_group(0)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                if let Some(pipe) = child.stdin.take() {
                    self.janitor = Some((child, pipe));
                }
            }
            Err(e) => tracing::warn!(
                "cannot start the janitor of the browser profile {}: {e}; it is removed at exit, but not after a crash",
                self.dir.path().display()
            ),
        }
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        // The folder itself goes with `dir` (after this); the janitor's pipe closes here,
        // and it ends once the group is gone, its rm finding nothing left to remove.
        if let Some((mut child, pipe)) = self.janitor.take() {
            drop(pipe);
            // Reaped if it is done already; otherwise init reaps it after setupwright.
            let _ = child.try_wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_private_and_the_janitor_removes_it_after_the_group() {
        let mut p = Profile::create().unwrap();
        let mode = std::fs::metadata(p.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        // A stand-in for chromedriver's group: a sleeping process in a group of its own.
        let mut group = Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        p.guard_after(group.id());
        let dir = p.path().to_path_buf();
        std::fs::write(dir.join("Cookies"), "session").unwrap();
        // Setupwright "dies" without running the folder's destructor: the pipe closes.
        let (janitor, pipe) = p.janitor.take().unwrap();
        std::mem::forget(p);
        drop(pipe);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(dir.exists(), "kept while the group runs");
        group.kill().unwrap();
        group.wait().unwrap();
        let out = janitor.wait_with_output().unwrap();
        assert!(out.status.success());
        assert!(!dir.exists(), "removed once the group is gone");
    }
}
