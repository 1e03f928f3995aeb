//! What the org accepts and does when a Setup form is saved: the rules Salesforce checks
//! (required fields, API names, duplicates, lookups) and what a save leaves behind, as
//! `Org` methods. The HTTP handlers only read forms and render the answer.

use std::collections::HashMap;

use crate::state::{
    valid_api_name, AuthProvider, EcaSettings, ExternalClientApp, NamedCredential, Org,
};

/// A form as posted: field name to value. Errors come back the same way: field name to
/// the message Salesforce shows under it.
pub type Fields = HashMap<String, String>;

impl Org {
    /// Creates an Auth. Provider from its edit form; its id, or the form's errors.
    /// `classic_url` is the org's My Domain, which the Callback URL is made from.
    pub fn save_auth_provider(&mut self, f: &Fields, classic_url: &str) -> Result<String, Fields> {
        let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        let mut errors = Fields::new();
        if get("ProviderType").is_empty() || get("ProviderType") == "--None--" {
            errors.insert("ProviderType".into(), "You must enter a value".into());
        }
        if get("Name").is_empty() {
            errors.insert("Name".into(), "You must enter a value".into());
        }
        let suffix = get("UrlSuffix");
        if suffix.is_empty() {
            errors.insert("UrlSuffix".into(), "You must enter a value".into());
        } else if !valid_api_name(&suffix) {
            errors.insert("UrlSuffix".into(), "The URL Suffix can only contain underscores and alphanumeric characters, must begin with a letter and be unique.".into());
        } else if self
            .auth_providers
            .iter()
            .any(|p| p.url_suffix.eq_ignore_ascii_case(&suffix))
        {
            errors.insert(
                "UrlSuffix".into(),
                "Duplicate value: an Auth. Provider already uses this URL Suffix.".into(),
            );
        }
        if get("ProviderType") == "Salesforce" {
            if get("ConsumerKey").is_empty() {
                errors.insert("ConsumerKey".into(), "You must enter a value".into());
            }
            if get("ConsumerSecret").is_empty() {
                errors.insert("ConsumerSecret".into(), "You must enter a value".into());
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let id = self.next_id("0SO");
        let callback_url = format!("{}/services/authcallback/{suffix}", classic_url);
        self.events.push(format!("created Auth. Provider {suffix}"));
        self.auth_providers.push(AuthProvider {
            id: id.clone(),
            provider_type: get("ProviderType"),
            name: get("Name"),
            url_suffix: suffix,
            consumer_key: get("ConsumerKey"),
            consumer_secret: get("ConsumerSecret"),
            default_scopes: get("DefaultScopes"),
            use_pkce: f.contains_key("UsePkce"),
            callback_url,
        });
        Ok(id)
    }

    /// Creates an External Client App from its form, with new consumer credentials; its
    /// id, or the form's errors.
    pub fn create_external_client_app(&mut self, mut b: EcaSettings) -> Result<String, Fields> {
        let mut errors = Fields::new();
        let mut err = |k: &str, m: &str| {
            errors.insert(k.into(), m.into());
        };
        if b.name.trim().is_empty() {
            err("name", "Complete this field.");
        }
        if b.api_name.trim().is_empty() {
            err("api_name", "Complete this field.");
        } else if !valid_api_name(&b.api_name) {
            err("api_name", "The API name can contain only underscores and alphanumeric characters, must begin with a letter, and must be unique.");
        } else if self
            .external_client_apps
            .iter()
            .any(|a| a.settings.api_name.eq_ignore_ascii_case(&b.api_name))
        {
            err(
                "api_name",
                "An External Client App with this API name already exists.",
            );
        }
        if !b.contact_email.contains('@') || b.contact_email.trim().len() < 3 {
            err("contact_email", "Enter a valid email address.");
        }
        if b.distribution_state.is_empty() {
            err("distribution_state", "Select a distribution state.");
        }
        if b.oauth_enabled {
            if b.callback_url.trim().is_empty() {
                err("callback_url", "Complete this field.");
            } else if url::Url::parse(b.callback_url.trim()).is_err() {
                err("callback_url", "Enter a valid URL.");
            }
            if b.scopes.is_empty() {
                err("scopes", "Select at least one OAuth scope.");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (key, secret) = Org::new_consumer_credentials();
        let id = self.next_id("0xI");
        self.events
            .push(format!("created External Client App {}", b.api_name));
        b.name = b.name.trim().into();
        b.callback_url = b.callback_url.trim().into();
        self.external_client_apps.push(ExternalClientApp {
            id: id.clone(),
            settings: b,
            consumer_key: key,
            consumer_secret: secret,
        });
        Ok(id)
    }

    /// Sets an External Client App's Callback URL; `None` when no app has this id.
    pub fn set_callback_url(&mut self, id: &str, url: &str) -> Option<Result<(), Fields>> {
        let a = self.external_client_apps.iter_mut().find(|a| a.id == id)?;
        if url::Url::parse(url.trim()).is_err() {
            let errors = Fields::from([("callback_url".into(), "Enter a valid URL.".into())]);
            return Some(Err(errors));
        }
        a.settings.callback_url = url.trim().into();
        let event = format!("updated the Callback URL of {}", a.settings.api_name);
        self.events.push(event);
        Some(Ok(()))
    }

    /// Creates a legacy Named Credential from its edit form, or updates the one with id
    /// `editing`; what was saved, or the form's errors.
    pub fn save_named_credential(
        &mut self,
        f: &Fields,
        editing: Option<&str>,
    ) -> Result<NamedCredential, Fields> {
        let old =
            editing.and_then(|id| self.named_credentials.iter().find(|n| n.id == id).cloned());
        let mut nc = nc_from_form(self, f, old.as_ref())?;
        match old {
            Some(old) => {
                self.events
                    .push(format!("updated Named Credential {}", nc.name));
                if let Some(n) = self.named_credentials.iter_mut().find(|n| n.id == old.id) {
                    *n = nc.clone();
                }
            }
            None => {
                nc.id = self.next_id("0XA");
                self.events
                    .push(format!("created Named Credential {}", nc.name));
                self.named_credentials.push(nc.clone());
            }
        }
        Ok(nc)
    }

    /// Saves a Custom Metadata record's edit form; `None` when no record has this id.
    pub fn save_metadata_record(&mut self, id: &str, f: &Fields) -> Option<Result<(), Fields>> {
        let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        let t = self
            .custom_metadata_types
            .iter_mut()
            .find(|t| t.records.iter().any(|r| r.id == id))?;
        let (label, name) = (get("MasterLabel"), get("DeveloperName"));
        let mut errors = Fields::new();
        if label.is_empty() {
            errors.insert("MasterLabel".into(), "You must enter a value".into());
        }
        if !valid_api_name(&name) {
            errors.insert("DeveloperName".into(), "Invalid name".into());
        }
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        let fields = t.fields.clone();
        let api_name = t.api_name.clone();
        let r = t.records.iter_mut().find(|r| r.id == id)?;
        r.label = label;
        r.name = name;
        for (api, _) in &fields {
            r.values.insert(api.clone(), get(api));
        }
        let event = format!("updated {api_name} {}", r.name);
        self.events.push(event);
        Some(Ok(()))
    }

    /// Where saving `nc` leads: the start of its OAuth flow when it asked for one and its
    /// provider exists.
    pub fn auth_flow_start(&self, nc: &NamedCredential) -> Option<String> {
        let p = self
            .auth_providers
            .iter()
            .find(|p| p.id == nc.auth_provider_id)?;
        nc.start_auth_flow.then(|| {
            format!(
                "/services/auth/xds/{}/{}?startURL=%2F{}",
                self.org_id, p.url_suffix, nc.id
            )
        })
    }
}

/// A legacy Named Credential from its edit form, as Salesforce checks it; `editing` is the
/// id of the credential being edited (its own name is no duplicate). A credential saved
/// with "Start Authentication Flow on Save" is pending until the flow ends.
fn nc_from_form(
    org: &Org,
    f: &Fields,
    editing: Option<&NamedCredential>,
) -> Result<NamedCredential, Fields> {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = Fields::new();
    for k in ["MasterLabel", "DeveloperName", "Endpoint"] {
        if get(k).is_empty() {
            errors.insert(k.into(), "You must enter a value".into());
        }
    }
    let name = get("DeveloperName");
    if !name.is_empty() && !valid_api_name(&name) {
        errors.insert("DeveloperName".into(), "The Name field can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.".into());
    } else if org
        .named_credentials
        .iter()
        .any(|n| n.name.eq_ignore_ascii_case(&name) && Some(&n.id) != editing.map(|e| &e.id))
    {
        errors.insert(
            "DeveloperName".into(),
            "Duplicate Name: a Named Credential with this name already exists.".into(),
        );
    }
    if !get("Endpoint").is_empty() && url::Url::parse(&get("Endpoint")).is_err() {
        errors.insert("Endpoint".into(), "Invalid URL".into());
    }
    let oauth = get("Protocol") == "OAuth 2.0";
    // The lookup resolves by the picked id, or by an exact name typed into the box.
    let provider = if oauth {
        let by_id = org
            .auth_providers
            .iter()
            .find(|p| p.id == get("AuthProvider_lkid"));
        let by_name = org
            .auth_providers
            .iter()
            .find(|p| p.name == get("AuthProvider"));
        match by_id.or(by_name) {
            Some(p) => Some(p.clone()),
            None => {
                let msg = if get("AuthProvider").is_empty() {
                    "You must enter a value"
                } else {
                    "No matching records found."
                };
                errors.insert("AuthProvider".into(), msg.into());
                None
            }
        }
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let start = oauth && f.contains_key("StartAuthFlow");
    // Editing without restarting the flow keeps what the last flow left.
    let auth_status = match editing {
        _ if !oauth => String::new(),
        Some(e)
            if !start
                && e.auth_provider_id
                    == provider.as_ref().map(|p| p.id.clone()).unwrap_or_default() =>
        {
            e.auth_status.clone()
        }
        _ => "Pending".into(),
    };
    Ok(NamedCredential {
        id: editing.map(|e| e.id.clone()).unwrap_or_default(),
        label: get("MasterLabel"),
        name,
        url: get("Endpoint"),
        identity_type: get("PrincipalType"),
        protocol: get("Protocol"),
        auth_provider_id: provider.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        auth_provider: provider
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        scope: get("Scope"),
        start_auth_flow: start,
        generate_auth_header: f.contains_key("GenerateAuthHeader"),
        allow_merge_fields_header: f.contains_key("AllowMergeHeader"),
        allow_merge_fields_body: f.contains_key("AllowMergeBody"),
        auth_status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn org() -> Org {
        Org::new("https://acme.my.salesforce.com", "admin@example.com", "pw")
    }

    fn provider(name: &str, suffix: &str) -> Fields {
        form(&[
            ("ProviderType", "Salesforce"),
            ("Name", name),
            ("UrlSuffix", suffix),
            ("ConsumerKey", "key"),
            ("ConsumerSecret", "secret"),
        ])
    }

    #[test]
    fn an_auth_provider_needs_its_fields_and_a_unique_valid_suffix() {
        let mut org = org();
        let errors = org
            .save_auth_provider(&form(&[("ProviderType", "Salesforce")]), "https://x")
            .unwrap_err();
        for k in ["Name", "UrlSuffix", "ConsumerKey", "ConsumerSecret"] {
            assert_eq!(errors[k], "You must enter a value", "{k}");
        }
        let bad = org
            .save_auth_provider(&provider("P", "1st_provider"), "https://x")
            .unwrap_err();
        assert!(bad["UrlSuffix"].contains("must begin with a letter"));
        let id = org
            .save_auth_provider(&provider("P", "My_Provider"), "https://x")
            .unwrap();
        let saved = &org.auth_providers[0];
        assert_eq!(saved.id, id);
        assert_eq!(
            saved.callback_url,
            "https://x/services/authcallback/My_Provider"
        );
        let dup = org
            .save_auth_provider(&provider("Q", "my_provider"), "https://x")
            .unwrap_err();
        assert!(dup["UrlSuffix"].starts_with("Duplicate value"));
        assert_eq!(org.auth_providers.len(), 1);
    }

    fn credential(label: &str, name: &str, provider: &str, start: bool) -> Fields {
        let mut f = form(&[
            ("MasterLabel", label),
            ("DeveloperName", name),
            ("Endpoint", "https://acme.my.salesforce.com/"),
            ("PrincipalType", "Named Principal"),
            ("Protocol", "OAuth 2.0"),
            ("AuthProvider", provider),
            ("Scope", "refresh_token full"),
        ]);
        if start {
            f.insert("StartAuthFlow".into(), "1".into());
        }
        f
    }

    #[test]
    fn a_named_credential_finds_its_provider_by_name_and_starts_its_flow() {
        let mut org = org();
        org.save_auth_provider(&provider("My Provider", "My_Provider"), "https://x")
            .unwrap();
        let missing = org
            .save_named_credential(&credential("NC", "NC", "Nobody", true), None)
            .unwrap_err();
        assert_eq!(missing["AuthProvider"], "No matching records found.");
        let nc = org
            .save_named_credential(&credential("NC", "NC", "My Provider", true), None)
            .unwrap();
        assert_eq!(nc.auth_status, "Pending");
        let start = org.auth_flow_start(&nc).unwrap();
        assert!(start.starts_with(&format!("/services/auth/xds/{}/My_Provider", org.org_id)));
        let dup = org
            .save_named_credential(&credential("Other", "nc", "My Provider", false), None)
            .unwrap_err();
        assert!(dup["DeveloperName"].starts_with("Duplicate Name"));
    }

    #[test]
    fn editing_a_credential_without_restarting_its_flow_keeps_its_status() {
        let mut org = org();
        org.save_auth_provider(&provider("My Provider", "My_Provider"), "https://x")
            .unwrap();
        let nc = org
            .save_named_credential(&credential("NC", "NC", "My Provider", true), None)
            .unwrap();
        org.named_credentials[0].auth_status = "Authenticated as admin@example.com".into();
        // Its own name is no duplicate; the status stays.
        let edited = org
            .save_named_credential(&credential("NC", "NC", "My Provider", false), Some(&nc.id))
            .unwrap();
        assert_eq!(edited.auth_status, "Authenticated as admin@example.com");
        assert_eq!(org.named_credentials.len(), 1);
        assert_eq!(org.auth_flow_start(&edited), None);
        // Restarting the flow makes it pending again.
        let restarted = org
            .save_named_credential(&credential("NC", "NC", "My Provider", true), Some(&nc.id))
            .unwrap();
        assert_eq!(restarted.auth_status, "Pending");
    }

    #[test]
    fn an_external_client_app_needs_a_unique_api_name_and_oauth_details() {
        let mut org = org();
        let app = |api: &str, callback: &str| EcaSettings {
            name: "App".into(),
            api_name: api.into(),
            contact_email: "a@b.c".into(),
            distribution_state: "Local".into(),
            oauth_enabled: true,
            callback_url: callback.into(),
            scopes: vec!["Full access (full)".into()],
            ..Default::default()
        };
        let errors = org
            .create_external_client_app(app("App", "not a url"))
            .unwrap_err();
        assert_eq!(errors["callback_url"], "Enter a valid URL.");
        let id = org
            .create_external_client_app(app("App", "https://x/"))
            .unwrap();
        let made = &org.external_client_apps[0];
        assert!(made.id == id && !made.consumer_key.is_empty() && !made.consumer_secret.is_empty());
        let dup = org
            .create_external_client_app(app("app", "https://x/"))
            .unwrap_err();
        assert!(dup["api_name"].contains("already exists"));
        assert_eq!(org.set_callback_url("nope", "https://y/"), None);
        assert!(org.set_callback_url(&id, "nope").unwrap().is_err());
        org.set_callback_url(&id, " https://y/cb ")
            .unwrap()
            .unwrap();
        assert_eq!(
            org.external_client_apps[0].settings.callback_url,
            "https://y/cb"
        );
    }

    #[test]
    fn a_metadata_record_needs_a_label_and_a_valid_name() {
        let mut org = org();
        let (id, field) = {
            let t = &org.custom_metadata_types[0];
            (t.records[0].id.clone(), t.fields[0].0.clone())
        };
        assert_eq!(org.save_metadata_record("nope", &Fields::new()), None);
        let errors = org
            .save_metadata_record(&id, &form(&[("DeveloperName", "bad name")]))
            .unwrap()
            .unwrap_err();
        assert!(errors.contains_key("MasterLabel") && errors.contains_key("DeveloperName"));
        org.save_metadata_record(
            &id,
            &form(&[
                ("MasterLabel", "Main"),
                ("DeveloperName", "Main"),
                (&field, " NC_Name "),
            ]),
        )
        .unwrap()
        .unwrap();
        let r = &org.custom_metadata_types[0].records[0];
        assert_eq!(
            (r.label.as_str(), r.values[&field].as_str()),
            ("Main", "NC_Name")
        );
        assert!(org.events.last().unwrap().starts_with("updated "));
    }
}
