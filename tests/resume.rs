//! Infrastructure faults: the browser and chromedriver die mid-run; the run ends with its
//! own exit code, keeps its artifacts, and `--resume` finishes the job without creating
//! anything twice.

mod common;

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A chromedriver of the test's own, whose process group (it and the browser it starts)
/// is killed when the test ends, also when it fails half way: a leftover would outlive
/// the test run (and hold what the test runner gave it).
struct OwnDriver(std::process::Child);

impl Drop for OwnDriver {
    fn drop(&mut self) {
        // SAFETY: kill(2) on the process group of a child this test started.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

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
    let driver = OwnDriver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver"),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let domain = format!("my_domain_url={}", h.sim.classic_url);
    let user = format!("username={}", h.cfg.username);
    let webdriver = format!("http://127.0.0.1:{port}");
    let run = Run::new("runbooks/focus-matters-secured-login.yaml")
        .input_pair(&domain)
        .input_pair(&user)
        .input_pair(user.replace("username", "contact_email"))
        .artifacts(&artifacts)
        .arg("--webdriver")
        .arg(&webdriver)
        .env("SETUPWRIGHT_LOGIN_PASSWORD", &h.cfg.password)
        .env("SETUPWRIGHT_VERIFICATION_CODE", &h.cfg.verification_code)
        .command()
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
    // The browser and its driver die mid-run.
    drop(driver);
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

/// A run folder as an interrupted run of `runbook` leaves it before its first step: the
/// journal's first line, with the run id `id`.
fn interrupted_run_folder(runbook: &str, id: &str) -> std::path::PathBuf {
    let dir = tmp_artifacts().join("interrupted-run");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("journal.jsonl"),
        format!("{{\"runbook\":\"{runbook}\",\"run_id\":\"{id}\"}}\n"),
    )
    .unwrap();
    dir
}

#[test]
fn a_second_resume_of_a_folder_in_use_is_refused_at_once() {
    let fx = serve();
    let dir = interrupted_run_folder("tests/runbooks/slow.yaml", "5eed0001");
    let base = format!("base={}", fx.base);
    let resume = |after: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_setupwright"));
        c.args(["run", "tests/runbooks/slow.yaml", "-i", &base, "--resume"])
            .arg(&dir)
            .env("SETUPWRIGHT_AFTER", after)
            .env("SETUPWRIGHT_STATE_DIR", state_dir())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    };
    // The first waits a minute on its page, in the folder.
    let first = resume("60000").spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .any(|f| f.path().extension().is_some_and(|x| x == "png"))
    {
        assert!(Instant::now() < deadline, "the first resume never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Instant::now();
    let second: Output = resume("0").output().unwrap().into();
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(first.id() as i32, libc::SIGTERM) };
    let first: Output = first.wait_with_output().unwrap().into();
    assert_eq!(
        second.code, 7,
        "the second resume ran:\nstdout:\n{}\nstderr:\n{}",
        second.stdout, second.stderr
    );
    assert!(
        second.stderr.contains(&format!(
            "the run folder {} is in use by another setupwright run",
            dir.display()
        )),
        "{}",
        second.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused at once, not after starting a browser: {:?}",
        started.elapsed()
    );
    assert_eq!(first.code, 143, "{}\n{}", first.stdout, first.stderr);
}

#[test]
fn the_state_file_is_never_written_through_a_planted_symlink_and_a_failed_run_names_it() {
    use std::os::unix::fs::PermissionsExt;
    let fx = serve();
    let id = "0123456789abcdef0123456789abcdef";
    let dir = interrupted_run_folder("tests/runbooks/state-file.yaml", id);
    // Where the state file's writer used to put its temporary file, a symlink to a file
    // of the user's that a writer following it would overwrite with the secrets.
    let resume_dir = state_dir().join("resume");
    std::fs::create_dir_all(&resume_dir).unwrap();
    std::fs::set_permissions(&resume_dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let victim = tmp_artifacts().join("precious.txt");
    std::fs::write(&victim, "untouched\n").unwrap();
    let planted = resume_dir.join(format!("{id}.tmp"));
    let _ = std::fs::remove_file(&planted);
    std::os::unix::fs::symlink(&victim, &planted).unwrap();

    let base = format!("base={}", fx.base);
    let out = setupwright(
        &[
            "run",
            "tests/runbooks/state-file.yaml",
            "-i",
            &base,
            "--resume",
            dir.to_str().unwrap(),
        ],
        &[],
    );
    let _ = std::fs::remove_file(&planted);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "untouched\n",
        "the symlink was followed"
    );
    assert_eq!(
        out.code, 5,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let kept = resume_dir.join(format!("{id}.json"));
    let meta = std::fs::symlink_metadata(&kept).expect("the state file is kept");
    assert!(meta.file_type().is_file(), "a file of its own");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&kept).unwrap().contains("Active"));
    // No temporary file is left beside it.
    let stray: Vec<_> = std::fs::read_dir(&resume_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(id) && n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    // The failed run says where the file is and how to remove it: in its summary and
    // in its report.
    let path = kept.display().to_string();
    assert!(
        out.stdout.contains(&path) && out.stdout.contains(&format!("rm {path}")),
        "{}",
        out.stdout
    );
    let r = report(&dir);
    assert_eq!(r["resume_state"]["path"], path.as_str(), "{r}");
    assert_eq!(r["resume_state"]["remove_with"], format!("rm {path}"));
    let _ = std::fs::remove_file(&kept);
}
