//! People sign in with a name and a password: the password rules, the
//! session cookie, the timeouts, the anti-forgery token, the lock after
//! repeated wrong passwords, and what the database keeps. The client keeps
//! no cookies: each test carries the session cookie by hand.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use casework::app::passwords;
use casework::app::sessions::{self, SignIn};
use casework::domain::digest::sha256_hex;
use casework::domain::roles::Role;
use chrono::{DateTime, Duration, Utc};
use common::time::utc;
use common::{TestApp, spawn_app};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};

/// Form fields or headers, as names and values.
type Pairs<'a> = &'a [(&'a str, &'a str)];

const PASSWORD: &str = "correct horse battery staple";

/// The officer `spawn_app` made for `role`.
fn name_of(role: Role) -> String {
    format!("{}.one", role.as_str())
}

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A form body, `application/x-www-form-urlencoded`.
fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

async fn post_form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(fields));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

/// Signs `name` in over HTTP and returns the response.
async fn sign_in(app: &TestApp, name: &str, password: &str, next: &str) -> reqwest::Response {
    post_form(
        app,
        "/signin?lang=en",
        &[("username", name), ("password", password), ("next", next)],
        &[],
    )
    .await
}

/// The session id a sign-in's `Set-Cookie` gives.
fn session_id(response: &reqwest::Response) -> String {
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a Set-Cookie header");
    cookie
        .strip_prefix("casework_session=")
        .and_then(|rest| rest.split(';').next())
        .expect("the session cookie")
        .to_string()
}

/// Whether a response gives the browser a session cookie.
fn sets_a_session(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap_or("").starts_with("casework_session="))
}

/// Signs `name` in over HTTP and returns the `Cookie` header to send.
async fn signed_in(app: &TestApp, name: &str) -> String {
    let response = sign_in(app, name, PASSWORD, "/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    format!("casework_session={}", session_id(&response))
}

async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    client()
        .get(app.url(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .expect("request")
}

/// The anti-forgery token the dashboard page carries for this session.
async fn csrf_of(app: &TestApp, cookie: &str) -> String {
    let page = get_with_cookie(app, "/dashboard", cookie)
        .await
        .text()
        .await
        .expect("the page");
    let start = page
        .find("name=\"csrf_token\" value=\"")
        .map(|i| i + "name=\"csrf_token\" value=\"".len())
        .expect("the page carries the token");
    page[start..start + 64].to_string()
}

/// An app whose officers of `roles` have the test password.
async fn app_with_passwords(roles: &[Role]) -> TestApp {
    let app = spawn_app().await;
    for role in roles {
        passwords::set_password(&app.engine, &name_of(*role), PASSWORD)
            .await
            .expect("the password is set");
    }
    app
}

#[tokio::test]
async fn a_password_is_refused_when_short_equal_to_the_name_or_common() {
    let app = spawn_app().await;
    let name = name_of(Role::Verifier);
    for (password, expected) in [
        ("short one", "too short"),
        ("Verifier.One", "user's name"),
        ("Password123", "most common"),
        ("qwertyuiop", "most common"),
    ] {
        match passwords::set_password(&app.engine, &name, password).await {
            Err(casework::app::AppError::Invalid(errors)) => assert!(
                errors[0].message.contains(expected),
                "{password}: {:?}",
                errors[0].message
            ),
            other => panic!("{password}: expected a refusal, got {other:?}"),
        }
    }
    let stored = common::sql::count(
        app.db_url(),
        "SELECT COUNT(*) FROM users WHERE password_hash IS NOT NULL",
    )
    .await;
    assert_eq!(stored, 0, "no refused password is stored");
    assert!(matches!(
        passwords::set_password(&app.engine, "nobody.here", PASSWORD).await,
        Err(casework::app::AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn users_passwd_reads_one_line_from_standard_input_and_hashes_it_with_argon2id() {
    let app = spawn_app().await;
    let dir = common::temp_dir("passwd");
    let run = |name: &str, input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_casework"))
            .args(["users", "passwd", name])
            .current_dir(&dir.0)
            .env("DATABASE_URL", app.db_url())
            .env("CASEWORK_LOG", "warn")
            .env_remove("CASEWORK_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write the password");
        child.wait_with_output().expect("the binary ends")
    };
    let name = name_of(Role::Approver);
    let refused = run(&name, "approver.ONE\n");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("user's name"), "{stderr}");
    assert!(
        !stderr.contains("approver.ONE"),
        "the password is never echoed: {stderr}"
    );

    let set = run(&name, &format!("{PASSWORD}\r\n"));
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let hashes = common::sql::rows(
        app.db_url(),
        &format!("SELECT password_hash FROM users WHERE name = '{name}'"),
    )
    .await;
    let hash = hashes[0][0].clone().expect("a hash is stored");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    // The line ending is not part of the password.
    let response = sign_in(&app, &name, PASSWORD, "/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_in_sets_an_http_only_strict_cookie_and_redirects_to_a_local_next() {
    let app = app_with_passwords(&[Role::Leadership]).await;
    let name = name_of(Role::Leadership);
    let form = client()
        .get(app.url("/signin?next=/dashboard"))
        .send()
        .await
        .expect("request");
    assert_eq!(form.status(), StatusCode::OK);
    let page = form.text().await.expect("the page");
    assert!(
        page.contains("dir=\"rtl\"") && page.contains("تسجيل الدخول"),
        "Arabic first"
    );
    assert!(
        page.contains("name=\"next\" value=\"/dashboard\""),
        "{page}"
    );

    let response = sign_in(&app, &name, PASSWORD, "/dashboard").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/dashboard");
    let cookie = response.headers()[SET_COOKIE].to_str().expect("text");
    for part in ["casework_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http is not Secure: {cookie}"
    );

    for next in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = sign_in(&app, &name, PASSWORD, next).await;
        assert_eq!(response.headers()[LOCATION], "/", "{next}");
    }
    let metrics = client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("casework_signins_total{outcome=\"signed_in\"} 4"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_wrong_name_and_a_wrong_password_give_the_same_page() {
    let app = app_with_passwords(&[Role::Verifier]).await;
    let wrong_password = sign_in(&app, "verifier.one", "not the password at all", "/").await;
    let wrong_name = sign_in(&app, "verifier.onf", PASSWORD, "/").await;
    assert_eq!(wrong_password.status(), StatusCode::OK);
    assert_eq!(wrong_name.status(), StatusCode::OK);
    assert!(!sets_a_session(&wrong_password));
    let a = wrong_password.text().await.expect("text");
    let b = wrong_name.text().await.expect("text");
    assert!(
        a.contains("The user name or the password is not right"),
        "{a}"
    );
    assert!(
        a.contains("value=\"verifier.one\""),
        "the name typed is kept"
    );
    assert!(
        !a.contains("not the password at all"),
        "the password is not"
    );
    assert_eq!(
        a.replace("verifier.one", "NAME"),
        b.replace("verifier.onf", "NAME")
    );
    // A name no user could have is refused the same way.
    let odd = sign_in(&app, "no such name!", PASSWORD, "/").await;
    assert_eq!(odd.status(), StatusCode::OK);
    assert!(odd.text().await.expect("text").contains("is not right"));
}

#[tokio::test]
async fn a_session_cookie_reaches_the_pages_and_the_api_and_changes_need_its_token() {
    let app = app_with_passwords(&[Role::Verifier]).await;
    let cookie = signed_in(&app, "verifier.one").await;
    let queue = get_with_cookie(&app, "/api/queue", &cookie).await;
    assert_eq!(queue.status(), StatusCode::OK);
    let nobody = get_with_cookie(&app, "/api/queue", "casework_session=0123").await;
    assert_eq!(nobody.status(), StatusCode::UNAUTHORIZED);

    // A change through the API with the cookie needs X-CSRF-Token.
    let csrf = csrf_of(&app, &cookie).await;
    let claim = |token: Option<String>| {
        let mut request = client()
            .post(app.url("/api/applications/HSK-2011-999999/claim"))
            .header(COOKIE, &cookie);
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        request.send()
    };
    let refused = claim(None).await.expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let problem: serde_json::Value = refused.json().await.expect("a problem");
    assert_eq!(problem["code"], "forged_request");
    let wrong = claim(Some("0".repeat(64))).await.expect("request");
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let through = claim(Some(csrf)).await.expect("request");
    assert_eq!(through.status(), StatusCode::NOT_FOUND, "past the check");

    // A page that needs a signed-in person sends others to /signin.
    let out = post_form(&app, "/signout", &[], &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()[LOCATION], "/signin");
    let dashboard = client()
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    assert!(dashboard.contains("/signin?next=/dashboard"));
    assert!(!dashboard.contains("csrf_token"));
}

/// Signs in through the app at `now` and returns the session id.
async fn started(app: &TestApp, name: &str, now: DateTime<Utc>) -> String {
    match sessions::sign_in(&app.engine, name, PASSWORD, now).await {
        Ok(SignIn::Started { cookie, .. }) => cookie,
        other => panic!("expected a session, got {other:?}"),
    }
}

async fn alive(app: &TestApp, cookie: &str, now: DateTime<Utc>) -> bool {
    sessions::session(&app.engine, cookie, now)
        .await
        .expect("the lookup works")
        .is_some()
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes_and_12_hours_after_sign_in() {
    let app = app_with_passwords(&[Role::Registrar]).await;
    let name = name_of(Role::Registrar);
    let t0 = utc(2026, 12, 6, 8, 0);
    let idle = started(&app, &name, t0).await;
    assert!(alive(&app, &idle, t0 + Duration::minutes(29)).await);
    // Used at minute 29, so idle from there.
    assert!(alive(&app, &idle, t0 + Duration::minutes(58)).await);
    assert!(!alive(&app, &idle, t0 + Duration::minutes(88)).await);
    assert!(
        !alive(&app, &idle, t0 + Duration::minutes(60)).await,
        "an ended session stays ended"
    );

    let busy = started(&app, &name, t0).await;
    let mut at = t0;
    while at < t0 + Duration::hours(12) - Duration::minutes(20) {
        at += Duration::minutes(20);
        assert!(alive(&app, &busy, at).await, "alive at {at}");
    }
    assert!(!alive(&app, &busy, t0 + Duration::hours(12)).await);
    // Last used within the idle time, it is gone all the same.
    assert_eq!(
        common::sql::count(app.db_url(), "SELECT COUNT(*) FROM sessions").await,
        0
    );
}

#[tokio::test]
async fn the_last_use_is_written_at_most_once_a_minute_and_the_tick_deletes_ended_sessions() {
    let app = app_with_passwords(&[Role::Registrar]).await;
    let name = name_of(Role::Registrar);
    let t0 = utc(2026, 12, 6, 8, 0);
    let cookie = started(&app, &name, t0).await;
    let last_seen = || async {
        common::sql::rows(
            app.db_url(),
            "SELECT CAST(last_seen_at AS TEXT) FROM sessions",
        )
        .await
        .into_iter()
        .map(|r| r[0].clone().unwrap_or_default())
        .collect::<Vec<_>>()
    };
    let first = last_seen().await;
    assert!(alive(&app, &cookie, t0 + Duration::seconds(50)).await);
    assert_eq!(last_seen().await, first, "not written within the minute");
    assert!(alive(&app, &cookie, t0 + Duration::seconds(70)).await);
    assert_ne!(last_seen().await, first, "written after it");

    started(&app, &name, t0 + Duration::minutes(40)).await;
    let purged = sessions::purge_expired(&app.engine, t0 + Duration::minutes(45))
        .await
        .expect("the purge works");
    assert_eq!(purged, 1, "the idle one goes, the fresh one stays");
    assert_eq!(
        common::sql::count(app.db_url(), "SELECT COUNT(*) FROM sessions").await,
        1
    );
}

#[tokio::test]
async fn revoking_a_user_or_changing_their_password_ends_all_their_sessions() {
    let app = app_with_passwords(&[Role::CardOfficer, Role::Approver]).await;
    let officer = name_of(Role::CardOfficer);
    let first = signed_in(&app, &officer).await;
    let second = signed_in(&app, &officer).await;
    let other = signed_in(&app, &name_of(Role::Approver)).await;
    passwords::set_password(&app.engine, &officer, "a new password for the day")
        .await
        .expect("the password is changed");
    for cookie in [&first, &second] {
        let response = get_with_cookie(&app, "/api/queue", cookie).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = get_with_cookie(&app, "/api/queue", &other).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "another user's session stays"
    );
    let old = sign_in(&app, &officer, PASSWORD, "/").await;
    assert_eq!(
        old.status(),
        StatusCode::OK,
        "the old password no longer works"
    );

    let approver = name_of(Role::Approver);
    casework::app::users::revoke(&app.engine, &approver, Utc::now())
        .await
        .expect("revoked");
    let response = get_with_cookie(&app, "/api/queue", &other).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let again = sign_in(&app, &approver, PASSWORD, "/").await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "a revoked user cannot sign in"
    );
    assert!(!sets_a_session(&again));
}

#[tokio::test]
async fn a_sign_out_without_the_token_or_from_another_origin_is_refused_and_changes_nothing() {
    let app = app_with_passwords(&[Role::IntakeClerk]).await;
    let cookie = signed_in(&app, "intake_clerk.one").await;
    let csrf = csrf_of(&app, &cookie).await;
    let host = app.base.trim_start_matches("http://").to_string();
    let own_origin = app.base.clone();

    let attempts: [(Pairs, Pairs); 3] = [
        (&[], &[(COOKIE.as_str(), &cookie)]),
        (&[("csrf_token", "0000")], &[(COOKIE.as_str(), &cookie)]),
        (
            &[("csrf_token", &csrf)],
            &[
                (COOKIE.as_str(), &cookie),
                (ORIGIN.as_str(), "http://evil.example"),
            ],
        ),
    ];
    for (fields, headers) in attempts {
        let response = post_form(&app, "/signout", fields, headers).await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{fields:?} {headers:?}"
        );
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("application/problem+json")
        );
        assert!(!sets_a_session(&response));
        let still = get_with_cookie(&app, "/api/queue", &cookie).await;
        assert_eq!(still.status(), StatusCode::OK, "nothing changed");
    }
    // A sign-in posted from another site's page is refused too.
    let foreign = post_form(
        &app,
        "/signin",
        &[("username", "intake_clerk.one"), ("password", PASSWORD)],
        &[(ORIGIN.as_str(), "http://evil.example")],
    )
    .await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);

    let out = post_form(
        &app,
        "/signout",
        &[("csrf_token", &csrf)],
        &[
            (COOKIE.as_str(), &cookie),
            (ORIGIN.as_str(), &own_origin),
            ("host", &host),
        ],
    )
    .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()[LOCATION], "/signin");
    let cleared = out.headers()[SET_COOKIE].to_str().expect("text");
    assert!(cleared.starts_with("casework_session=;") && cleared.contains("Max-Age=0"));
    let gone = get_with_cookie(&app, "/api/queue", &cookie).await;
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn five_wrong_passwords_lock_a_name_for_a_growing_delay_and_a_success_resets() {
    let app = app_with_passwords(&[Role::Supervisor]).await;
    let name = name_of(Role::Supervisor);
    let t0 = utc(2026, 12, 6, 9, 0);
    let attempt = |password: &'static str, at: DateTime<Utc>| {
        let engine = app.engine.clone();
        let name = name.clone();
        async move {
            sessions::sign_in(&engine, &name, password, at)
                .await
                .expect("the attempt is answered")
        }
    };
    for second in 0..4 {
        let outcome = attempt("wrong password here", t0 + Duration::seconds(second)).await;
        assert!(matches!(outcome, SignIn::Refused), "{outcome:?}");
    }
    let fifth = attempt("wrong password here", t0 + Duration::seconds(4)).await;
    assert!(
        matches!(fifth, SignIn::Locked { wait } if wait == Duration::minutes(1)),
        "{fifth:?}"
    );
    // While locked, even the right password is refused.
    let during = attempt(PASSWORD, t0 + Duration::seconds(30)).await;
    assert!(
        matches!(during, SignIn::Locked { wait } if wait == Duration::seconds(34)),
        "{during:?}"
    );
    let sixth = attempt("wrong password here", t0 + Duration::seconds(70)).await;
    assert!(
        matches!(sixth, SignIn::Locked { wait } if wait == Duration::minutes(2)),
        "the delay grows: {sixth:?}"
    );
    let right = attempt(PASSWORD, t0 + Duration::seconds(70 + 121)).await;
    assert!(matches!(right, SignIn::Started { .. }), "{right:?}");
    let after = attempt("wrong password here", t0 + Duration::seconds(200)).await;
    assert!(
        matches!(after, SignIn::Refused),
        "the count started over: {after:?}"
    );

    // A name nobody has is locked the same way.
    for _ in 0..4 {
        let _ = sessions::sign_in(&app.engine, "nobody.here", PASSWORD, t0).await;
    }
    let unknown = sessions::sign_in(&app.engine, "nobody.here", PASSWORD, t0)
        .await
        .expect("answered");
    assert!(matches!(unknown, SignIn::Locked { .. }), "{unknown:?}");
}

#[tokio::test]
async fn the_page_says_when_to_try_again_after_five_wrong_passwords() {
    let app = app_with_passwords(&[Role::Admin]).await;
    for _ in 0..4 {
        let response = sign_in(&app, "admin.one", "wrong password here", "/").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let locked = sign_in(&app, "admin.one", "wrong password here", "/").await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.headers()["retry-after"], "60");
    let page = locked.text().await.expect("text");
    assert!(page.contains("try again in 1 minute"), "{page}");
    let right = sign_in(&app, "admin.one", PASSWORD, "/").await;
    assert_eq!(
        right.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked for everyone"
    );
    let arabic = post_form(
        &app,
        "/signin?lang=ar",
        &[("username", "admin.one"), ("password", PASSWORD)],
        &[],
    )
    .await
    .text()
    .await
    .expect("text");
    assert!(arabic.contains("حاول مجدداً بعد دقيقة واحدة"), "{arabic}");
    let metrics = client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("casework_signins_total{outcome=\"refused\"} 4"),
        "{metrics}"
    );
    assert!(
        metrics.contains("casework_signins_total{outcome=\"locked\"} 3"),
        "{metrics}"
    );
}

#[tokio::test]
async fn only_the_hash_of_a_session_id_is_stored() {
    let app = app_with_passwords(&[Role::Approver]).await;
    let response = sign_in(&app, "approver.one", PASSWORD, "/").await;
    let id = session_id(&response);
    assert_eq!(id.len(), 64, "256 bits as hex");
    let rows = common::sql::rows(
        app.db_url(),
        "SELECT id_hash, user_name, csrf_token FROM sessions",
    )
    .await;
    assert_eq!(rows.len(), 1);
    let stored = rows[0][0].clone().expect("a hash");
    assert_eq!(stored, sha256_hex(id.as_bytes()));
    assert!(rows[0].iter().flatten().all(|column| !column.contains(&id)));
    assert_eq!(rows[0][1].as_deref(), Some("approver.one"));
}
