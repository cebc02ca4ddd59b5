//! Reading and checking backlog CSV files, without storing anything: the
//! header by name, line numbers counted from byte offsets, every cell
//! checked, `ApplicationDraft::validate` with its field paths turned back
//! into line and column, and a family with any bad row refused whole.
//!
//! Nothing here touches the store or reads the clock: `today` is an
//! argument. Storing what passes is the job of the parent module.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::family::{
    Application, ApplicationDraft, DocumentKind, MemberDraft, Relationship, Sex,
};
use crate::domain::field_error::FieldError;
use crate::domain::identifiers::ReferenceNumber;
use crate::domain::language::Text;
use crate::domain::names::normalise_for_search;
use crate::domain::places::Places;
use crate::domain::text::{Lines, forbidden, forbidden_character};
use crate::domain::words::{self as vocabulary, import as words};
use crate::workflow::{Actor, Workflow};

/// Columns every file must have, in any order.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "reference",
    "district",
    "office",
    "submitted_on",
    "state",
    "relationship",
    "first_name",
    "father_name",
    "mother_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_place",
];

/// Columns a file may have; an empty cell means "none" or the default.
pub const OPTIONAL_COLUMNS: &[&str] = &[
    "state_since",
    "applicant_email",
    "family_documents",
    "latin_first_name",
    "latin_family_name",
    "register_number",
    "abroad",
    "documents",
];

/// The columns that describe the family rather than the person; repeated on
/// every row of the family (or left empty after its first row).
const FAMILY_COLUMNS: &[&str] = &[
    "district",
    "office",
    "submitted_on",
    "state",
    "state_since",
    "applicant_email",
    "family_documents",
];

/// A problem with one row (or a whole file when `line` is 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub file: String,
    /// The line the row starts on, counting the header as line 1.
    pub line: u64,
    /// The column concerned, if one is.
    pub column: Option<String>,
    pub message: String,
    pub message_ar: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(column) = &self.column {
            write!(f, "{column}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// One file to import: a name for reports and the audit trail, and its bytes.
pub struct Source {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The backlog as read and checked: the families ready to store, and what
/// the import report says about the others.
#[derive(Default)]
pub(super) struct Backlog {
    /// Data rows read (headers not counted).
    pub(super) rows: u64,
    /// Families found in the files.
    pub(super) families: u64,
    /// Families refused because of a bad row.
    pub(super) refused: u64,
    /// Every problem found, ordered by file, line and column.
    pub(super) errors: Vec<RowError>,
    /// The families with no problem, in file order.
    pub(super) ready: Vec<Checked>,
}

/// A family ready to be stored.
pub(super) struct Checked {
    pub(super) reference: ReferenceNumber,
    /// The file it came from.
    pub(super) file: String,
    pub(super) application: Application,
    /// The state its case had reached in the old register.
    pub(super) state: String,
    /// The day its case entered that state.
    pub(super) since: NaiveDate,
    pub(super) first_line: u64,
    pub(super) last_line: u64,
}

/// Reads and checks every family in `sources` as of `today`; a family with
/// any bad row is refused whole. A family outside the `importer`'s district
/// (when it has one) is refused too, and so is one whose district or office
/// is not among the reference `places`. The `workflow` cases are imported
/// under names the states a cell may give by their labels.
pub(super) fn read_backlog(
    sources: &[Source],
    today: NaiveDate,
    importer: &Actor,
    places: &Places,
    workflow: &Workflow,
) -> Backlog {
    let mut backlog = Backlog::default();
    let families = read_families(sources, &mut backlog);
    backlog.families = families.len() as u64;
    for family in &families {
        if family.refused {
            backlog.refused += 1;
            continue;
        }
        match check_family(family, today, importer, places, workflow) {
            Ok(checked) => backlog.ready.push(checked),
            Err(mut errors) => {
                backlog.refused += 1;
                backlog.errors.append(&mut errors);
            }
        }
    }
    backlog.errors.sort_by(|a, b| {
        (a.file.as_str(), a.line, &a.column).cmp(&(b.file.as_str(), b.line, &b.column))
    });
    backlog
}

struct Row {
    line: u64,
    /// The cells by column, in the order of [`column_index`]; `None` for a
    /// column the row could not give (missing, or not UTF-8).
    cells: Vec<Option<Box<str>>>,
}

/// The position of a known column among the required then optional ones.
fn column_index(column: &str) -> Option<usize> {
    REQUIRED_COLUMNS
        .iter()
        .chain(OPTIONAL_COLUMNS)
        .position(|c| *c == column)
}

impl Row {
    fn get(&self, column: &str) -> &str {
        column_index(column)
            .and_then(|i| self.cells[i].as_deref())
            .map_or("", str::trim)
    }
}

struct Family {
    reference: ReferenceNumber,
    file: String,
    rows: Vec<Row>,
    refused: bool,
}

fn error(file: &str, line: u64, column: Option<&str>, said: impl Into<Text>) -> RowError {
    let said = said.into();
    RowError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message: said.en,
        message_ar: said.ar,
    }
}

/// Reads the files into families, reporting every row that cannot be read.
fn read_families(sources: &[Source], backlog: &mut Backlog) -> Vec<Family> {
    let mut families: Vec<Family> = Vec::new();
    let mut by_reference: HashMap<String, usize> = HashMap::new();
    for source in sources {
        let file = source.name.as_str();
        let bytes = source
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&source.bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut header: Vec<Option<&'static str>> = Vec::new();
        let mut have_header = false;
        let mut lines = LineCounter::new(bytes);
        // The family the previous row belonged to, to keep families contiguous.
        let mut current: Option<usize> = None;
        for record in reader.byte_records() {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    let line = lines.at(e.position().map_or(0, |p| p.byte()));
                    backlog
                        .errors
                        .push(error(file, line, None, words::not_csv(&e)));
                    continue;
                }
            };
            let line = lines.at(record.position().map_or(0, |p| p.byte()));
            if !have_header {
                have_header = true;
                match read_header(file, line, &record) {
                    Ok(columns) => header = columns,
                    Err(mut errors) => {
                        backlog.errors.append(&mut errors);
                        break;
                    }
                }
                continue;
            }
            if record
                .iter()
                .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            backlog.rows += 1;
            let mut cells: Vec<Option<Box<str>>> =
                vec![None; REQUIRED_COLUMNS.len() + OPTIONAL_COLUMNS.len()];
            let mut bad = false;
            if record.len() != header.len() {
                bad = true;
                backlog.errors.push(error(
                    file,
                    line,
                    None,
                    words::field_count(record.len(), header.len()),
                ));
            }
            for (column, cell) in header.iter().zip(record.iter()) {
                let Some(column) = column else { continue };
                match std::str::from_utf8(cell) {
                    // Cells are trimmed when read; inside, no control or
                    // text-direction character (see `domain::text`).
                    Ok(text) => match forbidden_character(text.trim(), Lines::One) {
                        Some(c) => {
                            bad = true;
                            let problem = forbidden(column, c);
                            backlog.errors.push(error(
                                file,
                                line,
                                Some(column),
                                Text::new(problem.message_ar, problem.message),
                            ));
                        }
                        None => {
                            if let Some(i) = column_index(column) {
                                cells[i] = Some(text.into());
                            }
                        }
                    },
                    Err(e) => {
                        bad = true;
                        backlog.errors.push(error(
                            file,
                            line,
                            Some(column),
                            words::not_utf8(e.valid_up_to() + 1),
                        ));
                    }
                }
            }
            let row = Row { line, cells };
            let reference = match ReferenceNumber::parse(row.get("reference")) {
                Ok(reference) => reference,
                Err(e) => {
                    // Not part of any family: the row is reported alone.
                    if column_index("reference").is_none_or(|i| row.cells[i].is_none()) {
                        continue;
                    }
                    backlog
                        .errors
                        .push(error(file, line, Some("reference"), e.said()));
                    continue;
                }
            };
            let key = reference.as_str().to_string();
            let index = match by_reference.get(&key) {
                Some(&index) if current == Some(index) => index,
                Some(&index) => {
                    let first = &families[index];
                    backlog.errors.push(error(
                        file,
                        line,
                        Some("reference"),
                        words::reference_reused(&key, &first.file, first.rows[0].line),
                    ));
                    families[index].refused = true;
                    current = Some(index);
                    continue;
                }
                None => {
                    families.push(Family {
                        reference,
                        file: file.to_string(),
                        rows: Vec::new(),
                        refused: false,
                    });
                    by_reference.insert(key, families.len() - 1);
                    families.len() - 1
                }
            };
            current = Some(index);
            families[index].refused |= bad;
            families[index].rows.push(row);
        }
        if !have_header {
            backlog.errors.push(error(file, 0, None, words::NO_HEADER));
        }
    }
    families
}

/// Line numbers from byte offsets, counted as editors count them (the
/// reader's own count is off after a CRLF line end).
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `offset` that is not a
    /// line end (records start after their predecessor's terminator).
    fn at(&mut self, offset: u64) -> u64 {
        let mut target = (offset as usize).min(self.bytes.len());
        while target < self.bytes.len() && matches!(self.bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target >= self.offset {
            self.line += self.bytes[self.offset..target]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.offset = target;
        }
        self.line
    }
}

fn read_header(
    file: &str,
    line: u64,
    record: &csv::ByteRecord,
) -> Result<Vec<Option<&'static str>>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut columns = Vec::new();
    for cell in record.iter() {
        let name = String::from_utf8_lossy(cell).trim().to_ascii_lowercase();
        let known = REQUIRED_COLUMNS
            .iter()
            .chain(OPTIONAL_COLUMNS)
            .find(|c| **c == name)
            .copied();
        match known {
            Some(column) if columns.contains(&Some(column)) => {
                errors.push(error(file, line, Some(column), words::COLUMN_TWICE))
            }
            Some(column) => columns.push(Some(column)),
            None => {
                errors.push(error(file, line, Some(&name), words::UNKNOWN_COLUMN));
                columns.push(None);
            }
        }
    }
    for required in REQUIRED_COLUMNS {
        if !columns.contains(&Some(*required)) {
            errors.push(error(
                file,
                line,
                Some(required),
                words::REQUIRED_COLUMN_MISSING,
            ));
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

/// The state a cell names, by code or by the Arabic name the definition
/// gives it (in search form, so hamza and spacing do not matter), if cases
/// can be imported in it.
/// The definition says which (`importable`): the backlog still to be worked.
fn importable_state(workflow: &Workflow, cell: &str) -> Option<String> {
    let importable = workflow.importable_states();
    if importable.contains(&cell) {
        return Some(cell.to_string());
    }
    let folded = normalise_for_search(cell);
    importable
        .into_iter()
        .find(|s| normalise_for_search(&workflow.state_labels(s).ar) == folded)
        .map(|s| s.to_string())
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&normalise_for_search(text), "%Y-%m-%d").ok()
}

fn parse_documents(text: &str) -> Result<Vec<DocumentKind>, String> {
    text.split([';', ','])
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| DocumentKind::parse(d).ok_or_else(|| d.to_string()))
        .collect()
}

fn parse_flag(text: &str) -> Option<bool> {
    match normalise_for_search(text).as_str() {
        "" | "no" | "false" | "0" => Some(false),
        "yes" | "true" | "1" => Some(true),
        word if words::NO_WORDS.contains(&word) => Some(false),
        word if words::YES_WORDS.contains(&word) => Some(true),
        _ => None,
    }
}

/// Checks one family's rows; every problem is reported.
fn check_family(
    family: &Family,
    today: NaiveDate,
    importer: &Actor,
    places: &Places,
    workflow: &Workflow,
) -> Result<Checked, Vec<RowError>> {
    let file = family.file.as_str();
    let first = &family.rows[0];
    let mut errors = Vec::new();
    let mut bad = |line: u64, column: &str, said: Text| {
        errors.push(error(file, line, Some(column), said));
    };
    for row in &family.rows[1..] {
        for column in FAMILY_COLUMNS {
            let value = row.get(column);
            if !value.is_empty() && value != first.get(column) {
                bad(
                    row.line,
                    column,
                    words::differs_in_family(value, first.line, first.get(column)),
                );
            }
        }
    }
    let submitted_on = parse_date(first.get("submitted_on"));
    if submitted_on.is_none() {
        bad(first.line, "submitted_on", words::NOT_A_DATE.text());
    }
    let typed_state = first.get("state");
    let state = importable_state(workflow, typed_state).unwrap_or_else(|| {
        // Arabic readers are told the Arabic names, which a cell may give;
        // English readers the codes.
        bad(
            first.line,
            "state",
            words::not_importable(
                workflow
                    .state(typed_state)
                    .map_or(typed_state, |s| s.labels.ar.as_str()),
                typed_state,
                &vocabulary::list_said(
                    &workflow
                        .importable_states()
                        .into_iter()
                        .map(|s| workflow.state_labels(s))
                        .collect::<Vec<_>>(),
                ),
                &vocabulary::list(workflow.importable_states()),
            ),
        );
        String::new()
    });
    let since = match first.get("state_since") {
        "" => submitted_on,
        text => match parse_date(text) {
            Some(day) if submitted_on.is_some_and(|s| day < s) => {
                bad(first.line, "state_since", words::before_submission(day));
                None
            }
            Some(day) if day > today => {
                bad(first.line, "state_since", words::in_the_future(day));
                None
            }
            Some(day) => Some(day),
            None => {
                bad(first.line, "state_since", words::NOT_A_DATE.text());
                None
            }
        },
    };
    let district = first.get("district").to_string();
    if importer.district.as_deref().is_some_and(|d| d != district) {
        let names = places
            .names(&district)
            .cloned()
            .unwrap_or_else(|| Text::of_code(&district));
        bad(first.line, "district", words::outside_your_district(&names));
    }
    let family_documents = match parse_documents(first.get("family_documents")) {
        Ok(documents) => documents,
        Err(unknown) => {
            bad(
                first.line,
                "family_documents",
                words::not_a_document_kind(&unknown),
            );
            Vec::new()
        }
    };
    let mut members = Vec::new();
    for row in &family.rows {
        let line = row.line;
        let relationship = Relationship::parse(row.get("relationship"))
            .or_else(|| Relationship::parse_arabic(row.get("relationship")));
        if relationship.is_none() {
            bad(
                line,
                "relationship",
                words::not_a_relationship(
                    row.get("relationship"),
                    &Text::new(
                        vocabulary::list(Relationship::ALL.map(Relationship::label_ar)).ar,
                        vocabulary::list(Relationship::ALL.map(Relationship::as_str)).en,
                    ),
                ),
            );
        }
        let sex = match row.get("sex") {
            word if words::MALE_WORDS.contains(&word) => Some(Sex::Male),
            word if words::FEMALE_WORDS.contains(&word) => Some(Sex::Female),
            other => Sex::parse(&other.to_ascii_lowercase()),
        };
        if sex.is_none() {
            bad(line, "sex", words::NOT_A_SEX.text());
        }
        let birth_date = parse_date(row.get("birth_date"));
        if birth_date.is_none() {
            bad(line, "birth_date", words::NOT_A_DATE.text());
        }
        let abroad = parse_flag(row.get("abroad"));
        if abroad.is_none() {
            bad(line, "abroad", words::NOT_A_FLAG.text());
        }
        let documents = parse_documents(row.get("documents")).unwrap_or_else(|unknown| {
            bad(line, "documents", words::not_a_document_kind(&unknown));
            Vec::new()
        });
        let optional = |column: &str| Some(row.get(column).to_string()).filter(|s| !s.is_empty());
        if let (Some(relationship), Some(sex), Some(birth_date), Some(abroad)) =
            (relationship, sex, birth_date, abroad)
        {
            members.push(MemberDraft {
                first_name: row.get("first_name").to_string(),
                father_name: row.get("father_name").to_string(),
                mother_name: row.get("mother_name").to_string(),
                family_name: row.get("family_name").to_string(),
                latin_first_name: optional("latin_first_name"),
                latin_family_name: optional("latin_family_name"),
                sex,
                birth_date,
                birth_place: row.get("birth_place").to_string(),
                relationship,
                register_number: optional("register_number"),
                abroad,
                documents,
            });
        }
    }
    let (Some(submitted_on), Some(since)) = (submitted_on, since) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let draft = ApplicationDraft {
        district,
        office: first.get("office").to_string(),
        submitted_on,
        applicant_email: Some(first.get("applicant_email").to_string()).filter(|s| !s.is_empty()),
        family_documents,
        members,
    };
    let application = draft.validate_in(today, places).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| located(family, p))
            .collect::<Vec<_>>()
    })?;
    Ok(Checked {
        reference: family.reference.clone(),
        file: family.file.clone(),
        application,
        state,
        since,
        first_line: first.line,
        last_line: family.rows.last().map_or(first.line, |r| r.line),
    })
}

/// Turns a validation problem (`members[2].birth_date`, `submitted_on`,
/// `members`) into the line and column it comes from.
fn located(family: &Family, problem: FieldError) -> RowError {
    let first = family.rows[0].line;
    let (line, column) = match problem
        .field
        .strip_prefix("members[")
        .and_then(|rest| rest.split_once(']'))
    {
        Some((index, rest)) => {
            let line = index
                .parse::<usize>()
                .ok()
                .and_then(|i| family.rows.get(i))
                .map_or(first, |r| r.line);
            let column = rest.trim_start_matches('.');
            (line, (!column.is_empty()).then(|| column.to_string()))
        }
        None if problem.field == "members" => (first, None),
        None => (first, Some(problem.field.clone())),
    };
    RowError {
        file: family.file.clone(),
        line,
        column,
        message: problem.message,
        message_ar: problem.message_ar,
    }
}
