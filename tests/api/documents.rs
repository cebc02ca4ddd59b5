//! Scanned documents: stored byte for byte on either backend, known by
//! their content, refused over the limit before they are read whole, each
//! change an event of the case's verified chain, each opening logged, and
//! never shown to those who must not see a person's papers.

use crate::common;

use casework::domain::family::{DocumentKind, Relationship};
use casework::domain::roles::Role;
use casework::files::DocumentStore;
use casework::workflow::case::Case;
use casework::workflow::guards::{Guard, GuardInput};
use common::cases::{FIRST_CARD_PRINTED, case_at_intake, case_member, open_case, walked};
use common::documents::sha256;
use common::http::{get, put_bytes};
use common::{TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A PDF-looking file of `size` bytes that differs with `seed`.
fn pdf(size: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut x: u32 = 2_463_534_242 ^ u32::from(seed);
    while bytes.len() < size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x & 0xFF) as u8);
    }
    bytes
}

fn path(reference: &str, owner: &str, kind: &str) -> String {
    format!("/api/applications/{reference}/documents/{owner}/{kind}")
}

/// Uploads `bytes`, opens them again and compares; returns the upload's
/// answer.
async fn round_trip(app: &TestApp, reference: &str, bytes: &[u8]) -> Value {
    let at = path(reference, "2", "register_extract");
    let put = put_bytes(app, &at, Role::IntakeClerk, bytes.to_vec()).await;
    assert_eq!(put.status(), StatusCode::CREATED);
    let stored: Value = put.json().await.expect("json");
    assert_eq!(stored["sha256"], sha256(bytes));
    assert_eq!(stored["media_type"], "application/pdf");
    assert_eq!(stored["size"], bytes.len());
    assert_eq!(stored["owner"], "2");
    assert_eq!(stored["kind"], "register_extract");
    assert_eq!(stored["uploaded_by"], "intake_clerk.one");

    let got = get(app, &at, Role::Verifier).await;
    assert_eq!(got.status(), StatusCode::OK);
    let headers = got.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let csp = headers["content-security-policy"].to_str().expect("text");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script"), "{csp}");
    assert_eq!(
        headers["content-disposition"],
        format!("inline; filename=\"{reference}-2-register_extract.pdf\"").as_str()
    );
    let body = got.bytes().await.expect("the bytes");
    assert!(body.as_ref() == bytes, "the scan comes back byte for byte");
    stored
}

#[tokio::test]
async fn a_scan_comes_back_byte_for_byte_from_the_directory_store_and_is_stored_once() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let bytes = pdf(3 * 1024 * 1024 + 17, 1);
    round_trip(&app, &reference, &bytes).await;

    // The same file for another document is the same stored file.
    let again = put_bytes(
        &app,
        &path(&reference, "family", "application_form"),
        Role::IntakeClerk,
        bytes.clone(),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let mut files = Vec::new();
    let mut dirs = vec![app_documents_dir(&app)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("the directory").flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().and_then(|n| n.to_str()).unwrap_or("");
    assert_eq!(name, sha256(&bytes), "a file is named by its hash only");

    // The same file again in the same place changes nothing.
    let same = put_bytes(
        &app,
        &path(&reference, "2", "register_extract"),
        Role::Verifier,
        bytes.clone(),
    )
    .await;
    assert_eq!(same.status(), StatusCode::OK);
    let trail: Value = get(
        &app,
        &format!("/api/applications/{reference}/audit"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let scans = trail
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["action"] == "attach_scan")
        .count();
    assert_eq!(scans, 2);
}

fn app_documents_dir(app: &TestApp) -> std::path::PathBuf {
    app.documents_dir().to_path_buf()
}

#[tokio::test]
async fn a_scan_comes_back_byte_for_byte_from_s3() {
    let Ok(url) = std::env::var("CASEWORK_TEST_S3_URL") else {
        println!(
            "skipped: CASEWORK_TEST_S3_URL is not set (s3://BUCKET/PREFIX on an S3 server \
             named by AWS_ENDPOINT_URL; .ci/run starts moto for it)"
        );
        return;
    };
    let store = DocumentStore::open(&format!("{url}/round-trip-{}", std::process::id()))
        .expect("the S3 store opens");
    let app = spawn_app_with(|engine| engine.files = store).await;
    let reference = open_case(&app).await;
    // Over one part (5 MiB) so that the upload has several.
    let bytes = pdf(6 * 1024 * 1024 + 3, 2);
    round_trip(&app, &reference, &bytes).await;
    let small = pdf(1000, 3);
    let put = put_bytes(
        &app,
        &path(&reference, "family", "application_form"),
        Role::IntakeClerk,
        small.clone(),
    )
    .await;
    assert_eq!(put.status(), StatusCode::CREATED);
    let got = get(
        &app,
        &path(&reference, "family", "application_form"),
        Role::Approver,
    )
    .await;
    assert_eq!(got.bytes().await.expect("bytes").as_ref(), small.as_slice());
}

#[tokio::test]
async fn a_scan_is_known_by_its_content_never_by_its_name_or_declared_type() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let at = path(&reference, "1", "photos");
    let check = |bytes: &'static [u8], declared: &'static str, file: &'static str| {
        let app = &app;
        let at = at.clone();
        async move {
            let response = app
                .client
                .put(app.url(&at))
                .bearer_auth(app.token(Role::IntakeClerk))
                .header("content-type", declared)
                .header(
                    "content-disposition",
                    format!("attachment; filename=\"{file}\""),
                )
                .body(bytes)
                .send()
                .await
                .expect("request");
            let status = response.status();
            let body: Value = response.json().await.expect("json");
            (status, body)
        }
    };
    // A PDF named and declared as a JPEG is a PDF.
    let (status, body) = check(b"%PDF-1.4\n1 0 obj\n", "image/jpeg", "scan.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["media_type"], "application/pdf");
    for (bytes, media_type) in [
        (
            &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'][..],
            "image/jpeg",
        ),
        (
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0][..],
            "image/png",
        ),
        (b"II*\0\x08\0\0\0\0\0", "image/tiff"),
        (b"MM\0*\0\0\0\x08\0\0", "image/tiff"),
    ] {
        let (status, body) = check(bytes, "application/pdf", "scan.pdf").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["media_type"], media_type);
    }
    // HTML or SVG named and declared as a PDF is refused, and nothing is
    // stored or recorded.
    for bytes in [
        &b"<!doctype html><script>alert(1)</script>"[..],
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        b"%PD",
        b"",
    ] {
        let (status, body) = check(bytes, "application/pdf", "scan.pdf").await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
        assert_eq!(body["code"], "unsupported_media_type");
    }
    let got = get(&app, &at, Role::Verifier).await;
    assert_eq!(got.headers()["content-type"], "image/tiff");
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_before_it_is_read_whole() {
    const LIMIT: u64 = 64 * 1024;
    let app = spawn_app_with(|engine| engine.settings.documents_limit = LIMIT).await;
    let reference = open_case(&app).await;
    let at = path(&reference, "family", "application_form");

    // Announced over the limit.
    let declared = put_bytes(&app, &at, Role::IntakeClerk, pdf(LIMIT as usize + 1, 4)).await;
    assert_eq!(declared.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Exactly the limit is taken.
    let fits = put_bytes(&app, &at, Role::IntakeClerk, pdf(LIMIT as usize, 5)).await;
    assert_eq!(fits.status(), StatusCode::CREATED);

    // Streamed with no length: the answer comes while the body is still
    // being sent, and it never ends.
    let address = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let head = format!(
        "PUT {at} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
        app.token(Role::IntakeClerk)
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let chunk = pdf(16 * 1024, 6);
    for _ in 0..8 {
        // 128 KiB sent, twice the limit; the closing chunk never is.
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let mut answer = vec![0_u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(20), stream.read(&mut answer))
        .await
        .expect("an answer before the body ends")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // The scan that fit is still the one stored.
    let got = get(&app, &at, Role::Verifier).await;
    assert_eq!(
        got.bytes().await.expect("bytes").as_ref(),
        pdf(LIMIT as usize, 5).as_slice()
    );
}

#[tokio::test]
async fn every_upload_replacement_and_removal_is_one_event_of_a_chain_that_verifies() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let at = path(&reference, "3", "photos");
    let first = pdf(2000, 7);
    let second = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &pdf(3000, 8)].concat();
    let put = put_bytes(&app, &at, Role::IntakeClerk, first.clone()).await;
    assert_eq!(put.status(), StatusCode::CREATED);
    let replaced = put_bytes(&app, &at, Role::Verifier, second.clone()).await;
    assert_eq!(replaced.status(), StatusCode::OK);
    let replaced: Value = replaced.json().await.expect("json");
    assert_eq!(replaced["replaced"], sha256(&first));

    // A removal needs a reason, and a current version when one is given.
    let no_reason = app
        .client
        .delete(app.url(&format!("{at}?reason=%20")))
        .bearer_auth(app.token(Role::Verifier))
        .send()
        .await
        .expect("request");
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stale = app
        .client
        .delete(app.url(&format!("{at}?reason=wrong%20person")))
        .bearer_auth(app.token(Role::Verifier))
        .header("if-match", "\"1\"")
        .send()
        .await
        .expect("request");
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let removed = app
        .client
        .delete(app.url(&format!("{at}?reason=wrong%20person")))
        .bearer_auth(app.token(Role::Verifier))
        .header("if-match", format!("\"{}\"", replaced["version"]))
        .send()
        .await
        .expect("request");
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(
        get(&app, &at, Role::Verifier).await.status(),
        StatusCode::NOT_FOUND
    );
    let again = app
        .client
        .delete(app.url(&format!("{at}?reason=again")))
        .bearer_auth(app.token(Role::Verifier))
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);

    let trail: Value = get(
        &app,
        &format!("/api/applications/{reference}/audit"),
        Role::Auditor,
    )
    .await
    .json()
    .await
    .expect("json");
    let events: Vec<&Value> = trail
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["action"].as_str().is_some_and(|a| a.ends_with("_scan")))
        .collect();
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["attach_scan", "replace_scan", "remove_scan"]);
    let check = |e: &Value, actor: &str, bytes: &[u8], media_type: &str| {
        assert_eq!(e["actor"], actor, "{e}");
        assert_eq!(e["member"], 3, "{e}");
        assert_eq!(e["payload"]["sha256"], sha256(bytes), "{e}");
        assert_eq!(e["payload"]["size"], bytes.len(), "{e}");
        assert_eq!(e["payload"]["kind"], "photos", "{e}");
        assert_eq!(e["payload"]["owner"], "3", "{e}");
        assert_eq!(e["payload"]["media_type"], media_type, "{e}");
    };
    check(events[0], "intake_clerk.one", &first, "application/pdf");
    check(events[1], "verifier.one", &second, "image/jpeg");
    assert_eq!(events[1]["payload"]["replaces"], sha256(&first));
    check(events[2], "verifier.one", &second, "image/jpeg");
    assert_eq!(events[2]["payload"]["reason"], "wrong person");

    let verified = casework::store::audit::verify(&app.engine.store)
        .await
        .expect("verify");
    assert!(verified.first_broken.is_none());
    assert_eq!(
        casework::app::stats::check(&app.engine)
            .await
            .expect("check"),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn each_opening_of_a_scan_is_logged_with_who_saw_whose_papers() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let bytes = pdf(500, 9);
    let put = put_bytes(
        &app,
        &path(&reference, "1", "register_extract"),
        Role::IntakeClerk,
        bytes.clone(),
    )
    .await;
    assert_eq!(put.status(), StatusCode::CREATED);
    for role in [Role::Verifier, Role::Approver, Role::Verifier] {
        let got = get(&app, &path(&reference, "1", "register_extract"), role).await;
        assert_eq!(got.status(), StatusCode::OK);
    }
    // Refused and absent openings show nothing and log nothing.
    get(
        &app,
        &path(&reference, "1", "register_extract"),
        Role::Leadership,
    )
    .await;
    get(
        &app,
        &path(&reference, "2", "register_extract"),
        Role::Verifier,
    )
    .await;
    let supervisor = casework::workflow::Actor {
        id: "supervisor.one".into(),
        roles: vec![Role::Supervisor],
        district: None,
    };
    let views = casework::app::documents::views(&app.engine, &reference, &supervisor, 0, 200)
        .await
        .expect("the views");
    let seen: Vec<(&str, i32, &str)> = views
        .iter()
        .map(|v| (v.viewer.as_str(), v.owner, v.kind.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("verifier.one", 1, "register_extract"),
            ("approver.one", 1, "register_extract"),
            ("verifier.one", 1, "register_extract"),
        ]
    );
    assert!(views.iter().all(|v| v.sha256 == sha256(&bytes)));
    // Auditors of every district read who saw them (never the papers).
    let listed: Value = get(
        &app,
        &format!("/api/applications/{reference}/scan-views"),
        Role::Auditor,
    )
    .await
    .json()
    .await
    .expect("json");
    let viewers: Vec<&str> = listed
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|v| v["viewer"].as_str())
        .collect();
    assert_eq!(viewers, ["verifier.one", "approver.one", "verifier.one"]);
    // Paged: two, then the one after the second.
    let page = |query: String| {
        let app = &app;
        let reference = reference.clone();
        async move {
            let got = get(
                app,
                &format!("/api/applications/{reference}/scan-views?{query}"),
                Role::Auditor,
            )
            .await;
            let status = got.status();
            (status, got.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, first) = page("limit=2".into()).await;
    assert_eq!(status, StatusCode::OK);
    let first = first.as_array().cloned().unwrap_or_default();
    assert_eq!(first.len(), 2);
    let last = first[1]["id"].as_i64().expect("an id");
    let (_, rest) = page(format!("after={last}&limit=2")).await;
    let rest: Vec<&str> = rest
        .as_array()
        .map(|r| r.iter().filter_map(|v| v["viewer"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(rest, ["verifier.one"]);
    for bad in ["limit=0", "limit=1001", "after=-1", "limit=x"] {
        assert_eq!(page(bad.into()).await.0, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(listed[0]["owner"], "1");
    assert_eq!(listed[0]["kind"], "register_extract");
    for role in [Role::Leadership, Role::Admin] {
        let refused = get(
            &app,
            &format!("/api/applications/{reference}/scan-views"),
            role,
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{role:?}");
    }
}

#[tokio::test]
async fn leadership_auditors_administrators_and_agencies_never_see_a_scan() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let at = path(&reference, "family", "application_form");
    let put = put_bytes(&app, &at, Role::IntakeClerk, pdf(800, 10)).await;
    assert_eq!(put.status(), StatusCode::CREATED);
    for role in [Role::Leadership, Role::Auditor, Role::Admin] {
        let got = get(&app, &at, role).await;
        assert_eq!(got.status(), StatusCode::FORBIDDEN, "{role:?}");
        let put = put_bytes(&app, &at, role, pdf(800, 11)).await;
        assert_eq!(put.status(), StatusCode::FORBIDDEN, "{role:?}");
    }
    let key = casework::app::portal::add(
        &app.engine,
        "interior",
        &["naturalization-status".to_string()],
        &[],
        1000,
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("the agency is added");
    let got = common::http::get_with_token(&app, &at, &key).await;
    assert_eq!(got.status(), StatusCode::UNAUTHORIZED);
    // A member the family does not have, and a document kind that does
    // not exist, name nothing.
    for other in [
        path(&reference, "9", "photos"),
        path(&reference, "1", "passport"),
        path(&reference, "0", "photos"),
        path(&reference, "..", "photos"),
    ] {
        let put = put_bytes(&app, &other, Role::IntakeClerk, pdf(800, 12)).await;
        assert_eq!(put.status(), StatusCode::NOT_FOUND, "{other}");
    }
}

/// The family definition with `[[documents]]` entries appended.
fn family_workflow_with(documents: &str) -> Result<casework::workflow::Workflow, String> {
    let text = format!(
        "{}\n{documents}",
        include_str!("../../workflows/naturalization-family.v1.toml")
    );
    casework::workflow::Workflow::from_toml("family.toml", &text).map_err(|e| e.to_string())
}

fn checklist_case(scans: &[(u32, DocumentKind)]) -> Case {
    Case {
        scans: scans.iter().copied().collect(),
        holder: None,
        ..case_at_intake(vec![
            case_member(1, Relationship::Head, 1981, false),
            case_member(2, Relationship::Spouse, 1982, false),
        ])
    }
}

/// What `documents_complete` says of a case: its reasons in English.
fn documents_complete(workflow: &casework::workflow::Workflow, case: &Case) -> Vec<String> {
    let actor = casework::workflow::Actor {
        id: "clerk".into(),
        roles: vec![Role::IntakeClerk],
        district: None,
    };
    let input = GuardInput {
        workflow,
        case,
        member: None,
        actor: &actor,
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date"),
    };
    match Guard::DocumentsComplete.check(&input) {
        Ok(()) => Vec::new(),
        Err(reasons) => reasons.into_iter().map(|r| r.en).collect(),
    }
}

#[test]
fn the_checklist_counts_a_document_that_needs_a_scan_only_once_one_is_stored() {
    let shipped = family_workflow_with("").expect("loads");
    assert!(
        shipped.needs_scan.is_empty(),
        "shipped definitions ask no scan"
    );
    assert_eq!(
        documents_complete(&shipped, &checklist_case(&[])),
        Vec::<String>::new()
    );

    let strict = family_workflow_with(
        "[[documents]]\nkind = \"register_extract\"\nneeds_scan = true\n\n\
         [[documents]]\nkind = \"application_form\"\nneeds_scan = true\n\n\
         [[documents]]\nkind = \"photos\"\n",
    )
    .expect("loads");
    assert_eq!(
        documents_complete(&strict, &checklist_case(&[])),
        [
            "the family's application form has no scan stored",
            "member 1, member 1, has no scan of the register extract stored",
            "member 2, member 2, has no scan of the register extract stored",
        ]
    );
    assert_eq!(
        documents_complete(
            &strict,
            &checklist_case(&[
                (0, DocumentKind::ApplicationForm),
                (1, DocumentKind::RegisterExtract)
            ])
        ),
        ["member 2, member 2, has no scan of the register extract stored"]
    );
    // A scan of the wrong person's paper does not count for another.
    assert_eq!(
        documents_complete(
            &strict,
            &checklist_case(&[
                (0, DocumentKind::ApplicationForm),
                (1, DocumentKind::RegisterExtract),
                (1, DocumentKind::Photos),
            ])
        ),
        ["member 2, member 2, has no scan of the register extract stored"]
    );
    assert_eq!(
        documents_complete(
            &strict,
            &checklist_case(&[
                (0, DocumentKind::ApplicationForm),
                (1, DocumentKind::RegisterExtract),
                (2, DocumentKind::RegisterExtract),
            ])
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_documents_entry_names_a_known_kind_once() {
    let check = |documents: &str, expected: &str| {
        let error = family_workflow_with(documents).err().unwrap_or_default();
        assert!(error.contains(expected), "{error}");
    };
    check(
        "[[documents]]\nkind = \"passport\"\nneeds_scan = true\n",
        "unknown document kind 'passport' (known: application_form, register_extract",
    );
    check(
        "[[documents]]\nkind = \"photos\"\n\n[[documents]]\nkind = \"photos\"\nneeds_scan = true\n",
        "document kind 'photos' is listed twice",
    );
    check(
        "[[documents]]\nkind = \"photos\"\nneeds_scans = true\n",
        "unknown field `needs_scans`",
    );
}

#[tokio::test]
async fn a_loaded_case_knows_which_documents_have_a_scan() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    for at in [
        path(&reference, "family", "application_form"),
        path(&reference, "2", "register_extract"),
    ] {
        let put = put_bytes(&app, &at, Role::IntakeClerk, pdf(300, 13)).await;
        assert_eq!(put.status(), StatusCode::CREATED);
    }
    let loaded = casework::store::cases::read_case(&app.engine.store, &reference)
        .await
        .expect("the case");
    assert_eq!(
        loaded.case.scans,
        [
            (0, DocumentKind::ApplicationForm),
            (2, DocumentKind::RegisterExtract)
        ]
        .into_iter()
        .collect()
    );
}

/// `casework audit verify --documents` on the app's database and store.
fn verify_documents(app: &TestApp) -> (bool, String) {
    let dir = common::temp_dir("cli");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_casework"))
        .current_dir(&dir.0)
        .env("DATABASE_URL", app.db_url())
        .env("CASEWORK_DOCUMENTS_URL", app.documents_dir())
        .env("CASEWORK_LOG", "warn")
        .env_remove("CASEWORK_CONFIG")
        .args(["audit", "verify", "--documents"])
        .output()
        .expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn audit_verify_documents_reports_a_scan_altered_or_lost_in_the_store() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let first = pdf(4000, 14);
    let second = pdf(5000, 15);
    for (at, bytes) in [
        (path(&reference, "family", "application_form"), &first),
        (path(&reference, "1", "register_extract"), &first),
        (path(&reference, "2", "register_extract"), &second),
    ] {
        let put = put_bytes(&app, &at, Role::IntakeClerk, bytes.clone()).await;
        assert_eq!(put.status(), StatusCode::CREATED);
    }
    let (ok, stdout) = verify_documents(&app);
    assert!(ok, "{stdout}");
    assert!(
        stdout.contains("ok: 3 scans (2 files) re-read from directory"),
        "{stdout}"
    );

    // One file altered on disk, the other deleted.
    let file_of = |bytes: &[u8]| {
        let hash = sha256(bytes);
        app.documents_dir()
            .join("sha256")
            .join(&hash[..2])
            .join(&hash)
    };
    let mut altered = first.clone();
    altered[100] ^= 0xFF;
    std::fs::write(file_of(&first), &altered).expect("altered");
    std::fs::remove_file(file_of(&second)).expect("deleted");
    let (ok, stdout) = verify_documents(&app);
    assert!(!ok, "{stdout}");
    let broken: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("broken:"))
        .collect();
    assert_eq!(
        broken,
        [
            format!(
                "broken: case {reference} document family/application_form: scan {} no longer matches its hash (its content hashes to {})",
                sha256(&first),
                sha256(&altered)
            ),
            format!(
                "broken: case {reference} document 1/register_extract: scan {} no longer matches its hash (its content hashes to {})",
                sha256(&first),
                sha256(&altered)
            ),
            format!(
                "broken: case {reference} document 2/register_extract: scan {} is missing from the document store",
                sha256(&second)
            ),
        ]
    );
    assert!(
        stdout.contains("BROKEN: 3 scans (2 files) re-read from directory"),
        "{stdout}"
    );
    assert!(stdout.contains("1 missing, 2 altered"), "{stdout}");
}

#[tokio::test]
async fn the_case_page_lists_each_scan_with_a_link_and_a_thumbnail_for_images() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &pdf(600, 16)[9..],
    ]
    .concat();
    for (at, bytes) in [
        (path(&reference, "1", "photos"), png),
        (path(&reference, "family", "application_form"), pdf(700, 17)),
    ] {
        let put = put_bytes(&app, &at, Role::IntakeClerk, bytes).await;
        assert_eq!(put.status(), StatusCode::CREATED);
    }
    let page = |role: Role| {
        let app = &app;
        let reference = reference.clone();
        async move {
            app.client
                .get(app.url(&format!("/applications/{reference}?lang=en")))
                .bearer_auth(app.token(role))
                .send()
                .await
                .expect("request")
                .text()
                .await
                .expect("a page")
        }
    };
    let html = page(Role::Verifier).await;
    assert!(html.contains("Scanned documents"), "{html}");
    let photo = path(&reference, "1", "photos");
    let form = path(&reference, "family", "application_form");
    assert!(html.contains(&format!("<img src=\"{photo}\"")), "{html}");
    assert!(html.contains(&format!("<a href=\"{form}\"")), "{html}");
    assert!(!html.contains(&format!("<img src=\"{form}\"")), "{html}");
    assert!(
        html.contains("PNG, 1 KiB") && html.contains("PDF, 1 KiB"),
        "{html}"
    );
    // An administrator reads the case but sees no scan.
    let html = page(Role::Admin).await;
    assert!(!html.contains("Scanned documents"), "{html}");
    assert!(!html.contains("/documents/"), "{html}");
}

#[tokio::test]
async fn an_officer_attaches_a_scan_from_the_case_page_form() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let bytes = pdf(70_000, 18);
    let boundary = "casework-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [
        ("csrf_token", ""),
        ("owner", "2"),
        ("kind", "register_extract"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let response = client
        .post(app.url(&format!("/applications/{reference}/documents")))
        .bearer_auth(app.token(Role::Verifier))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("/applications/{reference}#scans").as_str()
    );
    let got = get(
        &app,
        &path(&reference, "2", "register_extract"),
        Role::Approver,
    )
    .await;
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert_eq!(got.bytes().await.expect("bytes").as_ref(), bytes.as_slice());
    // The page offers the form to an officer, not to an administrator.
    let form = format!("action=\"/applications/{reference}/documents\"");
    let html = get(
        &app,
        &format!("/applications/{reference}?lang=en"),
        Role::IntakeClerk,
    )
    .await
    .text()
    .await
    .expect("a page");
    assert!(
        html.contains(&form) && html.contains("multipart/form-data"),
        "{html}"
    );
    let html = get(
        &app,
        &format!("/applications/{reference}?lang=en"),
        Role::Admin,
    )
    .await
    .text()
    .await
    .expect("a page");
    assert!(!html.contains(&form), "{html}");
}

#[tokio::test]
async fn an_officer_attaches_no_scan_to_a_closed_case_but_may_to_one_still_open() {
    let app = spawn_app().await;
    // Member 1's card printed: the case is still open, and takes a scan.
    let open = walked(&app.engine, FIRST_CARD_PRINTED).await;
    let put = put_bytes(
        &app,
        &path(&open, "1", "photos"),
        Role::CardOfficer,
        pdf(900, 20),
    )
    .await;
    assert_eq!(put.status(), StatusCode::CREATED);
    // Completed: its papers are settled.
    let closed = walked(&app.engine, usize::MAX).await;
    let at = path(&closed, "1", "photos");
    let put = put_bytes(&app, &at, Role::CardOfficer, pdf(900, 21)).await;
    assert_eq!(put.status(), StatusCode::CONFLICT);
    let problem: Value = put.json().await.expect("json");
    assert_eq!(problem["code"], "case_closed", "{problem}");
    let got = get(&app, &at, Role::CardOfficer).await;
    assert_eq!(got.status(), StatusCode::NOT_FOUND, "nothing was stored");
}

#[tokio::test]
async fn a_case_s_scans_are_listed_for_the_officers_who_may_see_them() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let bytes = pdf(1234, 19);
    for at in [
        path(&reference, "3", "photos"),
        path(&reference, "family", "application_form"),
    ] {
        let put = put_bytes(&app, &at, Role::IntakeClerk, bytes.clone()).await;
        assert_eq!(put.status(), StatusCode::CREATED);
    }
    let list = format!("/api/applications/{reference}/documents");
    let items: Value = get(&app, &list, Role::CardOfficer)
        .await
        .json()
        .await
        .expect("json");
    let seen: Vec<(&str, &str, &str)> = items
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["owner"].as_str().unwrap_or(""),
                i["kind"].as_str().unwrap_or(""),
                i["href"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let family = path(&reference, "family", "application_form");
    let photos = path(&reference, "3", "photos");
    assert_eq!(
        seen,
        [
            ("family", "application_form", family.as_str()),
            ("3", "photos", photos.as_str()),
        ]
    );
    assert!(
        items
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["sha256"] == sha256(&bytes) && i["size"] == 1234)
    );
    for role in [Role::Leadership, Role::Auditor, Role::Admin] {
        assert_eq!(
            get(&app, &list, role).await.status(),
            StatusCode::FORBIDDEN,
            "{role:?}"
        );
    }
}
