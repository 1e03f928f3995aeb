//! What a release engineer meets before any browser starts (issue 25): the licence,
//! shell completions and the man page, usage errors as JSON lines, and the exit codes of
//! `plan`, `check` and a runbook path that names no file.

mod common;

use common::*;
use serde_json::Value;

fn json_lines(stderr: &str) -> Vec<Value> {
    stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}\n{stderr}")))
        .collect()
}

#[test]
fn the_licence_file_is_the_licence_cargo_toml_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"MIT\""), "{manifest}");
    let licence = std::fs::read_to_string(root.join("LICENSE")).expect("a LICENSE file");
    assert!(licence.starts_with("MIT License"), "{licence}");
    assert!(
        licence.contains("THE SOFTWARE IS PROVIDED \"AS IS\""),
        "{licence}"
    );
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).expect("a CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog"), "{changelog}");
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = setupwright(&["completions", shell], &[]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for word in ["setupwright", "verify", "log-format", "resume"] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let bad = setupwright(&["completions", "tcsh"], &[]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn the_man_page_is_roff_for_the_command_and_each_subcommand() {
    let out = setupwright(&["man"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".TH setupwright 1"), "{}", out.stdout);
    assert!(out.stdout.contains("verify"), "{}", out.stdout);
    let dir = tmp_artifacts().join("man1");
    let out = setupwright(&["man", "--out-dir", dir.to_str().unwrap()], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let run = std::fs::read_to_string(dir.join("setupwright-run.1")).unwrap();
    assert!(run.contains("\\-\\-step\\-timeout"), "{run}");
    assert!(dir.join("setupwright.1").exists());
}

#[test]
fn under_json_logs_a_usage_error_is_a_json_line_and_exits_2() {
    for args in [
        &["--log-format", "json", "run", "--no-such-flag"][..],
        &["--log-format=json", "plan"][..],
        &["run", "x.yaml", "--log-format", "json", "--jobs", "0"][..],
    ] {
        let out = setupwright(args, &[]);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        let lines = json_lines(&out.stderr);
        assert_eq!(lines.len(), 1, "{}", out.stderr);
        assert_eq!(lines[0]["level"], "ERROR");
        assert_eq!(lines[0]["fields"]["exit_code"], 2);
        assert!(
            lines[0]["fields"]["message"]
                .as_str()
                .unwrap()
                .starts_with("error:"),
            "{}",
            out.stderr
        );
    }
    // Without it, the error stays clap's text for a person.
    let out = setupwright(&["run", "--no-such-flag"], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: unexpected argument"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_runbook_path_that_names_no_file_is_a_usage_error() {
    let missing = "tests/runbooks/no-such-runbook.yaml";
    for args in [
        vec!["run", missing],
        vec!["verify", missing],
        vec!["plan", missing],
        vec!["check", missing],
        vec!["check", "tests/runbooks/slow.yaml", missing],
        vec!["plan", "tests/runbooks"],
    ] {
        let out = setupwright(&args, &[]);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("help: "), "{args:?}: {}", out.stderr);
    }
    // A file that is there but is no valid runbook is still exit 3.
    let out = setupwright(&["check", "tests/corpus/11-unknown-action.yaml"], &[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
}

#[test]
fn check_dir_checks_every_runbook_under_it_and_passes_over_other_yaml() {
    let dir = tmp_artifacts();
    std::fs::create_dir_all(dir.join("org/parts")).unwrap();
    std::fs::write(
        dir.join("a.yaml"),
        "runbook: A\nsteps:\n  - goto: https://example.com\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("org/parts/b.yml"),
        "runbook: B\nsteps:\n  - click: Save\n  - click: Next\n",
    )
    .unwrap();
    // An inputs file beside the runbooks is no runbook.
    std::fs::write(dir.join("org/inputs.yaml"), "contact_email: a@b.c\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "runbook: not yaml by its name\n").unwrap();
    let out = setupwright(&["check", dir.to_str().unwrap()], &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let ok: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("ok  "))
        .collect();
    assert_eq!(ok.len(), 2, "{}", out.stdout);
    assert!(ok[0].contains("a.yaml (A: 1 steps)"), "{}", out.stdout);
    assert!(ok[1].contains("b.yml (B: 2 steps)"), "{}", out.stdout);
    assert!(
        out.stdout.contains("passed over 1 YAML file") && out.stdout.contains("inputs.yaml"),
        "{}",
        out.stdout
    );

    // One bad runbook among them: exit 3, and the others are still checked.
    std::fs::write(
        dir.join("org/c.yaml"),
        "runbook: C\nsteps:\n  - clik: Save\n",
    )
    .unwrap();
    let out = setupwright(&["check", dir.to_str().unwrap()], &[]);
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("did you mean `click`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 of 3 runbook(s) invalid"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("ok  ")).count(),
        2
    );

    // A folder with no runbook in it is a mistake on the command line.
    let empty = tmp_artifacts();
    let out = setupwright(&["check", empty.to_str().unwrap()], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no runbook in"), "{}", out.stderr);
}

#[test]
fn both_crates_package_with_their_licence() {
    // Packaging without the verifying build (which `cargo package --workspace` adds: a
    // few minutes); what failed before, a path dependency without a version, fails here.
    let target = tmp_artifacts();
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args([
            "package",
            "--workspace",
            "--no-verify",
            "--allow-dirty",
            "--offline",
        ])
        .arg("--target-dir")
        .arg(&target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for krate in ["setupwright", "setupwright-sim"] {
        let file = target.join(format!(
            "package/{krate}-{}.crate",
            env!("CARGO_PKG_VERSION")
        ));
        let list = std::process::Command::new("tar")
            .arg("tzf")
            .arg(&file)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout);
        assert!(
            list.lines().any(|l| l.ends_with("/LICENSE")),
            "{krate}: {list}"
        );
    }
}

#[test]
fn the_dockerfile_builds_what_the_scripts_build() {
    // No image can be built here (no Docker daemon, no image registry); this keeps the
    // Dockerfile from drifting from what the tested scripts and code do.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let docker = read("Dockerfile");
    assert!(
        docker.contains("chromium chromium-driver"),
        "Debian's browser and driver"
    );
    // The bundle is in place before the binary is built, where sim/build.rs embeds it.
    let build = read("sim/build.rs");
    assert!(build.contains("Path::new(\"lightning/dist\")"), "{build}");
    let bundle_in = docker
        .find("COPY --from=lightning /src/sim/lightning/dist sim/lightning/dist")
        .expect("the bundle copied into the build stage");
    let binary_built = docker
        .find("cargo build --release --locked --bin setupwright")
        .expect("the binary built");
    assert!(bundle_in < binary_built, "{docker}");
    // The bundle is built as scripts/build-lightning.sh builds it.
    let script = read("scripts/build-lightning.sh");
    for step in [
        "npx --no-install rollup -c --silent",
        "node_modules/@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css dist/slds.css",
    ] {
        assert!(script.contains(step) && docker.contains(step), "{step}");
    }
    assert!(docker.contains("cargo build --release --locked --bin setupwright"));
}

/// `plan` and `check` show a runbook's titles, names and values, and the names given
/// after `-i`, escaped; a secret inside another input's value is *** there as in a run,
/// and in the titles a `--group` that matches nothing lists.
#[test]
fn plan_and_check_print_nothing_raw_and_no_secret_inside_another_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rb.yaml");
    std::fs::write(
        &path,
        "runbook: \"T\\e[31mRED\\rFAKE \\u202eevaS\"\ninputs:\n  pw: { secret: true }\n  a: { default: \"x${pw}y\" }\n  b: { default: \"esc\\e[2Jz\" }\nsteps:\n  - group: \"G ${a} \\e]0;t\\a\"\n    steps:\n      - click: \"${b}\"\n",
    )
    .unwrap();
    let rb = path.to_str().unwrap();
    let raw = |s: &str| s.contains('\u{1b}') || s.contains('\r') || s.contains('\u{202e}');
    let env = [("SETUPWRIGHT_PW", "hunter22")];
    let out = common::setupwright(&["plan", rb], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("hunter22"), "{}", out.stdout);
    assert!(out.stdout.contains("input a = x***y"), "{}", out.stdout);
    assert!(!raw(&out.stdout), "{:?}", out.stdout);
    assert!(
        out.stdout.contains("T\\x1b[31mRED\\rFAKE"),
        "{}",
        out.stdout
    );
    let out = common::setupwright(&["plan", rb, "--group", "nothing"], &env);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("G x***y"), "{}", out.stderr);
    assert!(!out.stderr.contains("hunter22"), "{}", out.stderr);
    let out = common::setupwright(&["check", rb], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!raw(&out.stdout), "{:?}", out.stdout);
    let out = common::setupwright(&["plan", rb, "-i", "x\u{1b}[2J=1"], &env);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!raw(&out.stderr), "{:?}", out.stderr);
    let out = common::setupwright(&["plan", rb, "-i", " =1"], &env);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("must be NAME=VALUE"), "{}", out.stderr);
}
