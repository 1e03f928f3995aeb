//! `login`: sign in on a Salesforce login page.

use super::*;

#[derive(Debug, Clone)]
pub struct Login {
    pub username: Template,
    pub password: Template,
}

impl Verb for Login {
    const SPEC: ActionSpec = ActionSpec {
        name: "login",
        summary: "Sign in on a Salesforce login page.",
        keys: &[
            Key::text("username", "The username to sign in with."),
            Key::text(
                "password",
                "The password to sign in with; write it as `${an_input}` declared `secret: true`.",
            ),
        ],
        locator: LocatorUse::None,
        required: &["username", "password"],
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        p.only_keys(v, &Self::SPEC.key_names());
        let username = p.required(v, "username", key, "login")?;
        let password = p.required(v, "password", key, "login")?;
        Some(Login {
            username: p.template(username, "`username`")?,
            password: p.template(password, "`password`")?,
        })
    }

    fn title(&self) -> String {
        "log in".into()
    }

    fn templates(&self) -> Vec<&Template> {
        vec![&self.username, &self.password]
    }
}
