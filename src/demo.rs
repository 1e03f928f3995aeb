//! `setupwright demo` and `setupwright sim`: the simulator as the main job's stage, so a
//! new user sees the whole job work with no Salesforce org.

use std::path::Path;

use setupwright::exit;
use setupwright::run::vars::{Redactor, Vars};
use setupwright::run::RunOptions;
use setupwright::runbook;
use setupwright::{errln, outln};
use setupwright_sim::{Shadow, Sim, SimConfig};

use crate::cli::BrowserArgs;

/// The seed runbook, built in so `demo` works from any folder.
pub const SEED: &str = include_str!("../runbooks/focus-matters-secured-login.yaml");
pub const SEED_NAME: &str = "focus-matters-secured-login.yaml";

/// The inputs the seed runbook needs from an org, as the simulator plays one.
/// A password or code too short to redact is refused (say SETUPWRIGHT_SIM_PASSWORD=ab).
pub fn seed_inputs(sim: &Sim, cfg: &SimConfig, redactor: &Redactor) -> Result<Vars, String> {
    let mut v = Vars::default();
    fn refused(name: &'static str) -> impl Fn(setupwright::redact::SecretTooShort) -> String {
        move |short| format!("the simulator's {name} is refused: {short}")
    }
    let _ = v.set("my_domain_url", sim.classic_url.clone(), false, redactor);
    let _ = v.set("contact_email", cfg.username.clone(), false, redactor);
    let _ = v.set("username", cfg.username.clone(), false, redactor);
    v.set("login_password", cfg.password.clone(), true, redactor)
        .map_err(refused("password (SETUPWRIGHT_SIM_PASSWORD)"))?;
    v.set(
        "verification_code",
        cfg.verification_code.clone(),
        true,
        redactor,
    )
    .map_err(refused("verification code"))?;
    Ok(v)
}

pub async fn demo(
    artifacts: &Path,
    browser: &BrowserArgs,
    keep_open: bool,
    shadow: Shadow,
    redactor: Redactor,
) -> i32 {
    let cfg = sim_config(0, 0, "admin@example.com", None, shadow);
    let sim = match setupwright_sim::start(cfg.clone()).await {
        Ok(s) => s,
        Err(e) => {
            errln!("error: cannot start the simulator: {e}");
            return exit::USAGE;
        }
    };
    if let Some(why) = sim.lightning_missing() {
        errln!("error: {why}");
        return exit::USAGE;
    }
    outln!(
        "Simulated org: Setup at {}, My Domain at {}",
        sim.setup_url,
        sim.classic_url
    );
    if let Err(e) = std::fs::create_dir_all(artifacts) {
        errln!("error: cannot create {}: {e}", artifacts.display());
        return exit::USAGE;
    }
    let path = artifacts.join(SEED_NAME);
    if let Err(e) = std::fs::write(&path, SEED) {
        errln!("error: cannot write {}: {e}", path.display());
        return exit::USAGE;
    }
    let rb = match runbook::load(&path) {
        Ok(rb) => rb,
        Err(e) => {
            errln!("{e}");
            return exit::INVALID_RUNBOOK;
        }
    };
    let mut vars = match seed_inputs(&sim, &cfg, &redactor) {
        Ok(v) => v,
        Err(e) => {
            errln!("error: {e}");
            return exit::USAGE;
        }
    };
    for i in &rb.inputs {
        if !vars.values.contains_key(&i.name) {
            if let Some(d) = &i.default {
                if let Ok(val) = vars.render(d) {
                    if let Err(short) = vars.set(&i.name, val, i.secret, &redactor) {
                        errln!("error: the seed's input `{}` is refused: {short}", i.name);
                        return exit::USAGE;
                    }
                }
            }
        }
    }
    let output = setupwright::job::Output {
        artifacts: artifacts.to_path_buf(),
        quiet: false,
        formats: vec![
            setupwright::report::Format::Json,
            setupwright::report::Format::Html,
            setupwright::report::Format::Junit,
        ],
        verify: false,
        org: None,
        tag: None,
    };
    let setupwright::job::Outcome { code, dir, .. } = setupwright::job::execute(
        &rb,
        vars,
        RunOptions {
            // The simulated org's two origins: Lightning Setup, and the classic pages in
            // its frames (as `--trust-origin` gives them to `run`).
            trusted_origins: vec![sim.setup_url.clone(), sim.classic_url.clone()],
            ..RunOptions::default()
        },
        &output,
        &crate::browser_options(browser),
        redactor.clone(),
        None,
    )
    .await;
    summarize(&sim, &redactor);
    outln!(
        "screenshots and reports: {} (open report.html in a browser)",
        dir.display()
    );
    if keep_open {
        outln!(
            "The simulator stays up; log in as {} at {}. Ctrl-C to stop.",
            cfg.username,
            sim.classic_url
        );
        let _ = tokio::signal::ctrl_c().await;
    }
    code
}

/// What the simulated org holds after the run, in a few lines.
fn summarize(sim: &Sim, redactor: &Redactor) {
    let s = sim.state();
    outln!("\nThe simulated org now holds:");
    for a in s["external_client_apps"].as_array().into_iter().flatten() {
        outln!(
            "  External Client App {} (callback {})",
            a["api_name"].as_str().unwrap_or(""),
            a["callback_url"].as_str().unwrap_or("")
        );
    }
    for p in s["auth_providers"].as_array().into_iter().flatten() {
        outln!(
            "  Auth. Provider {} (callback {})",
            p["url_suffix"].as_str().unwrap_or(""),
            p["callback_url"].as_str().unwrap_or("")
        );
    }
    for n in s["named_credentials"].as_array().into_iter().flatten() {
        outln!(
            "  Named Credential {}: {}",
            n["name"].as_str().unwrap_or(""),
            n["auth_status"].as_str().unwrap_or("")
        );
    }
    for t in s["custom_metadata_types"].as_array().into_iter().flatten() {
        for r in t["records"].as_array().into_iter().flatten() {
            outln!(
                "  {} {}: {}",
                t["label"].as_str().unwrap_or(""),
                r["label"].as_str().unwrap_or(""),
                redactor.redact(&r["values"].to_string())
            );
        }
    }
}

pub fn sim_config(
    port: u16,
    classic_port: u16,
    username: &str,
    chaos: Option<u64>,
    shadow: Shadow,
) -> SimConfig {
    let mut cfg = SimConfig {
        setup_port: port,
        classic_port,
        username: username.into(),
        chaos,
        shadow,
        ..SimConfig::default()
    };
    if let Ok(p) = std::env::var("SETUPWRIGHT_SIM_PASSWORD") {
        cfg.password = p;
    }
    cfg
}

pub async fn serve(
    port: u16,
    classic_port: u16,
    username: &str,
    chaos: Option<u64>,
    shadow: Shadow,
) -> i32 {
    let cfg = sim_config(port, classic_port, username, chaos, shadow);
    match setupwright_sim::start(cfg.clone()).await {
        Ok(sim) => {
            if let Some(why) = sim.lightning_missing() {
                errln!("error: {why}");
                return exit::USAGE;
            }
            outln!(
                "Setup (Lightning): {}/lightning/setup/SetupOneHome/home",
                sim.setup_url
            );
            outln!("My Domain (classic): {}", sim.classic_url);
            outln!(
                "Log in as {} with password {} (set SETUPWRIGHT_SIM_PASSWORD to choose another).",
                cfg.username,
                cfg.password
            );
            outln!(
                "Lightning pages render into {} shadow roots.",
                shadow.name()
            );
            outln!(
                "Verification code: {}   State: {}/__sim/state",
                cfg.verification_code,
                sim.setup_url
            );
            if chaos.is_some() {
                outln!("Chaos mode on (seed {}).", chaos.unwrap_or_default());
            }
            let _ = tokio::signal::ctrl_c().await;
            exit::OK
        }
        Err(e) => {
            errln!("error: cannot start the simulator: {e}\n  help: pick other ports with --port and --classic-port");
            exit::USAGE
        }
    }
}
