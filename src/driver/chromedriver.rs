//! A chromedriver child process on a free loopback port, ended when dropped (and so on
//! failure and on Ctrl-C, since the runner drops it on every way out).

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::DriverError;

pub struct ChromeDriver {
    child: tokio::process::Child,
    port: u16,
}

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
        let child = tokio::process::Command::new(path)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .arg("--log-level=OFF")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                err(if e.kind() == std::io::ErrorKind::NotFound {
                    "not found; install it (Debian: apt-get install chromium-driver) or pass --chromedriver PATH".into()
                } else {
                    e.to_string()
                })
            })?;
        let mut d = ChromeDriver { child, port };
        // Ready when it accepts connections; polled, never slept for a fixed time.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(d);
            }
            if let Ok(Some(status)) = d.child.try_wait() {
                return Err(err(format!("exited at start with {status}")));
            }
            if Instant::now() > deadline {
                return Err(err("did not accept connections within 20 s".into()));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }
}
