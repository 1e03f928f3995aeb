//! The checkpoint journal for `--resume`: `journal.jsonl` in the run folder gets a line
//! for every finished step. Captured secrets never go into the run folder (users keep it
//! as a CI artifact), nor into the journal, the report or the logs: they go to a file
//! private to the user (0600, in a 0700 folder) under the user's state directory, named by
//! the run's random id that the journal's first line records, and removed when the run
//! ends for good.
//!
//! A resumed run skips the guarded (`skip_if`/`only_if`) top-level steps the journal
//! records as done, runs unguarded ones again (sign-in and navigation: their effect was
//! browser state, gone with the browser), and re-runs the first unfinished one from its
//! start: the page a half-done group was on is gone, and the group's own `skip_if` guard
//! keeps a re-run from creating anything twice.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::events::StepRecord;
use super::vars::Vars;

pub const JOURNAL: &str = "journal.jsonl";

pub struct Journal {
    path: PathBuf,
    secrets: PathBuf,
    /// The journal as written so far. Each step rewrites it whole (a temporary file,
    /// synced, renamed): a full disk or a crash leaves the last whole journal, never a
    /// torn line that a resume would have to guess about.
    text: std::sync::Mutex<String>,
}

/// Where captured secrets wait for a resume: `$SETUPWRIGHT_STATE_DIR`, else
/// `$XDG_STATE_HOME/setupwright`, else `~/.local/state/setupwright`; `resume/` below it.
pub fn state_dir() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env("SETUPWRIGHT_STATE_DIR")
        .or_else(|| env("XDG_STATE_HOME").map(|p| p.join("setupwright")))
        .or_else(|| env("HOME").map(|h| h.join(".local/state/setupwright")))
        .unwrap_or_else(|| std::env::temp_dir().join("setupwright-state"));
    base.join("resume")
}

/// The secrets file of the run whose folder is `dir`, from its journal's run id.
pub fn secrets_file(dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(dir.join(JOURNAL)).ok()?;
    let first: Value = serde_json::from_str(text.lines().next()?).ok()?;
    let id = first.get("run_id")?.as_str()?;
    // The id names a file: nothing but hex digits from a journal someone could edit.
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(state_dir().join(format!("{id}.json")))
}

/// Removes the secrets a run kept for a resume: it ended for good.
pub fn forget_secrets(dir: &Path) {
    if let Some(f) = secrets_file(dir) {
        let _ = std::fs::remove_file(f);
    }
}

fn new_run_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    let a = h.finish();
    let mut h2 = std::collections::hash_map::RandomState::new().build_hasher();
    h2.write_u64(a);
    format!("{a:016x}{:016x}", h2.finish())
}

impl Journal {
    pub fn create(dir: &Path, runbook: &Path) -> std::io::Result<Journal> {
        let path = dir.join(JOURNAL);
        let text = if path.exists() {
            std::fs::read_to_string(&path)?
        } else {
            let header =
                json!({ "runbook": runbook.display().to_string(), "run_id": new_run_id() });
            let text = format!("{header}\n");
            crate::report::atomic::write(&path, text.as_bytes())?;
            text
        };
        let secrets = secrets_file(dir)
            .ok_or_else(|| std::io::Error::other(format!("{} has no run id", path.display())))?;
        Ok(Journal {
            path,
            secrets,
            text: std::sync::Mutex::new(text),
        })
    }

    fn append(&self, v: &Value) -> std::io::Result<()> {
        let mut text = self
            .text
            .lock()
            .map_err(|_| std::io::Error::other("the journal's writer panicked"))?;
        let grown = format!("{text}{v}\n");
        crate::report::atomic::write(&self.path, grown.as_bytes())?;
        *text = grown;
        Ok(())
    }

    /// Records a finished step with the run's captures so far. Secret values go only to
    /// the 0600 secrets file.
    pub fn step(
        &self,
        rec: &StepRecord,
        vars: &Vars,
        input_names: &[String],
    ) -> std::io::Result<()> {
        let mut plain = BTreeMap::new();
        let mut secret = BTreeMap::new();
        for (k, v) in &vars.values {
            if input_names.contains(k) {
                continue;
            }
            if vars.is_secret(k) {
                secret.insert(k.clone(), v.clone());
            } else {
                plain.insert(k.clone(), v.clone());
            }
        }
        if !secret.is_empty() {
            write_private(
                &self.secrets,
                &serde_json::to_string(&secret).unwrap_or_default(),
            )?;
        }
        let status = rec.status.word();
        self.append(&json!({ "path": rec.path, "depth": rec.depth, "status": status, "captures": plain, "secret_captures": secret.keys().collect::<Vec<_>>() }))
    }
}

/// Writes the secrets file whole or not at all: into a new file of a random name in the
/// same private folder, opened so that it cannot be an existing file or a symlink someone
/// planted (O_CREAT|O_EXCL|O_NOFOLLOW), then renamed over the old one (a rename replaces a
/// symlink at `path` itself, never what it points to).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
    let parent = path
        .parent()
        .ok_or_else(|| std::io::Error::other(format!("{} has no folder", path.display())))?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(parent)?;
    // A folder made before (by someone else, or open to others) is not private: refuse
    // it rather than put secrets where another user can read or swap them.
    let meta = std::fs::symlink_metadata(parent)?;
    // SAFETY: geteuid(2) has no preconditions and touches no memory.
    let me = unsafe { libc::geteuid() };
    if !meta.is_dir() || meta.uid() != me || meta.mode() & 0o077 != 0 {
        return Err(std::io::Error::other(format!(
            "{} must be a folder of your own that only you can open (mode 0700) to keep a run's secrets in; fix it with: chmod 700 {0}, or point SETUPWRIGHT_STATE_DIR at another folder",
            parent.display()
        )));
    }
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = None;
    for _ in 0..16 {
        let tmp = parent.join(format!(".{stem}.{}.tmp", new_run_id()));
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp);
        let mut f = match opened {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                last = Some(e);
                continue;
            }
            Err(e) => return Err(e),
        };
        let written = f
            .write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .and_then(|()| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        return written;
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// What an interrupted run left: the top-level steps it finished, and its captures.
#[derive(Debug, Default)]
pub struct ResumeState {
    pub runbook: String,
    pub done_top_level: HashSet<String>,
    pub captures: BTreeMap<String, String>,
    pub secret_captures: BTreeMap<String, String>,
}

pub fn read(dir: &Path) -> Result<ResumeState, String> {
    let path = dir.join(JOURNAL);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e}; --resume takes the run folder of the interrupted run",
            path.display()
        )
    })?;
    // A damaged journal is refused, never read in part: what it lost could be a step that
    // changed the org, and a resume that guessed would do it again or skip it.
    let damaged = |at: usize, why: String| {
        format!(
            "{}:{at}: the journal is damaged ({why}); --resume cannot tell which steps finished\n  help: run again without --resume (the guarded groups skip what is already done), into a new run folder",
            path.display()
        )
    };
    if text.is_empty() || !text.ends_with('\n') {
        return Err(damaged(
            text.lines().count().max(1),
            "it is empty or its last line is cut short".into(),
        ));
    }
    let mut st = ResumeState::default();
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| damaged(i + 1, format!("not a journal line: {e}")))?;
        if i == 0 {
            match (
                v.get("runbook").and_then(Value::as_str),
                v.get("run_id").and_then(Value::as_str),
            ) {
                (Some(r), Some(_)) => st.runbook = r.to_string(),
                _ => {
                    return Err(damaged(
                        1,
                        "its first line names no runbook and run id".into(),
                    ))
                }
            }
            continue;
        }
        let known = v.get("path").and_then(Value::as_str).is_some()
            && v.get("depth").and_then(Value::as_u64).is_some()
            && matches!(
                v.get("status").and_then(Value::as_str),
                Some("passed" | "skipped" | "failed")
            );
        if !known {
            return Err(damaged(
                i + 1,
                "a step's line without its path, depth and status".into(),
            ));
        }
        if let Some(c) = v.get("captures").and_then(Value::as_object) {
            for (k, val) in c {
                st.captures
                    .insert(k.clone(), val.as_str().unwrap_or_default().to_string());
            }
        }
        let done = matches!(
            v.get("status").and_then(Value::as_str),
            Some("passed" | "skipped")
        );
        if done && v.get("depth").and_then(Value::as_u64) == Some(0) {
            if let Some(p) = v.get("path").and_then(Value::as_str) {
                st.done_top_level.insert(p.to_string());
            }
        }
    }
    if let Some(secrets) = secrets_file(dir).filter(|f| f.exists()) {
        let text = std::fs::read_to_string(&secrets)
            .map_err(|e| format!("cannot read {}: {e}", secrets.display()))?;
        st.secret_captures = serde_json::from_str(&text)
            .map_err(|e| format!("{} is damaged: {e}", secrets.display()))?;
    }
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::events::{Status, StepKindName};
    use crate::run::vars::Redactor;

    fn rec(path: &str, depth: usize, status: Status) -> StepRecord {
        let mut rec = StepRecord::new(
            path,
            "t",
            StepKindName::Action,
            depth,
            std::path::Path::new(""),
            1,
            status,
        );
        rec.attempts = 1;
        rec
    }

    #[test]
    fn journal_round_trips_and_keeps_secrets_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let state = tempfile::tempdir().unwrap();
        // The only test in this binary that reads the state directory.
        std::env::set_var("SETUPWRIGHT_STATE_DIR", state.path());
        let j = Journal::create(dir.path(), Path::new("r.yaml")).unwrap();
        let r = Redactor::default();
        let mut vars = Vars::default();
        vars.set("password", "input-secret".into(), true, &r)
            .unwrap();
        vars.set("key", "K1".into(), false, &r).unwrap();
        vars.set("secret", "S3CRET".into(), true, &r).unwrap();
        j.step(&rec("1", 0, Status::Passed), &vars, &["password".into()])
            .unwrap();
        j.step(&rec("2.1", 1, Status::Passed), &vars, &["password".into()])
            .unwrap();
        j.step(&rec("2", 0, Status::Failed), &vars, &["password".into()])
            .unwrap();
        let journal = std::fs::read_to_string(dir.path().join(JOURNAL)).unwrap();
        assert!(!journal.contains("S3CRET") && !journal.contains("input-secret"));
        let kept = secrets_file(dir.path()).unwrap();
        assert!(
            !kept.starts_with(dir.path()),
            "secrets stay out of the run folder"
        );
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let folder = std::fs::metadata(kept.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(folder & 0o777, 0o700);
        for f in std::fs::read_dir(dir.path()).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            assert!(!text.contains("S3CRET"));
        }
        let st = read(dir.path()).unwrap();
        assert_eq!(st.runbook, "r.yaml");
        assert_eq!(st.done_top_level, ["1".to_string()].into_iter().collect());
        assert_eq!(st.captures["key"], "K1");
        assert_eq!(st.secret_captures["secret"], "S3CRET");
        assert!(
            !st.secret_captures.contains_key("password"),
            "inputs are given again, not stored"
        );
        forget_secrets(dir.path());
        assert!(!kept.exists());
    }
}
