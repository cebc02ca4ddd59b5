//! The family form and the confirmations, as a browser sends them: dates
//! typed day, month and year in three boxes; a member added with their
//! parents' names filled in and the page back at them; an edit saved on a
//! case someone changed meanwhile; a possible duplicate decided after a
//! confirmation with a comment. In Arabic and English. On SQLite, and on
//! PostgreSQL when `CASEWORK_TEST_DATABASE_URL` is set.

use crate::common;

use casework::app::cases::{create, edit};
use casework::domain::roles::Role;
use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use serde_json::Value;

use crate::workbench::visible;
use common::actors::officer;
use common::families::family;
use common::{TestApp, spawn_app};

/// A client that does not follow redirects, so a test sees each one.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A page as `role` reads it in `lang` (`ar` or `en`).
async fn get(app: &TestApp, path: &str, role: Role, lang: &str) -> (StatusCode, String) {
    let response = browser()
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .header(COOKIE, format!("casework_lang={lang}"))
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.text().await.expect("a page"))
}

async fn post(
    app: &TestApp,
    path: &str,
    role: Role,
    lang: &str,
    form: &[(String, String)],
) -> (StatusCode, String, String) {
    let response = browser()
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .header(COOKIE, format!("casework_lang={lang}"))
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, response.text().await.expect("a page"))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// An attribute's value in a tag's text (maud quotes every value).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn flag(tag: &str, name: &str) -> bool {
    tag.split_whitespace()
        .any(|a| a.trim_end_matches('>') == name)
}

/// What a browser sends for the post form of `action` as shown (no
/// button): its inputs, ticked boxes and chosen radios, each select's
/// chosen option (else its first), its text areas.
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let open = format!("<form method=\"post\" action=\"{action}\"");
    let start = html.find(&open).expect("the form");
    let end = html[start..].find("</form>").expect("its end") + start;
    let form = &html[start..end];
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let close = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[..=close];
        if tag.starts_with("<input") {
            let kind = attribute(tag, "type").unwrap_or_default();
            if let Some(name) = attribute(tag, "name")
                && ((kind != "checkbox" && kind != "radio") || flag(tag, "checked"))
            {
                let value = attribute(tag, "value").unwrap_or_else(|| "on".into());
                fields.push((name, value));
            }
        } else if tag.starts_with("<select") {
            let name = attribute(tag, "name").unwrap_or_default();
            let body = &rest[..rest.find("</select>").expect("a select's end")];
            let options: Vec<&str> = body.split("<option").skip(1).collect();
            let chosen = options
                .iter()
                .find(|o| flag(&o[..o.find('>').unwrap_or(0)], "selected"))
                .or(options.first());
            let value = chosen
                .and_then(|o| attribute(o, "value"))
                .unwrap_or_default();
            fields.push((name, value));
        } else if tag.starts_with("<textarea") {
            let name = attribute(tag, "name").unwrap_or_default();
            let body = &rest[close + 1..rest.find("</textarea>").expect("its end")];
            fields.push((name, unescape(body)));
        }
        rest = &rest[1..];
    }
    fields
}

/// Sets `key` in a form (added if absent).
fn set(form: &mut Vec<(String, String)>, key: &str, value: &str) {
    match form.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value.to_string(),
        None => form.push((key.to_string(), value.to_string())),
    }
}

fn value_of(form: &[(String, String)], key: &str) -> Option<String> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Member `i`'s fields on a form (a male head by default).
fn fill_member(form: &mut Vec<(String, String)>, i: usize, values: &[(&str, &str)]) {
    let defaults = [
        ("first_name", "أحمد"),
        ("father_name", "محمد"),
        ("mother_name", "فاطمة حسن"),
        ("family_name", "العلي"),
        ("birth_place", "عامودا"),
        ("register_number", "1500/11"),
        ("sex", "male"),
        ("relationship", "head"),
        ("doc.register_extract", "on"),
        ("doc.photos", "on"),
        ("birth_date.day", "12"),
        ("birth_date.month", "7"),
        ("birth_date.year", "1980"),
    ];
    for (field, value) in defaults {
        let value = values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(value, |(_, v)| *v);
        set(form, &format!("members[{i}].{field}"), value);
    }
}

async fn case_json(app: &TestApp, reference: &str) -> Value {
    common::http::get(
        app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json")
}

#[tokio::test]
async fn dates_are_typed_day_month_year_in_three_boxes_and_an_impossible_one_is_refused_naming_its_field()
 {
    let app = spawn_app().await;
    let (status, html) = get(&app, "/applications/new", Role::IntakeClerk, "ar").await;
    assert_eq!(status, StatusCode::OK);
    // Never the browser's date widget, whose order follows its locale.
    assert!(!html.contains("type=\"date\""), "{html}");
    for name in [
        "submitted_on.day",
        "submitted_on.month",
        "submitted_on.year",
        "members[0].birth_date.day",
        "members[0].birth_date.month",
        "members[0].birth_date.year",
    ] {
        let at = html
            .find(&format!("name=\"{name}\""))
            .unwrap_or_else(|| panic!("a box {name}"));
        let tag = &html[html[..at].rfind('<').expect("its tag")..at + 80];
        assert!(tag.contains("inputmode=\"numeric\""), "{tag}");
    }
    // One group with its legend, each box labelled, the order hinted.
    assert!(html.contains("<legend>تاريخ الميلاد</legend>"));
    assert!(html.contains("<legend>تاريخ التقديم</legend>"));
    let text = visible(&html);
    assert!(text.contains("اليوم") && text.contains("الشهر") && text.contains("السنة"));
    // Today's date of filing is filled in, the day in the day's box.
    let today = casework::domain::calendar::local_date(Utc::now());
    let mut form = form_fields(&html, "/applications/new");
    assert_eq!(
        value_of(&form, "submitted_on.day"),
        Some(chrono::Datelike::day(&today).to_string())
    );
    set(&mut form, "office", "amuda");
    set(&mut form, "application_form", "on");
    set(&mut form, "op", "save");
    // 31 February, typed in Arabic-Indic digits.
    fill_member(
        &mut form,
        0,
        &[
            ("birth_date.day", "٣١"),
            ("birth_date.month", "٢"),
            ("birth_date.year", "٢٠١٠"),
        ],
    );
    let (status, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "ar", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = visible(&html);
    assert!(
        text.contains("الفرد 1: تاريخ الميلاد: تاريخ الميلاد يجب أن يكون تاريخاً حقيقياً"),
        "{text}"
    );
    assert!(text.contains("31/2/2010"), "{text}");
    // The error beside the group, the summary linking to the day's box,
    // and what was typed kept as typed.
    assert!(html.contains("href=\"#members-0-birth_date\""));
    assert!(html.contains("id=\"members-0-birth_date-error\""));
    assert!(html.contains("name=\"members[0].birth_date.day\" value=\"٣١\""));
    let (status, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "en", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = visible(&html);
    assert!(
        text.contains("The date of birth must be a real date: there is no 31/2/2010"),
        "{text}"
    );
    assert!(text.contains("For example, 27 3 2007"), "{text}");
    // A box left blank is named.
    set(&mut form, "members[0].birth_date.month", "");
    let (_, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "ar", &form).await;
    assert!(visible(&html).contains("تاريخ الميلاد ينقصه الشهر"));
    let (_, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "en", &form).await;
    assert!(visible(&html).contains("The date of birth must include a month"));
    // 12 July 1980 in Arabic-Indic digits: the day first, whatever the
    // browser's locale; the API reads it as an ISO date.
    set(&mut form, "members[0].birth_date.day", "١٢");
    set(&mut form, "members[0].birth_date.month", "٧");
    set(&mut form, "members[0].birth_date.year", "١٩٨٠");
    let (status, location, _) =
        post(&app, "/applications/new", Role::IntakeClerk, "ar", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let reference = location
        .trim_start_matches("/applications/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let case = case_json(&app, &reference).await;
    assert_eq!(case["members"][0]["birth_date"], "1980-07-12");
    // The edit form shows it back in its boxes, day first.
    let (_, html) = get(
        &app,
        &format!("/applications/{reference}/edit"),
        Role::IntakeClerk,
        "ar",
    )
    .await;
    let form = form_fields(&html, &format!("/applications/{reference}/edit"));
    assert_eq!(
        value_of(&form, "members[0].birth_date.day").as_deref(),
        Some("12")
    );
    assert_eq!(
        value_of(&form, "members[0].birth_date.month").as_deref(),
        Some("7")
    );
    assert_eq!(
        value_of(&form, "members[0].birth_date.year").as_deref(),
        Some("1980")
    );
}

#[tokio::test]
async fn a_member_added_comes_back_focused_with_the_parents_names_filled_in() {
    let app = spawn_app().await;
    let (_, html) = get(&app, "/applications/new", Role::IntakeClerk, "ar").await;
    // No add button sends the browser to a fragment: a fragment's target
    // stops the browser from applying autofocus.
    assert!(!html.contains("#member-"), "{html}");
    assert!(
        !html.contains("autofocus"),
        "nothing focused on a fresh form"
    );
    let mut form = form_fields(&html, "/applications/new");
    set(&mut form, "office", "amuda");
    fill_member(&mut form, 0, &[]);
    set(&mut form, "op", "add:spouse");
    let (status, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "ar", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<fieldset class=\"member\" id=\"member-1\""));
    assert!(
        html.contains("id=\"members-1-first_name\" name=\"members[1].first_name\" value=\"\" autocomplete=\"off\" autofocus"),
        "{html}"
    );
    assert_eq!(html.matches("autofocus").count(), 1);
    let mut form = form_fields(&html, "/applications/new");
    // A spouse: of the other sex from the head; their parents are others.
    assert_eq!(
        value_of(&form, "members[1].relationship").as_deref(),
        Some("spouse")
    );
    assert_eq!(value_of(&form, "members[1].sex").as_deref(), Some("female"));
    assert_eq!(
        value_of(&form, "members[1].father_name").as_deref(),
        Some("")
    );
    assert_eq!(
        value_of(&form, "members[0].first_name").as_deref(),
        Some("أحمد")
    );
    set(&mut form, "members[1].first_name", "عائشة");
    set(&mut form, "members[1].family_name", "الحسن");
    set(&mut form, "op", "add:son");
    // Three sons at once, in Arabic-Indic digits: the first is focused.
    set(&mut form, "add_count", "٣");
    let (_, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "en", &form).await;
    assert!(html.contains("id=\"members-2-first_name\" name=\"members[2].first_name\" value=\"\" autocomplete=\"off\" autofocus"));
    assert!(html.contains("id=\"member-4\""), "three sons added");
    assert!(!html.contains("id=\"member-5\""), "and no more");
    let text = visible(&html);
    assert!(
        text.contains("Add a son") && text.contains("Add a daughter"),
        "{text}"
    );
    let form = form_fields(&html, "/applications/new");
    // A son of the head and the spouse: his father the man of the two,
    // his family name the father's, his mother the woman by her full name.
    for (field, expected) in [
        ("relationship", "son"),
        ("sex", "male"),
        ("father_name", "أحمد"),
        ("family_name", "العلي"),
        ("mother_name", "عائشة الحسن"),
    ] {
        assert_eq!(
            value_of(&form, &format!("members[2].{field}")).as_deref(),
            Some(expected),
            "{field}"
        );
    }
    // The plain "another member" adds one (the box is back at one), empty.
    let mut form = form;
    set(&mut form, "op", "add");
    let (_, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "ar", &form).await;
    let form = form_fields(&html, "/applications/new");
    assert!(!html.contains("id=\"member-6\""), "one member added");
    assert_eq!(
        value_of(&form, "members[5].father_name").as_deref(),
        Some("")
    );
    assert_eq!(
        value_of(&form, "members[5].relationship").as_deref(),
        Some("")
    );
    assert!(visible(&html).contains("أضف ابنة"));
}

#[tokio::test]
async fn an_edit_on_a_case_changed_meanwhile_says_who_changed_what_and_keeps_the_officer_s_typing()
{
    let app = spawn_app().await;
    let opened = create(
        &app.engine,
        &family().draft(),
        &officer("clerk.one", Role::IntakeClerk),
        Utc::now(),
    )
    .await
    .expect("the family opens");
    let reference = opened.reference;
    let path = format!("/applications/{reference}/edit");
    let (status, html) = get(&app, &path, Role::IntakeClerk, "ar").await;
    assert_eq!(status, StatusCode::OK);
    let mut form = form_fields(&html, &path);
    let opened_at = value_of(&form, "version").expect("a version");
    // Meanwhile another clerk renames the spouse and corrects where the
    // head was born.
    let mut theirs = family().draft();
    theirs.members[1].first_name = "خديجة".into();
    theirs.members[0].birth_place = "عامودا".into();
    edit(
        &app.engine,
        &reference,
        &theirs,
        &officer("clerk.two", Role::IntakeClerk),
        None,
        Utc::now(),
    )
    .await
    .expect("the other clerk saves");
    // The officer renames the spouse too, and the head's father.
    set(&mut form, "members[1].first_name", "زينب");
    set(&mut form, "members[0].father_name", "حسين");
    set(&mut form, "op", "save");
    let (status, _, html) = post(&app, &path, Role::IntakeClerk, "ar", &form).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    let text = visible(&html);
    assert!(
        text.contains("تغيّرت بيانات هذا الطلب بعد أن فتحتَ النموذج"),
        "{text}"
    );
    assert!(text.contains("clerk.two"), "who changed it: {text}");
    assert!(!text.contains("النسخة"), "no version numbers: {text}");
    assert!(
        text.contains("الفرد 1: مكان الولادة: القامشلي → عامودا"),
        "what changed: {text}"
    );
    assert!(
        text.contains("حقول غيّرتَها أنت وغيّرها غيرك: اختر القيمة التي تبقى"),
        "{text}"
    );
    assert!(text.contains("الفرد 2: الاسم"), "{text}");
    assert!(
        text.contains("قيمتك: زينب") && text.contains("القيمة الحالية: خديجة"),
        "{text}"
    );
    // The form is the officer's typing on top of the case as it is now.
    let mut merged = form_fields(&html, &path);
    assert_ne!(value_of(&merged, "version"), Some(opened_at));
    assert_eq!(
        value_of(&merged, "members[0].father_name").as_deref(),
        Some("حسين")
    );
    assert_eq!(
        value_of(&merged, "members[0].birth_place").as_deref(),
        Some("عامودا")
    );
    assert_eq!(
        value_of(&merged, "members[1].first_name").as_deref(),
        Some("زينب")
    );
    assert_eq!(
        value_of(&merged, "theirs.members[1].first_name").as_deref(),
        Some("خديجة")
    );
    // In English too.
    let (status, _, html) = post(&app, &path, Role::IntakeClerk, "en", &form).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let text = visible(&html);
    assert!(
        text.contains("This case was changed after you opened the form"),
        "{text}"
    );
    assert!(
        text.contains("Your value: زينب") && text.contains("The value now: خديجة"),
        "{text}"
    );
    // Saving without choosing is refused beside the choice.
    set(&mut merged, "op", "save");
    let (status, _, html) = post(&app, &path, Role::IntakeClerk, "ar", &merged).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(visible(&html).contains("اختر إحدى القيمتين"));
    // The value now chosen: saved on top of the other clerk's change.
    set(&mut merged, "take.members[1].first_name", "theirs");
    let (status, _, html) = post(&app, &path, Role::IntakeClerk, "ar", &merged).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let case = case_json(&app, &reference).await;
    assert_eq!(case["members"][1]["first_name"], "خديجة");
    assert_eq!(case["members"][0]["father_name"], "حسين");
    assert_eq!(case["members"][0]["birth_place"], "عامودا");
    assert_eq!(case["members"].as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn a_possible_duplicate_is_decided_after_a_confirmation_with_a_comment_kept_in_the_history() {
    let app = spawn_app().await;
    let clerk = officer("clerk.one", Role::IntakeClerk);
    create(&app.engine, &family().draft(), &clerk, Utc::now())
        .await
        .expect("the family opens");
    let second = create(&app.engine, &family().draft(), &clerk, Utc::now())
        .await
        .expect("the family opens");
    let reference = second.reference;
    let case_path = format!("/applications/{reference}");
    let (_, html) = get(&app, &case_path, Role::Verifier, "ar").await;
    // The case page's buttons open the confirmation: they decide nothing.
    let open = format!("<form method=\"get\" action=\"/applications/{reference}/duplicates/");
    let at = html.find(&open).expect("a decision's form") + open.len();
    let flag: String = html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(html.contains("value=\"dismiss\"") && html.contains("value=\"link\""));
    let path = format!("/applications/{reference}/duplicates/{flag}");
    let (status, html) = get(
        &app,
        &format!("{path}?decision=dismiss"),
        Role::Verifier,
        "ar",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = visible(&html);
    assert!(
        text.contains("أنت على وشك أن تقرر أنهما شخصان مختلفان"),
        "{text}"
    );
    assert!(
        text.contains("أحمد") && text.contains("أؤكد: شخصان مختلفان"),
        "{text}"
    );
    assert!(text.contains("إلغاء، والعودة إلى الطلب"));
    assert_eq!(
        flag_status(&app, &reference, &flag).await,
        "open",
        "opening it decides nothing"
    );
    let (_, html) = get(&app, &format!("{path}?decision=link"), Role::Verifier, "en").await;
    let text = visible(&html);
    assert!(text.contains("Confirm: the same person"), "{text}");
    assert!(text.contains("Why you decide so (required; kept in the case's history)"));
    // A comment is required.
    let mut form = form_fields(&html, &path);
    assert_eq!(value_of(&form, "decision").as_deref(), Some("link"));
    set(&mut form, "decision", "dismiss");
    let (status, _, html) = post(&app, &path, Role::Verifier, "ar", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        visible(&html).contains("اكتب سبب القرار"),
        "{}",
        visible(&html)
    );
    assert_eq!(flag_status(&app, &reference, &flag).await, "open");
    let (_, _, html) = post(&app, &path, Role::Verifier, "en", &form).await;
    assert!(visible(&html).contains("write why you decide so"));
    // Another flag of the case decided meanwhile (the case moves on): the
    // confirmation again, of the case as it is now, the comment kept.
    let comment = "العائلتان طلب واحد قُدّم مرتين، والأشخاص مختلفون في السجل";
    set(&mut form, "comment", comment);
    let body: Value = common::http::get(
        &app,
        &format!("/api/applications/{reference}/duplicates"),
        Role::Verifier,
    )
    .await
    .json()
    .await
    .expect("json");
    let other = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .find(|id| id.to_string() != flag)
        .expect("another flag");
    let decided = common::http::post_json(
        &app,
        &format!("/api/applications/{reference}/duplicates/{other}"),
        Role::Supervisor,
        &serde_json::json!({"decision": "dismiss"}),
    )
    .await;
    assert!(decided.status().is_success(), "{}", decided.status());
    let (status, _, html) = post(&app, &path, Role::Verifier, "ar", &form).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let text = visible(&html);
    assert!(text.contains("تغيّر الطلب في أثناء عملك"), "{text}");
    assert_eq!(flag_status(&app, &reference, &flag).await, "open");
    let again = form_fields(&html, &path);
    assert_eq!(value_of(&again, "comment").as_deref(), Some(comment));
    assert_ne!(value_of(&again, "version"), value_of(&form, "version"));
    let form = again;
    // With it, at the version shown: decided, announced, audited with the
    // comment, in the history.
    let (status, location, _) = post(&app, &path, Role::Verifier, "ar", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.contains("done=dismiss_duplicate"), "{location}");
    assert_eq!(flag_status(&app, &reference, &flag).await, "dismissed");
    let (_, html) = get(&app, &case_path, Role::Verifier, "ar").await;
    assert!(
        visible(&html).contains("العائلتان طلب واحد قُدّم مرتين"),
        "the comment in the history"
    );
    // Decided: the confirmation offers nothing more.
    let (_, html) = get(
        &app,
        &format!("{path}?decision=dismiss"),
        Role::Verifier,
        "ar",
    )
    .await;
    assert!(visible(&html).contains("سبق البت في هذا التشابه"));
    assert!(!html.contains("name=\"comment\""));
    // Who does not decide is refused the confirmation.
    let (status, _) = get(
        &app,
        &format!("{path}?decision=dismiss"),
        Role::IntakeClerk,
        "ar",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// A possible duplicate's status as the API tells it.
async fn flag_status(app: &TestApp, reference: &str, flag: &str) -> String {
    let path = format!("/api/applications/{reference}/duplicates");
    let body: Value = common::http::get(app, &path, Role::Verifier)
        .await
        .json()
        .await
        .expect("json");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["id"].as_i64().map(|id| id.to_string()).as_deref() == Some(flag))
        .expect("the flag")["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn an_office_not_chosen_is_one_error_in_words_without_the_districts_codes() {
    let app = spawn_app().await;
    let (_, html) = get(&app, "/applications/new", Role::IntakeClerk, "ar").await;
    let mut form = form_fields(&html, "/applications/new");
    set(&mut form, "office", "");
    fill_member(&mut form, 0, &[]);
    set(&mut form, "op", "save");
    let (status, _, html) = post(&app, "/applications/new", Role::IntakeClerk, "ar", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = visible(&html);
    assert!(text.contains("اختر المكتب الذي قُدّم فيه الطلب"), "{text}");
    for code in ["al_hasakah", "al_qamishli", "hasakah_centre"] {
        assert!(
            !html.contains(&format!(">{code}")) && !text.contains(code),
            "{code}: {text}"
        );
    }
}
