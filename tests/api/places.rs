//! Districts and offices are reference data (`workflows/places.toml`): every
//! place a code enters by is refused when the code is not listed, naming
//! the field and the valid codes, on SQLite (default) or PostgreSQL.

use crate::common;

use std::process::Command;

use casework::app::AppError;
use casework::app::import::{self, Source};
use casework::domain::roles::Role;
use common::actors::officer;
use common::cases::case_in_verification;
use common::families::family;
use common::http::{get, post_json};
use common::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The binary with no places file from the environment.
fn casework(db: &common::TestDb, dir: &std::path::Path) -> Command {
    let mut command = common::binary::casework(db, dir);
    command.env_remove("CASEWORK_PLACES_FILE");
    command
}

/// The field errors of a 422, as (field, English message).
async fn field_errors(response: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    body["errors"]
        .as_array()
        .expect("an errors list")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Asserts the errors are exactly `expected`: a field each, and a piece of
/// text its message must contain.
fn assert_errors(got: &[(String, String)], expected: &[(&str, &str)]) {
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for ((field, message), (want_field, want)) in got.iter().zip(expected) {
        assert_eq!(field, want_field, "{got:?}");
        assert!(message.contains(want), "'{message}' lacks '{want}'");
    }
}

async fn post_en(app: &common::TestApp, path: &str, role: Role, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .header("accept-language", "en")
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn get_en(app: &common::TestApp, path: &str, role: Role) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .header("accept-language", "en")
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn the_reference_endpoint_lists_every_district_with_its_offices_and_names() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/reference/places"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let districts = body.as_array().expect("a list");
    let codes: Vec<&str> = districts
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    for code in ["al_hasakah", "al_qamishli", "al_malikiyah", "ras_al_ayn"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let qamishli = districts
        .iter()
        .find(|d| d["code"] == "al_qamishli")
        .expect("al_qamishli");
    assert_eq!(qamishli["name_ar"], "القامشلي");
    assert_eq!(qamishli["name_en"], "Qamishli");
    let offices: Vec<&str> = qamishli["offices"]
        .as_array()
        .expect("offices")
        .iter()
        .filter_map(|o| o["code"].as_str())
        .collect();
    assert_eq!(offices, ["qamishli_1", "qamishli_2", "amuda"]);
    assert_eq!(qamishli["offices"][2]["name_ar"], "عامودا");
}

#[tokio::test]
async fn a_family_is_opened_and_edited_only_at_a_listed_office_of_its_district() {
    let app = spawn_app().await;
    let at = |district: &str, office: &str| {
        family()
            .at_office(district, office)
            .born_in("الحسكة")
            .json()
    };
    let cases = [
        (
            at("al_hasaka", "hasakah_centre"),
            vec![("district", "did you mean 'al_hasakah'?")],
        ),
        (
            at("al_hasakah", "hasakah_centr"),
            vec![("office", "did you mean 'hasakah_centre'?")],
        ),
        (
            at("atlantis", "hasakah_centre"),
            vec![("district", "valid codes: al_hasakah, al_qamishli")],
        ),
        (
            at("al_hasakah", "amuda"),
            vec![("office", "belongs to Qamishli (al_qamishli)")],
        ),
    ];
    for (body, expected) in &cases {
        let response = post_en(&app, "/api/applications", Role::IntakeClerk, body).await;
        assert_errors(&field_errors(response).await, expected);
    }
    // Arabic by default, the field named there too.
    let arabic = post_json(
        &app,
        "/api/applications",
        Role::IntakeClerk,
        &at("al_hasaka", "hasakah_centre"),
    )
    .await;
    assert_eq!(arabic.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let arabic: Value = arabic.json().await.expect("json");
    assert_eq!(arabic["errors"][0]["field"], "district");
    let message = arabic["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("هل تقصد \u{2068}al_hasakah\u{2069}"),
        "{message}"
    );
    let stored = common::sql::count(app.db_url(), "SELECT COUNT(*) FROM applications").await;
    assert_eq!(stored, 0, "no refused family is stored");

    let created = post_json(
        &app,
        "/api/applications",
        Role::IntakeClerk,
        &at("al_hasakah", "hasakah_centre"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let reference = created.json::<Value>().await.expect("json")["reference"]
        .as_str()
        .expect("a reference")
        .to_string();
    let edit = app
        .client
        .put(app.url(&format!("/api/applications/{reference}")))
        .bearer_auth(app.token(Role::IntakeClerk))
        .header("accept-language", "en")
        .header("if-match", "\"1\"")
        .json(&at("al_hasakah", "qamishli_2"))
        .send()
        .await
        .expect("request");
    assert_errors(
        &field_errors(edit).await,
        &[("office", "belongs to Qamishli (al_qamishli)")],
    );
    let moved = app
        .client
        .put(app.url(&format!("/api/applications/{reference}")))
        .bearer_auth(app.token(Role::IntakeClerk))
        .header("if-match", "\"1\"")
        .json(&at("al_hasakah", "hasakah_north"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        moved.status(),
        StatusCode::OK,
        "another office of its district"
    );
}

/// A query path, who asks, and the field errors expected.
type Filter = (&'static str, Role, &'static [(&'static str, &'static str)]);

#[tokio::test]
async fn list_and_statistics_filters_take_only_listed_places() {
    let app = spawn_app().await;
    let checks: [Filter; 6] = [
        (
            "/api/applications?district=al_hasaka",
            Role::Supervisor,
            &[("district", "did you mean 'al_hasakah'?")],
        ),
        (
            "/api/applications?office=qamishli_3",
            Role::Supervisor,
            &[("office", "did you mean 'qamishli_1'?")],
        ),
        (
            "/api/applications?district=al_hasakah&office=amuda",
            Role::Supervisor,
            &[("office", "belongs to Qamishli")],
        ),
        (
            "/api/statistics/headline?district=atlantis",
            Role::Leadership,
            &[("district", "valid codes: al_hasakah")],
        ),
        (
            "/api/statistics/backlog?office=hasakah_centr",
            Role::Leadership,
            &[("office", "did you mean 'hasakah_centre'?")],
        ),
        (
            "/api/statistics/headline?district=al_qamishli&office=hasakah_centre",
            Role::Leadership,
            &[("office", "belongs to Al-Hasakah (al_hasakah)")],
        ),
    ];
    for (path, role, expected) in checks {
        let response = get_en(&app, path, role).await;
        assert_errors(&field_errors(response).await, expected);
    }
    for path in [
        "/api/applications?district=al_qamishli&office=amuda",
        "/api/statistics/headline?district=al_qamishli",
    ] {
        let role = if path.contains("statistics") {
            Role::Leadership
        } else {
            Role::Supervisor
        };
        assert_eq!(
            get(&app, path, role).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
}

#[tokio::test]
async fn users_and_agencies_are_bound_only_to_listed_districts() {
    let app = spawn_app().await;
    let now = chrono::Utc::now();
    let refused = casework::app::users::add(
        &app.engine,
        "clerk.typo",
        &[Role::IntakeClerk],
        Some("al_hasaka"),
        None,
        now,
    )
    .await;
    match refused {
        Err(AppError::Invalid(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, "district");
            assert!(errors[0].message.contains("did you mean 'al_hasakah'?"));
            assert!(errors[0].message_ar.contains("\u{2068}al_hasakah\u{2069}"));
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    let refused = casework::app::portal::add(
        &app.engine,
        "interior",
        &["card-status".to_string()],
        &["al_qamishli".to_string(), "atlantis".to_string()],
        60,
        None,
        now,
    )
    .await;
    match refused {
        Err(AppError::Invalid(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, "districts");
            assert!(
                errors[0]
                    .message
                    .contains("'atlantis' is not a known district")
            );
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    let users = common::sql::count(app.db_url(), "SELECT COUNT(*) FROM users").await;
    let agencies = common::sql::count(app.db_url(), "SELECT COUNT(*) FROM agencies").await;
    // spawn_app's users: one per role but `system`, and a second verifier.
    assert_eq!((users, agencies), (Role::ALL.len() as i64, 0));
}

#[tokio::test]
async fn the_import_refuses_unlisted_places_at_their_line_and_column() {
    let (_db, engine) = common::fresh_engine().await;
    let header = "reference,district,office,submitted_on,state,relationship,first_name,father_name,mother_name,family_name,sex,birth_date,birth_place\n";
    let row = |reference: &str, district: &str, office: &str| {
        format!(
            "{reference},{district},{office},2011-06-12,intake,head,أحمد,محمد,فاطمة العلي,الحسن,male,1970-03-15,الحسكة\n"
        )
    };
    let text = format!(
        "{header}{}{}{}{}",
        row("HSK-2011-100001", "al_hasaka", "hasakah_centre"),
        row("HSK-2011-100002", "al_hasakah", "amuda"),
        row("HSK-2011-100003", "al_qamishli", "qamishli_9"),
        row("HSK-2011-100004", "al_qamishli", "amuda"),
    );
    let report = import::import(
        &engine,
        &[Source {
            name: "places.csv".into(),
            bytes: text.into_bytes(),
        }],
        &import::importer("import", None),
        false,
        chrono::Utc::now(),
        |_, _| {},
    )
    .await
    .expect("the import runs");
    let errors: Vec<(u64, Option<&str>, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref(), e.message.as_str()))
        .collect();
    assert_eq!((report.imported, report.refused), (1, 3), "{errors:?}");
    let expected = [
        (2, "district", "did you mean 'al_hasakah'?"),
        (3, "office", "belongs to Qamishli (al_qamishli)"),
        (4, "office", "did you mean 'qamishli_1'?"),
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:?}");
    for ((line, column, message), (want_line, want_column, want)) in errors.iter().zip(expected) {
        assert_eq!(
            (*line, *column),
            (want_line, Some(want_column)),
            "{errors:?}"
        );
        assert!(message.contains(want), "'{message}' lacks '{want}'");
    }
}

#[tokio::test]
async fn the_cli_refuses_unlisted_districts_and_asks_officers_for_one() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("places");
    let run = |args: &[&str]| {
        let output = casework(&db, &dir.0)
            .args(args)
            .output()
            .expect("the binary runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let (ok, stderr) = run(&["users", "add", "clerk.one", "--role", "intake_clerk"]);
    assert!(!ok, "an officer without a district is refused");
    assert!(
        stderr.contains("--all-districts") && stderr.contains("al_hasakah"),
        "{stderr}"
    );
    let (ok, stderr) = run(&[
        "users",
        "add",
        "clerk.one",
        "--role",
        "intake_clerk",
        "--district",
        "al_hasaka",
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "error: district: 'al_hasaka' is not a known district code; did you mean 'al_hasakah'?"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("هل تقصد \u{2068}al_hasakah\u{2069}"),
        "{stderr}"
    );
    let (ok, stderr) = run(&[
        "users",
        "add",
        "clerk.one",
        "--role",
        "intake_clerk",
        "--district",
        "al_hasakah",
    ]);
    assert!(ok, "{stderr}");
    let (ok, stderr) = run(&[
        "users",
        "add",
        "supervisor.all",
        "--role",
        "supervisor",
        "--all-districts",
    ]);
    assert!(ok, "{stderr}");
    let (ok, stderr) = run(&["users", "add", "leader", "--role", "leadership"]);
    assert!(ok, "leadership is not bound to a district: {stderr}");
    let (ok, stderr) = run(&[
        "agencies",
        "add",
        "interior",
        "--scopes",
        "card-status",
        "--districts",
        "al_qamishli,qamishly",
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "error: districts: 'qamishly' is not a known district code; did you mean 'al_qamishli'?"
        ),
        "{stderr}"
    );
    let csv = dir.0.join("bad.csv");
    std::fs::write(
        &csv,
        "reference,district,office,submitted_on,state,relationship,first_name,father_name,mother_name,family_name,sex,birth_date,birth_place\n\
         HSK-2011-100001,al_hasakah,hasakah_centr,2011-06-12,intake,head,أحمد,محمد,فاطمة العلي,الحسن,male,1970-03-15,الحسكة\n",
    )
    .expect("write");
    let output = casework(&db, &dir.0)
        .args(["import", "bad.csv"])
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("bad.csv:2: office: 'hasakah_centr' is not a known office code; did you mean 'hasakah_centre'?"),
        "{stdout}"
    );
}

#[test]
fn workflow_check_and_the_start_report_a_broken_places_file_by_line() {
    let dir = common::temp_dir("places");
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows/places.toml");
    let check = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_casework"))
            .args(["workflow", "check"])
            .arg(file)
            .output()
            .expect("the binary runs")
    };
    let output = check(&shipped);
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .ends_with("places.toml: ok")
    );

    let text = std::fs::read_to_string(&shipped).expect("read").replacen(
        "code = \"amuda\"",
        "code = \"qamishli_1\"",
        1,
    );
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "code = \"qamishli_1\"")
        .nth(1)
        .map(|(i, _)| i + 1)
        .expect("the office listed twice");
    let broken = dir.0.join("places.toml");
    std::fs::write(&broken, text).expect("write");
    let output = check(&broken);
    assert!(
        !output.status.success(),
        "a broken places file exits non-zero"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "places.toml:{line}: office 'qamishli_1' is listed twice"
        )),
        "{stdout}"
    );

    // The server and every command that opens the database refuse to start on it.
    let output = Command::new(env!("CARGO_BIN_EXE_casework"))
        .current_dir(&dir.0)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/never.db", dir.0.display()),
        )
        .env("CASEWORK_PLACES_FILE", &broken)
        .env("CASEWORK_LOG", "warn")
        .env_remove("CASEWORK_CONFIG")
        .args(["users", "list"])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "places.toml:{line}: office 'qamishli_1' is listed twice"
        )),
        "{stderr}"
    );
}

#[test]
fn the_demo_districts_are_all_listed_places() {
    let places = casework::app::registry::load_places(None).expect("the built-in places");
    for (district, offices, _) in casework::app::demo::DISTRICTS {
        assert!(places.district(district).is_some(), "{district}");
        for office in *offices {
            let of = places.office(office).map(|(d, _)| d.code.as_str());
            assert_eq!(of, Some(*district), "{office}");
        }
    }
}

#[tokio::test]
async fn the_dashboard_names_districts_in_the_reader_s_language() {
    let app = spawn_app().await;
    let created = post_json(
        &app,
        "/api/applications",
        Role::IntakeClerk,
        &family().born_in("القامشلي").json(),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    for (path, name) in [
        ("/dashboard/panel", "القامشلي"),
        ("/dashboard/panel?lang=en", "Qamishli"),
        (
            "/dashboard/panel?district=al_qamishli&lang=en",
            "district Qamishli",
        ),
    ] {
        let panel = get(&app, path, Role::Leadership).await;
        assert_eq!(panel.status(), StatusCode::OK, "{path}");
        let html = panel.text().await.expect("text");
        assert!(html.contains(name), "{path} lacks {name}");
        let chart_label = format!(
            r#"class="axis">{}</text>"#,
            name.trim_start_matches("district ")
        );
        assert!(
            html.contains(&chart_label),
            "{path}: the bar is labelled by name"
        );
        assert!(
            !html.contains(r#"class="axis">al_qamishli<"#),
            "{path}: no bar is labelled by code"
        );
    }
}

/// The bottleneck and SLA-breach table names each office in the reader's
/// language, never by its code.
#[tokio::test]
async fn the_breach_table_names_offices_in_the_reader_s_language() {
    let app = spawn_app().await;
    let clerk = officer("clerk.breaches", Role::IntakeClerk);
    // Submitted three months ago: past verification's due date.
    let long_ago = chrono::Utc::now() - chrono::Duration::days(90);
    let offices = [
        (
            "al_hasakah",
            "hasakah_centre",
            "مركز الحسكة",
            "Al-Hasakah centre",
        ),
        ("al_malikiyah", "malikiyah", "المالكية", "Al-Malikiyah"),
    ];
    for (district, office, _, _) in offices {
        case_in_verification(
            &app.engine,
            &family().at_office(district, office).draft(),
            &clerk,
            long_ago,
            long_ago,
        )
        .await;
    }
    for lang in ["ar", "en"] {
        let panel = get(
            &app,
            &format!("/dashboard/panel?lang={lang}"),
            Role::Leadership,
        )
        .await;
        assert_eq!(panel.status(), StatusCode::OK, "{lang}");
        let html = panel.text().await.expect("text");
        let start = html
            .find(r#"data-csv="sla-breaches""#)
            .expect("the breach card");
        let table = &html[start..start + html[start..].find("</article>").expect("its end")];
        for (_, code, ar, en) in offices {
            let name = if lang == "ar" { ar } else { en };
            assert!(
                table.contains(&format!("<td>{name}</td>")),
                "{lang}: {code} is named {name}: {table}"
            );
            assert!(
                !table.contains(&format!(">{code}<")),
                "{lang}: {code} is not shown as a code: {table}"
            );
        }
    }
}

#[tokio::test]
async fn the_api_and_the_csv_exports_carry_the_names_of_places() {
    let app = spawn_app().await;
    let created = post_json(
        &app,
        "/api/applications",
        Role::IntakeClerk,
        &family().born_in("القامشلي").json(),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let reference = created.json::<Value>().await.expect("json")["reference"]
        .as_str()
        .expect("a reference")
        .to_string();
    let view: Value = get(
        &app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(
        view["district_label"],
        json!({"ar": "القامشلي", "en": "Qamishli"})
    );
    assert_eq!(
        view["office_label"],
        json!({"ar": "القامشلي الأول", "en": "Qamishli 1"})
    );
    let backlog: Value = get(&app, "/api/statistics/backlog", Role::Leadership)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(backlog["rows"][0]["district_label"]["en"], "Qamishli");
    let csv = get_en(&app, "/api/statistics/backlog?format=csv", Role::Leadership)
        .await
        .text()
        .await
        .expect("text");
    assert!(
        csv.contains(",al_qamishli,Qamishli,qamishli_1,Qamishli 1,1,5\r\n"),
        "{csv}"
    );
    // The lists and the queue name the places as the case view does.
    for (path, role) in [
        ("/api/applications", Role::Supervisor),
        ("/api/queue", Role::IntakeClerk),
    ] {
        let list: Value = get(&app, path, role).await.json().await.expect("json");
        let item = &list["items"][0];
        assert_eq!(item["reference"], reference.as_str(), "{path}: {list}");
        assert_eq!(item["district"], "al_qamishli", "{path}");
        assert_eq!(
            item["district_label"],
            json!({"ar": "القامشلي", "en": "Qamishli"}),
            "{path}"
        );
        assert_eq!(
            item["office_label"],
            json!({"ar": "القامشلي الأول", "en": "Qamishli 1"}),
            "{path}"
        );
    }
    // The workload names each officer's district; opening the case was
    // the clerk's one action there.
    let workload = get_en(
        &app,
        "/api/statistics/workload?format=csv",
        Role::Leadership,
    )
    .await
    .text()
    .await
    .expect("text");
    assert!(
        workload
            .trim_start_matches('\u{feff}')
            .starts_with("officer,district,district_label,holding,actions\r\n"),
        "{workload}"
    );
    assert!(
        workload.contains("\r\nintake_clerk.one,al_qamishli,Qamishli,0,1\r\n"),
        "{workload}"
    );
    let workload = get(
        &app,
        "/api/statistics/workload?format=csv",
        Role::Leadership,
    )
    .await
    .text()
    .await
    .expect("text");
    assert!(
        workload.contains("\r\nintake_clerk.one,al_qamishli,القامشلي,0,1\r\n"),
        "{workload}"
    );
}

#[tokio::test]
async fn an_officer_s_office_is_checked_against_their_district_and_listed_by_name() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("places");
    let run = |args: &[&str]| {
        let output = casework(&db, &dir.0)
            .args(args)
            .output()
            .expect("the binary runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).to_string(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let add = |name: &str, place: &[&str]| {
        let mut args = vec!["users", "add", name, "--role", "intake_clerk"];
        args.extend_from_slice(place);
        run(&args)
    };
    // An office needs its one district.
    let (ok, _, stderr) = add("clerk.a", &["--office", "amuda"]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "error: office: an officer works at an office within one district: give --district"
        ),
        "{stderr}"
    );
    let (ok, _, stderr) = add("clerk.a", &["--all-districts", "--office", "amuda"]);
    assert!(!ok, "every district and one office: {stderr}");
    assert!(stderr.contains("error: office:"), "{stderr}");
    // A typo, and an office of another district.
    let (ok, _, stderr) = add(
        "clerk.a",
        &["--district", "al_qamishli", "--office", "amda"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("error: office: 'amda' is not a known office code; did you mean 'amuda'?"),
        "{stderr}"
    );
    let (ok, _, stderr) = add(
        "clerk.a",
        &["--district", "al_hasakah", "--office", "amuda"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("error: office: office 'amuda' belongs to Qamishli (al_qamishli), not to district 'al_hasakah'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hasakah_centre"),
        "the valid offices are listed: {stderr}"
    );
    let (_, listed, _) = run(&["users", "list"]);
    assert!(listed.is_empty(), "nothing was stored: {listed}");

    let (ok, _, stderr) = add(
        "clerk.a",
        &["--district", "al_qamishli", "--office", "amuda"],
    );
    assert!(ok, "{stderr}");
    let (ok, _, stderr) = add("clerk.b", &["--district", "al_qamishli"]);
    assert!(ok, "{stderr}");
    let (ok, listed, _) = run(&["users", "list", "--lang", "en"]);
    assert!(ok);
    assert_eq!(
        listed,
        "clerk.a\tintake_clerk\tQamishli (al_qamishli)\tAmuda (amuda)\tactive\t-\n\
         clerk.b\tintake_clerk\tQamishli (al_qamishli)\t-\tactive\t-\n"
    );
    let (_, listed, _) = run(&["users", "list", "--lang", "ar"]);
    assert!(
        listed.starts_with("clerk.a\tintake_clerk\tالقامشلي (al_qamishli)\tعامودا (amuda)\t"),
        "{listed}"
    );
}
