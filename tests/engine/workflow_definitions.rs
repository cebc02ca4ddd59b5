//! Each class of broken definition is refused with a precise message naming
//! the file, the line and the offending name.

use casework::workflow::Workflow;

const GOOD: &str = include_str!("../../workflows/naturalization-family.v1.toml");
const FILE: &str = "workflows/test.toml";

/// Applies `edit` to the real definition and checks that loading reports
/// exactly `expected` (`line: message`, line counted in the edited text at
/// the last occurrence of `marker`).
fn check(edit: impl Fn(&str) -> String, marker: &str, expected: &str) {
    let text = edit(GOOD);
    assert_ne!(text, GOOD, "the edit must change the file");
    let lines: Vec<&str> = text.lines().collect();
    let line = lines
        .iter()
        .rposition(|l| l.contains(marker))
        .map(|i| i + 1)
        .expect("the marker is in the edited text");
    let errors =
        Workflow::from_toml(FILE, &text).expect_err("the broken definition must be refused");
    let messages: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    assert!(
        messages.contains(&format!("{FILE}:{line}: {expected}")),
        "expected `{FILE}:{line}: {expected}` among {messages:#?}"
    );
}

#[test]
fn the_shipped_definition_loads() {
    let workflow = Workflow::from_toml(FILE, GOOD).expect("the shipped definition is valid");
    assert_eq!(workflow.key(), "naturalization-family.v1");
    assert_eq!(workflow.card_age, 14);
    assert_eq!(workflow.reminders.len(), 5);
}

#[test]
fn an_unknown_state_is_named() {
    check(
        |t| t.replacen("to = \"approval\"", "to = \"aproval\"", 1),
        "to = \"aproval\"",
        "unknown state 'aproval' as 'to' of 'complete_verification'",
    );
}

#[test]
fn an_unknown_member_state_is_named() {
    check(
        |t| t.replacen("to = \"biometrics_taken\"", "to = \"biometric_taken\"", 1),
        "to = \"biometric_taken\"",
        "unknown member state 'biometric_taken' as 'to' of 'record_biometrics'",
    );
}

#[test]
fn an_unknown_role_is_named() {
    check(
        |t| t.replacen("roles = [\"registrar\"]", "roles = [\"registrer\"]", 1),
        "registrer",
        "unknown role 'registrer'",
    );
}

#[test]
fn an_unknown_guard_is_named() {
    check(
        |t| t.replacen("\"documents_complete\"", "\"documents_completed\"", 1),
        "documents_completed",
        "unknown guard 'documents_completed'",
    );
}

#[test]
fn an_unreachable_state_is_named() {
    check(
        |t| {
            t.replacen(
                "[[states]]\nname = \"withdrawn\"",
                "[[states]]\nname = \"archived\"\nar = \"مؤرشف\"\nen = \"Archived\"\nterminal = true\n\n[[states]]\nname = \"withdrawn\"",
                1,
            )
        },
        "name = \"archived\"",
        "state 'archived' is unreachable from 'intake'",
    );
}

#[test]
fn a_non_terminal_state_without_a_way_out_is_named() {
    check(
        |t| {
            t.replacen(
                "[[states]]\nname = \"withdrawn\"",
                "[[states]]\nname = \"on_hold\"\nar = \"معلق\"\nen = \"On hold\"\n\n[[transitions]]\naction = \"hold\"\nfrom = [\"approval\"]\nto = \"on_hold\"\nroles = [\"supervisor\"]\n\n[[states]]\nname = \"withdrawn\"",
                1,
            )
        },
        "name = \"on_hold\"",
        "non-terminal state 'on_hold' has no way out",
    );
}

#[test]
fn a_terminal_state_with_an_outgoing_transition_is_named() {
    check(
        |t| {
            t.replacen(
                "from = [\"returned\"]\nto = \"intake\"",
                "from = [\"returned\", \"rejected\"]\nto = \"intake\"",
                1,
            )
        },
        "from = [\"returned\", \"rejected\"]",
        "terminal state 'rejected' has an outgoing transition 'resubmit'",
    );
}

#[test]
fn two_transitions_with_one_action_from_one_state_are_named() {
    check(
        |t| {
            format!(
                "{t}\n[[transitions]]\naction = \"approve\"\nfrom = [\"approval\"]\nto = \"rejected\"\nroles = [\"approver\"]\n"
            )
        },
        "action = \"approve\"",
        "action 'approve' is defined twice from state 'approval'",
    );
}

#[test]
fn a_malformed_cron_expression_is_named() {
    let text = GOOD.replacen(
        "schedule = \"0 0 7 * * Sun-Thu\"",
        "schedule = \"0 7 * * Sun-Thu\"",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.contains("schedule = \"0 7 * * Sun-Thu\""))
        .map(|i| i + 1)
        .unwrap();
    let errors = Workflow::from_toml(FILE, &text).expect_err("refused");
    assert_eq!(errors.0.len(), 1, "{errors}");
    let message = errors.0[0].to_string();
    assert!(
        message.starts_with(&format!(
            "{FILE}:{line}: reminder 'overdue_cases' has a malformed cron schedule '0 7 * * Sun-Thu'"
        )),
        "{message}"
    );
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let text = GOOD.replacen("card_age = 14", "card_age = = 14", 1);
    let line = text
        .lines()
        .position(|l| l.contains("card_age = = 14"))
        .map(|i| i + 1)
        .unwrap();
    let errors = Workflow::from_toml(FILE, &text).expect_err("refused");
    assert!(
        errors.0[0]
            .to_string()
            .starts_with(&format!("{FILE}:{line}: ")),
        "{errors}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let text = GOOD
        .replacen("roles = [\"registrar\"]", "roles = [\"registrer\"]", 1)
        .replacen("\"documents_complete\"", "\"documents_completed\"", 1);
    let errors = Workflow::from_toml(FILE, &text).expect_err("refused");
    assert_eq!(errors.0.len(), 2, "{errors}");
}

#[test]
fn a_non_terminal_state_says_who_works_it() {
    check(
        |t| {
            t.replacen("worked_by = [\"verifier\"]\n", "", 1).replacen(
                "name = \"verification\"\n",
                "name = \"verification\" # the state\n",
                1,
            )
        },
        "# the state",
        "non-terminal state 'verification' names no role in worked_by (the roles whose action \
         moves it on, whose work queues list it)",
    );
}

#[test]
fn a_role_works_only_a_state_it_acts_in() {
    check(
        |t| {
            t.replacen(
                "worked_by = [\"verifier\"]",
                "worked_by = [\"verifier\", \"registrar\"]",
                1,
            )
        },
        "worked_by = [\"verifier\", \"registrar\"]",
        "role 'registrar' works state 'verification' but has no action there",
    );
    check(
        |t| {
            t.replacen(
                "worked_by = [\"verifier\"]",
                "worked_by = [\"verifyer\"]",
                1,
            )
        },
        "worked_by = [\"verifyer\"]",
        "unknown role 'verifyer'",
    );
}

#[test]
fn terminal_and_member_states_are_worked_by_no_one() {
    check(
        |t| {
            t.replacen(
                "terminal = true",
                "terminal = true\nworked_by = [\"approver\"]",
                1,
            )
        },
        "worked_by = [\"approver\"]",
        "terminal state 'completed' is worked by no one: remove its worked_by",
    );
    check(
        |t| {
            t.replacen(
                "name = \"pending\"",
                "name = \"pending\"\nworked_by = [\"verifier\", \"approver\"]",
                1,
            )
        },
        "worked_by = [\"verifier\", \"approver\"]",
        "member state 'pending' cannot name worked_by: work queues list cases by their \
         application state",
    );
}

#[test]
fn every_shipped_action_has_an_arabic_and_an_english_label() {
    let workflow = Workflow::from_toml(FILE, GOOD).expect("the shipped definition is valid");
    for t in workflow
        .transitions
        .iter()
        .chain(&workflow.member.transitions)
    {
        assert_ne!(t.labels.en, t.action, "{} has no English label", t.action);
        assert!(
            !t.labels.ar.chars().any(|c| c.is_ascii_alphabetic()),
            "{} has no Arabic label: {}",
            t.action,
            t.labels.ar
        );
    }
}

#[test]
fn an_action_without_labels_is_named_by_its_code() {
    let text = GOOD.replacen(
        "ar = \"إحالة إلى التدقيق\"\nen = \"Submit for verification\"\n",
        "",
        1,
    );
    assert_ne!(text, GOOD, "the edit must change the file");
    let workflow = Workflow::from_toml(FILE, &text).expect("labels are optional");
    let labels = workflow.action_labels("submit_for_verification");
    assert_eq!(
        (labels.ar.as_str(), labels.en.as_str()),
        ("submit_for_verification", "submit_for_verification")
    );
}

#[test]
fn an_empty_action_label_is_named() {
    check(
        |t| t.replacen("en = \"Approve the family\"", "en = \" \"", 1),
        "action = \"approve\"",
        "action 'approve' has an empty 'en' label",
    );
}

// Separation of duties: duties name known actions and states, and a rule
// separates two or more known duties.

#[test]
fn a_duty_naming_an_unknown_action_is_named() {
    check(
        |t| {
            t.replacen(
                "actions = [\"register_member\"]",
                "actions = [\"register_membr\"]",
                1,
            )
        },
        "register_membr",
        "unknown action 'register_membr' in duty 'registration' (known: the transitions' \
         actions, 'created' and 'edit_family')",
    );
}

#[test]
fn a_duty_with_no_action_is_named() {
    check(
        |t| t.replacen("actions = [\"register_member\"]", "actions = []", 1),
        "name = \"registration\"",
        "duty 'registration' names no action",
    );
}

#[test]
fn a_duty_in_an_unknown_state_is_named() {
    check(
        |t| t.replacen("states = [\"approval\"]", "states = [\"aproval\"]", 1),
        "states = [\"aproval\"]",
        "unknown state 'aproval' as state of duty 'approval'",
    );
}

#[test]
fn a_separation_rule_with_one_duty_is_named() {
    check(
        |t| {
            t.replacen(
                "duties = [\"intake\", \"verification\", \"approval\", \"registration\"]",
                "duties = [\"intake\"]",
                1,
            )
        },
        "name = \"one_stage_per_person\"",
        "separation rule 'one_stage_per_person' needs two or more duties to separate (it names 1)",
    );
}

#[test]
fn a_separation_rule_naming_an_unknown_duty_is_named() {
    check(
        |t| {
            t.replacen(
                "\"approval\", \"registration\"]",
                "\"approval\", \"registry\"]",
                1,
            )
        },
        "\"registry\"]",
        "unknown duty 'registry' in separation rule 'one_stage_per_person'",
    );
}

#[test]
fn an_action_counting_for_two_separated_duties_in_one_state_is_named() {
    check(
        |t| {
            t.replacen(
                "actions = [\"approve\", \"reject\", \"send_back_to_verification\", \"exclude_member\"]\nstates = [\"approval\"]",
                "actions = [\"approve\", \"reject\", \"send_back_to_verification\", \"exclude_member\"]\nstates = [\"approval\", \"verification\"]",
                1,
            )
        },
        "duties = [\"intake\", \"verification\", \"approval\", \"registration\"]",
        "action 'exclude_member' counts for both duty 'verification' and duty 'approval' of \
         separation rule 'one_stage_per_person' in state 'verification': one person could never take it",
    );
}

#[test]
fn a_terminal_state_says_how_it_closes_a_case() {
    check(
        |t| t.replacen("closes = \"rejected\"\n", "", 1),
        "name = \"rejected\"",
        "terminal state 'rejected' must say how it closes a case: closes = \"completed\" | \
         \"rejected\" | \"withdrawn\"",
    );
    check(
        |t| t.replacen("closes = \"rejected\"", "closes = \"refused\"", 1),
        "closes = \"refused\"",
        "state 'rejected' closes cases as 'refused', which is not an outcome (one of: \
         completed, rejected, withdrawn)",
    );
    check(
        |t| {
            t.replacen(
                "worked_by = [\"approver\"]\nsla_days = 5",
                "worked_by = [\"approver\"]\nsla_days = 5\ncloses = \"completed\" # here",
                1,
            )
        },
        "# here",
        "state 'approval' is not terminal, so it closes nothing: remove closes",
    );
}

#[test]
fn a_meaning_on_the_wrong_track_is_named() {
    check(
        |t| {
            t.replacen(
                "closes = \"completed\"",
                "closes = \"completed\"\ngranted = true # here",
                1,
            )
        },
        "# here",
        "state 'completed' cannot say granted: it is a member state's meaning (move it to a \
         [[member.states]] entry)",
    );
    check(
        |t| t.replacen("verified = true", "verified = true\nimportable = true", 1),
        "importable = true",
        "member state 'verified' cannot say importable: it is an application state's meaning",
    );
}

#[test]
fn a_card_stage_is_a_granted_state_and_each_meaning_is_held_once() {
    check(
        |t| t.replacen("granted = true\ncard = \"ready\"", "card = \"ready\"", 1),
        "card = \"ready\"",
        "member state 'printed' is a card stage but not granted: a card is issued only to a \
         person entered in the civil registry (add granted = true)",
    );
    check(
        |t| t.replacen("card = \"ready\"", "card = \"in_production\"", 1),
        "name = \"printed\"",
        "member state 'printed' says card = \"in_production\", as 'biometrics_taken' does \
         already: one state holds each meaning",
    );
    check(
        |t| t.replacen("card = \"ready\"", "card = \"printing\"", 1),
        "card = \"printing\"",
        "member state 'printed' names card stage 'printing', which does not exist (one of: \
         due_at_age, awaiting_appearance, in_production, ready, collected)",
    );
}

#[test]
fn a_reminder_needs_the_card_stage_it_concerns() {
    check(
        |t| t.replacen("granted = true\ncard = \"ready\"", "granted = true", 1),
        "concerns = \"card_not_collected\"",
        "reminder 'card_not_collected' concerns cards at stage 'ready', but no member state \
         says card = \"ready\"",
    );
}

#[test]
fn an_import_state_names_a_member_state() {
    check(
        |t| {
            t.replacen(
                "import_members = \"verified\"",
                "import_members = \"verifed\"",
                1,
            )
        },
        "import_members = \"verifed\"",
        "state 'approval' imports its members as 'verifed', which is not a member state",
    );
}

#[test]
fn the_shipped_definition_says_what_its_states_mean() {
    use casework::workflow::definition::{CardStage, Outcome};
    let w = Workflow::from_toml(FILE, GOOD).expect("valid");
    assert_eq!(w.granted_states().count(), 6);
    assert_eq!(w.outcome("completed"), Some(Outcome::Completed));
    assert_eq!(
        w.importable_states(),
        ["intake", "returned", "verification", "approval"]
    );
    assert_eq!(w.imported_member_state("approval"), "verified");
    assert_eq!(w.imported_member_state("intake"), "pending");
    assert_eq!(w.card_state(CardStage::Ready), Some("printed"));
    assert!(w.excluded("excluded") && w.verified("verified") && !w.granted("verified"));
}

#[test]
fn the_second_shipped_definition_covers_one_person_and_joins_a_family() {
    let text = include_str!("../../workflows/unregistered-persons.v1.toml");
    let workflow = Workflow::from_toml(FILE, text).expect("the second definition is valid");
    assert_eq!(workflow.key(), "unregistered-persons.v1");
    assert_eq!(workflow.persons, casework::domain::family::Persons::One);
    let joins: Vec<&str> = workflow
        .states
        .iter()
        .filter(|s| s.joins_family)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(joins, ["unreg_entered"]);
    let family = Workflow::from_toml(FILE, GOOD).expect("valid");
    let takes: Vec<&str> = family
        .states
        .iter()
        .filter(|s| s.takes_members)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(takes, ["intake", "returned", "verification"]);
}

#[test]
fn whom_a_case_covers_is_family_or_one() {
    check(
        |t| t.replacen("card_age = 14", "card_age = 14\npersons = \"two\"", 1),
        "persons = \"two\"",
        "persons 'two' is neither 'family' nor 'one'",
    );
}

#[test]
fn only_an_open_family_state_takes_members_and_only_a_one_person_state_joins() {
    check(
        |t| {
            t.replacen(
                "name = \"rejected\"\nar = \"مرفوض\"",
                "name = \"rejected\"\ntakes_members = true\nar = \"مرفوض\"",
                1,
            )
        },
        "name = \"rejected\"",
        "state 'rejected' takes members, but only an open state of a family workflow can",
    );
    check(
        |t| {
            t.replacen(
                "name = \"card_issuance\"",
                "name = \"card_issuance\"\njoins_family = true",
                1,
            )
        },
        "name = \"card_issuance\"",
        "state 'card_issuance' joins a family, but only a state of a one-person workflow (persons = \"one\") can",
    );
    check(
        |t| {
            t.replacen(
                "name = \"printed\"",
                "name = \"printed\"\ntakes_members = true",
                1,
            )
        },
        "name = \"printed\"",
        "member state 'printed' cannot take members or join a family: application states do",
    );
}

#[test]
fn the_form_asks_what_the_guards_require_and_knows_its_document_kinds() {
    check(
        |t| {
            t.replacen(
                "member_documents = [\"register_extract\", \"photos\"]",
                "member_documents = [\"photos\"]",
                1,
            )
        },
        "register_number = true",
        "the form does not ask for 'register_extract', which guard 'documents_complete' requires",
    );
    check(
        |t| {
            t.replacen(
                "\"register_extract\", \"photos\"]",
                "\"register_extract\", \"fotos\"]",
                1,
            )
        },
        "\"fotos\"",
        "unknown document kind 'fotos' (known: application_form, register_extract, photos, parents_register_entries, mukhtar_attestation, witness_statements, court_decision)",
    );
    check(
        |t| {
            t.replacen(
                "case_documents = [\"application_form\"]",
                "case_documents = [\"application_form\", \"photos\"]",
                1,
            )
        },
        "case_documents",
        "document kind 'photos' is filed by each person, not by the case as a whole",
    );
    check(
        |t| {
            t.replacen(
                "\"register_extract\", \"photos\"]",
                "\"register_extract\", \"photos\", \"photos\"]",
                1,
            )
        },
        "member_documents",
        "the form names document kind 'photos' twice",
    );
}

#[test]
fn a_person_s_form_asks_no_register_entry_and_the_evidence_the_guards_require() {
    let person = include_str!("../../workflows/unregistered-persons.v1.toml");
    let workflow = Workflow::from_toml(FILE, person).expect("valid");
    assert_eq!(workflow.form.persons.en, "The person");
    assert!(!workflow.form.register_number);
    let family = Workflow::from_toml(FILE, GOOD).expect("valid");
    assert_eq!(family.form.persons.ar, "أفراد العائلة");
    assert!(family.form.register_number);
    for (edit, expected) in [
        (
            person.replacen("register_number = false", "register_number = true", 1),
            "register_number = true, but a one-person workflow's person has no register entry (persons = \"one\")",
        ),
        (
            person.replacen("member_documents_if_needed = [\"court_decision\"]", "", 1),
            "the form does not ask for 'court_decision', which guard 'court_decision_if_adult' requires",
        ),
    ] {
        let errors = Workflow::from_toml(FILE, &edit).expect_err("refused");
        assert!(
            errors.0.iter().any(|e| e.message == expected),
            "{expected} among {errors}"
        );
    }
}
