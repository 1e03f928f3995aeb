//! Resolves a runbook's inputs from, in order: `--input k=v`, `--inputs FILE`, the
//! environment (`SETUPWRIGHT_<NAME>`), and the declared default. Secret inputs are
//! refused on the command line, where other users and shell history can see them.

use std::collections::HashMap;
use std::path::Path;

use super::vars::{NotGiven, Redactor, Vars};
use crate::runbook::error::nearest;
use crate::runbook::Runbook;

pub fn env_name(input: &str) -> String {
    format!("SETUPWRIGHT_{}", input.to_ascii_uppercase())
}

/// Reads `--inputs FILE`: a YAML mapping of names to strings (numbers and booleans are
/// taken as their text).
pub fn read_file(path: &Path) -> Result<HashMap<String, String>, String> {
    let text = crate::runbook::source::read_text(path, "inputs file").map_err(|e| {
        format!(
            "{} (line {}, column {}); {}",
            e.message, e.span.line, e.span.col, e.help
        )
    })?;
    let value: serde_yaml::Value = serde_yaml::from_str(&text)
        .map_err(|e| format!("inputs file {} is not valid YAML: {e}", path.display()))?;
    let map = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => return Ok(HashMap::new()),
        _ => {
            return Err(format!(
                "inputs file {} must be a mapping of `name: value` lines",
                path.display()
            ))
        }
    };
    let mut out = HashMap::new();
    for (k, v) in map {
        let key = k
            .as_str()
            .ok_or_else(|| format!("inputs file {}: keys must be input names", path.display()))?
            .to_string();
        let val = match v {
            serde_yaml::Value::String(s) => s,
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            _ => {
                return Err(format!(
                    "inputs file {}: `{key}` must be a plain value",
                    path.display()
                ))
            }
        };
        out.insert(key, val);
    }
    Ok(out)
}

pub fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`--input {s}` must be NAME=VALUE")),
    }
}

pub fn resolve(
    rb: &Runbook,
    cli: &[(String, String)],
    file: &HashMap<String, String>,
    env: &dyn Fn(&str) -> Option<String>,
    redactor: &Redactor,
) -> Result<Vars, Vec<String>> {
    let (vars, errors) = resolve_partly(rb, cli, file, env, redactor);
    if errors.is_empty() {
        Ok(vars)
    } else {
        Err(errors)
    }
}

/// Whether an error of [`resolve`] says only that an input has no value yet (which
/// `plan` shows as "(not given)"), rather than that a value given is wrong.
pub fn is_missing(error: &str) -> bool {
    error.starts_with("missing input `")
}

/// Of `errors`, the inputs said missing that `needed` does not name are asked for only
/// if a step needs one after all (a part of the runbook that never reads them: its
/// `--group`, `--from`, `--to`); they leave the list for `vars.not_given`, with how to
/// give each. The rest are returned.
pub fn defer_unneeded(
    vars: &mut Vars,
    errors: Vec<String>,
    needed: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut kept = Vec::new();
    for e in errors {
        let name_and_how = e
            .strip_prefix("missing input `")
            .and_then(|rest| rest.split_once("`: "));
        match name_and_how {
            Some((name, how)) if !needed(name) => vars.not_given.push(NotGiven {
                name: name.to_string(),
                how: how.to_string(),
                secret: false,
            }),
            _ => kept.push(e),
        }
    }
    kept
}

/// What `resolve` finds even when some inputs are missing or wrong: every value it could
/// settle (defaults included), and the errors.
pub fn resolve_partly(
    rb: &Runbook,
    cli: &[(String, String)],
    file: &HashMap<String, String>,
    env: &dyn Fn(&str) -> Option<String>,
    redactor: &Redactor,
) -> (Vars, Vec<String>) {
    let mut errors = Vec::new();
    let names: Vec<&str> = rb.inputs.iter().map(|i| i.name.as_str()).collect();
    let given = cli.iter().map(|(k, _)| k).chain(file.keys());
    for k in given {
        if !names.contains(&k.as_str()) {
            let hint = nearest(k, names.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            errors.push(format!(
                "the runbook has no input `{k}`{hint}; its inputs: {}",
                names.join(", ")
            ));
        }
    }
    let mut vars = Vars {
        public_env: rb.public_env.clone(),
        ..Vars::default()
    };
    for decl in &rb.inputs {
        let from_cli = cli
            .iter()
            .rev()
            .find(|(k, _)| *k == decl.name)
            .map(|(_, v)| v.clone());
        if decl.secret && from_cli.is_some() {
            errors.push(format!(
                "`{}` is secret and must not be given on the command line; set {} in the environment or put it in an --inputs file (mode 0600)",
                decl.name,
                env_name(&decl.name)
            ));
            continue;
        }
        let mut refused = None;
        let value = from_cli
            .or_else(|| file.get(&decl.name).cloned())
            .or_else(|| env(&env_name(&decl.name)))
            .or_else(|| match decl.default.as_ref().map(|d| {
                vars.register_env_secrets(d, redactor)?;
                Ok(vars.render(d))
            }) {
                Some(Err((name, short))) => {
                    refused = Some(format!(
                        "{}: the default of `{}` reads `${{{name}}}`, a secret, and it is refused: {short}; declare it `{}: {{ secret: false }}` under `env:` if it is not one",
                        rb.path.display(),
                        decl.name,
                        name.trim_start_matches("env.")
                    ));
                    None
                }
                Some(Ok(Ok(v))) => Some(v),
                Some(Ok(Err(e @ crate::runbook::RenderError::TooLong { .. }))) => {
                    // The inputs it joins were given long: said at the default's place.
                    refused = Some(format!(
                        "{}: the default of `{}`: {e}; give `{}` a shorter value, or shorter values to the inputs it joins",
                        rb.path.display(),
                        decl.name,
                        decl.name
                    ));
                    None
                }
                // An input it names has no value: this one is then missing too.
                _ => None,
            });
        match value {
            Some(v) => {
                let from = if file.contains_key(&decl.name) {
                    "the --inputs file".to_string()
                } else if env(&env_name(&decl.name)).is_some() {
                    env_name(&decl.name)
                } else {
                    "its default".to_string()
                };
                if let Err(short) = vars.set(&decl.name, v, decl.secret, redactor) {
                    errors.push(format!(
                        "secret input `{}` (from {from}) is refused: {short}; use the real value, or drop `secret: true` if it is not one",
                        decl.name
                    ));
                }
            }
            None if refused.is_some() => errors.extend(refused),
            // A secret is asked for only where a step needs it: signed in through the
            // Salesforce CLI, the seed never types the password its sign-in step would.
            None if decl.secret => vars.not_given.push(NotGiven {
                name: decl.name.clone(),
                how: format!("set {} or put it in an --inputs file", env_name(&decl.name)),
                secret: true,
            }),
            None => {
                let example = decl
                    .example
                    .as_deref()
                    .map(|e| format!(", e.g. {e}"))
                    .unwrap_or_default();
                let how = format!(
                    "pass --input {}=...{example}, or set {}",
                    decl.name,
                    env_name(&decl.name)
                );
                errors.push(format!("missing input `{}`: {how}", decl.name));
            }
        }
    }
    (vars, errors)
}

/// A warning when an inputs file holds a secret input's value and other users of the
/// machine may read it (its mode gives read to group or others).
pub fn exposure_warning(
    path: &std::path::Path,
    rb: &Runbook,
    values: &HashMap<String, String>,
) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let secrets: Vec<&str> = rb
        .inputs
        .iter()
        .filter(|i| i.secret && values.contains_key(&i.name))
        .map(|i| i.name.as_str())
        .collect();
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    if secrets.is_empty() || mode & 0o044 == 0 {
        return None;
    }
    Some(format!(
        "warning: {} holds the secret input(s) {} and other users can read it (mode {:o})\n  help: chmod 600 {}",
        path.display(),
        secrets.join(", "),
        mode & 0o777,
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn rb() -> Runbook {
        crate::runbook::load_source(
            Path::new("t.yaml"),
            "runbook: t\ninputs:\n  domain: {}\n  password: { secret: true }\n  app: { default: \"App on ${domain}\" }\nsteps:\n  - click: x\n",
            vec![],
        )
        .unwrap()
    }

    #[test]
    fn resolves_in_order_and_renders_defaults() {
        let r = Redactor::default();
        let env = |k: &str| (k == "SETUPWRIGHT_PASSWORD").then(|| "hunter22".to_string());
        let v = resolve(
            &rb(),
            &[("domain".into(), "acme".into())],
            &HashMap::new(),
            &env,
            &r,
        )
        .unwrap();
        assert_eq!(v.values["app"], "App on acme");
        assert_eq!(r.redact("pw hunter22"), "pw ***");
    }

    #[test]
    fn refuses_secrets_on_the_command_line_and_reports_missing_and_unknown() {
        let r = Redactor::default();
        let errs = resolve(
            &rb(),
            &[
                ("password".into(), "x".into()),
                ("domian".into(), "a".into()),
            ],
            &HashMap::new(),
            &|_| None,
            &r,
        )
        .unwrap_err();
        let all = errs.join("\n");
        assert!(all.contains("`password` is secret"), "{all}");
        assert!(
            all.contains("no input `domian` (did you mean `domain`?)"),
            "{all}"
        );
        assert!(all.contains("missing input `domain`"), "{all}");
    }

    #[test]
    fn a_secret_too_short_to_redact_is_refused_with_where_it_came_from() {
        let r = Redactor::default();
        let env = |k: &str| (k == "SETUPWRIGHT_PASSWORD").then(|| "pw".to_string());
        let errs = resolve(
            &rb(),
            &[("domain".into(), "acme".into())],
            &HashMap::new(),
            &env,
            &r,
        )
        .unwrap_err();
        let all = errs.join("\n");
        assert!(
            all.contains("secret input `password` (from SETUPWRIGHT_PASSWORD) is refused"),
            "{all}"
        );
        assert!(all.contains("under 3 characters"), "{all}");
        assert!(r.is_empty(), "nothing half-registered");
    }

    #[test]
    fn a_default_joining_long_given_values_is_refused_at_its_place() {
        let rb = crate::runbook::load_source(
            Path::new("t.yaml"),
            "runbook: t\ninputs:\n  a: {}\n  b: { default: \"${a}${a}\" }\nsteps:\n  - click: x\n",
            vec![],
        )
        .unwrap();
        let long = "x".repeat(crate::runbook::template::MAX_RENDERED / 2 + 1);
        let file = HashMap::from([("a".to_string(), long)]);
        let errs = resolve(&rb, &[], &file, &|_| None, &Redactor::default()).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("t.yaml: the default of `b`: the value written at line 4, column 18 renders to more than 1 MiB"),
            "{errs:?}"
        );
    }
}
