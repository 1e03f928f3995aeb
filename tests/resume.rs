//! Infrastructure faults: the browser and chromedriver die mid-run; the run ends with its
//! own exit code, keeps its artifacts, and `--resume` finishes the job without creating
//! anything twice.

mod common;

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_run_whose_browser_dies_resumes_and_creates_nothing_twice() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    // Our own chromedriver, in its own process group, so that it and the browser it
    // starts can be killed together mid-run.
    let port = free_port();
    let mut driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let domain = format!("my_domain_url={}", h.sim.classic_url);
    let user = format!("username={}", h.cfg.username);
    let webdriver = format!("http://127.0.0.1:{port}");
    let run = Command::new(env!("CARGO_BIN_EXE_setupwright"))
        .args([
            "run",
            "runbooks/focus-matters-secured-login.yaml",
            "-i",
            &domain,
            "-i",
            &user,
            "-i",
            &user.replace("username", "contact_email"),
            "--artifacts",
            artifacts.to_str().unwrap(),
            "--webdriver",
            &webdriver,
        ])
        .env("SETUPWRIGHT_LOGIN_PASSWORD", &h.cfg.password)
        .env("SETUPWRIGHT_VERIFICATION_CODE", &h.cfg.verification_code)
        .env("SETUPWRIGHT_STATE_DIR", state_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // Kill the browser once the Auth. Provider has been saved (step 4.11).
    let deadline = Instant::now() + Duration::from_secs(120);
    let dir = loop {
        assert!(Instant::now() < deadline, "the run never reached step 4.11");
        let dir = std::fs::read_dir(&artifacts)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.is_dir());
        if let Some(dir) = dir {
            let journal = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap_or_default();
            if journal.contains("\"path\":\"4.11\"") {
                break dir;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    unsafe { libc::kill(-(driver.id() as i32), libc::SIGKILL) };
    let _ = driver.wait();
    let out = run.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(6),
        "a dead browser has its own exit code:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("the browser connection failed"), "{stdout}");
    assert!(stdout.contains("resume with: setupwright run"), "{stdout}");
    assert!(
        dir.join("report.json").exists(),
        "the report so far is kept"
    );
    let shots_before = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert!(
        shots_before >= 40,
        "screenshots so far are kept: {shots_before}"
    );
    assert!(
        !dir.join("secrets.json").exists(),
        "no secret in the run folder"
    );
    let secrets = kept_secrets(&dir);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let journal = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
    let app_secret = h.sim.state()["external_client_apps"][0]["consumer_secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !journal.contains(&app_secret),
        "the journal holds no secret"
    );

    // Resume: a fresh chromedriver, the same folder.
    let resumed = h.run_seed(
        &artifacts,
        &h.cfg.password.clone(),
        &["--resume", dir.to_str().unwrap()],
    );
    assert_eq!(
        resumed.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        resumed.stdout, resumed.stderr
    );
    assert!(
        resumed.stdout.contains("done before the run was resumed"),
        "{}",
        resumed.stdout
    );
    let s = h.sim.state();
    for key in [
        "external_client_apps",
        "auth_providers",
        "named_credentials",
    ] {
        assert_eq!(
            s[key].as_array().unwrap().len(),
            1,
            "exactly one of {key}: {:#}",
            s[key]
        );
    }
    assert_eq!(
        s["named_credentials"][0]["auth_status"],
        format!("Authenticated as {}", h.cfg.username)
    );
    assert_eq!(
        s["auth_providers"][0]["consumer_secret"],
        s["external_client_apps"][0]["consumer_secret"]
    );
    assert_eq!(
        s["external_client_apps"][0]["callback_url"],
        s["auth_providers"][0]["callback_url"]
    );
    assert_eq!(
        s["custom_metadata_types"][0]["records"][0]["values"]["Named_Credential_API_Name__c"],
        "CaseCloud_Secured_Login_Named_Credential"
    );
    let shots_after = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert!(
        shots_after > shots_before,
        "the resumed run adds its screenshots to the same folder"
    );
    assert!(!secrets.exists(), "a finished run keeps no captured secret");

    // The run is finished now: a second resume would only overwrite its reports.
    let report_before = std::fs::read(dir.join("report.json")).unwrap();
    let again = h.run_seed(
        &artifacts,
        &h.cfg.password.clone(),
        &["--resume", dir.to_str().unwrap()],
    );
    assert_eq!(again.code, 2, "{}\n{}", again.stdout, again.stderr);
    assert!(
        again
            .stderr
            .contains("is a finished run (passed); there is nothing to resume"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(dir.join("report.json")).unwrap(),
        report_before
    );
}
