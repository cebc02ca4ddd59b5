//! Back-scanning the archive and the retention of scans: a folder of files
//! named REFERENCE_OWNER_KIND[_pPAGE].EXT attached to the cases they name
//! (pages made into one PDF), what matches nothing reported, a document's
//! different scan kept, a second run storing nothing; and the scans of a
//! case closed rejected or withdrawn deleted after the workflow's period,
//! with an event that keeps their hashes.

use crate::common;

use std::path::Path;

use casework::domain::roles::Role;
use chrono::{Duration, Utc};
use common::cases::open_case;
use common::documents::sha256;
use common::http::{get, post_json, put_bytes};
use common::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn pdf(seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..3000_u32).map(|i| (i as u8).wrapping_mul(seed)));
    bytes
}

/// A JPEG's headers (SOI, JFIF at 300 dpi, a 600×400 colour frame, EOI),
/// `seed` in a comment so that pages differ.
fn jpeg(seed: u8) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
    b.extend_from_slice(b"JFIF\0");
    b.extend_from_slice(&[1, 1, 1, 0x01, 0x2C, 0x01, 0x2C, 0, 0]);
    b.extend_from_slice(&[0xFF, 0xFE, 0, 3, seed]);
    b.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8, 0x01, 0x90, 0x02, 0x58, 3]);
    b.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

/// Runs the binary on the app's database and document store.
fn casework(app: &TestApp, args: &[&str]) -> (Option<i32>, String) {
    let dir = common::temp_dir("cli");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_casework"))
        .current_dir(&dir.0)
        .env("DATABASE_URL", app.db_url())
        .env("CASEWORK_DOCUMENTS_URL", app.documents_dir())
        .env("CASEWORK_LOG", "warn")
        .env_remove("CASEWORK_CONFIG")
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

async fn scans(app: &TestApp, reference: &str) -> Vec<Value> {
    let listed = get(
        app,
        &format!("/api/applications/{reference}/documents"),
        Role::Verifier,
    )
    .await;
    assert_eq!(listed.status(), StatusCode::OK);
    listed.json::<Vec<Value>>().await.expect("json")
}

async fn trail(app: &TestApp, reference: &str) -> Vec<Value> {
    let got = get(
        app,
        &format!("/api/applications/{reference}/audit"),
        Role::Auditor,
    )
    .await;
    assert_eq!(got.status(), StatusCode::OK);
    got.json::<Vec<Value>>().await.expect("json")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
    std::fs::write(path, bytes).expect("written");
}

#[tokio::test]
async fn a_scanned_archive_is_attached_once_with_every_unmatched_file_reported() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    // An officer already attached member 1's photos: a back-scan keeps them.
    let officers = pdf(9);
    let put = put_bytes(
        &app,
        &format!("/api/applications/{reference}/documents/1/photos"),
        Role::IntakeClerk,
        officers.clone(),
    )
    .await;
    assert_eq!(put.status(), StatusCode::CREATED);

    let archive = common::temp_dir("archive");
    let dir = archive.0.as_path();
    let form = pdf(1);
    write(
        dir,
        &format!("{reference}_family_application_form.pdf"),
        &form,
    );
    // Member 2's register extract, scanned one page a file, in a subfolder.
    write(
        dir,
        &format!("box-7/{reference}_2_register_extract_p2.jpg"),
        &jpeg(2),
    );
    write(
        dir,
        &format!("box-7/{reference}_2_register_extract_p1.jpg"),
        &jpeg(1),
    );
    write(dir, &format!("{reference}_1_photos.pdf"), &pdf(3));
    // What matches nothing.
    write(dir, "scan0001.jpg", &jpeg(4));
    write(dir, "HSK-2011-999999_family_application_form.pdf", &pdf(5));
    write(dir, &format!("{reference}_9_photos.jpg"), &jpeg(6));
    write(
        dir,
        &format!("{reference}_1_register_extract.pdf"),
        b"<html><body>%PDF-</body></html>",
    );
    write(
        dir,
        &format!("{reference}_3_register_extract_p1.jpg"),
        &jpeg(7),
    );
    write(
        dir,
        &format!("{reference}_3_register_extract_p3.jpg"),
        &jpeg(8),
    );
    // Hidden files are passed over.
    write(dir, ".DS_Store", b"junk");
    let folder = dir.to_str().expect("a path");

    // A dry run says what would happen and stores nothing.
    let (code, dry) = casework(
        &app,
        &["documents", "attach", "--dry-run", "--lang", "en", folder],
    );
    assert_eq!(code, Some(1), "{dry}");
    assert!(
        dry.contains("dry run: 10 files, 6 documents: 2 would be attached, 0 already attached, 1 holding another scan (kept); 6 files matched nothing"),
        "{dry}"
    );
    assert_eq!(scans(&app, &reference).await.len(), 1);

    let (code, first) = casework(&app, &["documents", "attach", "--lang", "en", folder]);
    assert_eq!(
        code,
        Some(1),
        "a file that matched nothing exits 1: {first}"
    );
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(
        &lines[..lines.len() - 1],
        [
            "HSK-2011-999999_family_application_form.pdf: no application has the reference HSK-2011-999999".to_string(),
            format!("{reference}_1_register_extract.pdf: not a PDF, JPEG, PNG or TIFF file"),
            format!("{reference}_3_register_extract_p1.jpg: page 2 is missing, so the document is not attached"),
            format!("{reference}_3_register_extract_p3.jpg: page 2 is missing, so the document is not attached"),
            format!("{reference}_9_photos.jpg: application {reference} has no member 9"),
            "scan0001.jpg: the name is not REFERENCE_OWNER_KIND[_pPAGE].EXT (for example HSK-2011-000123_2_register_extract_p1.jpg)".to_string(),
            format!("{reference} 1 photos: already holds a different scan, which was kept"),
        ]
        .as_slice(),
        "{first}"
    );
    assert!(
        first.contains("back-scan: 10 files, 6 documents: 2 attached, 0 already attached, 1 holding another scan (kept); 6 files matched nothing"),
        "{first}"
    );

    let stored = scans(&app, &reference).await;
    let of = |owner: &str, kind: &str| {
        stored
            .iter()
            .find(|s| s["owner"] == owner && s["kind"] == kind)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(of("family", "application_form")["sha256"], sha256(&form));
    assert_eq!(
        of("1", "photos")["sha256"],
        sha256(&officers),
        "the officer's scan is kept"
    );
    let extract = of("2", "register_extract");
    assert_eq!(
        extract["media_type"], "application/pdf",
        "two pages make one PDF"
    );
    assert_eq!(extract["uploaded_by"], "back-scan");
    let got = get(
        &app,
        &format!("/api/applications/{reference}/documents/2/register_extract"),
        Role::Verifier,
    )
    .await;
    let bytes = got.bytes().await.expect("bytes");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.starts_with("%PDF-1.4") && text.contains("/Count 2"),
        "{text}"
    );
    // Page 1 first, page 2 second: each page's JPEG is in the PDF in order.
    let at = |seed: u8| {
        let page = jpeg(seed);
        bytes.windows(page.len()).position(|w| w == page.as_slice())
    };
    assert!(at(1).expect("page 1") < at(2).expect("page 2"));

    // Again: nothing new is stored and the chain gains nothing.
    let events = trail(&app, &reference).await.len();
    let (code, second) = casework(&app, &["documents", "attach", "--lang", "en", folder]);
    assert_eq!(code, Some(1));
    assert!(
        second.contains("back-scan: 10 files, 6 documents: 0 attached, 2 already attached, 1 holding another scan (kept)"),
        "{second}"
    );
    let after = trail(&app, &reference).await;
    assert_eq!(after.len(), events);
    let attached: Vec<&Value> = after
        .iter()
        .filter(|e| e["action"] == "attach_scan" && e["actor"] == "back-scan")
        .collect();
    assert_eq!(attached.len(), 2);
    let (code, verified) = casework(&app, &["audit", "verify", "--documents"]);
    assert_eq!(code, Some(0), "{verified}");

    // In Arabic, the reasons are Arabic and the file names keep their order.
    let (_, arabic) = casework(
        &app,
        &["documents", "attach", "--dry-run", "--lang", "ar", folder],
    );
    assert!(
        arabic.contains("\u{200F}\u{2066}scan0001.jpg\u{2069}: الاسم ليس على الصيغة"),
        "{arabic}"
    );
    assert!(
        arabic.contains("لا يوجد طلب برقم \u{2068}HSK-2011-999999\u{2069}"),
        "{arabic}"
    );
}

#[tokio::test]
async fn an_import_attaches_the_scans_of_the_families_it_imports() {
    let app = spawn_app().await;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/backlog-sample.csv");
    let archive = common::temp_dir("archive");
    let dir = archive.0.as_path();
    let form = pdf(11);
    write(dir, "HSK-2011-100001_family_application_form.pdf", &form);
    write(dir, "HSK-2011-100001_3_photos_p1.jpg", &jpeg(1));
    let folder = dir.to_str().expect("a path");
    let sample = sample.to_str().expect("a path");

    // A dry run checks the names only: the cases are not stored yet.
    let (code, dry) = casework(
        &app,
        &[
            "import",
            "--dry-run",
            "--lang",
            "en",
            "--scans",
            folder,
            sample,
        ],
    );
    assert_eq!(code, Some(0), "{dry}");
    assert!(
        dry.contains("dry run: 2 files, 2 documents: 2 would be attached"),
        "{dry}"
    );

    let (code, out) = casework(&app, &["import", "--lang", "en", "--scans", folder, sample]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("back-scan: 2 files, 2 documents: 2 attached"),
        "{out}"
    );
    let stored = scans(&app, "HSK-2011-100001").await;
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(stored.iter().any(|s| s["sha256"] == sha256(&form)));
    // One page alone is stored as it is.
    assert!(
        stored
            .iter()
            .any(|s| s["owner"] == "3" && s["media_type"] == "image/jpeg"),
        "{stored:?}"
    );
    let (code, again) = casework(&app, &["import", "--lang", "en", "--scans", folder, sample]);
    assert_eq!(code, Some(0), "{again}");
    assert!(again.contains("0 attached, 2 already attached"), "{again}");
}

async fn withdraw(app: &TestApp, reference: &str) {
    let done = post_json(
        app,
        &format!("/api/applications/{reference}/transitions"),
        Role::IntakeClerk,
        &json!({"action": "withdraw", "fields": {"reason": "the family asked to withdraw"}}),
    )
    .await;
    assert_eq!(
        done.status(),
        StatusCode::OK,
        "{}",
        done.text().await.unwrap_or_default()
    );
}

fn file_in_store(app: &TestApp, bytes: &[u8]) -> std::path::PathBuf {
    let hash = sha256(bytes);
    app.documents_dir()
        .join("sha256")
        .join(&hash[..2])
        .join(&hash)
}

#[tokio::test]
async fn the_scans_of_a_withdrawn_case_are_deleted_after_the_period_and_their_hashes_stay() {
    let app = spawn_app().await;
    let days = app
        .engine
        .workflows
        .latest("naturalization-family")
        .and_then(|w| w.scan_retention_days)
        .expect("the shipped workflow keeps scans for a set period");
    let closed = open_case(&app).await;
    let open = open_case(&app).await;
    let own = pdf(21);
    let shared = pdf(22);
    for (reference, at, bytes) in [
        (&closed, "family/application_form", &own),
        (&closed, "1/register_extract", &shared),
        (&open, "1/register_extract", &shared),
    ] {
        let put = put_bytes(
            &app,
            &format!("/api/applications/{reference}/documents/{at}"),
            Role::IntakeClerk,
            bytes.clone(),
        )
        .await;
        assert_eq!(put.status(), StatusCode::CREATED);
    }
    withdraw(&app, &closed).await;

    // Before the period ends, nothing is due.
    let now = Utc::now();
    let early = casework::app::retention::purge_due(
        &app.engine,
        "test",
        now + Duration::days(i64::from(days) - 1),
        false,
    )
    .await
    .expect("runs");
    assert_eq!(early.cases, 0);
    assert_eq!(scans(&app, &closed).await.len(), 2);

    let later = now + Duration::days(i64::from(days) + 1);
    let dry = casework::app::retention::purge_due(&app.engine, "test", later, true)
        .await
        .expect("runs");
    assert_eq!((dry.cases, dry.scans, dry.files), (1, 2, 0));
    assert_eq!(
        scans(&app, &closed).await.len(),
        2,
        "a dry run deletes nothing"
    );

    let done = casework::app::retention::purge_due(&app.engine, "test", later, false)
        .await
        .expect("runs");
    assert_eq!((done.cases, done.scans, done.files), (1, 2, 1));
    assert!(scans(&app, &closed).await.is_empty());
    assert_eq!(
        scans(&app, &open).await.len(),
        1,
        "an open case keeps its scans"
    );
    assert!(
        !file_in_store(&app, &own).exists(),
        "a file no document holds is deleted"
    );
    assert!(
        file_in_store(&app, &shared).exists(),
        "a file another case holds stays"
    );

    // The deletion is one event naming both scans by their hashes.
    let history = trail(&app, &closed).await;
    let purge: Vec<&Value> = history
        .iter()
        .filter(|e| e["action"] == "purge_scan")
        .collect();
    assert_eq!(purge.len(), 1, "{history:?}");
    let hashes: Vec<&str> = purge[0]["payload"]["scans"]
        .as_array()
        .expect("the scans")
        .iter()
        .filter_map(|s| s["sha256"].as_str())
        .collect();
    assert_eq!(hashes.len(), 2);
    assert!(hashes.contains(&sha256(&own).as_str()) && hashes.contains(&sha256(&shared).as_str()));
    assert_eq!(purge[0]["payload"]["retention_days"], days);
    let (code, verified) = casework(&app, &["audit", "verify", "--documents"]);
    assert_eq!(code, Some(0), "{verified}");

    // The case page says where the scans went.
    let page = get(
        &app,
        &format!("/applications/{closed}?lang=en"),
        Role::Verifier,
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("This case's scans were deleted on ")
            && html.contains("at the end of their retention period"),
        "{html}"
    );

    // Nothing is left to do.
    let again = casework::app::retention::purge_due(&app.engine, "test", later, false)
        .await
        .expect("runs");
    assert_eq!(again.cases, 0);
}

#[test]
fn a_retention_period_is_at_least_a_day() {
    let definition = |days: &str| {
        let text = format!(
            "scan_retention_days = {days}\n{}",
            include_str!("../../workflows/naturalization-family.v1.toml")
        );
        casework::workflow::Workflow::from_toml("family.toml", &text).map_err(|e| e.to_string())
    };
    let error = definition("0").err().unwrap_or_default();
    assert!(
        error.contains("family.toml:1: scan_retention_days must be at least 1"),
        "{error}"
    );
    assert!(definition("-5").is_err());
    assert_eq!(
        definition("30").map(|w| w.scan_retention_days),
        Ok(Some(30))
    );
}
