//! Kurdish names are found however they were written: with the Kurdish
//! letters of the Arabic script in one record and the Arabic letters a
//! clerk types for them in another; and names stored under an older
//! folding are refolded once, resumably, revealing the duplicates the new
//! forms show. On SQLite, and on PostgreSQL when
//! `CASEWORK_TEST_DATABASE_URL` is set.

use crate::common;

use casework::app::cases::create;
use casework::app::system::refold_names;
use casework::domain::names::FOLDING_VERSION;
use casework::domain::roles::Role;
use serde_json::Value;

use common::actors::officer;
use common::families::Family;
use common::http::get;
use common::time::utc;
use common::{TestApp, spawn_app, sql};

/// Opens a family whose head is `first` `father` `family`, with register
/// entry `entry`, at intake; returns its reference.
async fn open(app: &TestApp, first: &str, father: &str, family: &str, entry: &str) -> String {
    let draft = Family::empty()
        .head(first, (1980, 4, 2), entry)
        .surnamed(father, family)
        .draft();
    create(
        &app.engine,
        &draft,
        &officer("clerk.kurdish", Role::IntakeClerk),
        utc(2026, 3, 1, 9, 0),
    )
    .await
    .expect("the family opens")
    .reference
}

/// The references a supervisor's name search finds.
async fn found(app: &TestApp, typed: &str) -> Vec<String> {
    let body: Value = get(
        app,
        &format!("/api/applications?name={typed}&limit=100"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("a list");
    let mut references: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["reference"].as_str().expect("a reference").to_string())
        .collect();
    references.sort();
    references
}

#[tokio::test]
async fn a_kurdish_name_is_found_however_it_was_written() {
    let app = spawn_app().await;
    let kurdish = open(&app, "ڤیان", "چیا", "گولی", "1300/1").await;
    let arabic = open(&app, "فيان", "جيا", "كولي", "1300/2").await;
    let other = open(&app, "محمود", "حسين", "پیرۆز", "1300/3").await;
    let both = {
        let mut both = vec![kurdish.clone(), arabic.clone()];
        both.sort();
        both
    };
    // Each spelling finds both records, typed either way.
    for typed in [
        "فيان",
        "ڤیان",
        "جيا",
        "چیا",
        "كولي",
        "گولی",
        "فيان كولي",
        "گولی ڤیان جيا",
    ] {
        assert_eq!(found(&app, typed).await, both, "searching for {typed}");
    }
    // Kurdish letters in a family name, typed in Arabic letters.
    assert_eq!(found(&app, "بيروز").await, vec![other.clone()]);
    // Distinct names stay distinct: محمد is not محمود, حسن is not حسين.
    assert!(found(&app, "محمد").await.is_empty());
    assert!(found(&app, "حسن").await.is_empty());
    assert_eq!(found(&app, "محمود حسين").await, vec![other]);
}

/// The stored search forms of the members of `reference`, first name first.
async fn stored_forms(app: &TestApp, reference: &str) -> Vec<Vec<Option<String>>> {
    sql::rows(
        app.db_url(),
        &format!(
            "SELECT m.name_first, m.name_father, m.name_family FROM members m \
             JOIN applications a ON a.id = m.application_id \
             WHERE a.reference = '{reference}' ORDER BY m.ordinal"
        ),
    )
    .await
}

/// Puts the stored forms back as folding version 1 made them (it left the
/// Kurdish letters as they were) and the folding state back to version 1.
async fn store_as_version_one(app: &TestApp) {
    sql::execute(
        app.db_url(),
        "UPDATE members SET name_first = first_name, name_father = father_name, \
         name_family = family_name",
    )
    .await;
    sql::execute(
        app.db_url(),
        "UPDATE name_folding SET version = 1, after_member = 0",
    )
    .await;
}

#[tokio::test]
async fn names_stored_under_the_old_folding_are_refolded_once_and_their_duplicates_flagged() {
    let app = spawn_app().await;
    // Two records of one person, one in Kurdish letters: a possible
    // duplicate (same name parts, same birth year) only once they fold alike.
    let kurdish = open(&app, "ڤيان", "چيا", "گولي", "1400/1").await;
    let arabic = open(&app, "فيان", "جيا", "كولي", "1400/2").await;
    let flags = "SELECT COUNT(*) FROM duplicate_flags WHERE reason = 'same_name_and_birth_year'";
    assert!(
        sql::count(app.db_url(), flags).await > 0,
        "flagged at intake"
    );
    sql::execute(app.db_url(), "DELETE FROM duplicate_flags").await;
    store_as_version_one(&app).await;
    assert_eq!(
        found(&app, "فيان").await,
        vec![arabic.clone()],
        "before the refold"
    );

    let refold = refold_names(&app.engine.store, utc(2026, 12, 4, 9, 0), |_| {})
        .await
        .expect("the refold runs");
    assert_eq!(refold.members_read, 2);
    assert_eq!(
        refold.members_changed, 1,
        "only the Kurdish spelling changes"
    );
    assert!(refold.duplicates_flagged > 0, "{refold:?}");
    assert!(sql::count(app.db_url(), flags).await > 0);
    assert_eq!(
        stored_forms(&app, &kurdish).await,
        vec![vec![
            Some("فيان".to_string()),
            Some("جيا".to_string()),
            Some("كولي".to_string())
        ]]
    );
    let mut both = vec![kurdish.clone(), arabic.clone()];
    both.sort();
    assert_eq!(found(&app, "فيان").await, both, "after the refold");
    assert_eq!(
        sql::rows(
            app.db_url(),
            "SELECT CAST(version AS TEXT), CAST(after_member AS TEXT) FROM name_folding"
        )
        .await,
        vec![vec![
            Some(FOLDING_VERSION.to_string()),
            Some("0".to_string())
        ]]
    );
    // A pair a verifier dismissed stays dismissed when a later refold
    // looks at it again, from either side.
    sql::execute(
        app.db_url(),
        "UPDATE duplicate_flags SET status = 'dismissed'",
    )
    .await;
    store_as_version_one(&app).await;
    let later = refold_names(&app.engine.store, utc(2026, 12, 4, 9, 1), |_| {})
        .await
        .expect("the refold runs");
    assert_eq!(later.members_changed, 1);
    assert_eq!(later.duplicates_flagged, 0, "{later:?}");
    assert_eq!(
        sql::count(
            app.db_url(),
            "SELECT COUNT(*) FROM duplicate_flags WHERE status = 'open'"
        )
        .await,
        0
    );
    // Once current, a start reads no member at all.
    let again = refold_names(&app.engine.store, utc(2026, 12, 4, 9, 5), |_| {})
        .await
        .expect("the refold runs");
    assert_eq!(again.members_read, 0);
}

#[tokio::test]
async fn a_refold_cut_short_goes_on_after_the_last_member_it_recorded() {
    let app = spawn_app().await;
    let first = open(&app, "ڤيان", "چيا", "گولي", "1500/1").await;
    let second = open(&app, "ژيان", "دڵشاد", "ڕۆژ", "1500/2").await;
    store_as_version_one(&app).await;
    // As if a refold had recorded the first family's member and was killed.
    let first_member = sql::count(
        app.db_url(),
        &format!(
            "SELECT m.id FROM members m JOIN applications a ON a.id = m.application_id \
             WHERE a.reference = '{first}'"
        ),
    )
    .await;
    sql::execute(
        app.db_url(),
        &format!("UPDATE name_folding SET after_member = {first_member}"),
    )
    .await;
    let refold = refold_names(&app.engine.store, utc(2026, 12, 4, 9, 0), |_| {})
        .await
        .expect("the refold runs");
    assert_eq!(
        refold.members_read, 1,
        "it starts after the recorded member"
    );
    assert_eq!(
        stored_forms(&app, &second).await,
        vec![vec![
            Some("زيان".to_string()),
            Some("دلشاد".to_string()),
            Some("روز".to_string())
        ]]
    );
    // The member before the mark was not read again.
    assert_eq!(
        stored_forms(&app, &first).await,
        vec![vec![
            Some("ڤيان".to_string()),
            Some("چيا".to_string()),
            Some("گولي".to_string())
        ]]
    );
}
