//! `run --targets` through a real Selenium Grid (the 4.20.0 standalone server): the seed
//! runbook on three simulated orgs at once, one of them with a wrong password, which
//! must fail alone while the other two finish.

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const JAR: &str =
    "tests/grid/node_modules/@nightwatch/selenium-server/lib/selenium-server-4.20.0.jar";

/// The Grid's Java process, ended when dropped.
struct Grid {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Drop for Grid {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

fn start_grid(max_sessions: u32) -> Grid {
    let jar = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(JAR);
    assert!(jar.exists(), "{} is missing: run scripts/test.sh, which installs it (npm ci --prefix tests/grid --ignore-scripts)", jar.display());
    let port = free_port();
    let log = tmp_artifacts().join("grid.log");
    let child = Command::new("java")
        .arg("-Dwebdriver.chrome.driver=/usr/bin/chromedriver")
        .arg("-jar")
        .arg(&jar)
        .args([
            "standalone",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--selenium-manager",
            "false",
        ])
        .args([
            "--max-sessions",
            &max_sessions.to_string(),
            "--override-max-sessions",
            "true",
        ])
        .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
        .stderr(Stdio::from(
            std::fs::File::create(log.with_extension("err")).unwrap(),
        ))
        .spawn()
        .expect("start java (apt-get install default-jre-headless)");
    let grid = Grid {
        child,
        url: format!("http://127.0.0.1:{port}"),
        log,
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if get(port, "/status")
            .is_some_and(|b| b.contains("\"ready\": true") || b.contains("\"ready\":true"))
        {
            return grid;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!(
        "the Grid did not become ready within 90 s; its log: {}",
        std::fs::read_to_string(&grid.log).unwrap_or_default()
    );
}

#[test]
fn the_seed_runbook_runs_on_three_orgs_through_a_selenium_grid() {
    let grid = start_grid(3);
    let orgs: Vec<SimHandle> = (0..3).map(|_| start_sim(None)).collect();
    let artifacts = tmp_artifacts();
    let targets = artifacts.join("targets.yaml");
    let cfg = &orgs[0].cfg;
    let mut yaml = format!(
        "inputs:\n  username: {}\n  contact_email: {}\ntargets:\n",
        cfg.username, cfg.username
    );
    for (name, h) in ["uat", "qa", "typo"].iter().zip(&orgs) {
        yaml.push_str(&format!(
            "  - name: {name}\n    inputs: {{ my_domain_url: \"{}\" }}\n",
            h.sim.classic_url
        ));
    }
    std::fs::write(&targets, yaml).unwrap();
    let started = Instant::now();
    let out = setupwright(
        &[
            "run",
            "runbooks/focus-matters-secured-login.yaml",
            "--targets",
            targets.to_str().unwrap(),
            "--jobs",
            "3",
            "--webdriver",
            &grid.url,
            "--artifacts",
            artifacts.to_str().unwrap(),
        ],
        &[
            ("SETUPWRIGHT_LOGIN_PASSWORD", cfg.password.as_str()),
            // This org alone gets a wrong password, from its own variable.
            ("SETUPWRIGHT_TYPO_LOGIN_PASSWORD", "Not-The-Passw0rd"),
            (
                "SETUPWRIGHT_VERIFICATION_CODE",
                cfg.verification_code.as_str(),
            ),
        ],
    );
    eprintln!(
        "three orgs through the Grid in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        out.code, 4,
        "one org fails a step, so the run exits 4\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );

    // Each good org was provisioned completely, exactly once.
    for h in &orgs[..2] {
        let s = h.sim.state();
        for key in [
            "external_client_apps",
            "auth_providers",
            "named_credentials",
        ] {
            assert_eq!(
                s[key].as_array().map(|a| a.len()),
                Some(1),
                "{key}: {}\n{}",
                s[key],
                out.stdout
            );
        }
        assert_eq!(
            s["named_credentials"][0]["auth_status"],
            format!("Authenticated as {}", cfg.username)
        );
    }
    // The failing org stopped at sign-in and holds nothing.
    let s = orgs[2].sim.state();
    assert_eq!(
        s["external_client_apps"].as_array().map(|a| a.len()),
        Some(0),
        "{}",
        out.stdout
    );

    // The summary: one row per target in file order, the failure under its row.
    let table = &out.stdout[out.stdout.find("\ntarget ").expect("a summary table")..];
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| ["uat ", "qa ", "typo "].iter().any(|n| l.starts_with(n)))
        .collect();
    assert_eq!(rows.len(), 3, "{table}");
    assert!(
        rows[0].contains("passed") && rows[1].contains("passed") && rows[2].contains("step failed"),
        "{table}"
    );
    assert!(table.contains("the login page says"), "{table}");
    assert!(table.contains("2 of 3 target(s) succeeded"), "{table}");
    // Lines from the runs are tagged with their target.
    assert!(
        out.stdout.contains("[uat] ") && out.stdout.contains("[typo] "),
        "{}",
        out.stdout
    );

    // Artifacts per target, each a complete run folder.
    for (name, status) in [("uat", "passed"), ("qa", "passed"), ("typo", "failed")] {
        let runs: Vec<PathBuf> = std::fs::read_dir(artifacts.join(name))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        assert_eq!(runs.len(), 1, "{name}: {runs:?}");
        let report = report(&runs[0]);
        assert_eq!(report["status"], status, "{name}");
        assert!(assert_screenshots(&runs[0], &report) > 0, "{name}");
    }
    for secret in [cfg.password.as_str(), "Not-The-Passw0rd"] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "a password reached the console"
        );
    }
}
