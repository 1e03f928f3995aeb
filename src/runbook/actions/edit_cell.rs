//! `edit_cell`: change a table cell inline, as a person does in a datatable: the cell's
//! pencil, the value typed, Tab, and the table's Save.

use super::*;

#[derive(Debug, Clone)]
pub struct EditCell {
    pub target: Locator,
    pub value: Template,
    /// Click the table's Save once the edit is in (false: leave the edit as a draft, for
    /// more edits saved by a later step).
    pub save: bool,
}

impl Verb for EditCell {
    const SPEC: ActionSpec = ActionSpec {
        name: "edit_cell",
        summary: "Change a table cell inline: open its editor, type, commit, and save the table.",
        keys: &[
            Key::text("with", "The cell's new value (it replaces what is there)."),
            Key::flag(
                "save",
                "Save the table after the edit (default true); false leaves it a draft for a later step's Save.",
            ),
        ],
        locator: LocatorUse::Required,
        locator_kinds: &["cell"],
        required: &["with"],
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let example = "cell: Email, in_row: Dorothy Vaughan, with: \"dv@example.com\"";
        let (target, rest) = p.locator(v, &Self::SPEC.key_names())?;
        if !Self::SPEC.locator_kinds.contains(&target.kind.name()) {
            p.err_help(
                target.span,
                match target.kind {
                    LocatorKind::Auto => {
                        "`edit_cell` edits a cell, named by its column".to_string()
                    }
                    k => format!("`edit_cell` edits a cell, and this names a {}", k.name()),
                },
                format!("write `{example}`"),
            );
            return None;
        }
        let with = p.needed(&rest, "with", key, "edit_cell", example)?;
        let value = p.template(with, "`with`")?;
        let save = match rest.iter().find(|(k, _)| k.as_str() == Some("save")) {
            Some((_, v)) => p.bool(v, "`save`")?,
            None => true,
        };
        Some(EditCell {
            target,
            value,
            save,
        })
    }

    fn title(&self) -> String {
        format!(
            "edit {} to \"{}\"",
            self.target.describe(),
            self.value.source()
        )
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }

    fn templates(&self) -> Vec<&Template> {
        vec![&self.value]
    }
}
