//! The family form (`/applications/new`, and `/applications/{reference}/edit`
//! while a case is at intake or back with the applicant): where the family
//! applies, and its members, added and removed on the page with plain
//! buttons. Every field is checked on the server by the same rules as the
//! API; each error stands beside its field and in a summary at the top,
//! and nothing typed is lost when the form comes back.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use maud::{Markup, html};

use crate::app::AppError;
use crate::app::case_view;
use crate::app::cases;
use crate::app::pages::{self, FamilyAttempt, FamilyFormPage};
use crate::domain::calendar::local_date;
use crate::domain::family::{
    ApplicationDraft, DocumentKind, MemberDraft, Persons, Relationship, Sex,
};
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::pages::form::{Posted, Version};
use crate::http::pages::layout::{Header, PageLang, page_with_status};
use crate::http::pages::words::family::{self as words, Words};
use crate::http::pages::{error_page, problem_text};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;
use crate::workflow::Workflow;
use crate::workflow::definition::FormDef;

/// The most members the form takes, as the API does.
const MAX_MEMBERS: usize = 40;

/// The member fields as the form names them, with their labels.
const MEMBER_TEXT_FIELDS: &[(&str, Words)] = &[
    ("first_name", words::FIRST_NAME),
    ("father_name", words::FATHERS_NAME),
    ("mother_name", words::MOTHERS_FULL_NAME),
    ("family_name", words::FAMILY_NAME),
    ("latin_first_name", words::LATIN_FIRST_NAME_OPTIONAL),
    ("latin_family_name", words::LATIN_FAMILY_NAME_OPTIONAL),
    ("birth_date", words::DATE_OF_BIRTH),
    ("birth_place", words::PLACE_OF_BIRTH),
    ("register_number", words::FOREIGNERS_REGISTER_ENTRY),
];

/// The documents a member may file: a family member's, and the evidence of
/// a person never entered in any register.
const MEMBER_DOCUMENTS: [DocumentKind; 6] = [
    DocumentKind::RegisterExtract,
    DocumentKind::Photos,
    DocumentKind::ParentsRegisterEntries,
    DocumentKind::MukhtarAttestation,
    DocumentKind::WitnessStatements,
    DocumentKind::CourtDecision,
];

/// The form as typed: every value kept as text, so that a refused form
/// comes back exactly as it was sent.
#[derive(Clone, Debug, Default)]
struct Typed {
    /// The workflow a new case starts under (the default one when empty).
    workflow: String,
    /// For a person's case: the family case it is linked to.
    family: String,
    office: String,
    submitted_on: String,
    applicant_email: String,
    application_form: bool,
    members: Vec<BTreeMap<String, String>>,
}

impl Typed {
    fn read(form: &[(String, String)]) -> Typed {
        let mut typed = Typed::default();
        let mut members: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
        for (key, value) in form {
            match key.as_str() {
                "workflow" => typed.workflow = value.clone(),
                "family" => typed.family = value.clone(),
                "office" => typed.office = value.clone(),
                "submitted_on" => typed.submitted_on = value.clone(),
                "applicant_email" => typed.applicant_email = value.clone(),
                "application_form" => typed.application_form = true,
                _ => {
                    let Some(rest) = key.strip_prefix("members[") else {
                        continue;
                    };
                    let Some((index, field)) = rest.split_once("].") else {
                        continue;
                    };
                    if let Ok(index) = index.parse::<usize>()
                        && index < MAX_MEMBERS
                    {
                        members
                            .entry(index)
                            .or_default()
                            .insert(field.to_string(), value.clone());
                    }
                }
            }
        }
        typed.members = members.into_values().collect();
        typed
    }

    /// The draft the engine checks, and the errors of what could not even
    /// be read (a date that is not one, no sex chosen).
    fn draft(&self, state: &AppState) -> (ApplicationDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let district = state
            .engine
            .places
            .office(self.office.trim())
            .map(|(d, _)| d.code.clone())
            .unwrap_or_default();
        if self.office.trim().is_empty() {
            errors.push(FieldError::said(
                "office",
                words::CHOOSE_THE_OFFICE_OF_FILING,
            ));
        }
        let submitted_on = match NaiveDate::parse_from_str(self.submitted_on.trim(), "%Y-%m-%d") {
            Ok(day) => day,
            Err(_) => {
                errors.push(FieldError::said(
                    "submitted_on",
                    words::WRITE_THE_DATE_OF_FILING_IN_FULL,
                ));
                NaiveDate::MIN
            }
        };
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            let get = |k: &str| m.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
            let optional = |k: &str| Some(get(k)).filter(|v| !v.is_empty());
            let path = |k: &str| format!("members[{i}].{k}");
            let birth_date = match NaiveDate::parse_from_str(&get("birth_date"), "%Y-%m-%d") {
                Ok(day) => day,
                Err(_) => {
                    errors.push(FieldError::said(
                        path("birth_date"),
                        words::WRITE_THE_DATE_OF_BIRTH_IN_FULL,
                    ));
                    NaiveDate::MIN
                }
            };
            let sex = match get("sex").as_str() {
                "male" => Sex::Male,
                "female" => Sex::Female,
                _ => {
                    errors.push(FieldError::said(path("sex"), words::CHOOSE_THE_SEX));
                    Sex::Male
                }
            };
            let relationship = match Relationship::parse(&get("relationship")) {
                Some(r) => r,
                None => {
                    errors.push(FieldError::said(
                        path("relationship"),
                        words::CHOOSE_THE_RELATIONSHIP_TO_THE_HEAD,
                    ));
                    Relationship::Other
                }
            };
            let mut documents = Vec::new();
            for kind in MEMBER_DOCUMENTS {
                if m.contains_key(&format!("doc.{}", kind.as_str())) {
                    documents.push(kind);
                }
            }
            members.push(MemberDraft {
                first_name: get("first_name"),
                father_name: get("father_name"),
                mother_name: get("mother_name"),
                family_name: get("family_name"),
                latin_first_name: optional("latin_first_name"),
                latin_family_name: optional("latin_family_name"),
                sex,
                birth_date,
                birth_place: get("birth_place"),
                relationship,
                register_number: optional("register_number"),
                abroad: m.contains_key("abroad"),
                documents,
            });
        }
        let draft = ApplicationDraft {
            district,
            office: self.office.trim().to_string(),
            submitted_on,
            applicant_email: Some(self.applicant_email.trim().to_string())
                .filter(|e| !e.is_empty()),
            family_documents: if self.application_form {
                vec![DocumentKind::ApplicationForm]
            } else {
                Vec::new()
            },
            members,
        };
        (draft, errors)
    }

    fn of_case(view: &case_view::CaseView) -> Typed {
        Typed {
            workflow: view.workflow.name.clone(),
            family: String::new(),
            office: view.record.office.clone(),
            submitted_on: view.record.submitted_on.to_string(),
            applicant_email: view.record.applicant_email.clone().unwrap_or_default(),
            application_form: view
                .family_documents
                .contains(&DocumentKind::ApplicationForm),
            members: view
                .people
                .iter()
                .map(|p| {
                    let mut m = BTreeMap::new();
                    for (k, v) in [
                        ("first_name", p.first_name.clone()),
                        ("father_name", p.father_name.clone()),
                        ("mother_name", p.mother_name.clone()),
                        ("family_name", p.family_name.clone()),
                        (
                            "latin_first_name",
                            p.latin_first_name.clone().unwrap_or_default(),
                        ),
                        (
                            "latin_family_name",
                            p.latin_family_name.clone().unwrap_or_default(),
                        ),
                        ("birth_date", p.birth_date.to_string()),
                        ("birth_place", p.birth_place.clone()),
                        (
                            "register_number",
                            p.register_number.clone().unwrap_or_default(),
                        ),
                        ("sex", p.sex.clone()),
                        ("relationship", p.relationship.clone()),
                    ] {
                        m.insert(k.to_string(), v);
                    }
                    if p.abroad {
                        m.insert("abroad".into(), "on".into());
                    }
                    for kind in &p.documents {
                        m.insert(format!("doc.{}", kind.as_str()), "on".into());
                    }
                    m
                })
                .collect(),
        }
    }
}

/// Where the form posts: a new case, or a case's edit at the version read.
struct Target {
    action: String,
    version: Option<i64>,
}

impl Target {
    /// The form's title, from the workflow's definition.
    fn title<'a>(&self, form: &'a FormDef) -> &'a Text {
        match self.version {
            None => &form.new,
            Some(_) => &form.edit,
        }
    }

    /// What its button says.
    fn button(&self) -> Words {
        match self.version {
            None => words::OPEN_THE_APPLICATION,
            Some(_) => words::SAVE_THE_CHANGES,
        }
    }

    /// The title of an error page shown before any form (no workflow chosen yet).
    fn fallback_title(&self) -> Words {
        match self.version {
            None => crate::http::pages::words::NEW_APPLICATION,
            Some(_) => words::EDIT_THE_APPLICATION,
        }
    }
}

fn new_target() -> Target {
    Target {
        action: "/applications/new".into(),
        version: None,
    }
}

fn edit_target(reference: &str, version: i64) -> Target {
    Target {
        action: format!("/applications/{reference}/edit"),
        version: Some(version),
    }
}

/// What the new form is asked for: a kind of application (its workflow's
/// name) and, for a person missing from a family, the family's case.
#[derive(serde::Deserialize, Default)]
pub struct NewFormParams {
    #[serde(default)]
    workflow: String,
    #[serde(default)]
    family: String,
}

/// The empty form of the kind asked for (the default one when none): one
/// member, the head of a family, or the one person, with today's date; a
/// person missing from a family starts linked to the family's case, with
/// its office and the names it tells.
pub async fn new_form(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Query(params): Query<NewFormParams>,
) -> Response {
    let workflow = Some(params.workflow.trim()).filter(|w| !w.is_empty());
    let family = Some(params.family.trim()).filter(|f| !f.is_empty());
    let page = pages::new_form_page(&state.engine, &user.actor, workflow, family, Utc::now()).await;
    let (form, missing) = match page {
        Ok(page) => (page.form, page.missing),
        Err(error) => {
            let header = Header {
                user: Some(&user),
                path: "/applications/new",
            };
            let title = lang.say(&crate::http::pages::words::NEW_APPLICATION);
            return error_page(lang, &header, title, &ApiError::from(error), html! {});
        }
    };
    let one_person = form
        .chosen(&params.workflow)
        .is_some_and(|w| w.persons == Persons::One);
    let mut first = BTreeMap::new();
    if !one_person {
        first.insert("relationship".to_string(), "head".to_string());
    }
    let mut typed = Typed {
        workflow: params.workflow.trim().to_string(),
        submitted_on: local_date(Utc::now()).to_string(),
        ..Typed::default()
    };
    if let Some(missing) = missing {
        typed.family = missing.family;
        typed.office = missing.office;
        for (key, value) in [
            ("father_name", missing.father_name),
            ("mother_name", missing.mother_name),
            ("family_name", missing.family_name),
        ] {
            first.insert(key.to_string(), value);
        }
    }
    typed.members = vec![first];
    render(
        &form,
        &user,
        lang,
        &new_target(),
        &typed,
        &[],
        StatusCode::OK,
    )
}

/// The form of a case's family, to edit while it may be edited.
pub async fn edit_form(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Path(reference): Path<String>,
) -> Response {
    match pages::edit_page(&state.engine, &reference, &user.actor, Utc::now()).await {
        Ok(edit) => render(
            &edit.form,
            &user,
            lang,
            &edit_target(&reference, edit.case.record.version),
            &Typed::of_case(&edit.case),
            &[],
            StatusCode::OK,
        ),
        Err(error) => {
            let path = format!("/applications/{reference}/edit");
            let header = Header {
                user: Some(&user),
                path: &path,
            };
            error_page(
                lang,
                &header,
                lang.say(&words::EDIT_THE_APPLICATION),
                &ApiError::from(error),
                html! {},
            )
        }
    }
}

/// The form posted: a member added or removed (the form again), or the
/// family opened (or saved) and the case's page shown.
pub async fn post_new(
    State(state): State<AppState>,
    Posted { user, lang, form }: Posted<Vec<(String, String)>>,
) -> Response {
    submit(&state, &user, lang, &form, new_target(), None).await
}

pub async fn post_edit(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Posted { user, lang, form }: Posted<Vec<(String, String)>>,
) -> Response {
    let typed = form
        .iter()
        .find(|(k, _)| k == "version")
        .map_or("", |(_, v)| v.as_str());
    let version = match Version::parse(typed) {
        Ok(version) => version.0.unwrap_or(0),
        Err(error) => {
            let header = Header {
                user: Some(&user),
                path: "/",
            };
            let error = ApiError::from(crate::app::AppError::Invalid(vec![error]));
            let title = lang.say(&words::EDIT_THE_APPLICATION);
            return error_page(lang, &header, title, &error, html! {});
        }
    };
    submit(
        &state,
        &user,
        lang,
        &form,
        edit_target(&reference, version),
        Some(reference.as_str()),
    )
    .await
}

async fn submit(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    form: &[(String, String)],
    target: Target,
    reference: Option<&str>,
) -> Response {
    let value = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut typed = Typed::read(form);
    // A member added or removed: the form again, unchecked.
    let saving = match value("op") {
        "add" => {
            if typed.members.len() < MAX_MEMBERS {
                typed.members.push(BTreeMap::new());
            }
            false
        }
        op if op.starts_with("remove:") => {
            if let Ok(i) = op["remove:".len()..].parse::<usize>()
                && i < typed.members.len()
                && typed.members.len() > 1
            {
                typed.members.remove(i);
            }
            false
        }
        _ => true,
    };
    let (draft, mut errors) = typed.draft(state);
    // A form that cannot even be read goes to the engine's own checks too,
    // so every error shows at once.
    let attempt = (saving && !errors.is_empty()).then_some(FamilyAttempt {
        draft: &draft,
        workflow: &typed.workflow,
    });
    // Who may not open (nor edit) a family hears so before the form is shown.
    let page = match pages::family_form_page(&state.engine, &user.actor, attempt, Utc::now()) {
        Ok(page) => page,
        Err(error) => {
            let header = Header {
                user: Some(user),
                path: "/",
            };
            return error_page(
                lang,
                &header,
                lang.say(&target.fallback_title()),
                &ApiError::from(error),
                html! {},
            );
        }
    };
    if !saving {
        return render(&page, user, lang, &target, &typed, &[], StatusCode::OK);
    }
    if !errors.is_empty() {
        for e in &page.errors {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e.clone());
            }
        }
        return render(
            &page,
            user,
            lang,
            &target,
            &typed,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let outcome = match reference {
        None => {
            let opening = cases::Opening {
                workflow: Some(typed.workflow.trim().to_string()).filter(|w| !w.is_empty()),
                family: Some(typed.family.trim().to_string()).filter(|f| !f.is_empty()),
            };
            cases::create_as(&state.engine, &draft, &opening, &user.actor, Utc::now()).await
        }
        Some(reference) => {
            cases::edit(
                &state.engine,
                reference,
                &draft,
                &user.actor,
                target.version,
                Utc::now(),
            )
            .await
        }
    };
    match outcome {
        Ok(outcome) => Redirect::to(&format!(
            "/applications/{}?done={}",
            outcome.reference,
            if reference.is_some() {
                "edit"
            } else {
                "created"
            }
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => render(
            &page,
            user,
            lang,
            &target,
            &typed,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => {
            let error = ApiError::from(error);
            let problem = FieldError::bilingual(
                "form",
                problem_text(PageLang::arabic(), &error),
                problem_text(PageLang::english(), &error),
            );
            render(
                &page,
                user,
                lang,
                &target,
                &typed,
                &[problem],
                error.status(),
            )
        }
    }
}

fn render(
    page: &FamilyFormPage,
    user: &WebUser,
    lang: PageLang,
    target: &Target,
    typed: &Typed,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let header = Header {
        user: Some(user),
        path: &target.action,
    };
    let Some(workflow) = page.chosen(&typed.workflow) else {
        let error = ApiError::from(AppError::NotFound("workflow".into()));
        return error_page(
            lang,
            &header,
            lang.say(&target.fallback_title()),
            &error,
            html! {},
        );
    };
    let form = &workflow.form;
    let one_person = workflow.persons == Persons::One;
    let title = lang.say(target.title(form));
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message_in(lang.lang).to_string())
    };
    let districts = &page.districts;
    let workflows = &page.workflows;
    let member_documents: Vec<DocumentKind> = form
        .member_documents
        .iter()
        .chain(&form.member_documents_if_needed)
        .copied()
        .collect();
    let body = html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" {
                h2 { (lang.say(&words::THERE_IS_A_PROBLEM)) }
                ul {
                    @for e in errors {
                        li { a href=(format!("#{}", anchor(&e.field))) { (field_words(lang, workflow, &e.field)) ": " (e.message_in(lang.lang)) } }
                    }
                }
            }
        }
        form method="post" action=(target.action) novalidate {
            // Enter in a field submits with the form's first button: make
            // that one "open the application", not "add a member".
            button type="submit" name="op" value="save" class="default-submit" tabindex="-1" aria-hidden="true" {
                (lang.say(&target.button()))
            }
            input type="hidden" name="csrf_token" value=(user.csrf);
            @if let Some(v) = target.version { input type="hidden" name="version" value=(v); }
            // The kind of application the form is for; another kind is
            // another form (its own title, sections and checklist).
            input type="hidden" name="workflow" value=(workflow.name);
            h2 { (lang.say(&words::THE_APPLICATION)) }
            @if target.version.is_none() {
                div class=(if error_of("workflow").is_some() { "field has-error" } else { "field" }) id="workflow" {
                    span class="label" { (lang.say(&words::KIND_OF_APPLICATION)) }
                    @if let Some(error) = error_of("workflow") { span class="error-text" { (error) } }
                    p { strong { (lang.say(&workflow.title)) } }
                    @for other in workflows.iter().filter(|w| w.name != workflow.name) {
                        p { a href=(format!("/applications/new?workflow={}", other.name)) { (lang.say(&words::OPEN_INSTEAD)) " " (lang.say(&other.form.new)) } }
                    }
                }
                @if one_person {
                    (field("family", lang.say(&words::LINKED_FAMILY_CASE_OPTIONAL_FOR_THE), error_of("family"), html! {
                        input id="family" name="family" value=(typed.family) dir="ltr" autocomplete="off";
                    }))
                }
            }
            (field("office", lang.say(&words::OFFICE_OF_FILING), error_of("office"), html! {
                select id="office" name="office" {
                    option value="" { (lang.say(&words::CHOOSE)) }
                    @for d in districts {
                        optgroup label=(lang.say(&d.names)) {
                            @for o in &d.offices {
                                option value=(o.code) selected[typed.office == o.code] { (lang.say(&o.names)) }
                            }
                        }
                    }
                }
            }))
            (field("submitted_on", lang.say(&words::DATE_OF_FILING), error_of("submitted_on"), html! {
                input id="submitted_on" name="submitted_on" type="date" value=(typed.submitted_on);
            }))
            (field("applicant_email", lang.say(&words::APPLICANTS_E_MAIL_OPTIONAL), error_of("applicant_email"), html! {
                input id="applicant_email" name="applicant_email" type="email" value=(typed.applicant_email) autocomplete="off" dir="ltr";
            }))
            @if form.case_documents.contains(&DocumentKind::ApplicationForm) {
                div class="field" {
                    label for="application_form" {
                        input id="application_form" type="checkbox" name="application_form" checked[typed.application_form];
                        " " (lang.say(&DocumentKind::ApplicationForm.words()))
                    }
                }
            }
            h2 { (lang.say(&form.persons)) }
            @for (i, m) in typed.members.iter().enumerate() {
                fieldset class="member" {
                    @if one_person {
                        legend { (lang.say(&form.person)) }
                    } @else {
                        legend { (lang.say(&form.person)) " " (i + 1) }
                    }
                    @for (name, label) in MEMBER_TEXT_FIELDS.iter().filter(|(name, _)| form.register_number || *name != "register_number") {
                        @let path = format!("members[{i}].{name}");
                        @let value = m.get(*name).cloned().unwrap_or_default();
                        (field(&path, lang.say(label), error_of(&path), html! {
                            @if *name == "birth_date" {
                                input id=(anchor(&path)) name=(path) type="date" value=(value);
                            } @else if name.starts_with("latin_") || *name == "register_number" {
                                input id=(anchor(&path)) name=(path) value=(value) dir="ltr" autocomplete="off";
                            } @else {
                                input id=(anchor(&path)) name=(path) value=(value) autocomplete="off";
                            }
                        }))
                    }
                    @let sex_path = format!("members[{i}].sex");
                    @let sex = m.get("sex").cloned().unwrap_or_default();
                    (field(&sex_path, lang.say(&words::SEX), error_of(&sex_path), html! {
                        select id=(anchor(&sex_path)) name=(sex_path) {
                            option value="" { (lang.say(&words::CHOOSE)) }
                            option value="male" selected[sex == "male"] { (lang.say(&words::MALE)) }
                            option value="female" selected[sex == "female"] { (lang.say(&words::FEMALE)) }
                        }
                    }))
                    @let rel_path = format!("members[{i}].relationship");
                    @let rel = m.get("relationship").cloned().unwrap_or_default();
                    (field(&rel_path, lang.say(&words::RELATIONSHIP_TO_THE_HEAD), error_of(&rel_path), html! {
                        select id=(anchor(&rel_path)) name=(rel_path) {
                            option value="" { (lang.say(&words::CHOOSE)) }
                            @for r in Relationship::ALL.into_iter().filter(|r| !one_person || *r != Relationship::Head) {
                                option value=(r.as_str()) selected[rel == r.as_str()] { (lang.say(&r.words())) }
                            }
                        }
                    }))
                    div class="field" {
                        label {
                            input type="checkbox" name=(format!("members[{i}].abroad")) checked[m.contains_key("abroad")];
                            " " (lang.say(&words::LIVES_ABROAD))
                        }
                        @for kind in member_documents.iter().copied() {
                            label {
                                input type="checkbox" name=(format!("members[{i}].doc.{}", kind.as_str())) checked[m.contains_key(&format!("doc.{}", kind.as_str()))];
                                " " (lang.say(&kind.words()))
                            }
                        }
                    }
                    @if typed.members.len() > 1 && !one_person {
                        button type="submit" name="op" value=(format!("remove:{i}")) class="secondary" formnovalidate {
                            (lang.say(&words::REMOVE_THIS_MEMBER))
                        }
                    }
                }
            }
            @if !one_person {
                p {
                    button type="submit" name="op" value="add" class="secondary" formnovalidate { (lang.say(&words::ADD_A_MEMBER)) }
                }
            }
            p {
                button type="submit" name="op" value="save" { (lang.say(&target.button())) }
            }
        }
    };
    page_with_status(status, lang, &header, title, body)
}

/// One question: its label, its error beside it, its input.
fn field(path: &str, label_text: &str, error: Option<String>, input: Markup) -> Markup {
    let id = anchor(path);
    html! {
        div class=(if error.is_some() { "field has-error" } else { "field" }) {
            label for=(id) { (label_text) }
            @if let Some(error) = error { span class="error-text" { (error) } }
            (input)
        }
    }
}

/// A field path as an element id (`members[1].first_name` is `members-1-first_name`).
fn anchor(path: &str) -> String {
    path.replace("].", "-").replace('[', "-").replace(']', "")
}

/// A field path in words, for the error summary: a person as the
/// workflow's form calls them (numbered where the case covers several).
fn field_words(lang: PageLang, workflow: &Workflow, path: &str) -> String {
    let form = &workflow.form;
    if let Some(rest) = path.strip_prefix("members[")
        && let Some((index, field)) = rest.split_once("].")
    {
        let n = index.parse::<usize>().map_or(0, |i| i + 1);
        let words = MEMBER_TEXT_FIELDS
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, label)| lang.say(label))
            .unwrap_or(match field {
                "sex" => lang.say(&words::SEX),
                "relationship" => lang.say(&words::RELATIONSHIP),
                _ => lang.say(&crate::http::pages::words::FIELD),
            });
        if workflow.persons == Persons::One {
            return format!("{}: {words}", lang.say(&form.person));
        }
        return format!("{} {n}: {words}", lang.say(&form.person));
    }
    match path {
        "office" | "district" => lang.say(&words::OFFICE_OF_FILING).to_string(),
        "submitted_on" => lang.say(&words::DATE_OF_FILING).to_string(),
        "applicant_email" => lang.say(&words::E_MAIL).to_string(),
        "members" => lang.say(&form.persons).to_string(),
        _ => lang.say(&words::THE_APPLICATION).to_string(),
    }
}
