//! A secret input is asked for only where a step needs it: a run whose steps never read
//! it starts and passes without it; one that reaches such a step fails there, naming the
//! input and how to give it, with the resume command; `plan` says it will be asked for.

mod common;

use common::*;

#[test]
fn a_secret_no_step_reads_is_not_needed_and_one_a_step_reads_fails_that_step() {
    let fx = serve();
    let base = format!("base={}", fx.base);
    let artifacts = tmp_artifacts();
    let run = |extra: &[&str]| {
        Run::new("tests/runbooks/secret-on-demand.yaml")
            .input_pair(&base)
            .artifacts(&artifacts)
            .args(["--step-timeout", "10s"])
            .args(extra)
            .output()
    };
    let out = run(&[]);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("PASSED"), "{}", out.stdout);

    let out = run(&["-i", "use_token=yes"]);
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout.contains(
            "this step needs the secret input `token`, which was not given: set SETUPWRIGHT_TOKEN or put it in an --inputs file"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("FAIL 2 Type the token"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("resume with:"), "{}", out.stdout);

    let plan = setupwright(
        &["plan", "tests/runbooks/secret-on-demand.yaml", "-i", &base],
        &[],
    );
    assert_eq!(plan.code, 0, "{}\n{}", plan.stdout, plan.stderr);
    assert!(
        plan.stdout
            .contains("input token = (not given: asked for if a step needs it)"),
        "{}",
        plan.stdout
    );
}
