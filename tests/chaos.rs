//! Reliability under a slow and flaky org: the seed runbook against the simulator in
//! chaos mode (render delays up to 1.5 s, re-rendered buttons, slow toasts and saves,
//! slow redirects, 503 pages), for seeds 1 to 4 (`SETUPWRIGHT_CHAOS_SEEDS=1-8` or `3,7`
//! for others), two at a time, each run twice: the second run must find everything done
//! and change nothing. `scripts/chaos.sh` runs 100 seeds once each.

mod common;

use common::*;

fn run_seed(seed: u64) -> Result<(), String> {
    let h = start_sim(Some(seed));
    let artifacts = tmp_artifacts();
    let out = h.run_seed(&artifacts, &h.cfg.password.clone(), &[]);
    if out.code != 0 {
        return Err(format!(
            "seed {seed}: exit {}\n{}",
            out.code,
            out.stdout
                .lines()
                .filter(|l| l.contains("FAIL") || l.contains("step "))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let s = h.sim.state();
    let nc = &s["named_credentials"][0];
    if nc["auth_status"] != format!("Authenticated as {}", h.cfg.username) {
        return Err(format!(
            "seed {seed}: the Named Credential is {}",
            nc["auth_status"]
        ));
    }
    for key in [
        "external_client_apps",
        "auth_providers",
        "named_credentials",
    ] {
        if s[key].as_array().map(|a| a.len()) != Some(1) {
            return Err(format!("seed {seed}: {key} holds {}", s[key]));
        }
    }
    // Again on the same slow org: every guard must now find its work done (a guard that
    // decided "missing" too early would create a second app or credential).
    let again = h.run_seed(&artifacts, &h.cfg.password.clone(), &[]);
    if again.code != 0 {
        return Err(format!(
            "seed {seed}, second run: exit {}\n{}",
            again.code,
            again
                .stdout
                .lines()
                .filter(|l| l.contains("FAIL") || l.contains("step "))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if h.sim.state() != s {
        return Err(format!(
            "seed {seed}: the second run changed the org:\n{}",
            again.stdout
        ));
    }
    Ok(())
}

/// The seeds to run: `SETUPWRIGHT_CHAOS_SEEDS` as `A-B` or `A,B,C`, else 1 to 4 (eight
/// made a third of the suite's time; seeds 5 to 8 passed on every run until then).
fn seeds() -> Vec<u64> {
    let Ok(spec) = std::env::var("SETUPWRIGHT_CHAOS_SEEDS") else {
        return (1..=4).collect();
    };
    if let Some((a, b)) = spec.split_once('-') {
        let (a, b) = (a.trim().parse::<u64>(), b.trim().parse::<u64>());
        match (a, b) {
            (Ok(a), Ok(b)) if a <= b => (a..=b).collect(),
            _ => bad(&spec),
        }
    } else {
        spec.split(',')
            .map(|s| s.trim().parse::<u64>().unwrap_or_else(|_| bad(&spec)))
            .collect()
    }
}

fn bad(spec: &str) -> ! {
    panic!("SETUPWRIGHT_CHAOS_SEEDS={spec:?}: write A-B or A,B,C")
}

#[test]
fn the_seed_runbook_passes_under_chaos() {
    let seeds = seeds();
    let failures: Vec<String> = seeds
        .chunks(2)
        .flat_map(|pair| {
            let handles: Vec<_> = pair
                .iter()
                .map(|&s| std::thread::spawn(move || run_seed(s)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("panicked".into())))
                .collect::<Vec<_>>()
        })
        .filter_map(Result::err)
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} seeds failed:\n{}",
        failures.len(),
        seeds.len(),
        failures.join("\n\n")
    );
}
