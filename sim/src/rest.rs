//! The slice of the REST API and OAuth endpoints that the Salesforce CLI calls to
//! authorise an org with an access token (`sf org login access-token`), refresh its view
//! of it, and make a single-use frontdoor URL (`sf org open --url-only`). Answers take the
//! shapes a real org gives, errors included, so the real CLI runs against the simulator.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::{random_token, ALNUM};
use crate::App;

/// The newest API version the simulated org answers.
pub const API_VERSION: &str = "66.0";

pub fn router() -> Router<App> {
    Router::new()
        .route("/services/oauth2/userinfo", get(userinfo))
        .route("/services/oauth2/singleaccess", get(single_access))
        .route("/services/data", get(versions))
        .route("/services/data/", get(versions))
        .route("/services/data/{version}", get(resources))
        .route("/services/data/{version}/", get(resources))
        .route("/services/data/{version}/query", get(query))
        .route("/services/data/{version}/sobjects/User/{id}", get(user))
}

/// The session a REST call carries in `Authorization: Bearer`, when the org knows it.
fn bearer(app: &App, headers: &HeaderMap) -> Option<String> {
    let sid = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim()
        .to_string();
    app.org().sessions.contains(&sid).then_some(sid)
}

/// A REST call without a valid session, as the data API answers it.
fn invalid_session() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(
            json!([{ "message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID" }]),
        ),
    )
        .into_response()
}

/// The id of the org's one user: "005" and the org id's tail.
fn user_id(org: &crate::state::Org) -> String {
    format!("005{}", org.org_id.get(3..).unwrap_or_default())
}

async fn userinfo(State(app): State<App>, headers: HeaderMap) -> Response {
    if bearer(&app, &headers).is_none() {
        // The identity endpoint answers a bad token with 403 and a plain word.
        return (StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response();
    }
    let org = app.org();
    let username = org.users.first().map(|u| u.username.clone());
    Json(json!({
        "sub": format!("{}/id/{}/{}", org.my_domain, org.org_id, user_id(&org)),
        "user_id": user_id(&org),
        "organization_id": org.org_id,
        "preferred_username": username,
        "email": username,
        "zoneinfo": "America/Los_Angeles",
        "active": true,
    }))
    .into_response()
}

async fn versions() -> Response {
    Json(json!([
        { "label": "Spring '25", "url": "/services/data/v63.0", "version": "63.0" },
        { "label": "Summer '25", "url": "/services/data/v64.0", "version": "64.0" },
        { "label": "Winter '26", "url": "/services/data/v65.0", "version": "65.0" },
        { "label": "Spring '26", "url": format!("/services/data/v{API_VERSION}"), "version": API_VERSION },
    ]))
    .into_response()
}

async fn resources(
    State(app): State<App>,
    headers: HeaderMap,
    Path(version): Path<String>,
) -> Response {
    if bearer(&app, &headers).is_none() {
        return invalid_session();
    }
    let base = format!("/services/data/{version}");
    Json(json!({
        "query": format!("{base}/query"),
        "sobjects": format!("{base}/sobjects"),
        "tooling": format!("{base}/tooling"),
        "limits": format!("{base}/limits"),
    }))
    .into_response()
}

async fn user(
    State(app): State<App>,
    headers: HeaderMap,
    Path((_version, id)): Path<(String, String)>,
) -> Response {
    if bearer(&app, &headers).is_none() {
        return invalid_session();
    }
    let org = app.org();
    if id != user_id(&org) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!([{ "errorCode": "NOT_FOUND", "message": "The requested resource does not exist" }])),
        )
            .into_response();
    }
    let username = org.users.first().map(|u| u.username.clone());
    Json(json!({
        "attributes": { "type": "User", "url": format!("/services/data/v{API_VERSION}/sobjects/User/{id}") },
        "Id": id,
        "Username": username,
        "Email": username,
        "IsActive": true,
    }))
    .into_response()
}

/// SOQL, as far as the CLI asks: the Organization row. Other objects are unknown here,
/// as `ScratchOrgInfo` is in any org that is not a Dev Hub (which the CLI relies on).
async fn query(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if bearer(&app, &headers).is_none() {
        return invalid_session();
    }
    let soql = q.get("q").cloned().unwrap_or_default();
    let object = soql
        .split_whitespace()
        .skip_while(|w| !w.eq_ignore_ascii_case("from"))
        .nth(1)
        .unwrap_or_default()
        .to_string();
    if !object.eq_ignore_ascii_case("Organization") {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!([{
                "message": format!("\n{soql}\n^\nERROR at Row:1:Column:1\nsObject type '{object}' is not supported."),
                "errorCode": "INVALID_TYPE"
            }])),
        )
            .into_response();
    }
    let org = app.org();
    Json(json!({
        "totalSize": 1,
        "done": true,
        "records": [{
            "attributes": { "type": "Organization", "url": format!("/services/data/v{API_VERSION}/sobjects/Organization/{}", org.org_id) },
            "Id": org.org_id,
            "Name": "Setup Simulator",
            "InstanceName": "SIM1",
            "IsSandbox": true,
            "TrialExpirationDate": null,
            "NamespacePrefix": null,
            "OrganizationType": "Enterprise Edition",
        }],
    }))
    .into_response()
}

/// The UI Bridge API: a single-use frontdoor link for the session, valid once.
async fn single_access(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(sid) = bearer(&app, &headers) else {
        return (
            StatusCode::FORBIDDEN,
            Json(json!([{ "errorCode": "INVALID_SESSION_ID", "message": "Session expired or invalid" }])),
        )
            .into_response();
    };
    let start = q
        .get("redirect_uri")
        .filter(|r| r.starts_with('/'))
        .cloned()
        .unwrap_or_else(|| "/".into());
    let otp = random_token(48, ALNUM);
    app.org().one_time_logins.insert(otp.clone(), sid);
    let mut url = url::Url::parse(&format!("{}/secur/frontdoor.jsp", app.classic_url))
        .expect("the classic origin is a URL");
    url.query_pairs_mut()
        .append_pair("otp", &otp)
        .append_pair("startURL", &start)
        .append_pair("cshc", &random_token(12, ALNUM));
    Json(json!({ "frontdoor_uri": url.as_str() })).into_response()
}
