//! The Lightning Setup origin: the Setup shell with its tree and Quick Find, Lightning
//! pages built of components, and classic pages wrapped in the `vfFrameId` iframe.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;

use crate::state::EcaSettings;
use crate::state::{ExternalClientApp, Org, FLOWS, SCOPES, SECURITY};
use crate::App;

const TREE: &[(&str, &[(&str, &str)])] = &[
    (
        "Administration",
        &[
            ("Users", "/lightning/setup/ManageUsers/home"),
            ("Profiles", "/lightning/setup/EnhancedProfiles/home"),
        ],
    ),
    (
        "Apps",
        &[("App Manager", "/lightning/setup/NavigationMenus/home")],
    ),
    (
        "External Client Apps",
        &[
            (
                "External Client App Manager",
                "/lightning/setup/ManageExternalClientApplication/home",
            ),
            (
                "Settings",
                "/lightning/setup/ExternalClientAppSettings/home",
            ),
        ],
    ),
    (
        "Company Settings",
        &[
            (
                "Company Information",
                "/lightning/setup/CompanyProfileInfo/home",
            ),
            ("My Domain", "/lightning/setup/OrgDomain/home"),
        ],
    ),
    (
        "Custom Code",
        &[
            ("Apex Classes", "/lightning/setup/ApexClasses/home"),
            (
                "Custom Metadata Types",
                "/lightning/setup/CustomMetadata/home",
            ),
            ("Custom Settings", "/lightning/setup/CustomSettings/home"),
        ],
    ),
    (
        "Identity",
        &[
            ("Auth. Providers", "/lightning/setup/AuthProviders/home"),
            ("Identity Provider", "/lightning/setup/IdpPage/home"),
        ],
    ),
    (
        "Security",
        &[
            ("Named Credentials", "/lightning/setup/NamedCredential/home"),
            (
                "Remote Site Settings",
                "/lightning/setup/SecurityRemoteProxy/home",
            ),
            ("Session Settings", "/lightning/setup/SecuritySession/home"),
        ],
    ),
];

pub fn router(app: App) -> Router {
    // Setup pages: without a session they go to the login page; in chaos mode they may be
    // slow, or a 503 once in a while.
    let pages = Router::new()
        .route("/lightning/setup/SetupOneHome/home", get(home))
        .route(
            "/lightning/setup/ManageExternalClientApplication/home",
            get(eca_list),
        )
        .route(
            "/lightning/setup/ManageExternalClientApplication/new",
            get(eca_new),
        )
        .route(
            "/lightning/setup/ManageExternalClientApplication/{id}/detail",
            get(eca_detail),
        )
        .route(
            "/lightning/setup/ManageExternalClientApplication/{id}/consumer",
            get(eca_consumer),
        )
        .route("/lightning/setup/NamedCredential/home", get(nc_home))
        .route("/lightning/setup/{node}/home", get(wrapped_home))
        .route("/lightning/setup/{node}/page", get(wrapped_page))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::gate_flaky_page,
        ));
    Router::new()
        .route(
            "/",
            get(|| async { Redirect::to("/lightning/setup/SetupOneHome/home") }),
        )
        .route(
            "/assets/{file}",
            get(
                |State(app): State<App>, Path(file): Path<String>, headers: HeaderMap| async move {
                    app.bundle.serve(&file, &headers)
                },
            ),
        )
        .route("/__sim/state", get(state_json))
        .route("/__sim/expire-sessions", post(expire_sessions))
        .merge(pages)
        .route("/__api/eca", post(eca_create))
        .route("/__api/eca/{id}", post(eca_update))
        .route("/__api/eca/{id}/verify", post(eca_verify))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "This page isn't available in the simulator.",
            )
        })
        .with_state(app)
}

async fn state_json(State(app): State<App>) -> Response {
    let org = app.org().clone();
    Json(serde_json::to_value(&org).unwrap_or_default()).into_response()
}

/// Ends every session (browser cookies and API tokens alike), as a session timeout would.
async fn expire_sessions(State(app): State<App>) -> Response {
    app.org().expire_sessions();
    StatusCode::NO_CONTENT.into_response()
}

fn base(app: &App, title: &str) -> minijinja::Value {
    let tree: Vec<_> = TREE
        .iter()
        .map(|(label, items)| json!({ "label": label, "items": items.iter().map(|(l, h)| json!({ "label": l, "href": h })).collect::<Vec<_>>() }))
        .collect();
    minijinja::Value::from_serialize(json!({
        "title": title,
        "username": app.username(),
        "tree": tree,
        "quick_find_placeholder": "Quick Find",
        "shadow": app.cfg.shadow.name(),
    }))
}

/// A Lightning page: the Setup shell around the component `tag`, mounted with `data`
/// (and the chaos timings every page reads) by the bundle's `pages.js`.
fn lwc_page(app: &App, title: &str, tag: &str, mut data: serde_json::Value) -> Response {
    if let Some(r) = app.bundle.missing_page() {
        return r;
    }
    if let Some(obj) = data.as_object_mut() {
        obj.insert(
            "chaos".into(),
            json!({
                "load_ms": app.chaos.render_ms(),
                "rerender_ms": app.chaos.rerender_ms(),
                "save_ms": app.chaos.save_ms(),
            }),
        );
    }
    app.render("lwc_page.html", context! { tag, data, ..base(app, title) })
}

async fn home(State(app): State<App>) -> Response {
    lwc_page(&app, "Setup Home", "setup-home", json!({}))
}

async fn eca_list(State(app): State<App>) -> Response {
    let apps = app.org().external_client_apps.clone();
    lwc_page(
        &app,
        "External Client App Manager",
        "setup-eca-list",
        json!({ "apps": apps }),
    )
}

async fn eca_new(State(app): State<App>) -> Response {
    let scopes: Vec<_> = SCOPES.iter().map(|(l, _)| l).collect();
    let flows: Vec<_> = FLOWS.iter().map(|(k, l)| json!([k, l])).collect();
    let security: Vec<_> = SECURITY.iter().map(|(k, l, d)| json!([k, l, d])).collect();
    lwc_page(
        &app,
        "New External Client App",
        "setup-eca-new",
        json!({ "scopes": scopes, "flows": flows, "security": security }),
    )
}

fn find_app(org: &Org, id: &str) -> Option<ExternalClientApp> {
    org.external_client_apps
        .iter()
        .find(|a| a.id == id)
        .cloned()
}

async fn eca_detail(State(app): State<App>, Path(id): Path<String>) -> Response {
    let Some(a) = find_app(&app.org(), &id) else {
        return (StatusCode::NOT_FOUND, "No such External Client App").into_response();
    };
    lwc_page(
        &app,
        &a.settings.name,
        "setup-eca-detail",
        json!({ "app": a }),
    )
}

async fn eca_consumer(State(app): State<App>, Path(id): Path<String>) -> Response {
    let Some(a) = find_app(&app.org(), &id) else {
        return (StatusCode::NOT_FOUND, "No such External Client App").into_response();
    };
    let email = app.username();
    let masked_email = match email.split_once('@') {
        Some((u, d)) => format!("{}***@{d}", u.chars().next().unwrap_or('*')),
        None => "your e-mail address".into(),
    };
    lwc_page(
        &app,
        "Consumer Details",
        "setup-eca-consumer",
        json!({ "app": { "id": a.id, "name": a.settings.name }, "masked_email": masked_email }),
    )
}

async fn nc_home(State(app): State<App>) -> Response {
    let ncs = app.org().named_credentials.clone();
    lwc_page(
        &app,
        "Named Credentials",
        "setup-nc-list",
        json!({ "ncs": ncs }),
    )
}

/// Setup nodes whose page is classic, and the classic path each frames.
fn classic_home(node: &str) -> Option<(&'static str, &'static str)> {
    match node {
        "AuthProviders" => Some(("/0SO", "Auth. Providers")),
        "CustomMetadata" => Some(("/01I?setupid=CustomMetadata", "Custom Metadata Types")),
        _ => None,
    }
}

fn frame_page(app: &App, title: &str, path: &str) -> Response {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let sep = if path.contains('?') { '&' } else { '?' };
    let src = format!(
        "{}{path}{sep}isdtp=p1&sfdcIFrameOrigin={}",
        app.classic_url, app.setup_url
    );
    let frame = json!({ "name": format!("vfFrameId_{millis}"), "title": format!("{title} ~ Salesforce - Enterprise Edition"), "src": src });
    lwc_page(app, title, "force-aloha-page", json!({ "frame": frame }))
}

async fn wrapped_home(State(app): State<App>, Path(node): Path<String>) -> Response {
    match classic_home(&node) {
        Some((path, title)) => frame_page(&app, title, path),
        None => lwc_page(&app, "Setup Home", "setup-home", json!({})),
    }
}

async fn wrapped_page(
    State(app): State<App>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let address = q.get("address").cloned().unwrap_or_else(|| "/".into());
    if !address.starts_with('/') || address.starts_with("//") {
        return (StatusCode::BAD_REQUEST, "address must be a path").into_response();
    }
    frame_page(&app, "Setup", &address)
}

async fn eca_create(
    State(app): State<App>,
    headers: HeaderMap,
    Json(b): Json<EcaSettings>,
) -> Response {
    if !app.session_ok(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "errors": { "name": "Your session has expired." } })),
        )
            .into_response();
    }
    let created = app.org().create_external_client_app(b);
    match created {
        Ok(id) => Json(json!({ "id": id })).into_response(),
        Err(errors) => Json(json!({ "errors": errors })).into_response(),
    }
}

#[derive(Deserialize)]
struct EcaUpdate {
    callback_url: String,
}

async fn eca_update(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<EcaUpdate>,
) -> Response {
    if !app.session_ok(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "errors": { "callback_url": "Your session has expired." } })),
        )
            .into_response();
    }
    let updated = app.org().set_callback_url(&id, &b.callback_url);
    match updated {
        Some(Ok(())) => Json(json!({ "ok": true })).into_response(),
        Some(Err(errors)) => Json(json!({ "errors": errors })).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
struct Verify {
    code: String,
}

async fn eca_verify(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<Verify>,
) -> Response {
    if !app.session_ok(&headers) {
        return Json(json!({ "error": "Your session has expired." })).into_response();
    }
    if b.code.trim() != app.cfg.verification_code {
        return Json(json!({ "error": "The verification code is invalid or expired." }))
            .into_response();
    }
    match find_app(&app.org(), &id) {
        Some(a) => {
            Json(json!({ "consumer_key": a.consumer_key, "consumer_secret": a.consumer_secret }))
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
