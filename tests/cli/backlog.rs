//! Bringing in the backlog: CSV import, Arabic name search, and possible
//! duplicates flagged at intake and import, decided by a verifier.

use crate::common;

use casework::app::import::{self, ImportReport, Source};
use casework::domain::roles::Role;
use casework::store::audit;
use common::actors::officer;
use common::cases::open_case_for;
use common::families::Family;
use common::http::{get, post_json};
use common::sql;
use common::{TestApp, fresh_engine, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const SAMPLE: &str = "tests/data/backlog-sample.csv";
const BAD: &str = "tests/data/backlog-bad.csv";

fn source(path: &str) -> Source {
    Source {
        name: path.to_string(),
        bytes: std::fs::read(path).expect("the test file is readable"),
    }
}

async fn run(engine: &casework::app::Engine, sources: &[Source], dry_run: bool) -> ImportReport {
    import::import(
        engine,
        sources,
        &import::importer("import", None),
        dry_run,
        chrono::Utc::now(),
        |_, _| {},
    )
    .await
    .expect("the import runs")
}

#[tokio::test]
async fn the_sample_file_imports_once_with_an_honest_audit_chain() {
    let (db, engine) = fresh_engine().await;
    let dry = run(&engine, &[source(SAMPLE)], true).await;
    assert_eq!((dry.families, dry.imported, dry.persons), (3, 3, 6));
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM applications").await,
        0,
        "a dry run writes nothing"
    );

    let report = run(&engine, &[source(SAMPLE)], false).await;
    assert_eq!(
        (
            report.rows,
            report.families,
            report.imported,
            report.persons
        ),
        (6, 3, 3, 6)
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    // Each case is where the old register had it, its members with it.
    let loaded = casework::store::cases::read_case(&engine.store, "HSK-2011-100001")
        .await
        .expect("imported");
    assert_eq!(loaded.case.state, "verification");
    assert_eq!(loaded.record.origin, format!("import:{SAMPLE}:2"));
    assert!(loaded.case.members.iter().all(|m| m.state == "pending"));
    assert_eq!(loaded.case.members.len(), 3);
    assert!(
        loaded.record.due_on.is_some(),
        "the SLA clock runs from state_since"
    );
    let approval = casework::store::cases::read_case(&engine.store, "HSK-2012-000417")
        .await
        .expect("imported");
    assert_eq!(approval.case.state, "approval");
    assert!(approval.case.members.iter().all(|m| m.state == "verified"));
    // Arabic-Indic digits in a register number are stored as ASCII digits.
    let second = casework::store::cases::read_case(&engine.store, "HSK-2011-100002")
        .await
        .expect("imported");
    assert_eq!(
        second.case.members[0].register_number.as_deref(),
        Some("2200/12345")
    );

    // The chain starts with one `imported` event naming the file and lines.
    let trail = casework::store::queries::audit_trail(&engine.store, loaded.record.id)
        .await
        .expect("trail");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "imported");
    let payload: Value = serde_json::from_str(&trail[0].payload).expect("json");
    assert_eq!(payload["origin"]["file"], SAMPLE);
    assert_eq!(payload["origin"]["lines"], json!([2, 4]));
    assert_eq!(payload["origin"]["state"], "verification");
    let verified = audit::verify(&engine.store).await.expect("verify");
    assert!(
        verified.first_broken.is_none(),
        "{:?}",
        verified.first_broken
    );
    assert_eq!(
        casework::app::stats::check(&engine).await.expect("check"),
        Vec::<String>::new(),
        "the statistics count imported cases"
    );

    // A second run imports nothing twice.
    let again = run(&engine, &[source(SAMPLE)], false).await;
    assert_eq!((again.imported, again.already_present), (0, 3));
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM applications").await,
        3
    );
    assert_eq!(sql::count(&db.url, "SELECT COUNT(*) FROM members").await, 6);
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM audit_events").await,
        3
    );

    // New intake never takes an imported reference.
    let draft: casework::domain::family::ApplicationDraft = serde_json::from_value(json!({
        "district": "al_hasakah", "office": "hasakah_centre", "submitted_on": "2012-03-01",
        "family_documents": ["application_form"],
        "members": [{"first_name": "سلمى", "father_name": "خليل", "mother_name": "هدى مراد",
            "family_name": "قاسم", "sex": "female", "birth_date": "1980-01-01",
            "birth_place": "الحسكة", "relationship": "head", "register_number": "4000/1",
            "documents": ["register_extract", "photos"]}]
    }))
    .expect("a draft");
    let clerk = officer("clerk", Role::IntakeClerk);
    let created = casework::app::cases::create(&engine, &draft, &clerk, chrono::Utc::now())
        .await
        .expect("created");
    assert_eq!(created.reference, "HSK-2012-000418");
}

#[tokio::test]
async fn a_dry_run_reports_the_possible_duplicates_the_real_run_flags() {
    let (db, engine) = fresh_engine().await;
    // At the counter already: a family two of whose members carry register
    // numbers of the sample's (its first head's and its second daughter's).
    let counter = Family::empty()
        .head("يوسف", (1950, 1, 1), "1203/45877")
        .son("سامر", (1990, 6, 2), "2200/12346")
        .draft();
    let clerk = officer("clerk", Role::IntakeClerk);
    casework::app::cases::create(&engine, &counter, &clerk, chrono::Utc::now())
        .await
        .expect("created");

    let tables = ["applications", "members", "audit_events", "duplicate_flags"];
    let mut before = Vec::new();
    for table in tables {
        before.push(sql::count(&db.url, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    let dry = run(&engine, &[source(SAMPLE)], true).await;
    assert_eq!(dry.duplicate_flags, 2, "{dry:?}");
    for (table, before) in tables.into_iter().zip(before) {
        let after = sql::count(&db.url, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(after, before, "a dry run writes nothing to {table}");
    }

    let real = run(&engine, &[source(SAMPLE)], false).await;
    assert_eq!(
        (
            real.rows,
            real.families,
            real.imported,
            real.persons,
            real.already_present,
            real.refused,
            real.duplicate_flags
        ),
        (
            dry.rows,
            dry.families,
            dry.imported,
            dry.persons,
            dry.already_present,
            dry.refused,
            dry.duplicate_flags
        ),
        "the dry run reported what the real run did"
    );
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM duplicate_flags").await,
        2
    );
}

/// (line, column, a piece of the message) for each bad row of BAD.
const EXPECTED: &[(u64, Option<&str>, &str)] = &[
    (4, None, "no head"),
    (5, Some("birth_date"), "in the future"),
    (6, Some("register_number"), "is not a register number"),
    (7, None, "has 20 fields; the header has 21"),
    (8, Some("first_name"), "is not valid UTF-8"),
    (10, Some("reference"), "must be consecutive"),
    (11, Some("submitted_on"), "in the future"),
    (12, Some("state"), "is not a state cases can be imported in"),
    (13, Some("sex"), "must be male or female"),
    (14, Some("birth_date"), "YYYY-MM-DD"),
    (16, Some("district"), "differs from line 15"),
    (17, Some("first_name"), "no Arabic letter"),
    (18, Some("reference"), "is not a reference number"),
];

fn assert_expected_errors(report: &ImportReport) {
    let got: Vec<(u64, Option<&str>)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    let want: Vec<(u64, Option<&str>)> = EXPECTED.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(got, want, "{:#?}", report.errors);
    for (error, (_, _, piece)) in report.errors.iter().zip(EXPECTED) {
        assert_eq!(error.file, BAD);
        assert!(error.message.contains(piece), "{error}");
        assert!(!error.message_ar.is_empty(), "{error}");
    }
}

#[tokio::test]
async fn bad_rows_are_reported_exactly_and_their_families_are_not_written() {
    let (db, engine) = fresh_engine().await;
    let dry = run(&engine, &[source(BAD)], true).await;
    assert_expected_errors(&dry);
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM applications").await,
        0
    );

    let report = run(&engine, &[source(BAD)], false).await;
    assert_expected_errors(&report);
    assert_eq!(
        (report.families, report.imported, report.refused),
        (14, 2, 12)
    );
    // Only the two good families, whole; the family whose reference came
    // back later (lines 2, 3 and 10) is refused with all its rows.
    let mut stored: Vec<String> = Vec::new();
    for reference in (1..=14).map(|n| format!("HSK-2011-2000{n:02}")) {
        if casework::store::cases::read_case(&engine.store, &reference)
            .await
            .is_ok()
        {
            stored.push(reference);
        }
    }
    assert_eq!(stored, vec!["HSK-2011-200007", "HSK-2011-200014"]);
    assert_eq!(sql::count(&db.url, "SELECT COUNT(*) FROM members").await, 2);

    let again = run(&engine, &[source(BAD)], false).await;
    assert_eq!((again.imported, again.already_present), (0, 2));
    assert_expected_errors(&again);
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM applications").await,
        2
    );
}

#[tokio::test]
async fn a_bad_header_refuses_the_whole_file() {
    let (db, engine) = fresh_engine().await;
    let text = std::fs::read_to_string(SAMPLE).expect("sample");
    let broken = text.replacen("birth_place", "birthplace", 1);
    let report = run(
        &engine,
        &[Source {
            name: "broken.csv".into(),
            bytes: broken.into_bytes(),
        }],
        false,
    )
    .await;
    let columns: Vec<Option<&str>> = report.errors.iter().map(|e| e.column.as_deref()).collect();
    assert_eq!(columns, vec![Some("birth_place"), Some("birthplace")]);
    assert!(report.errors.iter().all(|e| e.line == 1));
    assert_eq!(report.imported, 0);
    assert_eq!(
        sql::count(&db.url, "SELECT COUNT(*) FROM applications").await,
        0
    );
}

async fn get_json(app: &TestApp, path: &str, role: Role) -> Value {
    let response = get(app, path, role).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.expect("json")
}

async fn import_over_http(app: &TestApp, file: &str, body: String) -> Value {
    let response = app
        .client
        .post(app.url(&format!("/api/imports?file={file}")))
        .bearer_auth(app.token(Role::Supervisor))
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

async fn references(app: &TestApp, query: &str) -> Vec<String> {
    let response = get(app, &format!("/api/applications?{query}"), Role::Supervisor).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let body: Value = response.json().await.expect("json");
    let mut out: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["reference"].as_str().expect("reference").to_string())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn names_are_found_the_way_officers_type_them() {
    let app = spawn_app().await;
    let report = import_over_http(
        &app,
        "backlog-sample.csv",
        std::fs::read_to_string(SAMPLE).expect("sample"),
    )
    .await;
    assert_eq!(report["imported"], 3);
    let first = "HSK-2011-100001";
    for (typed, expected) in [
        // أحمد محمد الحسن in any order, with or without hamza.
        ("أحمد محمد الحسن", vec![first]),
        ("الحسن احمد", vec![first]),
        ("محمد إحمد", vec![first]),
        // Diacritics and tatweel.
        ("أَحْمَـــد الحسن", vec![first]),
        // Taa marbuta: خديجة typed خديجه.
        ("خديجه شيخو", vec!["HSK-2011-100002"]),
        // A compound name typed joined: عبد الله stored apart.
        ("عبدالله الاحمد", vec!["HSK-2012-000417"]),
        ("عبد الله حسن الأحمد", vec!["HSK-2012-000417"]),
        // One part alone finds every member with it.
        ("شيخو", vec!["HSK-2011-100002"]),
        // Alef maqsura and hamza on yaa fold the same way (no such person).
        ("مصطفى", vec![]),
        // A word that is only part of a name is not a name.
        ("احم", vec![]),
    ] {
        let found = references(&app, &format!("name={typed}")).await;
        assert_eq!(found, expected, "searching {typed}");
    }
    assert_eq!(
        references(&app, "register_number=٢٢٠٠/١٢٣٤٦").await,
        vec!["HSK-2011-100002"]
    );
    let too_long = get(
        &app,
        "/api/applications?name=ا ب ت ث ج ح خ",
        Role::Supervisor,
    )
    .await;
    assert_eq!(too_long.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn importing_needs_a_supervisor_and_stays_in_its_district() {
    let app = spawn_app().await;
    let body = std::fs::read_to_string(SAMPLE).expect("sample");
    let clerk = app
        .client
        .post(app.url("/api/imports"))
        .bearer_auth(app.token(Role::IntakeClerk))
        .body(body.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(clerk.status(), StatusCode::FORBIDDEN);
    let bad_name = app
        .client
        .post(app.url("/api/imports?file=../etc/passwd"))
        .bearer_auth(app.token(Role::Supervisor))
        .body(body.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(bad_name.status(), StatusCode::BAD_REQUEST);
    // A supervisor of one district imports only that district's families.
    let token = casework::app::users::add(
        &app.engine,
        "supervisor.qamishli",
        &[Role::Supervisor],
        Some("al_qamishli"),
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("a user");
    let response = app
        .client
        .post(app.url("/api/imports?dry_run=true"))
        .bearer_auth(&token)
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let report: Value = response.json().await.expect("json");
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["refused"], 2, "{report}");
    assert!(
        report["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .all(|e| e["column"] == "district")
    );
}

/// A head of family as typed at the counter: أحمد محمد الحسن.
fn counter_family(register: &str, birth: &str) -> Value {
    json!({
        "district": "al_hasakah", "office": "hasakah_centre", "submitted_on": "2012-01-10",
        "family_documents": ["application_form"],
        "members": [{
            "first_name": "أحمد", "father_name": "محمد", "mother_name": "فاطمة العلي",
            "family_name": "الحسن", "sex": "male", "birth_date": birth,
            "birth_place": "الحسكة", "relationship": "head", "register_number": register,
            "documents": ["register_extract", "photos"]
        }]
    })
}

async fn duplicates(app: &TestApp, reference: &str, role: Role) -> reqwest::Response {
    get(
        app,
        &format!("/api/applications/{reference}/duplicates"),
        role,
    )
    .await
}

#[tokio::test]
async fn the_same_person_spelled_differently_is_flagged_and_the_decision_audited() {
    let app = spawn_app().await;
    // The backlog holds أحمد محمد الحسن, born 1970-03-15, register 1203/45877.
    import_over_http(
        &app,
        "backlog-sample.csv",
        std::fs::read_to_string(SAMPLE).expect("sample"),
    )
    .await;
    let imported = "HSK-2011-100001";
    // At the counter: احمد مُحمّد الحسن (no hamza, vowel marks), born the
    // next year, another register number → flagged by name and birth year.
    let by_name = open_case_for(
        &app,
        &json!({
            "district": "al_hasakah", "office": "hasakah_centre", "submitted_on": "2012-01-10",
            "family_documents": ["application_form"],
            "members": [{
                "first_name": "احمد", "father_name": "مُحمّد", "mother_name": "فاطمه العلي",
                "family_name": "الحسن", "sex": "male", "birth_date": "1971-01-02",
                "birth_place": "الحسكة", "relationship": "head", "register_number": "9000/1",
                "documents": ["register_extract", "photos"]
            }]
        }),
    )
    .await;
    // Another person entirely, but with the imported head's register number.
    let by_register = open_case_for(&app, &{
        let mut family = counter_family("1203/45877", "1990-01-01");
        family["members"][0]["first_name"] = json!("يوسف");
        family
    })
    .await;
    // Same name, born three years later: not the same person.
    let unrelated = open_case_for(&app, &counter_family("9000/3", "1973-06-01")).await;

    let list = get_json(
        &app,
        &format!("/api/applications/{by_name}/duplicates"),
        Role::Verifier,
    )
    .await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(list["open"], 1, "{list}");
    assert_eq!(items.len(), 1, "{list}");
    let pair = &items[0];
    assert_eq!(pair["reason"], "same_name_and_birth_year");
    assert_eq!(pair["member"]["reference"], by_name.as_str());
    assert_eq!(pair["member"]["first_name"], "احمد");
    assert_eq!(pair["candidate"]["reference"], imported);
    assert_eq!(pair["candidate"]["first_name"], "أحمد");
    assert_eq!(pair["candidate"]["birth_date"], "1970-03-15");

    let register = get_json(
        &app,
        &format!("/api/applications/{by_register}/duplicates"),
        Role::Verifier,
    )
    .await;
    assert_eq!(
        register["items"][0]["reason"], "same_register_number",
        "{register}"
    );
    assert_eq!(register["items"][0]["candidate"]["reference"], imported);
    let none = get_json(
        &app,
        &format!("/api/applications/{unrelated}/duplicates"),
        Role::Verifier,
    )
    .await;
    assert_eq!(none["open"], 0, "{none}");
    let case = get_json(
        &app,
        &format!("/api/applications/{by_name}"),
        Role::Verifier,
    )
    .await;
    assert_eq!(case["open_duplicates"], 1);
    let version = case["version"].as_i64().expect("version");

    // Leadership sees no person; a clerk may read but not decide.
    assert_eq!(
        duplicates(&app, &by_name, Role::Leadership).await.status(),
        StatusCode::FORBIDDEN
    );
    let flag = pair["id"].as_i64().expect("id");
    let path = format!("/api/applications/{by_name}/duplicates/{flag}");
    let decision = json!({"decision": "link", "comment": "نفس الشخص: قيد السجل القديم"});
    let clerk = post_json(&app, &path, Role::IntakeClerk, &decision).await;
    assert_eq!(clerk.status(), StatusCode::FORBIDDEN);
    let linked = post_json(&app, &path, Role::Verifier, &decision).await;
    assert_eq!(linked.status(), StatusCode::OK);
    assert_eq!(
        linked.headers()["etag"],
        format!("\"{}\"", version + 1).as_str()
    );
    let again = post_json(&app, &path, Role::Verifier, &decision).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "decided once only");
    // The count on the case (folded into the case's one query) agrees with
    // the list from every side, before and after a decision.
    for reference in [
        by_name.to_string(),
        imported.to_string(),
        by_register.to_string(),
    ] {
        let list = get_json(
            &app,
            &format!("/api/applications/{reference}/duplicates"),
            Role::Verifier,
        )
        .await;
        let case = get_json(
            &app,
            &format!("/api/applications/{reference}"),
            Role::Verifier,
        )
        .await;
        assert_eq!(case["open_duplicates"], list["open"], "{reference}: {list}");
    }
    let decided = get_json(
        &app,
        &format!("/api/applications/{by_name}"),
        Role::Verifier,
    )
    .await;
    assert_eq!(decided["open_duplicates"], 0);

    // The decision is in the case's audit chain, and the chain holds.
    let trail = get_json(
        &app,
        &format!("/api/applications/{by_name}/audit"),
        Role::Verifier,
    )
    .await;
    let last = trail
        .as_array()
        .and_then(|t| t.last())
        .expect("an event")
        .clone();
    assert_eq!(last["action"], "link_duplicate", "{last}");
    assert_eq!(last["actor"], "verifier.one");
    assert_eq!(last["payload"]["other_reference"], imported);
    assert_eq!(last["payload"]["comment"], "نفس الشخص: قيد السجل القديم");
    let verified = audit::verify(&app.engine.store).await.expect("verify");
    assert!(verified.first_broken.is_none());
    // Seen from the imported case, the pair is settled too.
    let other = get_json(
        &app,
        &format!("/api/applications/{imported}/duplicates"),
        Role::Verifier,
    )
    .await;
    let seen = other["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["candidate"]["reference"] == by_name.as_str())
        .expect("the pair from the other side")
        .clone();
    assert_eq!(seen["status"], "linked");
    assert_eq!(seen["decided_by"], "verifier.one");
    assert_eq!(
        casework::app::stats::check(&app.engine)
            .await
            .expect("check"),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_family_written_with_arabic_relationships_and_state_imports() {
    let (_db, engine) = fresh_engine().await;
    let csv = "reference,district,office,submitted_on,state,relationship,first_name,father_name,mother_name,family_name,sex,birth_date,birth_place\n\
               HSK-2011-300001,al_hasakah,hasakah_centre,2011-06-12,التدقيق,رب الأسرة,أحمد,محمد,فاطمة,الحسن,ذكر,1970-03-15,الحسكة\n\
               HSK-2011-300001,,,,,زوجة,زينب,علي,مريم,عثمان,أنثى,1975-08-01,الحسكة\n";
    let report = run(
        &engine,
        &[Source {
            name: "arabic.csv".into(),
            bytes: csv.as_bytes().to_vec(),
        }],
        false,
    )
    .await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let loaded = casework::store::cases::read_case(&engine.store, "HSK-2011-300001")
        .await
        .expect("imported");
    assert_eq!(loaded.case.state, "verification");
    let relationships: Vec<_> = loaded.case.members.iter().map(|m| m.relationship).collect();
    assert_eq!(
        relationships,
        [
            casework::domain::family::Relationship::Head,
            casework::domain::family::Relationship::Spouse
        ]
    );
}
