//! The scans of a case on its page: each stored scan with whose paper it
//! is, its type and size, who stored it and when, a link that opens it in
//! the browser (images and its PDF viewer), and a thumbnail for images.
//! Only for the officers who may see scans; every opening, a thumbnail's
//! included, is logged by the route it loads from.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, html};

use crate::app::case_view::CaseView;
use crate::app::documents::{self, ScanRecord};
use crate::domain::calendar::syria_time;
use crate::domain::family::DocumentKind;
use crate::domain::scans::{MediaType, Owner};
use crate::http::AppState;
use crate::http::pages::error_page;
use crate::http::pages::form::PostedUpload;
use crate::http::pages::layout::{Header, PageLang};
use crate::http::pages::words::scans as words;
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

/// The "Scanned documents" section: none when the reader may not see
/// scans. `purged` is when the retention of scans last deleted this
/// case's scans, if it did.
pub fn scans_section(
    lang: PageLang,
    view: &CaseView,
    scans: Option<&[ScanRecord]>,
    purged: Option<chrono::DateTime<Utc>>,
) -> Markup {
    let Some(scans) = scans else {
        return html! {};
    };
    html! {
        h2 id="scans" { (lang.say(&words::SCANNED_DOCUMENTS)) }
        @if let (true, Some(at)) = (scans.is_empty(), purged) {
            p class="muted" {
                (lang.say(&words::THIS_CASES_SCANS_WERE_DELETED_ON))
                bdi dir="ltr" { (at.with_timezone(&syria_time()).format("%Y-%m-%d").to_string()) }
                (lang.say(&words::AT_THE_END_OF_THEIR_RETENTION))
            }
        } @else if scans.is_empty() {
            p class="muted" { (lang.say(&words::NO_DOCUMENT_HAS_A_SCAN_STORED)) }
        } @else {
            div class="table-wrap" {
                table class="stack" {
                    thead {
                        tr {
                            th scope="col" { (lang.say(&words::WHOSE)) }
                            th scope="col" { (lang.say(&words::DOCUMENT)) }
                            th scope="col" { (lang.say(&words::TYPE_AND_SIZE)) }
                            th scope="col" { (lang.say(&words::STORED_BY)) }
                            th scope="col" { (lang.say(&words::SCAN)) }
                        }
                    }
                    tbody {
                        @for scan in scans {
                            @let owner = Owner::from_number(scan.owner);
                            @let kind = DocumentKind::parse(&scan.kind);
                            @let kind_label = kind.map_or(scan.kind.as_str(), |k| if lang.ar() { k.label_ar() } else { k.label_en() });
                            @let href = format!("/api/applications/{}/documents/{}/{}", view.record.reference, owner.to_text(), scan.kind);
                            tr {
                                td data-label=(lang.say(&words::WHOSE)) { (whose(lang, view, owner)) }
                                td data-label=(lang.say(&words::DOCUMENT)) { (kind_label) }
                                td data-label=(lang.say(&words::TYPE_AND_SIZE)) {
                                    bdi dir="ltr" { (type_name(&scan.media_type)) ", " (size(scan.size)) }
                                }
                                td data-label=(lang.say(&words::STORED_BY)) {
                                    bdi dir="ltr" { (scan.uploaded_by) } br;
                                    bdi dir="ltr" class="muted" { (scan.uploaded_at.with_timezone(&syria_time()).format("%Y-%m-%d %H:%M").to_string()) }
                                }
                                td data-label=(lang.say(&words::SCAN)) {
                                    a href=(href) {
                                        @if matches!(MediaType::parse(&scan.media_type), Some(MediaType::Jpeg | MediaType::Png)) {
                                            img src=(href) alt=(format!("{} — {}", kind_label, whose(lang, view, owner))) width="96" loading="lazy";
                                            br;
                                        }
                                        (lang.say(&words::OPEN_THE_SCAN))
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
        Owner::Family => lang.say(&words::THE_FAMILY).to_string(),
        Owner::Member(n) => {
            let name = view
                .people
                .iter()
                .find(|p| p.ordinal == n)
                .map(|p| format!("{} {} {}", p.first_name, p.father_name, p.family_name))
                .unwrap_or_default();
            format!(
                "{} {n}{} {name}",
                lang.say(&words::MEMBER),
                lang.say(&words::LIST_COMMA_TIGHT)
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

/// The form that attaches a scan (a file chosen in the browser, sent as
/// `multipart/form-data`): whose paper and which document, then the file.
pub fn upload_form(user: &WebUser, lang: PageLang, view: &CaseView) -> Markup {
    let action = format!("/applications/{}/documents", view.record.reference);
    html! {
        form method="post" action=(action) enctype="multipart/form-data" class="no-print" {
            input type="hidden" name="csrf_token" value=(user.csrf);
            h3 { (lang.say(&words::ATTACH_A_SCAN)) }
            p {
                label for="scan-owner" { (lang.say(&words::WHOSE)) }
                select id="scan-owner" name="owner" {
                    option value="family" { (lang.say(&words::THE_FAMILY)) }
                    @for p in &view.people {
                        option value=(p.ordinal) { (whose(lang, view, Owner::Member(p.ordinal))) }
                    }
                }
            }
            p {
                label for="scan-kind" { (lang.say(&words::DOCUMENT)) }
                select id="scan-kind" name="kind" {
                    @for kind in DocumentKind::ALL {
                        option value=(kind.as_str()) { (if lang.ar() { kind.label_ar() } else { kind.label_en() }) }
                    }
                }
            }
            p {
                label for="scan-file" { (lang.say(&words::THE_FILE_PDF_JPEG_PNG_OR)) }
                input id="scan-file" type="file" name="file" required accept="application/pdf,image/jpeg,image/png,image/tiff";
            }
            button type="submit" { (lang.say(&words::STORE_THE_SCAN)) }
        }
    }
}

/// `POST /applications/{reference}/documents`: the upload form. Who may,
/// and whether the case is theirs to see, is decided before the body is
/// read (but its first field, the anti-forgery token, which `PostedUpload`
/// checks); the fields come in the form's order (token, owner, kind, file),
/// and the file is streamed to the store like the API's upload.
pub async fn post_upload(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    upload: PostedUpload,
) -> Response {
    let (user, lang) = (upload.user.clone(), upload.lang);
    let path = format!("/applications/{reference}");
    let header = Header {
        user: Some(&user),
        path: &path,
    };
    let failed = |error: ApiError| {
        error_page(
            lang,
            &header,
            lang.say(&words::ATTACH_A_SCAN),
            &error,
            html! { p { a href=(format!("{path}#scans")) { (lang.say(&words::BACK_TO_THE_APPLICATION)) } } },
        )
    };
    if let Err(error) = documents::may_attach(&state.engine, &reference, &user.actor).await {
        return failed(error.into());
    }
    let mut multipart = match upload.fields().await {
        Ok(multipart) => multipart,
        Err(error) => return failed(error),
    };
    let mut owner = String::new();
    let mut kind = String::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return failed(ApiError::bad_request(
                    "invalid_form",
                    words::invalid_form(&e.body_text()),
                ));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name != "file" {
            let text = field.text().await.unwrap_or_default();
            match name.as_str() {
                "owner" => owner = text,
                "kind" => kind = text,
                _ => {}
            }
            continue;
        }
        let (Some(owner), Some(kind)) = (Owner::parse(&owner), DocumentKind::parse(&kind)) else {
            return failed(ApiError::not_found(
                crate::domain::words::problems::no_document(&format!("{owner}/{kind}"), &reference),
            ));
        };
        let slot = documents::DocumentSlot {
            reference: &reference,
            owner,
            kind,
        };
        return match documents::upload(
            &state.engine,
            slot,
            None,
            None,
            field,
            &user.actor,
            Utc::now(),
        )
        .await
        {
            Ok(_) => Redirect::to(&format!("{path}#scans")).into_response(),
            Err(error) => failed(error.into()),
        };
    }
    failed(ApiError::bad_request(
        "invalid_form",
        words::NO_FILE_WAS_CHOSEN.text(),
    ))
}
