//! The scans of a case on its page: each stored scan with whose paper it
//! is, its type and size, who stored it and when, a link that opens it in
//! the browser (images and its PDF viewer), and a thumbnail for images.
//! Only for the officers who may see scans; every opening, a thumbnail's
//! included, is logged by the route it loads from.

use maud::{Markup, html};

use crate::app::documents::ScanRecord;
use crate::app::views::CaseView;
use crate::domain::calendar::syria_time;
use crate::domain::family::DocumentKind;
use crate::domain::scans::{MediaType, Owner};
use crate::http::web::layout::PageLang;

/// The "Scanned documents" section: none when the reader may not see
/// scans.
pub fn scans_section(lang: PageLang, view: &CaseView, scans: Option<&[ScanRecord]>) -> Markup {
    let Some(scans) = scans else {
        return html! {};
    };
    html! {
        h2 id="scans" { (lang.t("صور المستندات", "Scanned documents")) }
        @if scans.is_empty() {
            p class="muted" { (lang.t("لم تحفظ صورة لأي مستند بعد.", "No document has a scan stored yet.")) }
        } @else {
            div class="table-wrap" {
                table class="stack" {
                    thead {
                        tr {
                            th scope="col" { (lang.t("صاحب المستند", "Whose")) }
                            th scope="col" { (lang.t("المستند", "Document")) }
                            th scope="col" { (lang.t("النوع والحجم", "Type and size")) }
                            th scope="col" { (lang.t("حفظها", "Stored by")) }
                            th scope="col" { (lang.t("الصورة", "Scan")) }
                        }
                    }
                    tbody {
                        @for scan in scans {
                            @let owner = Owner::from_number(scan.owner);
                            @let kind = DocumentKind::parse(&scan.kind);
                            @let kind_label = kind.map_or(scan.kind.as_str(), |k| if lang.ar() { k.label_ar() } else { k.label_en() });
                            @let href = format!("/api/applications/{}/documents/{}/{}", view.record.reference, owner.to_text(), scan.kind);
                            tr {
                                td data-label=(lang.t("صاحب المستند", "Whose")) { (whose(lang, view, owner)) }
                                td data-label=(lang.t("المستند", "Document")) { (kind_label) }
                                td data-label=(lang.t("النوع والحجم", "Type and size")) {
                                    bdi dir="ltr" { (type_name(&scan.media_type)) ", " (size(scan.size)) }
                                }
                                td data-label=(lang.t("حفظها", "Stored by")) {
                                    bdi dir="ltr" { (scan.uploaded_by) } br;
                                    bdi dir="ltr" class="muted" { (scan.uploaded_at.with_timezone(&syria_time()).format("%Y-%m-%d %H:%M").to_string()) }
                                }
                                td data-label=(lang.t("الصورة", "Scan")) {
                                    a href=(href) {
                                        @if matches!(MediaType::parse(&scan.media_type), Some(MediaType::Jpeg | MediaType::Png)) {
                                            img src=(href) alt=(format!("{} — {}", kind_label, whose(lang, view, owner))) width="96" loading="lazy";
                                            br;
                                        }
                                        (lang.t("فتح الصورة", "Open the scan"))
                                        span class="skip" { " " (kind_label) ", " (whose(lang, view, owner)) }
                                    }
                                    br;
                                    span class="muted" { "SHA-256 " bdi dir="ltr" { (scan.sha256.get(..12).unwrap_or(&scan.sha256)) "…" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whose paper: the family, or the member by number and name.
fn whose(lang: PageLang, view: &CaseView, owner: Owner) -> String {
    match owner {
        Owner::Family => lang.t("العائلة", "The family").to_string(),
        Owner::Member(n) => {
            let name = view
                .people
                .iter()
                .find(|p| p.ordinal == n)
                .map(|p| format!("{} {} {}", p.first_name, p.father_name, p.family_name))
                .unwrap_or_default();
            format!(
                "{} {n}{} {name}",
                lang.t("الفرد", "Member"),
                lang.t("،", ",")
            )
        }
    }
}

fn type_name(media_type: &str) -> &'static str {
    match MediaType::parse(media_type) {
        Some(MediaType::Pdf) => "PDF",
        Some(MediaType::Jpeg) => "JPEG",
        Some(MediaType::Png) => "PNG",
        Some(MediaType::Tiff) => "TIFF",
        None => "?",
    }
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KiB", (bytes + 1023) / 1024)
    }
}
