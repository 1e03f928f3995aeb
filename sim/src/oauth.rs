//! The OAuth chain a legacy Named Credential starts on save: authorize, the login page,
//! the "Allow Access?" page, and the callback. It succeeds only when the Auth. Provider's
//! key and secret belong to an External Client App, the app's Callback URL is the
//! provider's, the scopes are allowed, and PKCE settings agree; otherwise it shows the
//! OAuth error a real org would.

use std::time::Duration;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use minijinja::context;

use crate::state::{random_token, OAuthFlow, Org};
use crate::App;

use crate::rules::Fields;

pub fn router() -> Router<App> {
    Router::new()
        .route("/services/auth/xds/{org}/{suffix}", get(start))
        .route("/services/oauth2/authorize", get(authorize))
        .route(
            "/setup/secur/RemoteAccessAuthorizationPage.apexp",
            get(allow_page).post(allow),
        )
        .route("/services/authcallback/{suffix}", get(callback))
}

fn error(app: &App, error: &str, description: &str) -> Response {
    app.org()
        .events
        .push(format!("OAuth error {error}: {description}"));
    app.render("oauth_error.html", context! { error, description })
}

async fn slow(app: &App) {
    let d = app.chaos.server_delay_ms();
    if d > 0 {
        tokio::time::sleep(Duration::from_millis(d)).await;
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn start(
    State(app): State<App>,
    headers: HeaderMap,
    Path((_org, suffix)): Path<(String, String)>,
    Query(q): Query<Fields>,
) -> Response {
    if !app.session_ok(&headers) {
        return app.to_login("/");
    }
    slow(&app).await;
    let start_url = q.get("startURL").cloned().unwrap_or_default();
    let nc_id = start_url.trim_start_matches('/').to_string();
    let mut org = app.org();
    let Some(p) = org
        .auth_providers
        .iter()
        .find(|p| p.url_suffix == suffix)
        .cloned()
    else {
        drop(org);
        return error(
            &app,
            "invalid_request",
            "No Auth. Provider has this URL suffix.",
        );
    };
    let scope = org
        .named_credentials
        .iter()
        .find(|n| n.id == nc_id)
        .map(|n| n.scope.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or(p.default_scopes.clone());
    let state = random_token(24, b"abcdefghijklmnopqrstuvwxyz0123456789");
    org.flows.push(OAuthFlow {
        state: state.clone(),
        provider_id: p.id.clone(),
        app_id: String::new(),
        named_credential_id: nc_id,
        scope: scope.clone(),
        code: None,
    });
    let mut url = format!("/services/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&state={state}", enc(&p.consumer_key), enc(&p.callback_url), enc(&scope));
    if p.use_pkce {
        url.push_str("&code_challenge=sim&code_challenge_method=S256");
    }
    Redirect::to(&url).into_response()
}

async fn authorize(State(app): State<App>, Query(q): Query<Fields>) -> Response {
    slow(&app).await;
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let mut org = app.org();
    let Some(eca) = org
        .external_client_apps
        .iter()
        .find(|a| a.settings.oauth_enabled && a.consumer_key == get("client_id"))
        .cloned()
    else {
        drop(org);
        return error(&app, "invalid_client_id", "client identifier invalid");
    };
    let callbacks: Vec<&str> = eca.settings.callback_url.split_whitespace().collect();
    if !callbacks.contains(&get("redirect_uri").as_str()) {
        drop(org);
        return error(
            &app,
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        );
    }
    for token in get("scope").split_whitespace() {
        let allowed = Org::scope_label_for(token)
            .is_some_and(|label| eca.settings.scopes.iter().any(|s| s == label));
        if !allowed {
            drop(org);
            return error(
                &app,
                "invalid_scope",
                &format!("the requested scope '{token}' is not allowed"),
            );
        }
    }
    if eca
        .settings
        .security
        .get("require_pkce")
        .copied()
        .unwrap_or(false)
        && get("code_challenge").is_empty()
    {
        drop(org);
        return error(&app, "invalid_request", "missing required code challenge");
    }
    let Some(flow) = org.flows.iter_mut().find(|f| f.state == get("state")) else {
        drop(org);
        return error(&app, "invalid_request", "unknown state");
    };
    flow.app_id = eca.id.clone();
    let state = flow.state.clone();
    // The flow asks the user to sign in again, as the article says it will.
    let allow = format!("/setup/secur/RemoteAccessAuthorizationPage.apexp?source={state}");
    Redirect::to(&format!("/?startURL={}", enc(&allow))).into_response()
}

async fn allow_page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    if !app.session_ok(&headers) {
        return app.to_login("/");
    }
    let source = q.get("source").cloned().unwrap_or_default();
    let org = app.org().clone();
    let Some(flow) = org.flows.iter().find(|f| f.state == source) else {
        return error(
            &app,
            "invalid_request",
            "this authorization request has expired",
        );
    };
    let app_name = org
        .external_client_apps
        .iter()
        .find(|a| a.id == flow.app_id)
        .map(|a| a.settings.name.clone())
        .unwrap_or_default();
    let scopes: Vec<String> = flow
        .scope
        .split_whitespace()
        .filter_map(Org::scope_label_for)
        .map(str::to_string)
        .collect();
    app.render(
        "oauth_allow.html",
        context! { app_name, scopes, source, username => app.username() },
    )
}

async fn allow(State(app): State<App>, headers: HeaderMap, Form(f): Form<Fields>) -> Response {
    if !app.session_ok(&headers) {
        return app.to_login("/");
    }
    slow(&app).await;
    let source = f.get("source").cloned().unwrap_or_default();
    let mut org = app.org();
    let Some(flow) = org.flows.iter_mut().find(|x| x.state == source) else {
        drop(org);
        return error(
            &app,
            "invalid_request",
            "this authorization request has expired",
        );
    };
    let provider_id = flow.provider_id.clone();
    let state = flow.state.clone();
    let approved = f.contains_key("oaapprove");
    let code = random_token(32, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    if approved {
        flow.code = Some(code.clone());
    }
    let callback = org
        .auth_providers
        .iter()
        .find(|p| p.id == provider_id)
        .map(|p| p.callback_url.clone())
        .unwrap_or_default();
    let target = if approved {
        format!("{callback}?code={code}&state={state}")
    } else {
        format!("{callback}?error=access_denied&state={state}")
    };
    Redirect::to(&target).into_response()
}

async fn callback(
    State(app): State<App>,
    Path(suffix): Path<String>,
    Query(q): Query<Fields>,
) -> Response {
    slow(&app).await;
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("error") == "access_denied" {
        return error(&app, "access_denied", "end-user denied authorization");
    }
    let mut org = app.org();
    let Some(idx) = org
        .flows
        .iter()
        .position(|f| f.state == get("state") && f.code.as_deref() == Some(get("code").as_str()))
    else {
        drop(org);
        return error(
            &app,
            "invalid_grant",
            "authorization code is invalid or expired",
        );
    };
    let flow = org.flows.remove(idx);
    let provider = org
        .auth_providers
        .iter()
        .find(|p| p.id == flow.provider_id && p.url_suffix == suffix)
        .cloned();
    let eca = org
        .external_client_apps
        .iter()
        .find(|a| a.id == flow.app_id)
        .cloned();
    let (Some(provider), Some(eca)) = (provider, eca) else {
        drop(org);
        return error(
            &app,
            "invalid_grant",
            "the Auth. Provider or the app is gone",
        );
    };
    // The token request: the provider's secret must be the app's when the app requires it.
    if eca
        .settings
        .security
        .get("require_secret_web_server")
        .copied()
        .unwrap_or(true)
        && provider.consumer_secret != eca.consumer_secret
    {
        drop(org);
        return error(&app, "invalid_client", "invalid client credentials");
    }
    let username = org
        .users
        .first()
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let Some(nc) = org
        .named_credentials
        .iter_mut()
        .find(|n| n.id == flow.named_credential_id)
    else {
        drop(org);
        return error(&app, "invalid_request", "the Named Credential is gone");
    };
    nc.auth_status = format!("Authenticated as {username}");
    let (id, name) = (nc.id.clone(), nc.name.clone());
    org.events.push(format!(
        "authenticated Named Credential {name} through {}",
        provider.url_suffix
    ));
    (
        [(header::CACHE_CONTROL, "no-store")],
        Redirect::to(&format!("/{id}")),
    )
        .into_response()
}
