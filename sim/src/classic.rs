//! The classic origin (the org's My Domain): login and frontdoor, and the classic Setup
//! pages that Lightning frames: Auth. Providers, legacy Named Credentials, Custom
//! Metadata records, and the lookup window.

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use minijinja::context;

use crate::state::{self, NamedCredential};
use crate::App;

use crate::rules::Fields;

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
    let saved = app.org().save_auth_provider(&f, &app.classic_url);
    match saved {
        Ok(id) => Redirect::to(&format!("/{id}")).into_response(),
        Err(errors) => {
            let mut v = f.clone();
            v.insert(
                "UsePkce".into(),
                f.get("UsePkce").cloned().unwrap_or_default(),
            );
            provider_form(&app, &v, &errors)
        }
    }
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
    match org.save_named_credential(&f, None) {
        Ok(nc) => nc_saved(&org, &nc),
        Err(errors) => {
            drop(org);
            nc_form(&app, &f, &errors, None)
        }
    }
}

/// After a save: the OAuth flow when the credential asked to start it, else its page.
fn nc_saved(org: &state::Org, nc: &NamedCredential) -> Response {
    let to = org
        .auth_flow_start(nc)
        .unwrap_or_else(|| format!("/{}", nc.id));
    Redirect::to(&to).into_response()
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
    if org.named_credentials.iter().any(|n| n.id == id) {
        return match org.save_named_credential(&f, Some(&id)) {
            Ok(nc) => nc_saved(&org, &nc),
            Err(errors) => {
                drop(org);
                nc_form(&app, &f, &errors, Some(&id))
            }
        };
    }
    match org.save_metadata_record(&id, &f) {
        Some(Ok(())) => Redirect::to(&format!("/{id}")).into_response(),
        Some(Err(errors)) => {
            let found = org.custom_metadata_types.iter().find_map(|t| {
                t.records
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| (t.clone(), r.clone()))
            });
            drop(org);
            let Some((t, r)) = found else {
                return StatusCode::NOT_FOUND.into_response();
            };
            app.render(
                "record_edit.html",
                context! { t, r, errors, ..page("Edit", "Custom Metadata") },
            )
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
