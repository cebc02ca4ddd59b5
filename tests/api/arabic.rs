//! Arabic messages are wholly Arabic: no field name, code, route, command
//! or English word inside an Arabic sentence. What is not the sentence's
//! own words — a case's number, a user name, a code the reader types, a
//! file type — is a reference, and a reference sits inside a bidi isolate
//! (U+2066 LRI, U+2067 RLI or U+2068 FSI … U+2069 PDI; `<bdi>` on a page),
//! where it keeps its own script and direction. Latin letters anywhere
//! else in an Arabic message fail the test, which names the message.
//!
//! What is scanned:
//! - every Arabic string literal of the two catalogues
//!   (`src/domain/words/`, `src/http/pages/words/`), placeholders left
//!   out: a literal is Arabic when it has more Arabic letters than Latin
//!   ones (the English twin of an Arabic example, "For example: محمد",
//!   is English);
//! - the catalogue's sentences with values, rendered with representative
//!   arguments (user names, references, codes, field names as an API
//!   client sends them), through the refusals that carry them where there
//!   are some;
//! - the problem+json bodies (title, detail, each error's message) of a
//!   set of bad API requests sent with `Accept-Language: ar`.
//!
//! The command line's own messages (`words::cli`) are scanned as literals
//! only: they are printed to an operator's terminal, not by the server.

use std::path::Path;

use casework::domain::identifiers::NationalNumber;
use casework::domain::language::{Locale, Text};
use casework::domain::roles::Role;
use casework::domain::words::{cases, fields, import, portal, problems, refusals, statistics};
use casework::http::pages::words as page_words;
use casework::workflow::Refusal;
use casework::workflow::fields::FieldKind;
use casework::workflow::refusal::{Named, Separation};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::cases::family_in_verification;
use crate::common::{TestApp, spawn_app};

/// The Latin word of `text` that stands outside every isolate, if any.
fn latin_outside_isolates(text: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut bdi = 0usize;
    let mut word = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if rest.starts_with("<bdi") {
                bdi += 1;
            } else if rest.starts_with("</bdi>") {
                bdi = bdi.saturating_sub(1);
            }
            // A tag is markup, not words.
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            rest = &rest[end..];
            if !word.is_empty() {
                return Some(word);
            }
            continue;
        }
        match c {
            '\u{2066}' | '\u{2067}' | '\u{2068}' => depth += 1,
            '\u{2069}' => depth = depth.saturating_sub(1),
            c if c.is_ascii_alphabetic() && depth == 0 && bdi == 0 => word.push(c),
            _ if !word.is_empty() => return Some(word),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    (!word.is_empty()).then_some(word)
}

fn arabic_letters(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{0621}'..='\u{064A}').contains(c))
        .count()
}

/// The failures of the Arabic `messages`, each named by `what`.
fn check_all(messages: &[(String, String)]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|(what, text)| {
            latin_outside_isolates(text).map(|word| format!("{what}: '{word}' in «{text}»"))
        })
        .collect()
}

#[test]
fn the_check_finds_latin_outside_isolates_and_only_there() {
    let check = |text: &str, expected: Option<&str>| {
        assert_eq!(latin_outside_isolates(text).as_deref(), expected, "{text}")
    };
    check("لا يوجد طلب برقم \u{2068}HSK-2026-000001\u{2069}", None);
    check("لا يوجد application HSK", Some("application"));
    check("في عهدة \u{2066}verifier.one\u{2069}: لا", None);
    check("الحقل national_number", Some("national"));
    check("في عهدة <bdi>verifier.one</bdi> الآن", None);
    check("قيمة \u{2068}a \u{2068}b\u{2069} c\u{2069} d", Some("d"));
    check("٣ طلبات", None);
}

/// A Rust source's string literals, with the line each starts on, its
/// escapes read (`\u{2068}`, `\"`, `\n`), outside comments.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let mut literals = Vec::new();
    let chars: Vec<char> = source.chars().collect();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        match chars[i] {
            '\n' => line += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\'' if chars.get(i + 2) == Some(&'\'') => i += 2,
            '\'' if chars.get(i + 1) == Some(&'\\') && chars.get(i + 3) == Some(&'\'') => i += 3,
            '"' => {
                let start = line;
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    if chars[i] == '\\' {
                        i += 1;
                        match chars.get(i) {
                            Some('u') => {
                                let hex: String =
                                    chars[i + 2..].iter().take_while(|c| **c != '}').collect();
                                if let Some(c) =
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                                {
                                    text.push(c);
                                }
                                i += 2 + hex.len();
                            }
                            Some('n') => text.push('\n'),
                            Some('\n') => {
                                line += 1;
                                while chars.get(i + 1).is_some_and(|c| c.is_whitespace()) {
                                    i += 1;
                                    if chars[i] == '\n' {
                                        line += 1;
                                    }
                                }
                            }
                            Some(c) => text.push(*c),
                            None => {}
                        }
                    } else {
                        text.push(chars[i]);
                    }
                    i += 1;
                }
                literals.push((start, text));
            }
            _ => {}
        }
        i += 1;
    }
    literals
}

/// A format string's literal words: its placeholders (`{name}`, `{}`,
/// `{:+}`) left out.
fn without_placeholders(text: &str) -> String {
    let text = text
        .replace("{LRI}", "\u{2066}")
        .replace("{FSI}", "\u{2068}")
        .replace("{PDI}", "\u{2069}");
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            '{' => inside = true,
            '}' if inside => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn no_arabic_literal_of_the_catalogues_holds_latin_outside_an_isolate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut messages = Vec::new();
    for dir in ["src/domain/words", "src/http/pages/words"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("the catalogue")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{dir}");
        for file in files {
            let source = std::fs::read_to_string(&file).expect("a catalogue file");
            let source = source.split("#[cfg(test)]").next().unwrap_or_default();
            for (line, literal) in string_literals(source) {
                let words = without_placeholders(&literal);
                let latin = words.chars().filter(char::is_ascii_alphabetic).count();
                if arabic_letters(&words) > latin {
                    let name = file.strip_prefix(root).unwrap_or(&file).display();
                    messages.push((format!("{name}:{line}"), words));
                }
            }
        }
    }
    assert!(
        messages.len() > 300,
        "only {} literals read",
        messages.len()
    );
    let failures = check_all(&messages);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn labels(ar: &str, en: &str) -> Text {
    Text::new(ar, en)
}

/// The catalogue's sentences with values, each with arguments such as
/// the server gives them.
fn rendered() -> Vec<(String, Text)> {
    let reference = "HSK-2026-000123";
    let user = "verifier.one";
    let state = labels("قيد التدقيق", "Verification");
    let action = labels("تدقيق الفرد", "Verify the member");
    let named_state = Named::labelled("verification", &state);
    let roles =
        casework::domain::words::list_said(&[Named::role(Role::Verifier).label.as_ref().clone()]);
    let separation = Separation {
        actor: user.into(),
        rule: Named::labelled("one_stage", &labels("مرحلة واحدة", "One stage")),
        action: Named::labelled("approve", &labels("الموافقة", "Approve")),
        duty: Named::labelled("decision", &labels("القرار", "Decision")),
        earlier_action: Named::labelled("verify_member", &action),
        earlier_duty: Named::labelled("verification", &state),
    };
    let mut said: Vec<(String, Text)> = Vec::new();
    let mut say = |what: &str, text: Text| said.push((what.to_string(), text));
    // Refusals, as the engine and the use cases make them.
    let refusals_made = [
        Refusal::UnknownAction {
            action: "approve_all".into(),
        },
        Refusal::MissingField {
            field: "national_number".into(),
        },
        Refusal::MissingField {
            field: "reason".into(),
        },
        Refusal::InvalidField {
            field: "national_number".into(),
            reason: FieldKind::NationalNumber
                .check("12345")
                .expect_err("five digits"),
        },
        Refusal::UnexpectedField {
            field: "colour".into(),
        },
        Refusal::HeldByAnother {
            holder: format!("سمير الأحمد ({user})"),
        },
        Refusal::HeldByAnother {
            holder: user.into(),
        },
        Refusal::NotWorkedBy {
            officer: "registrar.one".into(),
            state: named_state.clone(),
            roles: vec![Named::role(Role::Verifier)],
        },
        Refusal::SeparationOfDuties(Box::new(separation.clone())),
        Refusal::RoleNotAllowed {
            action: Named::labelled("approve", &action),
            roles: vec![Named::role(Role::Approver), Named::role(Role::Supervisor)],
        },
        Refusal::OutsideDistrict {
            district: Named::labelled("al_qamishli", &labels("القامشلي", "Qamishli")),
        },
        Refusal::GuardFailed {
            guard: "members_valid".into(),
            reasons: vec![refusals::field_problem(
                "members[2].birth_date",
                &fields::birth_date_in_future("2030-05-01"),
            )],
        },
    ];
    for refusal in &refusals_made {
        say(refusal.code(), refusal.text());
    }
    for (kind, bad) in [
        (FieldKind::Reason, "ab"),
        (FieldKind::Reason, "a\u{0007}bc"),
        (FieldKind::NationalNumber, "0123456789a"),
        (FieldKind::CardNumber, "x"),
        (FieldKind::CollectorDocument, "id"),
        (FieldKind::RegisterNumber, "12"),
    ] {
        say(kind.as_str(), kind.check(bad).expect_err("refused"));
    }
    say(
        "national number",
        NationalNumber::parse("12").expect_err("short").said(),
    );
    say(
        "not_worked_by",
        refusals::not_worked_by(user, &state, &roles),
    );
    // Problems.
    say("no_case", problems::no_case(reference));
    say("no_member", problems::no_member(7, reference));
    say(
        "no_scan",
        problems::no_scan(&labels("صورة", "photo"), Some(2), reference),
    );
    say(
        "no_scan",
        problems::no_scan(&labels("صورة", "photo"), None, reference),
    );
    say(
        "no_document",
        problems::no_document("family/passport", reference),
    );
    say("no_active_user", problems::no_active_user(user));
    say(
        "no_workflow",
        problems::no_workflow("naturalization-family"),
    );
    say(
        "no_workflow_version",
        problems::no_workflow_version("naturalization-family", "9"),
    );
    say("no_migration_map", problems::no_migration_map("v1", "v2"));
    say(
        "no_possible_duplicate",
        problems::no_possible_duplicate(4, reference),
    );
    say("no_target", problems::no_target("closed_by_june"));
    say("no_agency", problems::no_agency("interior"));
    say("no_active_agency", problems::no_active_agency("interior"));
    say(
        "no_active_key",
        problems::no_active_key("ag_1234567", "interior"),
    );
    say("no_failed_mail", problems::no_failed_mail(3));
    say("user_exists", problems::user_exists(user));
    say("agency_exists", problems::agency_exists("interior"));
    say(
        "national_number_taken",
        problems::national_number_taken(&["10234567891", "10234567892"]),
    );
    say(
        "national_number_taken",
        problems::national_number_taken(&["10234567891"]),
    );
    say("already_stored", problems::already_stored("users_name_key"));
    say(
        "json_does_not_fit",
        problems::json_does_not_fit("missing field `action` at line 1 column 2"),
    );
    say(
        "malformed_json",
        problems::malformed_json("expected value at line 1"),
    );
    say("unreadable_body", problems::unreadable_body("stream error"));
    say(
        "invalid_query",
        problems::invalid_query("unknown variant `x`"),
    );
    say("invalid_path", problems::invalid_path("invalid utf-8"));
    say("limit_between", problems::limit_between(200));
    say("rate_limited", problems::rate_limited(30));
    say("stale_version", problems::stale_version(1, 2));
    // The use cases' and the places' sentences.
    say(
        "no_such_workflow",
        cases::no_such_workflow("family", &["naturalization-family".to_string()]),
    );
    say(
        "no_move_between_districts",
        cases::no_move_between_districts("al_qamishli"),
    );
    say(
        "not_linked",
        cases::not_linked(reference, "HSK-2026-000124"),
    );
    say("already_joined", cases::already_joined(reference, 3));
    say(
        "not_yet_registered",
        cases::not_yet_registered(reference, &state),
    );
    say("not_a_family_case", cases::not_a_family_case(reference));
    say("listed_twice", fields::listed_twice("10234567891", 1));
    say("reference_prefix", fields::reference_prefix("hs1"));
    say("control_character", fields::control_character("U+0007"));
    say("invisible_character", fields::invisible_character("U+200F"));
    say(
        "not_allowed_in_latin_name",
        fields::not_allowed_in_latin_name("ب"),
    );
    say(
        "office_of_another_district",
        fields::office_of_another_district(
            "amuda",
            &labels("القامشلي", "Qamishli"),
            "al_qamishli",
            "al_hasakah",
            &labels("الحسكة", "Hasakah"),
        ),
    );
    say(
        "unknown_code",
        fields::unknown_code(
            "al_hasaka",
            fields::DISTRICT,
            Some("al_hasakah"),
            &labels("al_hasakah، al_qamishli", "al_hasakah, al_qamishli"),
        ),
    );
    say(
        "office_needs_a_district",
        fields::office_needs_a_district("amuda", &labels("عامودا", "Amuda")),
    );
    say("field_named", fields::field_named("colour"));
    say(
        "birth_date_in_future",
        fields::birth_date_in_future("2030-05-01"),
    );
    // Imports (the backlog is imported over the API too).
    say("not_csv", import::not_csv("CSV error: record 3"));
    say(
        "reference_reused",
        import::reference_reused("F-12", "backlog.csv", 4),
    );
    say(
        "differs_in_family",
        import::differs_in_family("al_qamishli", 3, "al_hasakah"),
    );
    say(
        "not_importable",
        import::not_importable("registration", "registration", &state, &labels("", "")),
    );
    say(
        "not_a_document_kind",
        import::not_a_document_kind("passport"),
    );
    say(
        "not_a_relationship",
        import::not_a_relationship("cousin", &labels("رب الأسرة", "head")),
    );
    say("no_such_member", import::no_such_member(reference, "7"));
    say(
        "no_such_application",
        import::no_such_application(reference),
    );
    say("page_damaged", import::page_damaged(2, "bad huffman code"));
    say(
        "page_unsupported",
        import::page_unsupported(2, "interlaced"),
    );
    say("before_submission", import::before_submission("2030-05-01"));
    // The portal and the statistics.
    say(
        "scope_not_granted",
        portal::scope_not_granted("family-record"),
    );
    say(
        "role_works_no_stage",
        statistics::role_works_no_stage(
            "leadership",
            &labels("المدقق", "verifier"),
            &labels("verifier", "verifier"),
        ),
    );
    say("one_of", statistics::one_of(&["served", "refused"]));
    say("forecast_method", statistics::forecast_method(500, 12));
    say("backtest", statistics::backtest(3, 5, 60));
    // The pages' own.
    say(
        "not_a_version_number",
        page_words::not_a_version_number("v2"),
    );
    say(
        "form_not_understood",
        page_words::form_not_understood("missing field `csrf_token`"),
    );
    say(
        "invalid_form",
        page_words::invalid_form("multipart boundary"),
    );
    say(
        "barred_by_separation",
        page_words::case::barred_by_separation(&separation),
    );
    let locale = Locale::ARABIC_WESTERN;
    say(
        "assigned_to",
        Text::new(page_words::team::assigned_to(locale, 3, user), ""),
    );
    said
}

#[test]
fn no_rendered_arabic_message_holds_latin_outside_an_isolate() {
    let messages: Vec<(String, String)> = rendered()
        .into_iter()
        .map(|(what, text)| (what, text.ar))
        .collect();
    assert!(messages.len() > 80, "{}", messages.len());
    let failures = check_all(&messages);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Arabic words of a problem+json body: its title, its detail and
/// each error's message (a field's path and the code are the client's).
fn problem_words(what: &str, body: &Value) -> Vec<(String, String)> {
    let mut words = vec![
        (
            format!("{what} title"),
            body["title"].as_str().unwrap_or_default().to_string(),
        ),
        (
            format!("{what} detail"),
            body["detail"].as_str().unwrap_or_default().to_string(),
        ),
    ];
    for error in body["errors"].as_array().into_iter().flatten() {
        words.push((
            format!("{what} {}", error["field"].as_str().unwrap_or_default()),
            error["message"].as_str().unwrap_or_default().to_string(),
        ));
    }
    words
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("accept-language", "ar");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// A bad request: what it is, its method, path, token, body and headers.
type BadRequest<'a> = (
    &'a str,
    reqwest::Method,
    String,
    Option<&'a str>,
    Option<Value>,
    Vec<(&'a str, &'a str)>,
);

#[tokio::test]
async fn bad_api_requests_are_answered_wholly_in_arabic() {
    use reqwest::Method;
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let verifier = app.token(Role::Verifier).to_string();
    let supervisor = app.token(Role::Supervisor).to_string();
    let transitions = format!("/api/applications/{reference}/transitions");
    // verifier.one holds the case from here on.
    let (status, _) = send(
        &app,
        Method::POST,
        &transitions,
        Some(&verifier),
        Some(json!({ "action": "verify_member", "member": 1 })),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let cases: Vec<BadRequest> = vec![
        (
            "absent case",
            Method::GET,
            "/api/applications/HSK-2026-999999".into(),
            Some(&verifier),
            None,
            vec![],
        ),
        (
            "no such path",
            Method::GET,
            "/api/nowhere".into(),
            Some(&verifier),
            None,
            vec![],
        ),
        (
            "no token",
            Method::GET,
            "/api/queue".into(),
            None,
            None,
            vec![],
        ),
        (
            "missing reason",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "return_to_applicant" })),
            vec![],
        ),
        (
            "short reason",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "return_to_applicant", "fields": { "reason": "ab" } })),
            vec![],
        ),
        (
            "unexpected field",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "verify_member", "member": 2, "fields": { "colour": "red" } })),
            vec![],
        ),
        (
            "unknown action",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "approve_all" })),
            vec![],
        ),
        (
            "not json",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            None,
            vec![("content-type", "application/json")],
        ),
        (
            "wrong shape",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": 5 })),
            vec![],
        ),
        (
            "held by another",
            Method::POST,
            transitions.clone(),
            Some(&app.second_verifier),
            Some(json!({ "action": "verify_member", "member": 2 })),
            vec![],
        ),
        (
            "role not allowed",
            Method::POST,
            transitions.clone(),
            Some(app.token(Role::Approver)),
            Some(json!({ "action": "approve" })),
            vec![],
        ),
        (
            "stale version",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "verify_member", "member": 2 })),
            vec![("if-match", "\"1\"")],
        ),
        (
            "bad if-match",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "verify_member", "member": 2 })),
            vec![("if-match", "one")],
        ),
        (
            "bad idempotency key",
            Method::POST,
            transitions.clone(),
            Some(&verifier),
            Some(json!({ "action": "verify_member", "member": 2 })),
            vec![("idempotency-key", "")],
        ),
        (
            "assign to nobody",
            Method::POST,
            format!("/api/applications/{reference}/assign"),
            Some(&supervisor),
            Some(json!({ "user": "nobody" })),
            vec![],
        ),
        (
            "assign to a registrar",
            Method::POST,
            format!("/api/applications/{reference}/assign"),
            Some(&supervisor),
            Some(json!({ "user": "registrar.one" })),
            vec![],
        ),
        (
            "bad sort",
            Method::GET,
            "/api/queue?sort=name".into(),
            Some(&verifier),
            None,
            vec![],
        ),
        (
            "bad limit",
            Method::GET,
            "/api/queue?limit=100000".into(),
            Some(&verifier),
            None,
            vec![],
        ),
        (
            "bad assigned",
            Method::GET,
            "/api/queue?assigned=them".into(),
            Some(&verifier),
            None,
            vec![],
        ),
        (
            "bad cursor",
            Method::GET,
            "/api/queue?cursor=zzz".into(),
            Some(&verifier),
            None,
            vec![],
        ),
        (
            "bad family",
            Method::POST,
            "/api/applications".into(),
            Some(app.token(Role::IntakeClerk)),
            Some(json!({ "members": [] })),
            vec![],
        ),
        (
            "statistics from after to",
            Method::GET,
            "/api/statistics/position?from=2026-05-01&to=2026-01-01".into(),
            Some(app.token(Role::Leadership)),
            None,
            vec![],
        ),
    ];
    let mut messages = Vec::new();
    for (what, method, path, token, body, headers) in cases {
        let (status, problem) = send(&app, method, &path, token, body, &headers).await;
        assert!(status.is_client_error(), "{what}: {status} {problem}");
        assert!(problem.is_object(), "{what}: {status} is no problem+json");
        messages.extend(problem_words(what, &problem));
    }
    let failures = check_all(&messages);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
