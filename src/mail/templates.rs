//! Mail templates: Arabic first, then English, as plain text and HTML.
//! Every piece of user data is escaped in the HTML part.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::words::mail;

/// One case in a reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub reference: String,
    pub state_ar: String,
    pub state_en: String,
    /// A short line about this case (a member's name, days waiting, the
    /// office, …) for the Arabic part, where a place is its Arabic name.
    pub note_ar: String,
    /// The same line for the English part, a place by its English name.
    pub note_en: String,
    pub due_on: Option<NaiveDate>,
}

/// What a template is filled with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Data {
    /// Cases for one officer or supervisor.
    Cases { items: Vec<Item> },
    /// Counts only, for leadership: (label ar, label en, count).
    Counts { rows: Vec<(String, String, i64)> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn titles(template: &str, count: usize) -> (String, String, String, String) {
    // (subject ar, subject en, lead ar, lead en)
    let words = match template {
        "overdue_digest" => mail::OVERDUE_DIGEST,
        "card_due" => mail::CARD_DUE,
        "card_waiting" => mail::CARD_WAITING,
        "returned_reminder" => mail::RETURNED_REMINDER,
        "leadership_digest" => mail::LEADERSHIP_DIGEST,
        "case_returned" => mail::CASE_RETURNED,
        "case_approved" => mail::CASE_APPROVED,
        "case_rejected" => mail::CASE_REJECTED,
        "case_completed" => mail::CASE_COMPLETED,
        _ => mail::NOTICE,
    };
    let (sa, se, la, le) = (
        words.subject.ar,
        words.subject.en,
        words.lead.ar,
        words.lead.en,
    );
    let suffix = if count > 1 {
        format!(" ({count})")
    } else {
        String::new()
    };
    (
        format!("{sa}{suffix}"),
        format!("{se}{suffix}"),
        la.to_string(),
        le.to_string(),
    )
}

/// Renders `template` with `data`.
pub fn render(template: &str, data: &Data) -> Rendered {
    let count = match data {
        Data::Cases { items } => items.len(),
        Data::Counts { rows } => rows.len(),
    };
    let (subject_ar, subject_en, lead_ar, lead_en) = titles(template, count);
    let subject = format!("{subject_ar} | {subject_en}");
    let mut text = format!("{lead_ar}\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\
         <section lang=\"ar\" dir=\"rtl\"><p>{}</p><ul>",
        escape(&subject),
        escape(&lead_ar)
    );
    let lines: Vec<(String, String)> = match data {
        Data::Cases { items } => items
            .iter()
            .map(|i| {
                let due = i.due_on.map(|d| format!(" — {d}")).unwrap_or_default();
                (
                    format!("{} — {} — {}{due}", i.reference, i.state_ar, i.note_ar),
                    format!("{} — {} — {}{due}", i.reference, i.state_en, i.note_en),
                )
            })
            .collect(),
        Data::Counts { rows } => rows
            .iter()
            .map(|(ar, en, n)| (format!("{ar}: {n}"), format!("{en}: {n}")))
            .collect(),
    };
    for (ar, _) in &lines {
        text.push_str(&format!("- {ar}\n"));
        html.push_str(&format!("<li>{}</li>", escape(ar)));
    }
    text.push_str(&format!("\n{lead_en}\n"));
    html.push_str(&format!(
        "</ul></section><hr><section lang=\"en\" dir=\"ltr\"><p>{}</p><ul>",
        escape(&lead_en)
    ));
    for (_, en) in &lines {
        text.push_str(&format!("- {en}\n"));
        html.push_str(&format!("<li>{}</li>", escape(en)));
    }
    html.push_str("</ul></section></body></html>");
    Rendered {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_data_is_escaped_in_html_and_arabic_comes_first() {
        let data = Data::Cases {
            items: vec![Item {
                reference: "HSK-2026-000001".into(),
                state_ar: "التدقيق".into(),
                state_en: "Verification".into(),
                note_ar: "<script>alert('x')</script> أحمد".into(),
                note_en: "<script>alert('x')</script> أحمد".into(),
                due_on: None,
            }],
        };
        let rendered = render("overdue_digest", &data);
        assert!(
            rendered
                .html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        );
        assert!(!rendered.html.contains("<script>"));
        assert!(
            rendered.text.contains("<script>"),
            "plain text keeps the text as typed"
        );
        assert!(rendered.subject.starts_with("تذكير"));
        assert!(rendered.html.find("التدقيق") < rendered.html.find("Verification"));
    }

    #[test]
    fn a_digest_counts_its_cases_in_the_subject() {
        let item = |n: u32| Item {
            reference: format!("HSK-2026-{n:06}"),
            state_ar: "التدقيق".into(),
            state_en: "Verification".into(),
            note_ar: String::new(),
            note_en: String::new(),
            due_on: None,
        };
        let rendered = render(
            "overdue_digest",
            &Data::Cases {
                items: (1..=3).map(item).collect(),
            },
        );
        assert_eq!(
            rendered.subject,
            "تذكير: طلبات تجاوزت مهلتها (3) | Reminder: cases past their due date (3)"
        );
    }
}
