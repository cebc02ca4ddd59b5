//! The command line's own sentences: what `casework import` and
//! `casework documents backscan` did, and the refusals of
//! `casework users add` that clap cannot give, and the demo's sign-ins
//! `casework serve --demo` prints. An Arabic line starts with
//! a right-to-left mark and isolates file names, so that a terminal lays
//! it out right to left.

use crate::domain::language::{FSI, LRI, PDI, RLM, Text, Words};

/// A document whose different scan was kept.
pub fn scan_kept(file: &str) -> Text {
    Text::new(
        format!("{RLM}{LRI}{file}{PDI}: فيه صورة أخرى محفوظة من قبل، تُركت كما هي"),
        format!("{file}: already holds a different scan, which was kept"),
    )
}

/// The figures of a back-scan run.
pub struct BackscanFigures {
    /// Whether the run only checked (nothing was attached).
    pub checked: bool,
    pub files: u64,
    pub documents: u64,
    pub attached: u64,
    pub already: u64,
    pub kept: usize,
    pub unmatched: usize,
}

pub fn backscan_summary(r: &BackscanFigures) -> Text {
    let checked = r.checked;
    Text::new(
        format!(
            "{RLM}{}: الملفات {}، المستندات {}: {} {}، مرفقة من قبل {}، فيها صورة أخرى (تُركت) {}؛ ملفات لم تطابق شيئاً {}",
            if checked {
                "تجربة دون كتابة"
            } else {
                "أرشفة ضوئية"
            },
            r.files,
            r.documents,
            if checked {
                "ستُرفق"
            } else {
                "أُرفقت"
            },
            r.attached,
            r.already,
            r.kept,
            r.unmatched,
        ),
        format!(
            "{}: {} files, {} documents: {} {}, {} already attached, {} holding another scan (kept); {} files matched nothing",
            if checked { "dry run" } else { "back-scan" },
            r.files,
            r.documents,
            r.attached,
            if checked {
                "would be attached"
            } else {
                "attached"
            },
            r.already,
            r.kept,
            r.unmatched,
        ),
    )
}

/// The figures of an import.
pub struct ImportFigures {
    pub dry_run: bool,
    pub rows: u64,
    pub families: u64,
    pub imported: u64,
    pub persons: u64,
    pub already_present: u64,
    pub refused: u64,
    pub problems: usize,
    pub duplicate_flags: u64,
}

pub fn import_summary(r: &ImportFigures) -> Text {
    Text::new(
        format!(
            "{RLM}{}: الأسطر {}، الأسر {}، {} {} (الأشخاص {})؛ مستوردة من قبل (تُركت) {}؛ مرفوضة {} (المشكلات {})؛ {} {}",
            if r.dry_run {
                "تجربة دون كتابة"
            } else {
                "استيراد"
            },
            r.rows,
            r.families,
            if r.dry_run {
                "ستُستورد"
            } else {
                "استُوردت"
            },
            r.imported,
            r.persons,
            r.already_present,
            r.refused,
            r.problems,
            if r.dry_run {
                "تكرارات محتملة ستُعلَّم"
            } else {
                "تكرارات محتملة عُلِّمت"
            },
            r.duplicate_flags,
        ),
        format!(
            "{}: {} rows, {} families: {} {}, {} persons; {} already imported (skipped); {} refused ({} problems); {} possible duplicates {}",
            if r.dry_run { "dry run" } else { "import" },
            r.rows,
            r.families,
            r.imported,
            if r.dry_run {
                "would be imported"
            } else {
                "imported"
            },
            r.persons,
            r.already_present,
            r.refused,
            r.problems,
            r.duplicate_flags,
            if r.dry_run {
                "would be flagged"
            } else {
                "flagged"
            },
        ),
    )
}

/// `users add --office` without `--district`.
pub fn office_needs_district(office: &str) -> Text {
    Text::new(
        format!(
            "{RLM}خطأ في المركز: يعمل الموظف في مركز ضمن منطقة واحدة: اذكر مع {LRI}--office {office}{PDI} المنطقة التي يتبعها المركز بـ {LRI}--district{PDI}"
        ),
        format!(
            "error: office: an officer works at an office within one district: give --district, the district office '{office}' belongs to, with --office"
        ),
    )
}

/// `users add` of roles that work in one district, without
/// `--district`; `roles` and `codes` are lists.
pub fn roles_need_district(roles: &Text, codes: &Text) -> Text {
    Text::new(
        format!(
            "{RLM}خطأ في المنطقة: الدور {} مرتبط بمنطقة: اذكر {LRI}--district{PDI} بأحد الرموز ({LRI}{}{PDI}) أو {LRI}--all-districts{PDI} لكل المناطق",
            roles.ar, codes.ar
        ),
        format!(
            "error: district: the role {} works in one district: give --district with one of {}, or --all-districts for every district",
            roles.en, codes.en
        ),
    )
}

/// `serve --demo`: the director's sign-in, printed once.
pub fn demo_director(name: &str, password: &str, token: &str) -> Text {
    Text::new(
        format!(
            "{RLM}الدخول إلى لوحة المتابعة من {LRI}/signin{PDI} باسم {LRI}{name}{PDI} (القيادة)، يُطبع مرة واحدة: كلمة المرور {LRI}{password}{PDI}، ومفتاح الواجهة البرمجية {LRI}{token}{PDI}"
        ),
        format!(
            "dashboard sign-in at /signin for {name} (leadership), printed once: password {password}, API token {token}"
        ),
    )
}

/// `serve --demo`: the officers' one password, printed once before the
/// list of them, and why a role may have two of them.
pub fn demo_officers(password: &str) -> Text {
    Text::new(
        format!(
            "{RLM}الدخول إلى منضدة العمل من {LRI}/signin{PDI} للموظفين التالين (كل المناطق)، يُطبع مرة واحدة: كلمة المرور {LRI}{password}{PDI}؛ لا يتولى الشخص الواحد أكثر من مرحلة واحدة من مراحل الطلب، فحيث للدور حسابان يتولى الثاني المرحلة التي لم يعد للأول أن يتولاها"
        ),
        format!(
            "workbench sign-in at /signin for the officers below (every district), printed once: password {password}; one person takes at most one stage of an application, so where a role has two accounts the second takes the stage the first may no longer take"
        ),
    )
}

/// `serve --demo`: one officer, their full name and their roles.
pub fn demo_officer(name: &str, full_name: &str, roles: &[Words]) -> Text {
    let said = |pick: fn(Words) -> &'static str, comma: &str| {
        roles
            .iter()
            .map(|r| pick(*r))
            .collect::<Vec<_>>()
            .join(comma)
    };
    Text::new(
        format!(
            "{RLM}  {LRI}{name}{PDI} ({FSI}{full_name}{PDI}): {}",
            said(|w| w.ar, "، ")
        ),
        format!("  {name} ({FSI}{full_name}{PDI}): {}", said(|w| w.en, ", ")),
    )
}
