//! The classic origin (the org's My Domain): login and frontdoor, and the classic Setup
//! pages that Lightning frames: Auth. Providers, legacy Named Credentials, Custom
//! Metadata records, and the lookup window.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use minijinja::context;

use crate::state::{self, AuthProvider, NamedCredential};
use crate::App;

type Fields = HashMap<String, String>;

const PROVIDER_TYPES: &[&str] = &[
    "--None--",
    "Apple",
    "Facebook",
    "Google",
    "Janrain",
    "LinkedIn",
    "Microsoft",
    "Open ID Connect",
    "Salesforce",
    "Slack",
    "Twitter",
];
const IDENTITY_TYPES: &[&str] = &["Anonymous", "Per User", "Named Principal"];
const PROTOCOLS: &[&str] = &[
    "No Authentication",
    "Password Authentication",
    "OAuth 2.0",
    "JWT",
    "JWT Token Exchange",
    "AWS Signature Version 4",
];

pub fn router(app: App) -> Router {
    // Setup pages: without a session they send the browser to the login page.
    let pages = Router::new()
        .route("/0SO", get(providers))
        .route("/0SO/e", get(provider_new).post(provider_save))
        .route("/0XA/e", get(nc_new).post(nc_save))
        .route("/01I", get(cmt_list))
        .route("/{id}", get(detail))
        .route("/{id}/e", get(edit).post(edit_save))
        .route("/_ui/common/data/LookupPage", get(lookup))
        .route("/_ui/common/data/LookupSearchFrame", get(lookup_search))
        .route("/_ui/common/data/LookupResultsFrame", get(lookup_results))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::gate_page,
        ));
    Router::new()
        .route("/", get(login_page))
        .route("/login", axum::routing::post(login))
        .route("/secur/frontdoor.jsp", get(frontdoor))
        .route("/lightning/{*rest}", get(to_lightning))
        .merge(pages)
        .merge(crate::oauth::router())
        .merge(crate::rest::router())
        .with_state(app)
}

fn session_cookie(sid: &str) -> String {
    format!("sid={sid}; Path=/; HttpOnly; SameSite=Lax")
}

async fn login_page(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    let start_url = q.get("startURL").cloned().unwrap_or_default();
    app.render(
        "login.html",
        context! { start_url, username => "", error => "" },
    )
}

async fn login(State(app): State<App>, Form(f): Form<Fields>) -> Response {
    let user = f
        .get("username")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let pw = f.get("pw").cloned().unwrap_or_default();
    let start = f.get("startURL").cloned().unwrap_or_default();
    let ok = app
        .org()
        .users
        .iter()
        .any(|u| u.username.eq_ignore_ascii_case(&user) && u.password == pw);
    if !ok {
        return app.render("login.html", context! { start_url => start, username => user,
            error => "Please check your username and password. If you still can't log in, contact your Salesforce administrator." });
    }
    let sid = app.org().new_session();
    let target = if start.is_empty() {
        "/lightning/setup/SetupOneHome/home".to_string()
    } else {
        start
    };
    (
        [(header::SET_COOKIE, session_cookie(&sid))],
        Redirect::to(&target),
    )
        .into_response()
}

/// Frontdoor takes a session id (`sid` with `retURL`) or a single-use code from the UI
/// Bridge API (`otp` with `startURL`), which works once.
async fn frontdoor(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    let ret = q
        .get("retURL")
        .or_else(|| q.get("startURL"))
        .filter(|r| r.starts_with('/'))
        .cloned()
        .unwrap_or_else(|| "/lightning/setup/SetupOneHome/home".into());
    let sid = match q.get("otp") {
        Some(otp) => app.org().redeem_one_time_login(otp),
        None => q
            .get("sid")
            .filter(|sid| app.org().sessions.contains(sid))
            .cloned(),
    };
    let Some(sid) = sid else {
        return app.to_login(&ret);
    };
    (
        [(header::SET_COOKIE, session_cookie(&sid))],
        Redirect::to(&ret),
    )
        .into_response()
}

/// Lightning paths on the My Domain host go to the Setup host, as a real org redirects.
async fn to_lightning(State(app): State<App>, uri: Uri) -> Response {
    Redirect::to(&format!(
        "{}{}",
        app.setup_url,
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    ))
    .into_response()
}

fn page(title: &str, section: &str) -> minijinja::Value {
    context! { title, section }
}

async fn providers(State(app): State<App>) -> Response {
    let providers = app.org().auth_providers.clone();
    app.render(
        "providers.html",
        context! { providers, ..page("Auth. Providers", "Setup") },
    )
}

fn provider_form(app: &App, v: &Fields, errors: &Fields) -> Response {
    let types = PROVIDER_TYPES;
    app.render(
        "provider_edit.html",
        context! { v, errors, types, ..page("Auth. Provider Edit", "Auth. Providers") },
    )
}

async fn provider_new(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    let mut v = Fields::new();
    v.insert(
        "ProviderType".into(),
        q.get("type").cloned().unwrap_or_default(),
    );
    v.insert("UsePkce".into(), "1".into());
    provider_form(&app, &v, &Fields::new())
}

async fn provider_save(State(app): State<App>, Form(f): Form<Fields>) -> Response {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = Fields::new();
    let mut org = app.org();
    if get("ProviderType").is_empty() || get("ProviderType") == "--None--" {
        errors.insert("ProviderType".into(), "You must enter a value".into());
    }
    if get("Name").is_empty() {
        errors.insert("Name".into(), "You must enter a value".into());
    }
    let suffix = get("UrlSuffix");
    if suffix.is_empty() {
        errors.insert("UrlSuffix".into(), "You must enter a value".into());
    } else if !state::valid_api_name(&suffix) {
        errors.insert("UrlSuffix".into(), "The URL Suffix can only contain underscores and alphanumeric characters, must begin with a letter and be unique.".into());
    } else if org
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
        let mut v = f.clone();
        v.insert(
            "UsePkce".into(),
            f.get("UsePkce").cloned().unwrap_or_default(),
        );
        drop(org);
        return provider_form(&app, &v, &errors);
    }
    let id = org.next_id("0SO");
    let callback_url = format!("{}/services/authcallback/{suffix}", app.classic_url);
    org.events.push(format!("created Auth. Provider {suffix}"));
    org.auth_providers.push(AuthProvider {
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
    Redirect::to(&format!("/{id}")).into_response()
}

/// The edit form; `id` is the credential being edited, None for a new one.
fn nc_form(app: &App, v: &Fields, errors: &Fields, id: Option<&str>) -> Response {
    let action = match id {
        Some(id) => format!("/{id}/e"),
        None => "/0XA/e".into(),
    };
    app.render("nc_edit.html", context! { v, errors, action, identity_types => IDENTITY_TYPES, protocols => PROTOCOLS, ..page("Named Credential Edit", "Named Credentials") })
}

async fn nc_new(State(app): State<App>) -> Response {
    let mut v = Fields::new();
    v.insert("Protocol".into(), "No Authentication".into());
    v.insert("PrincipalType".into(), "Named Principal".into());
    nc_form(&app, &v, &Fields::new(), None)
}

async fn nc_save(State(app): State<App>, Form(f): Form<Fields>) -> Response {
    let mut org = app.org();
    let mut nc = match nc_from_form(&org, &f, None) {
        Ok(nc) => nc,
        Err(errors) => {
            drop(org);
            return nc_form(&app, &f, &errors, None);
        }
    };
    nc.id = org.next_id("0XA");
    org.events
        .push(format!("created Named Credential {}", nc.name));
    org.named_credentials.push(nc.clone());
    nc_saved(&org, &nc)
}

/// After a save: the OAuth flow when the credential asked to start it, else its page.
fn nc_saved(org: &state::Org, nc: &NamedCredential) -> Response {
    let provider = org
        .auth_providers
        .iter()
        .find(|p| p.id == nc.auth_provider_id);
    match (nc.start_auth_flow, provider) {
        (true, Some(p)) => Redirect::to(&format!(
            "/services/auth/xds/{}/{}?startURL=%2F{}",
            org.org_id, p.url_suffix, nc.id
        ))
        .into_response(),
        _ => Redirect::to(&format!("/{}", nc.id)).into_response(),
    }
}

/// A legacy Named Credential from its edit form, as Salesforce checks it; `editing` is the
/// id of the credential being edited (its own name is no duplicate). A credential saved
/// with "Start Authentication Flow on Save" is pending until the flow ends.
fn nc_from_form(
    org: &state::Org,
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
    if !name.is_empty() && !state::valid_api_name(&name) {
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

/// A credential's edit form, filled with what it holds.
fn nc_fields(n: &NamedCredential) -> Fields {
    let mut v = Fields::new();
    for (k, val) in [
        ("MasterLabel", &n.label),
        ("DeveloperName", &n.name),
        ("Endpoint", &n.url),
        ("PrincipalType", &n.identity_type),
        ("Protocol", &n.protocol),
        ("AuthProvider", &n.auth_provider),
        ("AuthProvider_lkid", &n.auth_provider_id),
        ("Scope", &n.scope),
    ] {
        v.insert(k.into(), val.clone());
    }
    for (k, on) in [
        ("GenerateAuthHeader", n.generate_auth_header),
        ("AllowMergeHeader", n.allow_merge_fields_header),
        ("AllowMergeBody", n.allow_merge_fields_body),
    ] {
        if on {
            v.insert(k.into(), "1".into());
        }
    }
    v
}

async fn cmt_list(State(app): State<App>) -> Response {
    let types = app.org().custom_metadata_types.clone();
    app.render(
        "cmt_list.html",
        context! { types, ..page("Custom Metadata Types", "Setup") },
    )
}

/// `/{id}`: a detail page, or a key prefix's list page (`/m0A`).
async fn detail(State(app): State<App>, Path(id): Path<String>) -> Response {
    let org = app.org().clone();
    if let Some(p) = org.auth_providers.iter().find(|p| p.id == id) {
        return app.render(
            "provider_detail.html",
            context! { p, base => app.classic_url.clone(), ..page(&p.name, "Auth. Provider") },
        );
    }
    if let Some(n) = org.named_credentials.iter().find(|n| n.id == id) {
        return app.render(
            "nc_detail.html",
            context! { n, ..page(&n.label, "Named Credential") },
        );
    }
    for t in &org.custom_metadata_types {
        if t.id == id {
            return app.render(
                "cmt_detail.html",
                context! { t, ..page(&t.label, "Custom Metadata Types") },
            );
        }
        if t.key_prefix == id {
            return app.render(
                "records.html",
                context! { t, ..page(&t.plural_label, "Custom Metadata Types") },
            );
        }
        if let Some(r) = t.records.iter().find(|r| r.id == id) {
            return app.render(
                "record_detail.html",
                context! { t, r, ..page(&r.label, &t.label) },
            );
        }
    }
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html")], "<html><body><div class=\"pageDoesNotExist\">Data Not Available: The data you were trying to access could not be found.</div></body></html>").into_response()
}

async fn edit(State(app): State<App>, Path(id): Path<String>) -> Response {
    let org = app.org().clone();
    if let Some(n) = org.named_credentials.iter().find(|n| n.id == id) {
        return nc_form(&app, &nc_fields(n), &Fields::new(), Some(&id));
    }
    for t in &org.custom_metadata_types {
        if let Some(r) = t.records.iter().find(|r| r.id == id) {
            return app.render("record_edit.html", context! { t, r, errors => Fields::new(), ..page(&format!("{} Edit", t.label), &t.label) });
        }
    }
    (
        StatusCode::NOT_FOUND,
        "This record cannot be edited in the simulator.",
    )
        .into_response()
}

async fn edit_save(
    State(app): State<App>,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let mut org = app.org();
    if let Some(old) = org.named_credentials.iter().find(|n| n.id == id).cloned() {
        return match nc_from_form(&org, &f, Some(&old)) {
            Ok(nc) => {
                org.events
                    .push(format!("updated Named Credential {}", nc.name));
                if let Some(n) = org.named_credentials.iter_mut().find(|n| n.id == id) {
                    *n = nc.clone();
                }
                nc_saved(&org, &nc)
            }
            Err(errors) => {
                drop(org);
                nc_form(&app, &f, &errors, Some(&id))
            }
        };
    }
    let mut event = None;
    for t in org.custom_metadata_types.iter_mut() {
        let fields = t.fields.clone();
        let type_snapshot = t.clone();
        if let Some(r) = t.records.iter_mut().find(|r| r.id == id) {
            let label = f
                .get("MasterLabel")
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            let name = f
                .get("DeveloperName")
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            if label.is_empty() || !state::valid_api_name(&name) {
                let mut errors = Fields::new();
                if label.is_empty() {
                    errors.insert("MasterLabel".into(), "You must enter a value".into());
                }
                if !state::valid_api_name(&name) {
                    errors.insert("DeveloperName".into(), "Invalid name".into());
                }
                let (t, r) = (type_snapshot, r.clone());
                drop(org);
                return app.render(
                    "record_edit.html",
                    context! { t, r, errors, ..page("Edit", "Custom Metadata") },
                );
            }
            r.label = label;
            r.name = name;
            for (api, _) in &fields {
                r.values.insert(
                    api.clone(),
                    f.get(api).map(|s| s.trim().to_string()).unwrap_or_default(),
                );
            }
            event = Some(format!("updated {} {}", t.api_name, r.name));
        }
    }
    match event {
        Some(e) => {
            org.events.push(e);
            Redirect::to(&format!("/{id}")).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn lookup(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    app.render("lookup.html", context! { lknm => q.get("lknm").cloned().unwrap_or_default(), lksrch => q.get("lksrch").cloned().unwrap_or_default() })
}

async fn lookup_search(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    app.render("lookup_search.html", context! { lknm => q.get("lknm").cloned().unwrap_or_default(), lksrch => q.get("lksrch").cloned().unwrap_or_default() })
}

async fn lookup_results(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    let want = q
        .get("lksrch")
        .cloned()
        .unwrap_or_default()
        .to_lowercase()
        .replace('*', "");
    let results: Vec<_> = app
        .org()
        .auth_providers
        .iter()
        .filter(|p| want.is_empty() || p.name.to_lowercase().contains(&want))
        .cloned()
        .collect();
    app.render(
        "lookup_results.html",
        context! { results, lknm => q.get("lknm").cloned().unwrap_or_default() },
    )
}
