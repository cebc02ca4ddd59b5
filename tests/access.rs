//! Who reaches what: the role × route table of ACCESS.md walked
//! against a live server (every route of the router, for every role, an
//! agency key and no token), and a case of another district answered
//! exactly as an absent one on every route that takes a reference.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use casework::domain::roles::Role;
use common::families::family;
use common::{TestApp, spawn_app};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

/// The callers the table has a column for, in its order.
const CALLERS: [&str; 11] = [
    "intake_clerk",
    "verifier",
    "approver",
    "registrar",
    "card_officer",
    "supervisor",
    "leadership",
    "admin",
    "auditor",
    "agency key",
    "no token",
];

const TABLE_START: &str = "<!-- role-table:start -->";
const TABLE_END: &str = "<!-- role-table:end -->";
const ALLOWED: &str = "✓";
const REFUSED: &str = "✗";

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The table as ACCESS.md writes it: route (`METHOD /path`) →
/// caller → allowed.
fn documented_table() -> BTreeMap<String, BTreeMap<String, bool>> {
    let text = read("ACCESS.md");
    let start = text
        .find(TABLE_START)
        .expect("ACCESS.md has the role table");
    let end = text.find(TABLE_END).expect("the role table ends");
    let mut lines = text[start + TABLE_START.len()..end]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|'));
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect()
    };
    let head = cells(lines.next().expect("a header row"));
    assert_eq!(
        head[1..],
        CALLERS.map(String::from),
        "the role table's columns are the callers, in order"
    );
    lines.next(); // |---|---|
    let mut table = BTreeMap::new();
    for line in lines {
        let row = cells(line);
        assert_eq!(row.len(), CALLERS.len() + 1, "{line}");
        let reach = CALLERS
            .iter()
            .zip(&row[1..])
            .map(|(caller, cell)| {
                let allowed = match cell.as_str() {
                    ALLOWED => true,
                    REFUSED => false,
                    other => panic!("{line}: a cell is {ALLOWED} or {REFUSED}, not {other}"),
                };
                (caller.to_string(), allowed)
            })
            .collect();
        assert!(
            table.insert(row[0].clone(), reach).is_none(),
            "{} is in the table twice",
            row[0]
        );
    }
    table
}

/// The table written out as ACCESS.md holds it.
fn render(table: &BTreeMap<String, BTreeMap<String, bool>>) -> String {
    let mut out = format!("| route | {} |\n", CALLERS.join(" | "));
    out.push_str(&format!("|---|{}\n", "---|".repeat(CALLERS.len())));
    for (route, reach) in table {
        let cells: Vec<&str> = CALLERS
            .iter()
            .map(|c| if reach[*c] { ALLOWED } else { REFUSED })
            .collect();
        out.push_str(&format!("| `{route}` | {} |\n", cells.join(" | ")));
    }
    out
}

/// The routes of the pages, read from the calls that add them
/// (`.route("/path", get(…).post(…))`) in `src/http/pages/`.
fn page_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    for file in ["src/http/pages/mod.rs", "src/http/pages/signin.rs"] {
        let text = read(file);
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let call = &rest[..end];
            let path = call.split('"').nth(1).expect("a route names its path");
            for method in ["get", "post", "put", "delete"] {
                let called = call
                    .match_indices(&format!("{method}("))
                    .any(|(i, _)| i == 0 || !call[..i].ends_with(char::is_alphanumeric));
                if called {
                    routes.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
    }
    routes
}

/// Every route of the router: the API's (from the OpenAPI document the
/// code describes), the pages', and the documents and Swagger UI.
fn router_routes() -> BTreeSet<String> {
    let document = serde_json::to_value(casework::http::openapi()).expect("the document");
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            routes.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    routes.extend(page_routes());
    for route in [
        "GET /openapi.json",
        "GET /portal/v1/openapi.json",
        "GET /docs/",
    ] {
        routes.insert(route.to_string());
    }
    routes
}

/// The five-member family at al_hasakah, as posted.
fn hasakah_family() -> Value {
    family()
        .at_office("al_hasakah", "hasakah_centre")
        .born_in("الحسكة")
        .json()
}

/// What a probe of a route sends.
enum Body {
    None,
    Json(Value),
    Form(&'static str),
    Csv(&'static str),
}

/// A request to `route` that reaches past the route's gate and stops
/// there, changing nothing: a stale `If-Match` or version, an unknown
/// flag or mail, a family that is not valid.
fn probe(route: &str) -> (Body, bool) {
    let person = json!({"purpose": "checking the route table", "person": {"national_number": "99999999999"}});
    let persons = json!({"purpose": "checking the route table", "persons": [{"national_number": "99999999999"}]});
    let mut empty_family = hasakah_family();
    empty_family["members"] = json!([]);
    match route {
        "POST /api/applications" => (Body::Json(empty_family), false),
        "PUT /api/applications/{reference}" => (Body::Json(hasakah_family()), true),
        "POST /api/applications/{reference}/members/from/{person}" => (Body::None, true),
        // An empty file (415 once the case is found) and a removal at a
        // version the case is not at (412): nothing changes.
        "PUT /api/applications/{reference}/documents/{owner}/{kind}"
        | "DELETE /api/applications/{reference}/documents/{owner}/{kind}" => (Body::None, true),
        "POST /api/applications/{reference}/transitions" => (
            Body::Json(json!({"action": "submit_for_verification"})),
            true,
        ),
        "POST /api/applications/{reference}/duplicates/{id}" => {
            (Body::Json(json!({"decision": "dismiss"})), true)
        }
        "POST /api/applications/{reference}/assign" => {
            (Body::Json(json!({"user": "nobody"})), true)
        }
        "POST /api/applications/{reference}/claim"
        | "POST /api/applications/{reference}/release" => (Body::None, true),
        "POST /api/imports" => (Body::Csv(""), false),
        // A version nothing maps to: 404, nothing moves.
        "POST /api/migrations/plan" | "POST /api/migrations/apply" => (
            Body::Json(
                json!({"from": "naturalization-family.v1", "to": "naturalization-family.v9"}),
            ),
            false,
        ),
        "POST /portal/v1/naturalization-status" | "POST /portal/v1/card-status" => {
            (Body::Json(person), false)
        }
        "POST /portal/v1/naturalization-status/batch" | "POST /portal/v1/card-status/batch" => {
            (Body::Json(persons), false)
        }
        "POST /signin" => (Body::Form("name=nobody&password=wrong"), false),
        // A target missing its days: 422 for an admin, nothing stored.
        "PUT /api/statistics/targets/{name}" => (Body::Json(json!({"kind": "closed_by"})), false),
        route
            if route.starts_with("POST /applications/")
                || route == "POST /team/assign"
                || route == "POST /signout" =>
        {
            (
                Body::Form(
                    "version=999&action=submit_for_verification&decision=dismiss&user=nobody",
                ),
                false,
            )
        }
        route if route.starts_with("POST ") || route.starts_with("PUT ") => (Body::None, false),
        _ => (Body::None, false),
    }
}

/// The route's path with its parameters filled in.
fn concrete(path: &str, reference: &str) -> String {
    let path = path
        .replace("{reference}", reference)
        .replace("{person}", reference)
        .replace("{id}", "999999")
        .replace("{flag}", "999999")
        .replace("{name}", "naturalization-family")
        .replace("{version}", "1")
        .replace("{owner}", "family")
        .replace("{kind}", "application_form");
    match path.as_str() {
        "/search" => "/search?q=x".to_string(),
        // The reason a removal needs (the other methods take no query).
        p if p.ends_with("/documents/family/application_form") => {
            format!("{p}?reason=checking+the+route+table")
        }
        _ => path,
    }
}

struct Callers {
    tokens: BTreeMap<String, String>,
}

async fn callers(app: &TestApp) -> Callers {
    let mut tokens = BTreeMap::new();
    for role in Role::ALL {
        if role != Role::System {
            tokens.insert(role.as_str().to_string(), app.token(role).to_string());
        }
    }
    let key = casework::app::portal::add(
        &app.engine,
        "table",
        &[
            "naturalization-status".to_string(),
            "card-status".to_string(),
        ],
        &[],
        100_000,
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("the agency is added");
    tokens.insert("agency key".to_string(), key);
    Callers { tokens }
}

/// Whether the caller got past the route's gate: anything but 401, 403 or
/// a page's redirect to sign in first.
fn reached(status: StatusCode, headers: &header::HeaderMap) -> bool {
    let to_sign_in = status.is_redirection()
        && headers
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/signin?next="));
    !(status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN || to_sign_in)
}

async fn send(
    client: &reqwest::Client,
    app: &TestApp,
    route: &str,
    reference: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let (method, path) = route.split_once(' ').expect("METHOD /path");
    let (body, if_match) = probe(route);
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    let mut request = client
        .request(method, app.url(&concrete(path, reference)))
        .header("accept-language", "en");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if if_match {
        request = request.header(header::IF_MATCH, "\"999\"");
    }
    request = match body {
        Body::None => request,
        Body::Json(value) => request.json(&value),
        Body::Form(text) => request
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(text),
        Body::Csv(text) => request.header(header::CONTENT_TYPE, "text/csv").body(text),
    };
    request.send().await.expect("the request is sent")
}

#[tokio::test]
async fn every_role_reaches_exactly_the_routes_the_architecture_table_gives_it() {
    let documented = documented_table();
    let routes = router_routes();
    let listed: BTreeSet<String> = documented.keys().cloned().collect();
    assert_eq!(
        listed.symmetric_difference(&routes).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the role table lists exactly the router's routes"
    );

    let app = spawn_app().await;
    let created = common::http::post_json(
        &app,
        "/api/applications",
        Role::IntakeClerk,
        &hasakah_family(),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let reference = created.json::<Value>().await.expect("json")["reference"]
        .as_str()
        .expect("a reference")
        .to_string();
    let callers = callers(&app).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");

    let mut observed = BTreeMap::new();
    let mut wrong = Vec::new();
    for route in &routes {
        let mut reach = BTreeMap::new();
        for caller in CALLERS {
            let token = callers.tokens.get(caller).map(String::as_str);
            let response = send(&client, &app, route, &reference, token).await;
            let status = response.status();
            let allowed = reached(status, response.headers());
            if documented.get(route).and_then(|r| r.get(caller)) != Some(&allowed) {
                wrong.push(format!("{route} as {caller}: {status}"));
            }
            reach.insert(caller.to_string(), allowed);
        }
        observed.insert(route.clone(), reach);
    }
    assert!(
        wrong.is_empty(),
        "the server does not do what ACCESS.md's role table says:\n{}\n\nwhat it does:\n{}",
        wrong.join("\n"),
        render(&observed)
    );
}

/// A response with the parts that differ between any two requests (the
/// request id) and the reference asked about made alike.
async fn comparable(
    response: reqwest::Response,
    reference: &str,
) -> (StatusCode, Vec<String>, String) {
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let alike = |text: &str| {
        let text = text.replace(reference, "{reference}");
        if request_id.is_empty() {
            text
        } else {
            text.replace(&request_id, "{request-id}")
        }
    };
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != header::DATE)
        .map(|(name, value)| format!("{name}: {}", alike(value.to_str().unwrap_or("(binary)"))))
        .collect();
    let body = alike(&response.text().await.expect("a body"));
    (status, headers, body)
}

#[tokio::test]
async fn another_districts_case_answers_exactly_as_an_absent_one_on_every_route() {
    let app = spawn_app().await;
    let created = common::http::post_json(
        &app,
        "/api/applications",
        Role::IntakeClerk,
        &hasakah_family(),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let reference = created.json::<Value>().await.expect("json")["reference"]
        .as_str()
        .expect("a reference")
        .to_string();
    // A reference of the same shape and length that names no case.
    let absent = format!("{}999999", &reference[..reference.len() - 6]);
    assert_ne!(absent, reference);
    let now = chrono::Utc::now();
    // Every role that passes a gate, so that only the district differs.
    let roles = [Role::IntakeClerk, Role::Verifier, Role::Supervisor];
    let elsewhere = casework::app::users::add(
        &app.engine,
        "qamishli.all",
        &roles,
        Some("al_qamishli"),
        None,
        now,
    )
    .await
    .expect("added");
    let here = casework::app::users::add(
        &app.engine,
        "hasakah.all",
        &roles,
        Some("al_hasakah"),
        None,
        now,
    )
    .await
    .expect("added");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    // A scan of the family's application form, so that opening it from
    // the case's own district finds it.
    let pdf = common::http::put_bytes(
        &app,
        &format!("/api/applications/{reference}/documents/family/application_form"),
        Role::IntakeClerk,
        b"%PDF-1.4\n%%EOF\n".to_vec(),
    )
    .await;
    assert_eq!(pdf.status(), StatusCode::CREATED);

    let routes: Vec<String> = router_routes()
        .into_iter()
        .filter(|r| r.contains("{reference}"))
        .collect();
    assert!(routes.len() >= 18, "{routes:?}");
    for route in &routes {
        let other = send(&client, &app, route, &reference, Some(&elsewhere)).await;
        let none = send(&client, &app, route, &absent, Some(&elsewhere)).await;
        let other = comparable(other, &reference).await;
        let none = comparable(none, &absent).await;
        // The family form is checked before the case is read; every other
        // route reads the case first.
        if route != "POST /applications/{reference}/edit" {
            assert_eq!(other.0, StatusCode::NOT_FOUND, "{route}: {}", other.2);
        }
        assert_eq!(
            other, none,
            "{route}: another district's case differs from an absent one"
        );
        // The same request from the case's own district reaches further
        // (its version, its flag, its state), so the 404 above hid it.
        let own = send(&client, &app, route, &reference, Some(&here)).await;
        assert_ne!(own.status(), StatusCode::NOT_FOUND, "{route}");
    }
}

#[tokio::test]
async fn the_bearer_scheme_is_read_in_any_case_by_the_api_the_pages_and_the_portal() {
    let app = spawn_app().await;
    let callers = callers(&app).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let clerk = app.token(Role::IntakeClerk);
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let with = |request: reqwest::RequestBuilder, token: &str| {
            request.header(header::AUTHORIZATION, format!("{scheme} {token}"))
        };
        let api = with(client.get(app.url("/api/queue")), clerk)
            .send()
            .await
            .expect("sent");
        assert_eq!(api.status(), StatusCode::OK, "{scheme}: the API");
        let page = with(client.get(app.url("/")), clerk)
            .send()
            .await
            .expect("sent");
        assert_eq!(page.status(), StatusCode::OK, "{scheme}: a page");
        let portal = with(
            client.post(app.url("/portal/v1/naturalization-status")),
            &callers.tokens["agency key"],
        )
        .json(&json!({"purpose": "checking the scheme", "person": {"national_number": "99999999999"}}))
        .send()
        .await
        .expect("sent");
        assert_eq!(portal.status(), StatusCode::OK, "{scheme}: the portal");
    }
    let basic = client
        .get(app.url("/api/queue"))
        .header(header::AUTHORIZATION, format!("Basic {clerk}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
}
