//! A chromedriver on a free loopback port, with every process it starts (Chromium and its
//! helpers) in a process group of their own, which ends with the run however the run ends.
//!
//! A small shell keeps the group: it starts chromedriver, and kills the whole group when
//! chromedriver exits (else Chromium, nine processes, would outlive it) or when its stdin,
//! a pipe only setupwright writes to, reaches end of file. That happens when setupwright
//! drops this handle, and also when setupwright itself is killed (SIGKILL included),
//! since the kernel closes a dead process's pipes. A watcher of the pipe that is killed is
//! replaced (see [`KEEPER`]).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use super::DriverError;
use crate::poll::{poll, Deadline, Look};

pub struct ChromeDriver {
    keeper: tokio::process::Child,
    /// The keeper's stdin: closing it ends the group.
    lifeline: Option<tokio::process::ChildStdin>,
    port: u16,
    /// Where its Chromiums keep what they write outside their profiles (crash reports),
    /// removed after the group, as a profile is.
    _config_home: super::profile::Profile,
}

/// The group's keeper: `$@` is chromedriver's command line. fd 3 keeps setupwright's pipe
/// for the watcher; chromedriver gets neither it nor stdin.
///
/// No single process's loss leaves the group unguarded: chromedriver runs under a subshell
/// that ends the group when it exits, and the watcher of the pipe runs in the keeper's
/// loop, which starts another should one be killed. Should the keeper itself be killed,
/// the watcher and chromedriver's subshell go on without it.
const KEEPER: &str = r#"exec 3<&0 </dev/null
( "$@" 3<&-; kill -KILL 0 ) &
while :; do
  ( read -r _ <&3; kill -KILL 0 )
done
"#;

impl ChromeDriver {
    pub async fn spawn(path: &Path) -> Result<ChromeDriver, DriverError> {
        let err = |cause: String| DriverError::Spawn {
            path: path.display().to_string(),
            cause,
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| err(format!("no free loopback port: {e}")))?
            .port();
        let resolved = resolve(path).ok_or_else(|| {
            err("not found; install it (Debian: apt-get install chromium-driver) or pass --chromedriver PATH".into())
        })?;
        let mut config_home = super::profile::Profile::config_home().map_err(|e| {
            err(format!(
                "cannot create the browser's private folder in {}: {e}; check TMPDIR",
                std::env::temp_dir().display()
            ))
        })?;
        let mut keeper = tokio::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(KEEPER)
            .arg("setupwright-chromedriver")
            .arg(&resolved)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .arg("--log-level=OFF")
            // Only what a browser needs from the environment: the run's secrets
            // (SETUPWRIGHT_* inputs, SF_ACCESS_TOKEN, whatever a target names) stay here.
            .env_clear()
            .envs(allowed_env())
            .env("CHROME_CONFIG_HOME", config_home.path())
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| err(format!("cannot start /bin/sh to keep it: {e}")))?;
        let lifeline = keeper.stdin.take();
        if let Some(group) = keeper.id() {
            config_home.guard_after(group);
        }
        let mut d = ChromeDriver {
            keeper,
            lifeline,
            port,
            _config_home: config_home,
        };
        // Ready when it accepts connections; polled, never slept for a fixed time.
        let deadline = Deadline::after(Duration::from_secs(20), "20 s");
        let keeper = &mut d.keeper;
        let started = poll(&deadline, async || {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Look::Done(Ok(()));
            }
            match keeper.try_wait() {
                Ok(Some(status)) => Look::Done(Err(err(format!("exited at start with {status}")))),
                _ => Look::Again,
            }
        })
        .await;
        match started {
            Some(Ok(())) => Ok(d),
            Some(Err(e)) => Err(e),
            None => Err(err("did not accept connections within 20 s".into())),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The keeper's process id, which is also the group's id.
    pub fn pid(&self) -> Option<u32> {
        self.keeper.id()
    }

    /// Ends chromedriver and every process of its group, and waits (briefly) until they
    /// are gone.
    pub async fn stop(mut self) {
        self.lifeline.take();
        let _ = tokio::time::timeout(Duration::from_secs(5), self.keeper.wait()).await;
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Closing the pipe is enough: the keeper kills the group.
        self.lifeline.take();
        if let Some(pid) = self.keeper.id() {
            // And should the keeper be gone already, the group itself.
            // SAFETY: kill(2) with a negative pid signals a process group; no memory is touched.
            unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        }
    }
}

/// Variables a browser and its driver use (paths, locale, display, proxies, certificates),
/// passed on by name; everything else, secrets included, is not.
fn allowed_env() -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
    const NAMES: &[&str] = &[
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "TMPDIR",
        "TZ",
        "LANG",
        "LANGUAGE",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "XAUTHORITY",
        "XDG_RUNTIME_DIR",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_DATA_HOME",
        "DBUS_SESSION_BUS_ADDRESS",
        "FONTCONFIG_FILE",
        "FONTCONFIG_PATH",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
    ];
    std::env::vars_os()
        .filter(|(k, _)| {
            k.to_str()
                .is_some_and(|k| NAMES.contains(&k) || k.starts_with("LC_"))
        })
        .collect()
}

/// `path` as a file to execute: itself when it names a directory, else found on `PATH`.
fn resolve(path: &Path) -> Option<std::path::PathBuf> {
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|dirs| {
        std::env::split_paths(&dirs)
            .map(|d| d.join(path))
            .find(|p| p.is_file())
    })
}
