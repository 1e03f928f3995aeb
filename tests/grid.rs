//! Runs through a real Selenium Grid (4.20.0). The distributed form: a hub and two nodes in
//! processes of their own, with the seed on three orgs at once spread over both nodes, one
//! org with a wrong password failing alone while the other two finish. The standalone
//! server: a runbook through it.

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

fn jar() -> PathBuf {
    let jar = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(JAR);
    assert!(jar.exists(), "{} is missing: run scripts/test.sh, which installs it (npm ci --prefix tests/grid --ignore-scripts)", jar.display());
    jar
}

/// Starts one Selenium server process (`standalone`, `hub` or `node`) with `args`, its
/// output in `<name>.log` in a fresh folder.
fn spawn_selenium(name: &str, role: &str, args: &[String]) -> (Child, PathBuf) {
    let log = tmp_artifacts().join(format!("{name}.log"));
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let child = Command::new("java")
        .arg("-Dwebdriver.chrome.driver=/usr/bin/chromedriver")
        .arg("-jar")
        .arg(jar())
        .arg(role)
        .args(args)
        .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
        .stderr(Stdio::from(
            std::fs::File::create(log.with_extension("err")).unwrap(),
        ))
        .spawn()
        .expect("start java (apt-get install default-jre-headless)");
    (child, log)
}

/// Waits until the Grid's `/status` says `ready` (and, for a hub, that `nodes` nodes
/// have registered).
fn wait_ready(port: u16, nodes: usize, log: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let ready = get(port, "/status").is_some_and(|b| {
            let ready = b.contains("\"ready\": true") || b.contains("\"ready\":true");
            ready && b.matches("\"availability\"").count() >= nodes
        });
        if ready {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!(
        "the Grid did not become ready within 120 s; its log: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

fn start_grid(max_sessions: u32) -> Grid {
    let port = free_port();
    let (child, log) = spawn_selenium(
        "grid",
        "standalone",
        &[
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            port.to_string(),
            "--selenium-manager".into(),
            "false".into(),
            "--max-sessions".into(),
            max_sessions.to_string(),
            "--override-max-sessions".into(),
            "true".into(),
        ],
    );
    let grid = Grid {
        child,
        url: format!("http://127.0.0.1:{port}"),
        log,
    };
    wait_ready(port, 1, &grid.log);
    grid
}

/// A Grid in its distributed form: a hub (router, distributor, session map, queue and
/// event bus) and nodes that register with it over the event bus, each its own process
/// on its own port, as they would be on their own machines.
struct DistributedGrid {
    hub: Grid,
    nodes: Vec<Grid>,
}

fn start_hub_and_nodes(nodes: usize, sessions_per_node: u32) -> DistributedGrid {
    let (port, publish, subscribe) = (free_port(), free_port(), free_port());
    let bus = |p: u16| format!("tcp://127.0.0.1:{p}");
    let (child, log) = spawn_selenium(
        "hub",
        "hub",
        &[
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            port.to_string(),
            "--publish-events".into(),
            bus(publish),
            "--subscribe-events".into(),
            bus(subscribe),
        ],
    );
    let hub = Grid {
        child,
        url: format!("http://127.0.0.1:{port}"),
        log,
    };
    let nodes: Vec<Grid> = (0..nodes)
        .map(|i| {
            let node_port = free_port();
            let (child, log) = spawn_selenium(
                &format!("node{i}"),
                "node",
                &[
                    "--host".into(),
                    "127.0.0.1".into(),
                    "--port".into(),
                    node_port.to_string(),
                    "--publish-events".into(),
                    bus(publish),
                    "--subscribe-events".into(),
                    bus(subscribe),
                    // Where clients reach the Grid: the node hands out BiDi URLs on it.
                    "--grid-url".into(),
                    format!("http://127.0.0.1:{port}"),
                    "--selenium-manager".into(),
                    "false".into(),
                    "--detect-drivers".into(),
                    "true".into(),
                    "--max-sessions".into(),
                    sessions_per_node.to_string(),
                    "--override-max-sessions".into(),
                    "true".into(),
                ],
            );
            Grid {
                child,
                url: format!("http://127.0.0.1:{node_port}"),
                log,
            }
        })
        .collect();
    wait_ready(port, nodes.len(), &hub.log);
    DistributedGrid { hub, nodes }
}

/// The seed on `orgs`, all through `webdriver`, at once; each org provisioned exactly once.
fn seed_on_orgs(
    webdriver: &str,
    orgs: &[SimHandle],
    names: &[&str],
    env: &[(&str, &str)],
) -> (Output, PathBuf) {
    let artifacts = tmp_artifacts();
    let targets = artifacts.join("targets.yaml");
    let cfg = &orgs[0].cfg;
    let mut yaml = format!(
        "inputs:\n  username: {}\n  contact_email: {}\ntargets:\n",
        cfg.username, cfg.username
    );
    for (name, h) in names.iter().zip(orgs) {
        yaml.push_str(&format!(
            "  - name: {name}\n    inputs: {{ my_domain_url: \"{}\" }}\n",
            h.sim.classic_url
        ));
    }
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(&targets, yaml).unwrap();
    let jobs = orgs.len().to_string();
    let mut envs = vec![
        ("SETUPWRIGHT_LOGIN_PASSWORD", cfg.password.as_str()),
        (
            "SETUPWRIGHT_VERIFICATION_CODE",
            cfg.verification_code.as_str(),
        ),
    ];
    envs.extend_from_slice(env);
    let out = Run::new("runbooks/focus-matters-secured-login.yaml")
        .arg("--targets")
        .arg(&targets)
        .args(["--jobs", &jobs, "--webdriver", webdriver])
        .artifacts(&artifacts)
        .envs(&envs)
        .output();
    (out, artifacts)
}

/// A hub and two nodes, each a process of its own: the seed on three orgs at once, at
/// most two sessions a node, so the hub must place sessions on both nodes. One org gets a
/// wrong password and must fail alone while the other two finish.
#[test]
fn the_seed_runbook_spreads_across_the_nodes_of_a_distributed_grid() {
    let grid = start_hub_and_nodes(2, 2);
    let orgs: Vec<SimHandle> = (0..3).map(|_| start_sim(None)).collect();
    let cfg = &orgs[0].cfg;
    let (out, artifacts) = seed_on_orgs(
        &grid.hub.url,
        &orgs,
        &["uat", "qa", "typo"],
        // This org alone gets a wrong password, from its own variable.
        &[("SETUPWRIGHT_TYPO_LOGIN_PASSWORD", "Not-The-Passw0rd")],
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

    // Each node ran at least one of the sessions: its own log says so.
    for node in &grid.nodes {
        let log = std::fs::read_to_string(&node.log).unwrap_or_default()
            + &std::fs::read_to_string(node.log.with_extension("err")).unwrap_or_default();
        assert!(
            log.contains("Session created by the Node"),
            "{} ran no session:\n{log}",
            node.url
        );
    }
}

/// The standalone server, as `selenium/standalone-chrome` runs it: a run through it
/// signs in, walks classic pages in the Setup frame and passes.
#[test]
fn a_runbook_runs_through_the_standalone_server() {
    let grid = start_grid(1);
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/sim-classic-pages.yaml")
        .input("my_domain_url", &h.sim.classic_url)
        .arg("--webdriver")
        .arg(&grid.url)
        .artifacts(&artifacts)
        .env("SETUPWRIGHT_PASSWORD", h.cfg.password.as_str())
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let dir = run_dir(&out.stdout);
    assert!(assert_screenshots(&dir, &report(&dir)) > 0);
}
