//! Scanned documents over HTTP: a case's papers uploaded as the request
//! body (streamed, never read whole into memory), opened in the browser
//! with headers that let nothing in them run, and removed with a reason.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppError;
use crate::app::documents::{self, DocumentSlot, ScanRecord};
use crate::domain::family::DocumentKind;
use crate::domain::scans::{MediaType, Owner};
use crate::http::AppState;
use crate::http::api::applications::check_reference;
use crate::http::extract::{ApiPath, ApiQuery, Caller, IfMatch, etag};
use crate::http::problem::{ApiError, Problem};

/// What the browser is told about a scan it opens: nothing in it runs
/// (no script, no connection, no form, no frame of it elsewhere), images
/// and the browser's own PDF viewer show it. No `sandbox`: Chromium
/// refuses to start its PDF viewer in a sandboxed document.
pub const SCAN_CSP: &str = "default-src 'none'; img-src 'self'; object-src 'self'; \
     style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// A scan's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ScanFile(pub Vec<u8>);

/// A stored scan.
#[derive(Serialize, ToSchema)]
pub struct ScanResult {
    /// The application, e.g. `HSK-2011-000123`.
    pub reference: String,
    /// `family`, or the member's number.
    pub owner: String,
    pub kind: DocumentKind,
    /// The file's SHA-256, lowercase hex: its name in the document store and
    /// in the case's audit history.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The type recognised from the file's content.
    pub media_type: MediaType,
    /// Bytes.
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// The SHA-256 of the scan this one replaced, if any.
    pub replaced: Option<String>,
    /// The case's version after the upload.
    pub version: i64,
}

/// A scan removed.
#[derive(Serialize, ToSchema)]
pub struct ScanRemoved {
    pub reference: String,
    /// The case's version after the removal.
    pub version: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RemoveParams {
    /// Why the scan is removed (recorded in the case's history).
    #[param(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub reason: String,
}

/// A page of the openings of a case's scans.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ViewsPage {
    /// Only openings after this one (the `id` of the last one of the page
    /// before); from the first when absent.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// How many openings at most (default 200).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

#[derive(Deserialize)]
pub struct SlotPath {
    reference: String,
    owner: String,
    kind: String,
}

/// The document a path names; anything else names nothing (404).
fn slot(path: &SlotPath) -> Result<DocumentSlot<'_>, ApiError> {
    check_reference(&path.reference)?;
    let owner = Owner::parse(&path.owner);
    let kind = DocumentKind::parse(&path.kind);
    match (owner, kind) {
        (Some(owner), Some(kind)) => Ok(DocumentSlot {
            reference: &path.reference,
            owner,
            kind,
        }),
        _ => Err(ApiError::not_found(
            crate::domain::words::problems::no_document(
                &format!("{}/{}", path.owner, path.kind),
                &path.reference,
            ),
        )),
    }
}

fn scan_result(
    reference: &str,
    scan: ScanRecord,
    replaced: Option<String>,
    version: i64,
) -> Result<ScanResult, ApiError> {
    Ok(ScanResult {
        reference: reference.to_string(),
        owner: Owner::from_number(scan.owner).to_text(),
        kind: stored_kind(&scan.kind)?,
        sha256: scan.sha256,
        media_type: stored_type(&scan.media_type)?,
        size: scan.size,
        uploaded_by: scan.uploaded_by,
        uploaded_at: scan.uploaded_at,
        replaced,
        version,
    })
}

/// A stored scan as a case's list shows it.
#[derive(Serialize, ToSchema)]
pub struct ScanItem {
    /// `family`, or the member's number.
    pub owner: String,
    pub kind: DocumentKind,
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    pub media_type: MediaType,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// Where the scan is opened (`GET`).
    pub href: String,
}

/// The scans stored for a case's documents, by owner then kind.
#[utoipa::path(
    get, path = "/api/applications/{reference}/documents", tag = "documents",
    params(("reference" = String, Path, description = "e.g. HSK-2011-000123")),
    responses(
        (status = 200, description = "The case's scans", body = Vec<ScanItem>),
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an officer who handles cases' papers (leadership, auditors and administrators never see a scan)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_scans(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<Vec<ScanItem>>, ApiError> {
    check_reference(&reference)?;
    let scans = documents::list(&state.engine, &reference, &actor).await?;
    let items: Result<Vec<ScanItem>, ApiError> = scans
        .into_iter()
        .map(|scan| {
            let owner = Owner::from_number(scan.owner).to_text();
            Ok(ScanItem {
                href: format!(
                    "/api/applications/{reference}/documents/{owner}/{}",
                    scan.kind
                ),
                owner,
                kind: stored_kind(&scan.kind)?,
                media_type: stored_type(&scan.media_type)?,
                sha256: scan.sha256,
                size: scan.size,
                uploaded_by: scan.uploaded_by,
                uploaded_at: scan.uploaded_at,
            })
        })
        .collect();
    Ok(Json(items?))
}

/// One opening of a scan.
#[derive(Serialize, ToSchema)]
pub struct ScanViewItem {
    /// The opening's number, rising with time: the `after` of the next page.
    pub id: i64,
    /// `family`, or the member's number: whose papers were seen.
    pub owner: String,
    pub kind: DocumentKind,
    /// The file that was shown.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// Who opened it.
    pub viewer: String,
    pub viewed_at: DateTime<Utc>,
}

/// Who opened this case's scans, oldest first: for the officers who may
/// see them, and auditors of every district (who see who saw which
/// person's papers, never the papers).
#[utoipa::path(
    get, path = "/api/applications/{reference}/scan-views", tag = "documents",
    params(("reference" = String, Path, description = "e.g. HSK-2011-000123"), ViewsPage),
    responses(
        (status = 200, description = "A page of the openings of the case's scans, oldest first; fewer than `limit` when it is the last", body = Vec<ScanViewItem>),
        (status = 400, description = "Undecodable path, or a bad `after` or `limit`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an officer who handles cases' papers nor an auditor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn scan_views(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    ApiQuery(page): ApiQuery<ViewsPage>,
) -> Result<Json<Vec<ScanViewItem>>, ApiError> {
    check_reference(&reference)?;
    let limit = page.limit.unwrap_or(200);
    let after = page.after.unwrap_or(0);
    if !(1..=1000).contains(&limit) || after < 0 {
        return Err(ApiError::bad_request(
            "bad_page",
            crate::domain::words::problems::BAD_PAGE.text(),
        ));
    }
    let views = documents::views(&state.engine, &reference, &actor, after, limit).await?;
    Ok(Json(
        views
            .into_iter()
            .map(|v| {
                Ok(ScanViewItem {
                    id: v.id,
                    owner: Owner::from_number(v.owner).to_text(),
                    kind: stored_kind(&v.kind)?,
                    sha256: v.sha256,
                    viewer: v.viewer,
                    viewed_at: v.viewed_at,
                })
            })
            .collect::<Result<_, ApiError>>()?,
    ))
}

/// Attach (or replace) the scan of one document of the family or of a
/// member: the file is the request body, a PDF, JPEG, PNG or TIFF
/// recognised by its content (not its name or `Content-Type`); a multi-page
/// paper is one multi-page PDF or TIFF. The upload is an event of the
/// case's audit history carrying the file's SHA-256. Honours `If-Match`.
/// A closed case takes no scan: its papers are settled.
#[utoipa::path(
    put, path = "/api/applications/{reference}/documents/{owner}/{kind}", tag = "documents",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("owner" = String, Path, description = "`family`, or the member's number in the case", pattern = "^(family|[1-9][0-9]{0,3})$"),
        ("kind" = DocumentKind, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"`", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    request_body(content = ScanFile, content_type = "application/octet-stream", description = "The scan: a PDF, JPEG, PNG or TIFF file (20 MiB at most unless configured otherwise)"),
    responses(
        (status = 201, description = "The scan was attached", body = ScanResult,
            headers(("ETag" = String, description = "The case's new version"))),
        (status = 200, description = "The scan replaced the one stored before (or was the same file, and nothing changed)", body = ScanResult,
            headers(("ETag" = String, description = "The case's version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an officer who handles cases' papers (leadership, auditors and administrators never see a scan)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, member or document, or an application outside the caller's district: answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent change, or a closed case (in a terminal state: `case_closed`), whose papers are settled", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over the size limit (refused before it is read whole)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF, JPEG, PNG or TIFF file by its content", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn upload_scan(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(path): ApiPath<SlotPath>,
    IfMatch(expected): IfMatch,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let slot = slot(&path)?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let stored = documents::upload(
        &state.engine,
        slot,
        expected,
        declared,
        body.into_data_stream(),
        &actor,
        Utc::now(),
    )
    .await?;
    let status = if stored.changed && stored.replaced.is_none() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let version = stored.version;
    let mut response = (
        status,
        Json(scan_result(
            slot.reference,
            stored.scan,
            stored.replaced,
            version,
        )?),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// Open the scan of one document: its bytes, with the type recognised at
/// upload, shown inline by the browser (images, its PDF viewer) under a
/// policy that runs nothing from the file. Every opening is logged: who
/// saw which person's papers.
#[utoipa::path(
    get, path = "/api/applications/{reference}/documents/{owner}/{kind}", tag = "documents",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("owner" = String, Path, description = "`family`, or the member's number in the case", pattern = "^(family|[1-9][0-9]{0,3})$"),
        ("kind" = DocumentKind, Path, description = "The document"),
    ),
    responses(
        (status = 200, description = "The scan's bytes",
            content(
                (ScanFile = "application/pdf"),
                (ScanFile = "image/jpeg"),
                (ScanFile = "image/png"),
                (ScanFile = "image/tiff"),
            ),
            headers(
                ("Content-Disposition" = String, description = "`inline` with a file name made from the reference, owner and kind"),
                ("Content-Security-Policy" = String, description = "Nothing in the file runs"),
                ("X-Content-Type-Options" = String, description = "`nosniff`"),
            )),
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an officer who handles cases' papers (leadership, auditors and administrators never see a scan)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No scan stored for that document, no such application or member, or an application outside the caller's district: answered alike", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn open_scan(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(path): ApiPath<SlotPath>,
) -> Result<Response, ApiError> {
    let slot = slot(&path)?;
    let (scan, file) = documents::open(&state.engine, slot, &actor, Utc::now()).await?;
    let media_type = stored_type(&scan.media_type)?;
    // Every part of the name is checked (reference, owner, kind, type).
    let file_name = format!(
        "{}-{}-{}.{}",
        slot.reference,
        slot.owner.to_text(),
        slot.kind.as_str(),
        media_type.extension()
    );
    let mut response = Body::from_stream(file.bytes).into_response();
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(headers, header::CONTENT_TYPE, media_type.as_str());
    set(headers, header::CONTENT_LENGTH, &file.size.to_string());
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::CONTENT_SECURITY_POLICY, SCAN_CSP);
    set(
        headers,
        header::CONTENT_DISPOSITION,
        &format!("inline; filename=\"{file_name}\""),
    );
    set(headers, header::CACHE_CONTROL, "private, no-store");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    Ok(response)
}

/// Remove the scan of one document, with the reason, as an event of the
/// case's audit history (the file's hash stays in it). Honours `If-Match`.
#[utoipa::path(
    delete, path = "/api/applications/{reference}/documents/{owner}/{kind}", tag = "documents",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("owner" = String, Path, description = "`family`, or the member's number in the case", pattern = "^(family|[1-9][0-9]{0,3})$"),
        ("kind" = DocumentKind, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"`", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
        RemoveParams,
    ),
    responses(
        (status = 200, description = "The scan was removed", body = ScanRemoved,
            headers(("ETag" = String, description = "The case's new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an officer who handles cases' papers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No scan stored for that document, no such application or member, or an application outside the caller's district: answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent change", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or one too long or with forbidden characters", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn remove_scan(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(path): ApiPath<SlotPath>,
    ApiQuery(params): ApiQuery<RemoveParams>,
    IfMatch(expected): IfMatch,
) -> Result<Response, ApiError> {
    let slot = slot(&path)?;
    let version = documents::remove(
        &state.engine,
        slot,
        &params.reason,
        expected,
        &actor,
        Utc::now(),
    )
    .await?;
    let mut response = Json(ScanRemoved {
        reference: slot.reference.to_string(),
        version,
    })
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// A stored scan's kind; one the code does not know is a damaged row,
/// answered as the server's fault rather than shown as another kind.
fn stored_kind(text: &str) -> Result<DocumentKind, ApiError> {
    DocumentKind::parse(text).ok_or_else(|| {
        AppError::unexpected(format!(
            "a stored scan names the unknown document kind {text:?}"
        ))
        .into()
    })
}

/// A stored scan's type, checked like its kind.
fn stored_type(text: &str) -> Result<MediaType, ApiError> {
    MediaType::parse(text).ok_or_else(|| {
        AppError::unexpected(format!("a stored scan names the unknown type {text:?}")).into()
    })
}
