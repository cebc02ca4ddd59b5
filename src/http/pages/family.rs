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
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, html};

use crate::app::AppError;
use crate::app::case_view;
use crate::app::cases;
use crate::app::pages::{self, FamilyAttempt, FamilyFormPage};
use crate::domain::calendar::{local_date, syria_time};
use crate::domain::family::{
    ApplicationDraft, DocumentKind, MemberDraft, Persons, Relationship, Sex,
};
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::pages::form::{DateBoxes, DateProblem, Posted, Version, date_boxes};
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
    submitted_on: DateBoxes,
    applicant_email: String,
    application_form: bool,
    /// Each member's fields by name; a date's boxes are `birth_date.day`,
    /// `birth_date.month` and `birth_date.year`.
    members: Vec<BTreeMap<String, String>>,
    /// For an edit: the family as the officer opened it (its [`Typed::flat`]
    /// form as JSON) and the last audit event they had seen, so that a
    /// change made meanwhile can be told apart from theirs.
    base: String,
    seen: String,
    /// After a conflict, the fields both the officer and someone else
    /// changed: the value now (`theirs.KEY`), and which one the officer
    /// keeps (`take.KEY`, `mine` or `theirs`).
    theirs: BTreeMap<String, String>,
    take: BTreeMap<String, String>,
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
                "submitted_on.day" => typed.submitted_on.day = value.clone(),
                "submitted_on.month" => typed.submitted_on.month = value.clone(),
                "submitted_on.year" => typed.submitted_on.year = value.clone(),
                "applicant_email" => typed.applicant_email = value.clone(),
                "application_form" => typed.application_form = true,
                "base" => typed.base = value.clone(),
                "seen" => typed.seen = value.clone(),
                _ if key.starts_with("theirs.") => {
                    typed
                        .theirs
                        .insert(key["theirs.".len()..].to_string(), value.clone());
                }
                _ if key.starts_with("take.") => {
                    typed
                        .take
                        .insert(key["take.".len()..].to_string(), value.clone());
                }
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
        let submitted_on = match self
            .submitted_on
            .read("submitted_on", words::DATE_OF_FILING)
        {
            Ok(day) => day,
            Err(error) => {
                errors.push(error);
                NaiveDate::MIN
            }
        };
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            let get = |k: &str| m.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
            let optional = |k: &str| Some(get(k)).filter(|v| !v.is_empty());
            let path = |k: &str| format!("members[{i}].{k}");
            let birth_date = match member_date(m).read(&path("birth_date"), words::DATE_OF_BIRTH) {
                Ok(day) => day,
                Err(error) => {
                    errors.push(error);
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
            submitted_on: DateBoxes::of(view.record.submitted_on),
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
                    set_member_date(&mut m, &DateBoxes::of(p.birth_date));
                    if p.abroad {
                        m.insert("abroad".into(), "on".into());
                    }
                    for kind in &p.documents {
                        m.insert(format!("doc.{}", kind.as_str()), "on".into());
                    }
                    m
                })
                .collect(),
            base: String::new(),
            seen: view.record.audit_seq.to_string(),
            theirs: BTreeMap::new(),
            take: BTreeMap::new(),
        }
    }
}

/// A member's date of birth as its three boxes were typed.
fn member_date(member: &BTreeMap<String, String>) -> DateBoxes {
    let part = |p: &str| {
        member
            .get(&format!("birth_date.{p}"))
            .cloned()
            .unwrap_or_default()
    };
    DateBoxes {
        day: part("day"),
        month: part("month"),
        year: part("year"),
    }
}

fn set_member_date(member: &mut BTreeMap<String, String>, date: &DateBoxes) {
    for (part, value) in [
        ("day", &date.day),
        ("month", &date.month),
        ("year", &date.year),
    ] {
        member.insert(format!("birth_date.{part}"), value.clone());
    }
}

/// A date as one value, to compare: ISO when the boxes are a date, else
/// the boxes as typed (`d/m/y`), empty when all are blank.
fn date_value(date: &DateBoxes) -> String {
    match date.parse() {
        Ok(day) => day.to_string(),
        Err(DateProblem::Blank) => String::new(),
        Err(_) => format!(
            "{}/{}/{}",
            date.day.trim(),
            date.month.trim(),
            date.year.trim()
        ),
    }
}

/// The boxes of a [`date_value`].
fn date_boxes_of(value: &str) -> DateBoxes {
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return DateBoxes::of(day);
    }
    let mut parts = value.splitn(3, '/').map(str::to_string);
    DateBoxes {
        day: parts.next().unwrap_or_default(),
        month: parts.next().unwrap_or_default(),
        year: parts.next().unwrap_or_default(),
    }
}

/// A member's path in a flat form (`members[2].first_name`).
fn member_key(index: usize, field: &str) -> String {
    format!("members[{index}].{field}")
}

fn split_member_key(key: &str) -> Option<(usize, &str)> {
    let rest = key.strip_prefix("members[")?;
    let (index, field) = rest.split_once("].")?;
    Some((index.parse().ok()?, field))
}

impl Typed {
    /// The family's values as one map, a value a key, dates as one value
    /// and a ticked box as `on`; what is blank is absent. Three of these
    /// (as opened, as typed, as stored now) make an edit's merge.
    fn flat(&self) -> BTreeMap<String, String> {
        let mut flat = BTreeMap::new();
        flat.insert("office".to_string(), self.office.trim().to_string());
        flat.insert("submitted_on".to_string(), date_value(&self.submitted_on));
        flat.insert(
            "applicant_email".to_string(),
            self.applicant_email.trim().to_string(),
        );
        if self.application_form {
            flat.insert("application_form".to_string(), "on".to_string());
        }
        for (i, m) in self.members.iter().enumerate() {
            for (field, value) in m {
                if !field.starts_with("birth_date.") {
                    flat.insert(member_key(i, field), value.trim().to_string());
                }
            }
            flat.insert(member_key(i, "birth_date"), date_value(&member_date(m)));
        }
        flat.retain(|_, v| !v.is_empty());
        flat
    }

    /// Sets one value of a [`Typed::flat`] map (empty to clear it).
    fn set(&mut self, key: &str, value: &str) {
        match key {
            "office" => self.office = value.to_string(),
            "submitted_on" => self.submitted_on = date_boxes_of(value),
            "applicant_email" => self.applicant_email = value.to_string(),
            "application_form" => self.application_form = !value.is_empty(),
            _ => {
                let Some((index, field)) = split_member_key(key) else {
                    return;
                };
                if index >= MAX_MEMBERS {
                    return;
                }
                while self.members.len() <= index {
                    self.members.push(BTreeMap::new());
                }
                let member = &mut self.members[index];
                if field == "birth_date" {
                    set_member_date(member, &date_boxes_of(value));
                } else if value.is_empty() {
                    member.remove(field);
                } else {
                    member.insert(field.to_string(), value.to_string());
                }
            }
        }
    }

    /// Adds a member, filling in what the family already says of them.
    ///
    /// The rule: a son or a daughter is a child of the head and of the
    /// head's spouse. The father's name is the first name of whichever of
    /// the two is a man (the head first), the family name is that man's
    /// family name (a child takes the father's), and the mother's full name
    /// is the first and family name of whichever of the two is a woman.
    /// Without a man among them the father's and family names stay blank,
    /// without a woman the mother's: nothing is guessed. A spouse is of
    /// the other sex from the head and has parents of their own, so only
    /// the relationship and the sex are filled in; any other member gets
    /// nothing. Returns the new member's index.
    fn add_member(&mut self, kind: Option<Relationship>) -> Option<usize> {
        if self.members.len() >= MAX_MEMBERS {
            return None;
        }
        let with = |r: Relationship| {
            self.members
                .iter()
                .find(|m| m.get("relationship").map(String::as_str) == Some(r.as_str()))
        };
        let head = with(Relationship::Head);
        let spouse = with(Relationship::Spouse);
        let of = |m: Option<&BTreeMap<String, String>>, k: &str| {
            m.and_then(|m| m.get(k))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let parent = |sex: &str| {
            [head, spouse]
                .into_iter()
                .flatten()
                .find(|m| m.get("sex").map(String::as_str) == Some(sex))
        };
        let mut member = BTreeMap::new();
        match kind {
            Some(child @ (Relationship::Son | Relationship::Daughter)) => {
                member.insert("relationship".to_string(), child.as_str().to_string());
                let sex = if child == Relationship::Son {
                    "male"
                } else {
                    "female"
                };
                member.insert("sex".to_string(), sex.to_string());
                let father = parent("male");
                let mother = parent("female");
                member.insert("father_name".to_string(), of(father, "first_name"));
                member.insert("family_name".to_string(), of(father, "family_name"));
                let mother_name =
                    format!("{} {}", of(mother, "first_name"), of(mother, "family_name"));
                member.insert("mother_name".to_string(), mother_name.trim().to_string());
            }
            Some(Relationship::Spouse) => {
                member.insert("relationship".to_string(), "spouse".to_string());
                match of(head, "sex").as_str() {
                    "male" => member.insert("sex".to_string(), "female".to_string()),
                    "female" => member.insert("sex".to_string(), "male".to_string()),
                    _ => None,
                };
            }
            _ => {}
        }
        member.retain(|_, v| !v.is_empty());
        self.members.push(member);
        Some(self.members.len() - 1)
    }

    /// The choices made after a conflict applied: the value now where
    /// the officer took it, theirs where they kept their own. A choice not
    /// made is an error beside it.
    fn apply_choices(&mut self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let theirs = std::mem::take(&mut self.theirs);
        for (key, value) in &theirs {
            match self.take.get(key).map(String::as_str) {
                Some("theirs") => self.set(key, value),
                Some("mine") => {}
                _ => errors.push(FieldError::said(
                    format!("take.{key}"),
                    words::CHOOSE_ONE_OF_THE_TWO_VALUES,
                )),
            }
        }
        if !errors.is_empty() {
            self.theirs = theirs;
        }
        errors
    }
}

/// What saving an edit on a case changed meanwhile comes to: the
/// officer's typing on top of the family as it is now, field by field.
#[derive(Debug, Default, PartialEq, Eq)]
struct Merged {
    /// The family to show: every field the officer changed, and the
    /// others as they are now.
    values: BTreeMap<String, String>,
    /// Fields only someone else changed: (key, as opened, now).
    taken: Vec<(String, String, String)>,
    /// Fields both changed, differently: (key, the officer's, now). The
    /// form shows the officer's, and asks which to keep.
    both: Vec<(String, String, String)>,
}

/// A three-way merge of flat families: `base` as the officer opened it,
/// `mine` as they typed it, `now` as it is stored. Members are matched
/// by their place in the list; a member left with no value is dropped
/// and those after it move up.
fn merge(
    base: &BTreeMap<String, String>,
    mine: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Merged {
    let mut merged = Merged::default();
    let keys: std::collections::BTreeSet<&String> =
        base.keys().chain(mine.keys()).chain(now.keys()).collect();
    let get = |map: &BTreeMap<String, String>, k: &str| map.get(k).cloned().unwrap_or_default();
    for key in keys {
        let (b, m, n) = (get(base, key), get(mine, key), get(now, key));
        let value = if m == n || n == b {
            m
        } else if m == b {
            merged.taken.push((key.clone(), b, n.clone()));
            n
        } else {
            merged.both.push((key.clone(), m.clone(), n));
            m
        };
        if !value.is_empty() {
            merged.values.insert(key.clone(), value);
        }
    }
    // Members left with nothing, and those only the conflicts name, are
    // renumbered so that the list has no gap.
    let mut used: Vec<usize> = merged
        .values
        .keys()
        .chain(merged.both.iter().map(|(k, _, _)| k))
        .filter_map(|k| split_member_key(k).map(|(i, _)| i))
        .collect();
    used.sort_unstable();
    used.dedup();
    let renumber = |key: &str| match split_member_key(key) {
        Some((i, field)) => member_key(used.iter().position(|u| *u == i).unwrap_or(i), field),
        None => key.to_string(),
    };
    merged.values = merged
        .values
        .iter()
        .map(|(k, v)| (renumber(k), v.clone()))
        .collect();
    for (key, _, _) in merged.taken.iter_mut().chain(merged.both.iter_mut()) {
        *key = renumber(key);
    }
    merged
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
        submitted_on: DateBoxes::of(local_date(Utc::now())),
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
        &Shown::default(),
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
        Ok(edit) => {
            let mut typed = Typed::of_case(&edit.case);
            typed.base = serde_json::to_string(&typed.flat()).unwrap_or_default();
            render(
                &edit.form,
                &user,
                lang,
                &edit_target(&reference, edit.case.record.version),
                &typed,
                &Shown::default(),
                StatusCode::OK,
            )
        }
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
    // A member added or removed: the form again, unchecked, back at the
    // member added.
    let mut focus = None;
    // How many of that kind at once (one when the box is empty or not a
    // number; the form's own limit of members caps it).
    let how_many = super::form::western(value("add_count"))
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, MAX_MEMBERS);
    let mut add = |kind: Option<Relationship>| {
        let first = typed.add_member(kind);
        for _ in 1..how_many {
            typed.add_member(kind);
        }
        first
    };
    let saving = match value("op") {
        "add" => {
            focus = add(None);
            false
        }
        op if op.starts_with("add:") => {
            focus = add(Relationship::parse(&op["add:".len()..]));
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
    // After a conflict, the values the officer chose to take.
    let choices = if saving {
        typed.apply_choices()
    } else {
        Vec::new()
    };
    let (draft, mut errors) = typed.draft(state);
    errors.extend(choices);
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
        let shown = Shown {
            focus,
            ..Shown::default()
        };
        return render(&page, user, lang, &target, &typed, &shown, StatusCode::OK);
    }
    if !errors.is_empty() {
        // The engine's word on a field the page has spoken of is not said
        // twice; the district follows from the office, so an office not
        // chosen is one error, not a second one listing the districts.
        for e in &page.errors {
            let said = |x: &FieldError| {
                x.field == e.field || (e.field == "district" && x.field == "office")
            };
            if !errors.iter().any(said) {
                errors.push(e.clone());
            }
        }
        return render(
            &page,
            user,
            lang,
            &target,
            &typed,
            &Shown::errors(errors),
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
            &Shown::errors(errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // Someone changed the case since the officer opened the form: the
        // officer's typing on top of the case as it is now, with who did
        // what meanwhile, to check and save again.
        Err(AppError::StaleVersion { .. }) if reference.is_some() => {
            conflict(state, user, lang, reference.unwrap_or_default(), &typed).await
        }
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
                &Shown::errors(vec![problem]),
                error.status(),
            )
        }
    }
}

/// What a form shows besides the values typed: the errors, the member
/// just added (focused), and an edit's conflict.
#[derive(Default)]
struct Shown {
    errors: Vec<FieldError>,
    focus: Option<usize>,
    conflict: Option<Conflict>,
}

impl Shown {
    fn errors(errors: Vec<FieldError>) -> Shown {
        Shown {
            errors,
            ..Shown::default()
        }
    }
}

/// An edit saved on a case someone changed since the form was opened.
struct Conflict {
    /// What was done to the case since: who, when, what (in words).
    events: Vec<(String, DateTime<Utc>, Text)>,
    /// Fields only someone else changed: (key, as opened, now).
    taken: Vec<(String, String, String)>,
}

/// The edit form again after a conflict: the officer's typing merged onto
/// the case as it is now (its version and values become the form's), who
/// did what since the officer's version, and a choice where both changed
/// the same field.
async fn conflict(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    reference: &str,
    typed: &Typed,
) -> Response {
    let edit = match pages::edit_page(&state.engine, reference, &user.actor, Utc::now()).await {
        Ok(edit) => edit,
        Err(error) => {
            let path = format!("/applications/{reference}/edit");
            let header = Header {
                user: Some(user),
                path: &path,
            };
            let title = lang.say(&words::EDIT_THE_APPLICATION);
            return error_page(lang, &header, title, &ApiError::from(error), html! {});
        }
    };
    let now = Typed::of_case(&edit.case);
    let now_flat = now.flat();
    // Without the family as opened (a form from before this field), every
    // field the officer's typing and the case disagree on is asked.
    let base: BTreeMap<String, String> = serde_json::from_str(&typed.base).unwrap_or_default();
    let merged = merge(&base, &typed.flat(), &now_flat);
    let mut shown_typed = Typed {
        workflow: now.workflow.clone(),
        base: serde_json::to_string(&now_flat).unwrap_or_default(),
        seen: now.seen.clone(),
        ..Typed::default()
    };
    for (key, value) in &merged.values {
        shown_typed.set(key, value);
    }
    for (key, _, theirs) in &merged.both {
        shown_typed.theirs.insert(key.clone(), theirs.clone());
    }
    let seen = typed.seen.trim().parse::<i64>().ok();
    let events = edit
        .changes_since(seen)
        .iter()
        .map(|e| {
            (
                e.actor.clone(),
                e.at,
                case_view::action_labels(&edit.case.workflow, &e.action),
            )
        })
        .collect();
    let shown = Shown {
        conflict: Some(Conflict {
            events,
            taken: merged.taken,
        }),
        ..Shown::default()
    };
    render(
        &edit.form,
        user,
        lang,
        &edit_target(reference, edit.case.record.version),
        &shown_typed,
        &shown,
        StatusCode::CONFLICT,
    )
}

fn render(
    page: &FamilyFormPage,
    user: &WebUser,
    lang: PageLang,
    target: &Target,
    typed: &Typed,
    shown: &Shown,
    status: StatusCode,
) -> Response {
    let errors = &shown.errors;
    let header = Header {
        user: Some(user),
        path: &target.action,
    };
    let Some(workflow) = page.chosen(&typed.workflow) else {
        let error = ApiError::from(AppError::NotFound(
            crate::domain::words::problems::no_workflow(&typed.workflow),
        ));
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
        @if let Some(conflict) = &shown.conflict { (conflict_notice(lang, page, workflow, conflict)) }
        form method="post" action=(target.action) novalidate {
            // Enter in a field submits with the form's first button: make
            // that one "open the application", not "add a member".
            button type="submit" name="op" value="save" class="default-submit" tabindex="-1" aria-hidden="true" {
                (lang.say(&target.button()))
            }
            input type="hidden" name="csrf_token" value=(user.csrf);
            @if let Some(v) = target.version {
                input type="hidden" name="version" value=(v);
                input type="hidden" name="base" value=(typed.base);
                input type="hidden" name="seen" value=(typed.seen);
            }
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
            (date_boxes(lang, "submitted_on", "submitted_on", lang.say(&words::DATE_OF_FILING), &typed.submitted_on, error_of("submitted_on").as_deref()))
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
            @if !typed.theirs.is_empty() { (choices(lang, page, workflow, typed, &error_of)) }
            h2 { (lang.say(&form.persons)) }
            @for (i, m) in typed.members.iter().enumerate() {
                fieldset class="member" id=(format!("member-{i}")) {
                    @if one_person {
                        legend { (lang.say(&form.person)) }
                    } @else {
                        legend { (lang.say(&form.person)) " " (i + 1) }
                    }
                    @for (name, label) in MEMBER_TEXT_FIELDS.iter().filter(|(name, _)| form.register_number || *name != "register_number") {
                        @let path = format!("members[{i}].{name}");
                        @let value = m.get(*name).cloned().unwrap_or_default();
                        @if *name == "birth_date" {
                            (date_boxes(lang, &path, &anchor(&path), lang.say(label), &member_date(m), error_of(&path).as_deref()))
                        } @else {
                            (field(&path, lang.say(label), error_of(&path), html! {
                                @if name.starts_with("latin_") || *name == "register_number" {
                                    input id=(anchor(&path)) name=(path) value=(value) dir="ltr" autocomplete="off";
                                } @else {
                                    // The member just added is where the officer is.
                                    input id=(anchor(&path)) name=(path) value=(value) autocomplete="off"
                                        autofocus[*name == "first_name" && shown.focus == Some(i)];
                                }
                            }))
                        }
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
            // Each adds members (as many as the box says) and comes back to
            // the first of them, its first field focused (autofocus, which
            // also scrolls to it: no fragment in the address, since a
            // fragment's target stops the browser from applying autofocus);
            // a son or a daughter comes with their parents' names filled in.
            @if !one_person { p class="add-members" {
                label for="add-count" { (lang.say(&words::HOW_MANY_TO_ADD)) }
                " "
                input type="number" id="add-count" name="add_count" value="1" min="1" max=(MAX_MEMBERS) inputmode="numeric" class="count";
                " "
                @for (op, words) in [
                    ("add:spouse", words::ADD_THE_SPOUSE),
                    ("add:son", words::ADD_A_SON),
                    ("add:daughter", words::ADD_A_DAUGHTER),
                    ("add", words::ADD_ANOTHER_MEMBER),
                ] {
                    button type="submit" name="op" value=(op) class="secondary" formnovalidate { (lang.say(&words)) }
                    " "
                }
            } }
            p {
                button type="submit" name="op" value="save" { (lang.say(&target.button())) }
            }
        }
    };
    page_with_status(status, lang, &header, title, body)
}

/// Who did what to the case since the officer opened the form, and the
/// fields now showing someone else's change.
fn conflict_notice(
    lang: PageLang,
    page: &FamilyFormPage,
    workflow: &Workflow,
    conflict: &Conflict,
) -> Markup {
    html! {
        div class="notice warn conflict" role="alert" id="conflict" tabindex="-1" {
            h2 { (lang.say(&words::CHANGED_SINCE_YOU_OPENED_IT)) }
            @if !conflict.events.is_empty() {
                p { (lang.say(&words::WHAT_CHANGED_SINCE)) }
                ul {
                    @for (actor, at, what) in &conflict.events {
                        li {
                            bdi { (actor) } " — "
                            bdi dir="ltr" { (at.with_timezone(&syria_time()).format("%Y-%m-%d %H:%M").to_string()) }
                            ": " (lang.say(what))
                        }
                    }
                }
            }
            @if !conflict.taken.is_empty() {
                p { (lang.say(&words::FIELDS_CHANGED_MEANWHILE)) }
                ul {
                    @for (key, was, now) in &conflict.taken {
                        li {
                            (field_words(lang, workflow, key)) ": "
                            (value_words(lang, page, key, was)) " → " (value_words(lang, page, key, now))
                        }
                    }
                }
            }
            p { (lang.say(&words::YOUR_TYPING_IS_KEPT)) }
        }
    }
}

/// Where both the officer and someone else changed a field: both values,
/// one to choose. The officer's stays in its field below; the value now
/// is carried with the form.
fn choices(
    lang: PageLang,
    page: &FamilyFormPage,
    workflow: &Workflow,
    typed: &Typed,
    error_of: &dyn Fn(&str) -> Option<String>,
) -> Markup {
    let flat = typed.flat();
    html! {
        section class="choices" aria-labelledby="both-changed" {
            h2 id="both-changed" { (lang.say(&words::BOTH_CHANGED)) }
            @for (key, theirs) in &typed.theirs {
                @let take = format!("take.{key}");
                @let id = anchor(&take);
                @let error = error_of(&take);
                @let chosen = typed.take.get(key).map(String::as_str);
                @let mine = flat.get(key).cloned().unwrap_or_default();
                div class=(if error.is_some() { "field has-error" } else { "field" }) {
                    fieldset {
                        legend { (field_words(lang, workflow, key)) }
                        @if let Some(error) = &error { span class="error-text" { (error) } }
                        input type="hidden" name=(format!("theirs.{key}")) value=(theirs);
                        label {
                            input type="radio" id=(id) name=(take) value="mine" checked[chosen == Some("mine")];
                            " " (lang.say(&words::YOUR_VALUE)) ": " strong { (value_words(lang, page, key, &mine)) }
                        }
                        br;
                        label {
                            input type="radio" name=(take) value="theirs" checked[chosen == Some("theirs")];
                            " " (lang.say(&words::THE_VALUE_NOW)) ": " strong { (value_words(lang, page, key, theirs)) }
                        }
                    }
                }
            }
        }
    }
}

/// A flat value as a reader reads it: a date day first, a choice by its
/// words, a ticked box as yes or no, an office by its name.
fn value_words(lang: PageLang, page: &FamilyFormPage, key: &str, value: &str) -> Markup {
    let field = split_member_key(key).map_or(key, |(_, field)| field);
    if value.is_empty()
        && !(field.starts_with("doc.") || field == "abroad" || field == "application_form")
    {
        return html! { (lang.say(&words::EMPTY)) };
    }
    let said = match field {
        "submitted_on" | "birth_date" => {
            let boxes = date_boxes_of(value);
            return html! { bdi dir="ltr" { (boxes.day) "/" (boxes.month) "/" (boxes.year) } };
        }
        "sex" => match value {
            "male" => lang.say(&words::MALE).to_string(),
            "female" => lang.say(&words::FEMALE).to_string(),
            other => other.to_string(),
        },
        "relationship" => Relationship::parse(value)
            .map_or_else(|| value.to_string(), |r| lang.say(&r.words()).to_string()),
        "office" => page
            .districts
            .iter()
            .flat_map(|d| &d.offices)
            .find(|o| o.code == value)
            .map_or_else(|| value.to_string(), |o| lang.say(&o.names).to_string()),
        f if f.starts_with("doc.") || f == "abroad" || f == "application_form" => {
            if value.is_empty() {
                lang.say(&words::NO).to_string()
            } else {
                lang.say(&words::YES).to_string()
            }
        }
        _ => value.to_string(),
    };
    html! { bdi { (said) } }
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
    let path = path.strip_prefix("take.").unwrap_or(path);
    if let Some(rest) = path.strip_prefix("members[")
        && let Some((index, field)) = rest.split_once("].")
    {
        let n = index.parse::<usize>().map_or(0, |i| i + 1);
        let words = MEMBER_TEXT_FIELDS
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, label)| lang.say(label))
            .map(str::to_string)
            .unwrap_or_else(|| match field {
                "sex" => lang.say(&words::SEX).to_string(),
                "relationship" => lang.say(&words::RELATIONSHIP).to_string(),
                "abroad" => lang.say(&words::LIVES_ABROAD).to_string(),
                doc if doc.starts_with("doc.") => MEMBER_DOCUMENTS
                    .iter()
                    .find(|k| doc["doc.".len()..] == *k.as_str())
                    .map_or_else(
                        || lang.say(&crate::http::pages::words::FIELD).to_string(),
                        |k| lang.say(&k.words()).to_string(),
                    ),
                _ => lang.say(&crate::http::pages::words::FIELD).to_string(),
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
        "application_form" => lang.say(&DocumentKind::ApplicationForm.words()).to_string(),
        "members" => lang.say(&form.persons).to_string(),
        _ => lang.say(&words::THE_APPLICATION).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_edit_merges_field_by_field_and_asks_where_both_changed() {
        let base = map(&[
            ("office", "amuda"),
            ("members[0].first_name", "أحمد"),
            ("members[0].birth_place", "القامشلي"),
            ("members[1].first_name", "عائشة"),
        ]);
        let mine = map(&[
            ("office", "amuda"),
            ("members[0].first_name", "أحمد"),
            ("members[0].father_name", "حسين"),
            ("members[0].birth_place", "القامشلي"),
            ("members[1].first_name", "زينب"),
        ]);
        let now = map(&[
            ("office", "amuda"),
            ("members[0].first_name", "أحمد"),
            ("members[0].birth_place", "عامودا"),
            ("members[1].first_name", "خديجة"),
        ]);
        let merged = merge(&base, &mine, &now);
        assert_eq!(
            merged.values,
            map(&[
                ("office", "amuda"),
                ("members[0].first_name", "أحمد"),
                ("members[0].father_name", "حسين"),
                ("members[0].birth_place", "عامودا"),
                ("members[1].first_name", "زينب"),
            ])
        );
        assert_eq!(
            merged.taken,
            vec![(
                "members[0].birth_place".to_string(),
                "القامشلي".to_string(),
                "عامودا".to_string()
            )]
        );
        assert_eq!(
            merged.both,
            vec![(
                "members[1].first_name".to_string(),
                "زينب".to_string(),
                "خديجة".to_string()
            )]
        );
    }

    #[test]
    fn a_member_removed_meanwhile_leaves_no_gap() {
        let base = map(&[
            ("members[0].first_name", "أحمد"),
            ("members[1].first_name", "عائشة"),
            ("members[2].first_name", "عمر"),
        ]);
        let now = map(&[
            ("members[0].first_name", "أحمد"),
            ("members[2].first_name", "عمر"),
        ]);
        let merged = merge(&base, &base, &now);
        assert_eq!(
            merged.values,
            map(&[
                ("members[0].first_name", "أحمد"),
                ("members[1].first_name", "عمر"),
            ])
        );
    }

    fn member(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        map(pairs)
    }

    #[test]
    fn a_child_added_takes_the_father_s_names_and_the_mother_s_full_name() {
        let mut typed = Typed {
            members: vec![
                member(&[
                    ("relationship", "head"),
                    ("sex", "female"),
                    ("first_name", "ڤیان"),
                    ("family_name", "زازا"),
                ]),
                member(&[
                    ("relationship", "spouse"),
                    ("sex", "male"),
                    ("first_name", "کاوە"),
                    ("family_name", "جميل"),
                ]),
            ],
            ..Typed::default()
        };
        assert_eq!(typed.add_member(Some(Relationship::Daughter)), Some(2));
        assert_eq!(
            typed.members[2],
            member(&[
                ("relationship", "daughter"),
                ("sex", "female"),
                ("father_name", "کاوە"),
                ("family_name", "جميل"),
                ("mother_name", "ڤیان زازا"),
            ])
        );
        // A head alone, a woman: the father's names are not guessed.
        typed.members.truncate(1);
        typed.add_member(Some(Relationship::Son));
        assert_eq!(
            typed.members[1],
            member(&[
                ("relationship", "son"),
                ("sex", "male"),
                ("mother_name", "ڤیان زازا"),
            ])
        );
        typed.add_member(Some(Relationship::Spouse));
        assert_eq!(
            typed.members[2],
            member(&[("relationship", "spouse"), ("sex", "male")])
        );
        typed.add_member(None);
        assert!(typed.members[3].is_empty());
    }
}
