//! `verify`: which steps it may run (those that only read), and which it leaves alone.

use super::*;

/// Actions `verify` may run: they read or move around, and cannot change the org's data.
pub(super) fn read_only(a: &Action) -> bool {
    matches!(
        a,
        Action::Goto { .. }
            | Action::Setup { .. }
            | Action::Login { .. }
            | Action::Window { .. }
            | Action::WaitFor { .. }
            | Action::Expect { .. }
            | Action::Capture { .. }
            | Action::Screenshot { .. }
    )
}

/// Whether a step, or any step inside it, could change the org's data.
pub(super) fn changes_org(step: &Step) -> bool {
    match &step.kind {
        StepKind::Action(a) => !read_only(a),
        StepKind::Group { steps, .. } => steps.iter().any(changes_org),
        StepKind::Include { runbook, .. } => runbook.steps.iter().any(changes_org),
    }
}
