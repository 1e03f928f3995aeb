//! Installed like a Rust tool: `cargo install` from a copy of the repository (the
//! simulator's Lightning bundle built, as the README's commands build it), the copy
//! deleted, and `demo` run from an empty folder: the whole job, with nothing of the source
//! tree left to read.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of the repository as it stands (tracked and new, not ignored), and the built
/// Lightning bundle, which is ignored as a build output but is there when one installs
/// after the README's set-up.
fn copy_of_the_repository(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .expect("git ls-files");
    assert!(listed.status.success(), "git ls-files failed");
    let mut files: Vec<PathBuf> = listed
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .collect();
    for built in ["pages.js", "synthetic-shadow.js", "slds.css"] {
        files.push(Path::new("sim/lightning/dist").join(built));
    }
    for rel in files {
        let from = root.join(&rel);
        // (A file deleted in the working tree but not yet in the index.)
        if !from.is_file() {
            continue;
        }
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().expect("a file has a folder")).unwrap();
        std::fs::copy(&from, &dest).unwrap_or_else(|e| panic!("copy {}: {e}", rel.display()));
    }
}

/// This test binary's target folder (`target/debug/deps/install-…` → `target`): the
/// install reuses the dependencies the test build compiled, so it builds only our crates.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.ancestors()
        .nth(3)
        .expect("target/debug/deps/<test>")
        .to_path_buf()
}

#[test]
fn cargo_install_gives_a_binary_whose_demo_runs_from_an_empty_folder() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let source = tmp.path().join("setupwright");
    copy_of_the_repository(&source);
    let prefix = tmp.path().join("installed");
    let install = Command::new(env!("CARGO"))
        .args([
            "install",
            "--quiet",
            "--locked",
            "--offline",
            "--debug",
            "--path",
        ])
        .arg(&source)
        .arg("--root")
        .arg(&prefix)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("SETUPWRIGHT_SIM_LIGHTNING")
        .output()
        .expect("run cargo install");
    assert!(
        install.status.success(),
        "cargo install failed:\n{}",
        String::from_utf8_lossy(&install.stderr)
    );
    // Nothing of the source tree is left for the binary to find its pages in.
    std::fs::remove_dir_all(&source).expect("remove the copy");

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let demo = Command::new(prefix.join("bin/setupwright"))
        .args(["demo", "--artifacts", "out"])
        .current_dir(&empty)
        .env_remove("SETUPWRIGHT_SIM_LIGHTNING")
        .env("SETUPWRIGHT_STATE_DIR", tmp.path().join("state"))
        .output()
        .expect("run the installed setupwright");
    let stdout = String::from_utf8_lossy(&demo.stdout);
    let stderr = String::from_utf8_lossy(&demo.stderr);
    assert_eq!(demo.status.code(), Some(0), "{stdout}\n{stderr}");
    let report = stdout
        .lines()
        .find_map(|l| l.strip_prefix("report: "))
        .unwrap_or_else(|| panic!("no report line: {stdout}"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(empty.join(report)).unwrap()).unwrap();
    assert_eq!(report["status"], "passed", "{report}");
    // The simulator's Lightning pages rendered: a picture of the External Client App form
    // exists only when they did (without the bundle every Lightning page is an error).
    let steps = report["steps"].as_array().expect("steps");
    assert!(
        steps.iter().any(|s| s["title"]
            .as_str()
            .is_some_and(|t| t.contains("External Client App Name"))
            && s["status"] == "passed"),
        "{report}"
    );
}
