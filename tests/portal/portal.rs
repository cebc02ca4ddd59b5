//! The agency portal: scopes per route, the minimum answer, persons the
//! agency may not see answered like absent ones, rate limits (with the
//! test's own clock), revoked and expired keys, the hash-chained access log
//! that officers and auditors read, leadership's counts, and the portal's
//! own OpenAPI document.

use crate::common;

use casework::app::portal::{self, PersonInput, PortalError, PortalRequest, Scope};
use casework::domain::roles::Role;
use chrono::{Duration, Utc};
use common::{TestApp, http, second_server, spawn_app, sql};
use reqwest::StatusCode;
use serde_json::{Value, json};

const NAT: &str = "/portal/v1/naturalization-status";
const NAT_BATCH: &str = "/portal/v1/naturalization-status/batch";
const CARD: &str = "/portal/v1/card-status";
const CARD_BATCH: &str = "/portal/v1/card-status/batch";

/// One person of the demo: national number (if any), register number,
/// birth date, reference, ordinal, and the columns asked for.
async fn person(app: &TestApp, condition: &str) -> Vec<Option<String>> {
    let found = sql::rows(
        app.db_url(),
        &format!(
            "SELECT m.national_number, m.register_number, CAST(m.birth_date AS TEXT), a.reference, \
             CAST(m.ordinal AS TEXT), m.card_number, CAST(m.registered_on AS TEXT), \
             CAST(m.state_changed_on AS TEXT), a.district, a.state, m.state \
             FROM members m JOIN applications a ON a.id = m.application_id \
             WHERE m.register_number IS NOT NULL AND {condition} ORDER BY m.id LIMIT 1"
        ),
    )
    .await;
    found
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the demo has a person with {condition}"))
}

async fn demo_app() -> TestApp {
    common::spawn_demo_app(150).await
}

async fn agency(
    app: &TestApp,
    name: &str,
    scopes: &[&str],
    rate: u32,
    districts: &[&str],
) -> String {
    portal::add(
        &app.engine,
        name,
        &scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        &districts.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        rate,
        None,
        Utc::now(),
    )
    .await
    .expect("the agency is added")
}

async fn ask(
    app: &TestApp,
    key: &str,
    route: &str,
    body: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let response = app
        .client
        .post(app.url(route))
        .bearer_auth(key)
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .expect("the request is sent");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, headers, body)
}

fn by_national(number: &str) -> Value {
    json!({"purpose": "verifying nationality for a work permit", "person": {"national_number": number}})
}

fn body_for(route: &str, person: Value) -> Value {
    if route.ends_with("/batch") {
        json!({"purpose": "verifying nationality for a work permit", "persons": [person]})
    } else {
        json!({"purpose": "verifying nationality for a work permit", "person": person})
    }
}

/// A GET as the officer of `role`: its status and its JSON body, if any.
async fn get(app: &TestApp, path: &str, role: Role) -> (StatusCode, Value) {
    let response = http::get(app, path, role).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The whole access log as an auditor reads it (newest first).
async fn log(app: &TestApp, query: &str) -> Vec<Value> {
    let (status, body) = get(
        app,
        &format!("/api/agency-access?limit=500{query}"),
        Role::Auditor,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn every_scope_opens_exactly_its_routes() {
    let app = demo_app().await;
    let granted = person(&app, "m.state = 'collected'").await;
    let national = granted[0].clone().expect("a national number");
    let keys = [
        ("nat-only", vec!["naturalization-status"]),
        ("card-only", vec!["card-status"]),
        ("both", vec!["naturalization-status", "card-status"]),
    ];
    for (name, scopes) in &keys {
        let key = agency(&app, name, scopes, 1000, &[]).await;
        for (route, scope) in [
            (NAT, "naturalization-status"),
            (NAT_BATCH, "naturalization-status"),
            (CARD, "card-status"),
            (CARD_BATCH, "card-status"),
        ] {
            let (status, _, body) = ask(
                &app,
                &key,
                route,
                body_for(route, json!({"national_number": national})),
            )
            .await;
            if scopes.contains(&scope) {
                assert_eq!(status, StatusCode::OK, "{name} on {route}: {body}");
                let result = if route.ends_with("/batch") {
                    body["results"][0].clone()
                } else {
                    body["result"].clone()
                };
                assert_eq!(result["found"], true, "{name} on {route}");
                assert_eq!(body["agency"], *name);
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{name} on {route}: {body}");
                assert_eq!(body["code"], "scope_not_granted");
            }
        }
        // Every request was logged with its outcome.
        let entries = log(&app, &format!("&agency={name}")).await;
        assert_eq!(entries.len(), 4, "{name}: {entries:?}");
        let answered = entries.iter().filter(|e| e["result"] == "answered").count();
        let refused = entries
            .iter()
            .filter(|e| e["result"] == "scope_not_granted")
            .count();
        assert_eq!(
            (answered, refused),
            (scopes.len() * 2, 4 - scopes.len() * 2)
        );
        assert!(
            entries
                .iter()
                .all(|e| e["subject"] == format!("NN {national}"))
        );
    }
}

#[tokio::test]
async fn answers_hold_the_minimum_and_hidden_persons_look_absent() {
    let app = demo_app().await;
    let key = agency(
        &app,
        "interior",
        &["naturalization-status", "card-status"],
        1000,
        &[],
    )
    .await;

    // A person with a card handed over.
    let p = person(&app, "m.state = 'collected'").await;
    let national = p[0].clone().expect("national number");
    let (status, _, body) = ask(&app, &key, NAT, by_national(&national)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let result = &body["result"];
    assert_eq!(result["found"], true);
    assert_eq!(result["status"], "granted");
    assert_eq!(result["granted_on"].as_str(), p[6].as_deref());
    assert_eq!(result["application_state"].as_str(), p[9].as_deref());
    assert!(
        result["application_state_label"]["ar"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let mut keys: Vec<&str> = result
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "application_state",
            "application_state_label",
            "found",
            "granted_on",
            "log_entry",
            "status"
        ],
        "the naturalization answer carries no name, number or family"
    );
    let (_, _, body) = ask(&app, &key, CARD, by_national(&national)).await;
    let result = &body["result"];
    assert_eq!(result["card"], "issued");
    assert_eq!(result["card_number"].as_str(), p[5].as_deref());
    assert_eq!(result["issued_on"].as_str(), p[7].as_deref());
    let mut keys: Vec<&str> = result
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["card", "card_number", "found", "issued_on", "log_entry"]
    );

    // A person still being verified, found by register number and birth date
    // (Arabic-Indic digits as typed at another ministry).
    let pending = person(&app, "m.state = 'pending' AND a.state = 'verification'").await;
    let register = pending[1].clone().expect("register number");
    let arabic: String = register
        .chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0x660 + d).unwrap_or(c))
        })
        .collect();
    let born = pending[2].clone().expect("birth date");
    let (status, _, body) = ask(
        &app,
        &key,
        NAT,
        body_for(NAT, json!({"register_number": arabic, "birth_date": born})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"]["status"], "in_progress");
    assert_eq!(body["result"]["granted_on"], Value::Null);
    assert_eq!(body["result"]["application_state"], "verification");
    let (_, _, body) = ask(
        &app,
        &key,
        CARD,
        body_for(
            CARD,
            json!({"register_number": register, "birth_date": born}),
        ),
    )
    .await;
    assert_eq!(body["result"]["card"], "not_issued");
    assert_eq!(body["result"]["card_number"], Value::Null);

    // Hidden: excluded, in a rejected or withdrawn application, or outside
    // the agency's districts; absent: a number nobody holds, a register
    // number with another birth date. All answered alike.
    let excluded = person(&app, "m.state = 'excluded'").await;
    let rejected = person(&app, "a.state = 'rejected'").await;
    let withdrawn = person(&app, "a.state = 'withdrawn'").await;
    let by_register = |p: &Vec<Option<String>>| json!({"register_number": p[1].clone(), "birth_date": p[2].clone()});
    let hidden = vec![
        ("excluded", by_register(&excluded)),
        ("rejected", by_register(&rejected)),
        ("withdrawn", by_register(&withdrawn)),
        ("nobody", json!({"national_number": "99999999999"})),
        (
            "another birth date",
            json!({"register_number": register, "birth_date": "1901-01-01"}),
        ),
    ];
    // An agency of one district asking about a granted person of another.
    let elsewhere = person(
        &app,
        &format!(
            "m.state = 'collected' AND a.district <> '{}'",
            p[8].clone().unwrap_or_default()
        ),
    )
    .await;
    let local_key = agency(
        &app,
        "local-office",
        &["naturalization-status", "card-status"],
        1000,
        &[p[8].as_deref().unwrap_or("")],
    )
    .await;
    let mut shapes = Vec::new();
    for route in [NAT, CARD] {
        for (what, who) in hidden.clone() {
            let (status, headers, mut body) =
                ask(&app, &key, route, body_for(route, who.clone())).await;
            assert_eq!(status, StatusCode::OK, "{what}: {body}");
            assert_eq!(body["result"]["found"], false, "{what} on {route}");
            body["result"]["log_entry"] = Value::Null;
            shapes.push((route, what, headers.get("content-type").cloned(), body));
        }
        let (status, headers, mut body) = ask(
            &app,
            &local_key,
            route,
            body_for(route, json!({"national_number": elsewhere[0].clone()})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        body["result"]["log_entry"] = Value::Null;
        body["agency"] = json!("interior");
        shapes.push((
            route,
            "another district",
            headers.get("content-type").cloned(),
            body,
        ));
        // The same agency sees a person of its own district.
        let (_, _, body) = ask(&app, &local_key, route, by_national(&national)).await;
        assert_eq!(body["result"]["found"], true);
    }
    for (route, what, content_type, body) in &shapes {
        let (_, _, first_type, first) = shapes.iter().find(|s| s.0 == *route).expect("one");
        assert_eq!(body, first, "{what} on {route} differs from the others");
        assert_eq!(content_type, first_type);
    }
    // The log tells them apart, for auditors only: hidden persons are
    // `not_visible` with their application, absent ones `no_record`.
    let entries = log(&app, "&agency=interior").await;
    let not_visible: Vec<&Value> = entries
        .iter()
        .filter(|e| e["result"] == "not_visible")
        .collect();
    let no_record = entries
        .iter()
        .filter(|e| e["result"] == "no_record")
        .count();
    assert_eq!(
        not_visible.len(),
        6,
        "excluded, rejected, withdrawn × 2 routes"
    );
    assert_eq!(no_record, 4, "nobody and another birth date × 2 routes");
    let references: Vec<&str> = not_visible
        .iter()
        .filter_map(|e| e["reference"].as_str())
        .collect();
    for p in [&excluded, &rejected, &withdrawn] {
        assert!(references.contains(&p[3].as_deref().unwrap_or("")), "{p:?}");
    }

    // A batch answers in order, each with its own log entry.
    let (status, _, body) = ask(
        &app,
        &key,
        NAT_BATCH,
        json!({"purpose": "pension eligibility review", "persons": [
            {"national_number": national}, {"national_number": "99999999999"}, by_register(&pending)
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().expect("results");
    assert_eq!(
        results
            .iter()
            .map(|r| r["found"].clone())
            .collect::<Vec<_>>(),
        [json!(true), json!(false), json!(true)]
    );
    let entries: Vec<i64> = results
        .iter()
        .filter_map(|r| r["log_entry"].as_i64())
        .collect();
    assert_eq!(entries.len(), 3);
    assert!(entries.windows(2).all(|w| w[1] == w[0] + 1));
}

#[tokio::test]
async fn bad_requests_are_refused_with_their_fields_and_logged() {
    let app = demo_app().await;
    let key = agency(&app, "justice", &["naturalization-status"], 1000, &[]).await;
    let (status, _, body) = ask(&app, &key, NAT, json!({"person": {"national_number": "1"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    // The request's shape is refused before any person is looked at.
    assert_eq!(fields, ["purpose"]);
    let (status, _, body) = ask(&app, &key, NAT, by_national("1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "person.national_number");
    let (status, _, body) = ask(
        &app,
        &key,
        NAT,
        json!({"purpose": "a court case", "person": {"national_number": "10000000001", "register_number": "1/2", "birth_date": "2000-01-01"}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "person");
    let too_many: Vec<Value> = (0..501)
        .map(|i| json!({"national_number": format!("1{:010}", i)}))
        .collect();
    let (status, _, body) = ask(
        &app,
        &key,
        NAT_BATCH,
        json!({"purpose": "a court case", "persons": too_many}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "persons");
    // One entry per request refused, with how many persons it named.
    let counted = sql::rows(
        app.db_url(),
        "SELECT subject, CAST(persons AS TEXT) FROM agency_access WHERE result = 'invalid_request' ORDER BY seq",
    )
    .await;
    let text = |s: &str| Some(s.to_string());
    assert_eq!(
        counted,
        [
            [text("NN 1"), text("1")],
            [text("NN 1"), text("1")],
            [text("NN 10000000001 REG 1/2 2000-01-01"), text("1")],
            [text("501 persons"), text("501")],
        ]
    );
    let entries = log(&app, "&agency=justice").await;
    assert_eq!(entries[0]["persons"], 501);
    assert_eq!(entries[0]["subject"], "501 persons");
}

fn request(scope: Scope, persons: usize) -> PortalRequest {
    PortalRequest {
        scope,
        purpose: Some("border crossing check".into()),
        persons: (0..persons)
            .map(|i| PersonInput {
                national_number: Some(format!("9{:010}", i)),
                ..PersonInput::default()
            })
            .collect(),
        batch: true,
    }
}

#[tokio::test]
async fn the_rate_limit_refills_with_the_clock_it_is_given() {
    let app = spawn_app().await;
    let key = agency(&app, "border", &["naturalization-status"], 3, &[]).await;
    let t0 = Utc::now();
    let q = |persons: usize, at: chrono::DateTime<Utc>| {
        portal::query(
            &app.engine,
            Some(&key),
            request(Scope::NaturalizationStatus, persons),
            at,
        )
    };
    // A burst of three persons per minute, then one every 20 seconds.
    q(2, t0).await.expect("two of three");
    match q(2, t0).await {
        Err(PortalError::RateLimited { retry_after }) => assert_eq!(retry_after, 20),
        other => panic!("expected a rate limit, got {other:?}"),
    }
    q(1, t0).await.expect("the third");
    match q(1, t0 + Duration::seconds(19)).await {
        Err(PortalError::RateLimited { retry_after }) => assert_eq!(retry_after, 1),
        other => panic!("expected a rate limit, got {other:?}"),
    }
    q(1, t0 + Duration::seconds(20))
        .await
        .expect("refilled after 20 s");
    // A minute later the bucket is full again, and never fuller.
    q(3, t0 + Duration::minutes(10))
        .await
        .expect("a full bucket");
    // A batch larger than the rate can never pass: refused as invalid,
    // once it has spent the budget it may.
    assert!(matches!(
        q(4, t0 + Duration::minutes(20)).await,
        Err(PortalError::Invalid(_))
    ));
    // A clock that goes back refills nothing.
    assert!(matches!(
        q(3, t0).await,
        Err(PortalError::RateLimited { .. })
    ));

    // Over HTTP: 429 with Retry-After, as a problem, and logged.
    let key = agency(&app, "customs", &["naturalization-status"], 2, &[]).await;
    for _ in 0..2 {
        let (status, _, _) = ask(&app, &key, NAT, by_national("99999999999")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = ask(&app, &key, NAT, by_national("99999999999")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "rate_limited");
    let wait: u64 = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(
        log(&app, "&agency=customs&result=rate_limited").await.len(),
        1
    );
}

#[tokio::test]
async fn revoked_expired_and_unknown_keys_get_401() {
    let app = spawn_app().await;
    let old = agency(&app, "passports", &["naturalization-status"], 1000, &[]).await;
    let now = Utc::now();
    let new = portal::rotate(&app.engine, "passports", Duration::hours(24), None, now)
        .await
        .expect("rotated");
    let at = |key: &str, when| {
        let key = key.to_string();
        let engine = app.engine.clone();
        async move {
            portal::query(
                &engine,
                Some(&key),
                request(Scope::NaturalizationStatus, 1),
                when,
            )
            .await
        }
    };
    at(&old, now + Duration::hours(23))
        .await
        .expect("the old key works during the overlap");
    at(&new, now + Duration::hours(23))
        .await
        .expect("the new key works");
    assert!(matches!(
        at(&old, now + Duration::hours(25)).await,
        Err(PortalError::Unauthorized)
    ));
    at(&new, now + Duration::hours(25))
        .await
        .expect("the new key still works");
    assert_eq!(
        log(&app, "&agency=passports&result=key_expired")
            .await
            .len(),
        1
    );

    // Over HTTP: a revoked key, a key of a revoked agency and an unknown key
    // get the same 401; the first two are logged.
    let prefix = &old[..11];
    portal::revoke(&app.engine, "passports", Some(prefix), Utc::now())
        .await
        .expect("revoked");
    let (status, headers, revoked) = ask(&app, &old, NAT, by_national("99999999999")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    let (status, _, _) = ask(&app, &new, NAT, by_national("99999999999")).await;
    assert_eq!(status, StatusCode::OK, "the other key is untouched");
    let unknown = format!("ag_{}", "0".repeat(64));
    let (status, _, stranger) = ask(&app, &unknown, NAT, by_national("99999999999")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked["code"], stranger["code"]);
    assert_eq!(revoked["detail"], stranger["detail"]);
    let officer = app.token(Role::Verifier).to_string();
    let (status, _, _) = ask(&app, &officer, NAT, by_national("99999999999")).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an officer's token is not an agency key"
    );
    portal::revoke(&app.engine, "passports", None, Utc::now())
        .await
        .expect("agency revoked");
    let (status, _, _) = ask(&app, &new, NAT, by_national("99999999999")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let entries = log(&app, "&agency=passports&result=key_revoked").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["key"], prefix);
    assert!(
        portal::rotate(
            &app.engine,
            "passports",
            Duration::hours(1),
            None,
            Utc::now()
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn the_access_log_is_read_by_officers_and_auditors_and_its_chain_verified() {
    let app = demo_app().await;
    let key = agency(
        &app,
        "health",
        &["naturalization-status", "card-status"],
        1000,
        &[],
    )
    .await;
    let p = person(&app, "m.state = 'collected'").await;
    let national = p[0].clone().expect("national number");
    let reference = p[3].clone().expect("reference");
    for route in [NAT, CARD] {
        let (status, _, _) = ask(&app, &key, route, by_national(&national)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, _, _) = ask(&app, &key, NAT, by_national("99999999999")).await;

    // The case's officers see who asked about its members, and why.
    let path = format!("/api/applications/{reference}/agency-access");
    let (status, body) = get(&app, &path, Role::Verifier).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["scope"], "card-status", "newest first");
    assert_eq!(items[0]["agency"], "health");
    assert_eq!(
        items[0]["purpose"],
        "verifying nationality for a work permit"
    );
    assert_eq!(
        items[0]["member"].as_i64().map(|m| m.to_string()),
        p[4].clone()
    );
    assert_eq!(items[0]["key"], &key[..11]);
    let (status, _) = get(&app, &path, Role::Leadership).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "leadership reads counts only"
    );
    let (status, _) = get(&app, "/api/agency-access", Role::Verifier).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the whole log is for auditors"
    );
    let (status, _) = get(&app, "/api/agency-access", Role::Leadership).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Auditors page through everything.
    let (status, first) = get(&app, "/api/agency-access?limit=2", Role::Auditor).await;
    assert_eq!(status, StatusCode::OK);
    let before = first["next_before"].as_i64().expect("a next page");
    let (_, second) = get(
        &app,
        &format!("/api/agency-access?limit=2&before={before}"),
        Role::Auditor,
    )
    .await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(second["next_before"], Value::Null);

    // The chain verifies; an edited purpose and a removed entry are named.
    let report = portal::verify(&app.engine).await.expect("verified");
    assert_eq!((report.entries, report.first_broken), (3, None));
    sql::execute(
        app.db_url(),
        "UPDATE agency_access SET purpose = 'nothing to see' WHERE seq = 2",
    )
    .await;
    let broken = portal::verify(&app.engine)
        .await
        .expect("verified")
        .first_broken
        .expect("broken");
    assert_eq!((broken.agency.as_str(), broken.seq), ("health", 2));
    assert!(broken.problem.contains("altered"), "{}", broken.problem);
    sql::execute(app.db_url(), "UPDATE agency_access SET purpose = 'verifying nationality for a work permit' WHERE seq = 2").await;
    assert_eq!(
        portal::verify(&app.engine)
            .await
            .expect("verified")
            .first_broken,
        None
    );
    sql::execute(app.db_url(), "DELETE FROM agency_access WHERE seq = 3").await;
    let broken = portal::verify(&app.engine)
        .await
        .expect("verified")
        .first_broken
        .expect("broken");
    assert!(broken.problem.contains("removed"), "{}", broken.problem);
}

#[tokio::test]
async fn leadership_sees_counts_per_agency_and_scope_on_the_dashboard() {
    let app = demo_app().await;
    let interior = agency(
        &app,
        "interior",
        &["naturalization-status", "card-status"],
        1000,
        &[],
    )
    .await;
    let bank = agency(&app, "central-bank", &["card-status"], 1000, &[]).await;
    let p = person(&app, "m.state = 'collected'").await;
    let national = p[0].clone().expect("national number");
    for _ in 0..3 {
        ask(&app, &interior, NAT, by_national(&national)).await;
    }
    ask(
        &app,
        &interior,
        CARD_BATCH,
        json!({"purpose": "card audit of March", "persons": [
        {"national_number": national}, {"national_number": "99999999999"}]}),
    )
    .await;
    ask(&app, &bank, CARD, by_national(&national)).await;
    ask(&app, &bank, NAT, by_national(&national)).await; // refused: no scope

    let (status, stats) = get(&app, "/api/statistics/agencies", Role::Leadership).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let agencies = stats["agencies"].as_array().expect("agencies");
    assert_eq!(agencies[0]["agency"], "interior");
    assert_eq!(
        (
            agencies[0]["queries"].as_i64(),
            agencies[0]["refused"].as_i64()
        ),
        (Some(5), Some(0))
    );
    assert_eq!(agencies[1]["agency"], "central-bank");
    assert_eq!(
        (
            agencies[1]["queries"].as_i64(),
            agencies[1]["refused"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        stats["scopes"][0],
        json!({"name": "naturalization-status", "count": 4})
    );
    assert_eq!(
        stats["scopes"][1],
        json!({"name": "card-status", "count": 3})
    );
    assert_eq!(
        stats["refusals"],
        json!([{"name": "scope_not_granted", "count": 1}])
    );
    assert_eq!(stats["days"].as_array().map(Vec::len), Some(2));
    let text = serde_json::to_string(&stats).expect("text");
    assert!(!text.contains(&national), "no person in the statistics");
    let (status, _) = get(&app, "/api/statistics/agencies", Role::IntakeClerk).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The tallies equal a recount of the log.
    let recount = casework::store::portal::recount(&app.engine.store)
        .await
        .expect("recount");
    let total: i64 = recount.iter().map(|r| r.count).sum();
    assert_eq!(total, 7);
    let check = casework::app::stats::check(&app.engine)
        .await
        .expect("checked");
    assert!(check.is_empty(), "{check:?}");
    sql::execute(
        app.db_url(),
        "UPDATE agency_tallies SET count = count + 1 WHERE scope = 'card-status'",
    )
    .await;
    let check = casework::app::stats::check(&app.engine)
        .await
        .expect("checked");
    assert!(
        check.iter().any(|d| d.starts_with("agency portal")),
        "{check:?}"
    );
    sql::execute(
        app.db_url(),
        "UPDATE agency_tallies SET count = count - 1 WHERE scope = 'card-status'",
    )
    .await;

    // The dashboard's panel shows the same counts.
    let html = app
        .client
        .get(app.url("/dashboard/panel?lang=en"))
        .bearer_auth(app.token(Role::Leadership))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    assert!(
        html.contains(r#"data-agency="interior" data-queries="5" data-refused="0""#),
        "{html}"
    );
    assert!(html.contains(r#"data-agency="central-bank" data-queries="2" data-refused="1""#));
    assert!(html.contains("Agency portal"));
    // Scopes and refusals are read by their names, in either language.
    for (lang, names) in [
        (
            "en",
            [
                "Naturalization status",
                "ID card status",
                "Scope not granted",
            ],
        ),
        (
            "ar",
            ["حالة التجنيس", "حالة البطاقة الشخصية", "نطاق غير ممنوح"],
        ),
    ] {
        let html = app
            .client
            .get(app.url(&format!("/dashboard/panel?lang={lang}")))
            .bearer_auth(app.token(Role::Leadership))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("text");
        for (code, name) in ["naturalization-status", "card-status", "scope_not_granted"]
            .into_iter()
            .zip(names)
        {
            assert!(
                html.contains(&format!(r#"<span data-name="{code}">{name}</span>"#)),
                "{lang}: {code} is named {name}"
            );
            assert!(!html.contains(&format!(">{code}<")), "{lang}: no {code}");
        }
    }
}

#[tokio::test]
async fn concurrent_requests_of_one_agency_keep_one_unbroken_chain() {
    let app = demo_app().await;
    let key = agency(
        &app,
        "statistics-office",
        &["naturalization-status", "card-status"],
        100_000,
        &[],
    )
    .await;
    let granted = person(&app, "m.state = 'collected'").await;
    let national = granted[0].clone().expect("national number");
    let mut tasks = Vec::new();
    for i in 0..24 {
        let client = app.client.clone();
        let url = app.url(if i % 2 == 0 { NAT_BATCH } else { CARD_BATCH });
        let key = key.clone();
        let persons: Vec<Value> = (0..5)
            .map(|j| {
                if j == 0 {
                    json!({"national_number": national})
                } else {
                    json!({"national_number": format!("9{:010}", i * 10 + j)})
                }
            })
            .collect();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(key)
                .json(&json!({"purpose": "monthly statistics sample", "persons": persons}))
                .send()
                .await
                .expect("sent")
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("joined"), StatusCode::OK);
    }
    let report = portal::verify(&app.engine).await.expect("verified");
    assert_eq!((report.entries, report.first_broken), (120, None));
    let now = Utc::now();
    let tallies = casework::store::portal::tallies(
        &app.engine.store,
        now.date_naive() - Duration::days(2),
        now.date_naive() + Duration::days(2),
    )
    .await
    .expect("tallies");
    let recount = casework::store::portal::recount(&app.engine.store)
        .await
        .expect("recount");
    assert_eq!(tallies, recount, "the tallies equal a recount of the log");
    assert_eq!(tallies.iter().map(|t| t.count).sum::<i64>(), 120);
}

/// The access log's page size is 1 to 500, as the document states: outside
/// it is a 400 naming the limit, not a page of another size.
#[tokio::test]
async fn an_access_log_page_size_outside_one_to_500_is_refused() {
    let app = spawn_app().await;
    for limit in ["0", "501"] {
        let (status, body) = get(
            &app,
            &format!("/api/agency-access?limit={limit}"),
            Role::Auditor,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "limit {limit}: {body}");
        assert_eq!(body["code"], "invalid_limit");
    }
    let (status, _) = get(&app, "/api/agency-access?limit=500", Role::Auditor).await;
    assert_eq!(status, StatusCode::OK);
}

/// Every `$ref` under `value`, as written.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => refs(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

/// The security schemes an operation asks for, by name.
fn schemes(operation: &Value) -> Vec<String> {
    operation["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().cloned())
        .collect()
}

/// Each path of a document with the security schemes of its operations.
fn operations(document: &Value) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            out.push((path.clone(), method.clone(), schemes(operation)));
        }
    }
    out
}

/// The served document, read with no token at all.
async fn served_portal_document(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/portal/v1/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK, "served with no key");
    response.json().await.expect("json")
}

#[tokio::test]
async fn the_portal_document_lists_exactly_the_routes_an_agency_key_calls() {
    let app = spawn_app().await;
    let portal = served_portal_document(&app).await;
    assert_eq!(portal["openapi"], "3.1.0");
    assert!(
        portal["info"]["title"]
            .as_str()
            .is_some_and(|t| t.contains("agency portal") && t.contains("بوابة الجهات")),
        "{}",
        portal["info"]
    );

    let listed = operations(&portal);
    let paths: Vec<(&str, &str)> = listed
        .iter()
        .map(|(p, m, _)| (p.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            (CARD, "post"),
            (CARD_BATCH, "post"),
            (NAT, "post"),
            (NAT_BATCH, "post")
        ]
    );
    for (path, _, security) in &listed {
        assert_eq!(security, &["agency_key"], "{path} takes an agency key");
    }
    let declared: Vec<&String> = portal["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes")
        .keys()
        .collect();
    assert_eq!(declared, ["agency_key"], "no officer's bearer scheme");

    // The main document agrees: its agency-key routes are exactly these,
    // and what it leaves out (the access log, the statistics) is not here.
    let main: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let main_operations = operations(&main);
    let agency_routes: Vec<(&str, &str)> = main_operations
        .iter()
        .filter(|(_, _, security)| security.iter().any(|s| s == "agency_key"))
        .map(|(p, m, _)| (p.as_str(), m.as_str()))
        .collect();
    assert_eq!(agency_routes, paths);
    for officers in [
        "/api/agency-access",
        "/api/applications/{reference}/agency-access",
        "/api/statistics/agencies",
    ] {
        assert!(
            main["paths"][officers].is_object(),
            "{officers} is in /openapi.json"
        );
        assert!(
            portal["paths"][officers].is_null(),
            "{officers} is not for agencies"
        );
    }
    // The portal's operations are described as in the main document.
    for (path, method, _) in &listed {
        assert_eq!(
            portal["paths"][path][method], main["paths"][path][method],
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_reference_in_the_portal_document_resolves_within_it_and_every_schema_is_used() {
    let app = spawn_app().await;
    let portal = served_portal_document(&app).await;
    let mut all = Vec::new();
    refs(&portal, &mut all);
    assert!(!all.is_empty(), "the document references its schemas");
    for target in &all {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{target} points outside the document"));
        assert!(portal.pointer(pointer).is_some(), "{target} resolves");
    }

    // Every schema is reached from a path, directly or through another
    // schema: the document holds nothing the routes do not use.
    let schemas = portal["components"]["schemas"]
        .as_object()
        .expect("schemas");
    let mut reached: Vec<String> = Vec::new();
    let mut todo = Vec::new();
    refs(&portal["paths"], &mut todo);
    while let Some(target) = todo.pop() {
        if reached.contains(&target) {
            continue;
        }
        if let Some(schema) = portal.pointer(target.trim_start_matches('#')) {
            refs(schema, &mut todo);
        }
        reached.push(target);
    }
    for name in schemas.keys() {
        assert!(
            reached.contains(&format!("#/components/schemas/{name}")),
            "{name} is used by a portal route"
        );
    }
}

#[tokio::test]
async fn the_served_portal_document_is_the_committed_one() {
    let app = spawn_app().await;
    let served = served_portal_document(&app).await;
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/portal.json"))
            .expect("committed document"),
    )
    .expect("the committed document is JSON");
    assert!(
        served == committed,
        "openapi/portal.json is not what /portal/v1/openapi.json serves: run `cargo run -- openapi --portal > openapi/portal.json`"
    );
}

#[test]
fn the_committed_portal_document_matches_the_code() {
    let generated = casework::http::portal::openapi()
        .to_pretty_json()
        .expect("serialises");
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/portal.json"))
            .expect("committed document");
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/portal.json is out of date: run `cargo run -- openapi --portal > openapi/portal.json`"
    );
}

#[tokio::test]
async fn a_flood_of_invalid_persons_is_refused_whole_with_one_entry_per_request() {
    let app = spawn_app().await;
    let key = agency(&app, "flood", &["naturalization-status"], 5, &[]).await;
    // 9,000 persons badly named, about 216 KB: within the body limit.
    let persons: Vec<Value> = (0..9000).map(|_| json!({"national_number": "x"})).collect();
    let body = json!({"purpose": "a flood of invalid persons", "persons": persons});
    assert!(body.to_string().len() > 200_000);
    // The first spends the agency's budget and is refused for its size; the
    // second finds the budget spent.
    let (first, _, problem) = ask(&app, &key, NAT_BATCH, body.clone()).await;
    assert_eq!(first, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "persons");
    let (second, headers, problem) = ask(&app, &key, NAT_BATCH, body).await;
    assert_eq!(second, StatusCode::TOO_MANY_REQUESTS, "{problem}");
    assert!(headers.get("retry-after").is_some());
    let entries = log(&app, "&agency=flood").await;
    assert_eq!(entries.len(), 2, "one entry per request, not per person");
    assert_eq!(entries[0]["result"], "rate_limited");
    assert_eq!(entries[1]["result"], "invalid_request");
    for entry in &entries {
        assert_eq!(entry["persons"], 9000);
        assert_eq!(entry["subject"], "9000 persons");
    }
    // An over-limit agency's invalid batch within the size limits: 429,
    // one entry, before any person is read.
    let persons: Vec<Value> = (0..5).map(|_| json!({"national_number": "x"})).collect();
    let (status, _, _) = ask(
        &app,
        &key,
        NAT_BATCH,
        json!({"purpose": "a flood of invalid persons", "persons": persons}),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(log(&app, "&agency=flood").await.len(), 3);
    let report = portal::verify(&app.engine).await.expect("verified");
    assert_eq!(report.first_broken, None, "the chain records them");
    // The day's tallies count the persons named, and equal a recount.
    let recount = casework::store::portal::recount(&app.engine.store)
        .await
        .expect("recount");
    let total: i64 = recount.iter().map(|r| r.count).sum();
    assert_eq!(total, 9000 + 9000 + 5);
    let check = casework::app::stats::check(&app.engine)
        .await
        .expect("checked");
    assert!(check.is_empty(), "{check:?}");
}

#[tokio::test]
async fn two_servers_on_one_database_share_one_budget_per_agency() {
    let app = spawn_app().await;
    let other = second_server(&app).await;
    let key = agency(&app, "shared", &["naturalization-status"], 10, &[]).await;
    let mut answered = 0;
    let mut limited = 0;
    for i in 0..24 {
        let base = if i % 2 == 0 { &app.base } else { &other };
        let response = app
            .client
            .post(format!("{base}{NAT}"))
            .bearer_auth(&key)
            .json(&by_national("99999999999"))
            .send()
            .await
            .expect("the request is sent");
        match response.status() {
            StatusCode::OK => answered += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    // Ten a minute in all (one more may have refilled while the test ran),
    // not ten on each server.
    assert!((10..=11).contains(&answered), "{answered} answered");
    assert_eq!(answered + limited, 24);
    // Both servers at once, from a spent budget: still nothing more.
    let ask_both = |base: String| {
        let request = app
            .client
            .post(format!("{base}{NAT}"))
            .bearer_auth(&key)
            .json(&by_national("99999999999"));
        async move { request.send().await.expect("sent").status() }
    };
    let (a, b) = tokio::join!(ask_both(app.base.clone()), ask_both(other.clone()));
    assert!([a, b].iter().filter(|s| **s == StatusCode::OK).count() <= 1);
}
