//! The simulated org: what it holds, and the rules a real org enforces on it.
//! Everything here is plain data, readable as JSON at `/__sim/state`.

use std::collections::BTreeMap;

use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Default)]
pub struct Org {
    pub org_id: String,
    pub my_domain: String,
    pub users: Vec<User>,
    #[serde(skip)]
    pub sessions: Vec<String>,
    /// Single-use frontdoor codes (`otp`) and the session each one opens.
    #[serde(skip)]
    pub one_time_logins: std::collections::HashMap<String, String>,
    pub external_client_apps: Vec<ExternalClientApp>,
    pub auth_providers: Vec<AuthProvider>,
    pub named_credentials: Vec<NamedCredential>,
    pub custom_metadata_types: Vec<CustomMetadataType>,
    #[serde(skip)]
    pub flows: Vec<OAuthFlow>,
    /// What happened, in order: creations, edits, OAuth outcomes.
    pub events: Vec<String>,
    #[serde(skip)]
    pub seq: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub username: String,
    #[serde(skip)]
    pub password: String,
    pub email: String,
}

/// An External Client App: what its creation form set, and the credentials the org made.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ExternalClientApp {
    pub id: String,
    #[serde(flatten)]
    pub settings: EcaSettings,
    pub consumer_key: String,
    pub consumer_secret: String,
}

/// An External Client App's settings, as its creation form posts them.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct EcaSettings {
    pub name: String,
    pub api_name: String,
    pub contact_email: String,
    pub distribution_state: String,
    pub oauth_enabled: bool,
    pub callback_url: String,
    pub scopes: Vec<String>,
    pub introspect_all_tokens: bool,
    pub configure_id_token: bool,
    pub flows: BTreeMap<String, bool>,
    pub security: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct AuthProvider {
    pub id: String,
    pub provider_type: String,
    pub name: String,
    pub url_suffix: String,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub default_scopes: String,
    pub use_pkce: bool,
    pub callback_url: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct NamedCredential {
    pub id: String,
    pub label: String,
    pub name: String,
    pub url: String,
    pub identity_type: String,
    pub protocol: String,
    pub auth_provider_id: String,
    pub auth_provider: String,
    pub scope: String,
    pub start_auth_flow: bool,
    pub generate_auth_header: bool,
    pub allow_merge_fields_header: bool,
    pub allow_merge_fields_body: bool,
    pub auth_status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustomMetadataType {
    pub id: String,
    pub label: String,
    pub plural_label: String,
    pub api_name: String,
    pub key_prefix: String,
    pub fields: Vec<(String, String)>,
    pub records: Vec<MetadataRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetadataRecord {
    pub id: String,
    pub label: String,
    pub name: String,
    pub values: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct OAuthFlow {
    pub state: String,
    pub provider_id: String,
    pub app_id: String,
    pub named_credential_id: String,
    pub scope: String,
    pub code: Option<String>,
}

/// The scopes an External Client App offers, and the token each grants.
pub const SCOPES: &[(&str, &[&str])] = &[
    (
        "Access the identity URL service (id, profile, email, address, phone)",
        &["id", "profile", "email", "address", "phone", "openid"],
    ),
    ("Manage user data via APIs (api)", &["api"]),
    ("Manage user data via Web browsers (web)", &["web"]),
    ("Full access (full)", &["full"]),
    (
        "Perform requests at any time (refresh_token, offline_access)",
        &["refresh_token", "offline_access"],
    ),
    ("Access Lightning applications (lightning)", &["lightning"]),
];

pub const FLOWS: &[(&str, &str)] = &[
    ("client_credentials", "Enable Client Credentials Flow"),
    (
        "authorization_code_and_credentials",
        "Enable Authorization Code and Credentials Flow",
    ),
    ("device", "Enable Device Flow"),
    ("jwt_bearer", "Enable JWT Bearer Flow"),
    ("token_exchange", "Enable Token Exchange Flow"),
];

pub const SECURITY: &[(&str, &str, bool)] = &[
    (
        "require_secret_web_server",
        "Require secret for Web Server Flow",
        true,
    ),
    (
        "require_secret_refresh_token",
        "Require secret for Refresh Token Flow",
        true,
    ),
    (
        "require_pkce",
        "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows",
        true,
    ),
    (
        "refresh_token_rotation",
        "Enable Refresh Token Rotation",
        false,
    ),
    (
        "jwt_access_tokens",
        "Issue JSON Web Token (JWT)-based access tokens for named users",
        false,
    ),
];

pub fn random_token(len: usize, alphabet: &[u8]) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The API name Salesforce derives from a label: runs of other characters become one
/// underscore, no leading digit, no trailing underscore.
pub fn api_name(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("X{out}")
    } else {
        out
    }
}

pub fn valid_api_name(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.contains("__")
        && !s.ends_with('_')
}

impl Org {
    pub fn new(my_domain: &str, username: &str, password: &str) -> Org {
        let mut org = Org {
            org_id: "00D5g000004SIMAAA".into(),
            my_domain: my_domain.into(),
            ..Default::default()
        };
        org.users.push(User {
            username: username.into(),
            password: password.into(),
            email: username.into(),
        });
        let mut values = BTreeMap::new();
        values.insert("Named_Credential_API_Name__c".into(), String::new());
        org.custom_metadata_types.push(CustomMetadataType {
            id: "01I5g000000SIM1".into(),
            label: "AdvoLogix Global Configuration".into(),
            plural_label: "AdvoLogix Global Configurations".into(),
            api_name: "advpm__Global_Configuration__mdt".into(),
            key_prefix: "m0A".into(),
            fields: vec![(
                "Named_Credential_API_Name__c".into(),
                "Named Credential API Name".into(),
            )],
            records: vec![MetadataRecord {
                id: "m0A5g000000SIM1AAA".into(),
                label: "My Org Named Credential".into(),
                name: "My_Org_Named_Credential".into(),
                values,
            }],
        });
        org
    }

    pub fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}5g0000{:06}SIM", self.seq)
    }

    pub fn new_session(&mut self) -> String {
        let sid = format!("{}!{}", self.org_id, random_token(40, ALNUM));
        self.sessions.push(sid.clone());
        sid
    }

    /// Ends every session, as a session timeout or "Expire all passwords" would: the CLI's
    /// stored access token and the browser's cookie stop working together.
    pub fn expire_sessions(&mut self) {
        self.sessions.clear();
        self.one_time_logins.clear();
    }

    /// The session a single-use frontdoor code opens; the code is spent either way.
    pub fn redeem_one_time_login(&mut self, otp: &str) -> Option<String> {
        let sid = self.one_time_logins.remove(otp)?;
        self.sessions.contains(&sid).then_some(sid)
    }

    pub fn new_consumer_credentials() -> (String, String) {
        (
            format!(
                "3MVG9{}",
                random_token(
                    80,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"
                )
            ),
            random_token(64, b"0123456789ABCDEF"),
        )
    }

    pub fn scope_label_for(token: &str) -> Option<&'static str> {
        SCOPES
            .iter()
            .find(|(_, t)| t.contains(&token))
            .map(|(l, _)| *l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_use_login_works_once_and_only_for_a_live_session() {
        let mut org = Org::new("http://127.0.0.1:1", "admin@example.com", "pw");
        let sid = org.new_session();
        org.one_time_logins.insert("otp1".into(), sid.clone());
        assert_eq!(org.redeem_one_time_login("otp1"), Some(sid.clone()));
        assert_eq!(org.redeem_one_time_login("otp1"), None, "spent");
        org.one_time_logins.insert("otp2".into(), sid);
        org.expire_sessions();
        assert_eq!(org.redeem_one_time_login("otp2"), None);
        assert!(org.sessions.is_empty());
    }

    #[test]
    fn api_names_follow_salesforce_rules() {
        assert_eq!(
            api_name("CaseCloud Secured Login"),
            "CaseCloud_Secured_Login"
        );
        assert!(valid_api_name("My_Org_Named_Credential"));
        assert!(!valid_api_name("Ends_"));
        assert!(!valid_api_name("Two__Underscores"));
    }
}
