//! `verify`: which steps it may run (those that only read), and which it leaves alone.

use super::*;

/// Actions `verify` may run: those whose description marks them read-only (they read or
/// move around, and cannot change the org's data).
pub(super) fn read_only(a: &Action) -> bool {
    a.spec().read_only
}

/// Whether a step, or any step inside it, could change the org's data.
pub(super) fn changes_org(step: &Step) -> bool {
    match &step.kind {
        StepKind::Action(a) => !read_only(a),
        StepKind::Group { steps, .. } => steps.iter().any(changes_org),
        StepKind::Include { runbook, .. } => runbook.steps.iter().any(changes_org),
    }
}
