//! The agency portal's routes (`/portal/v1/…`, tag "agency portal"), the
//! access log as officers and auditors read it, and the portal's
//! statistics for leadership.
//!
//! Persons are named in POST bodies, never in URLs, so they stay out of
//! request logs and proxies.
//!
//! `query` holds the four portal routes and their request bodies, `answer`
//! the answers they give, `access_log` the log's two routes and
//! `statistics` the counts' route. This file puts the four routes an
//! agency key calls in one router, [`agency_routes`], which the main router
//! merges and from which the portal's own document, [`openapi`], is built:
//! the routes and both documents come from the same annotations.

mod access_log;
mod answer;
mod query;
mod statistics;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

// The handlers keep their paths (`portal::card_status`) for the router,
// together with the `__path_…` types utoipa generates beside them.
pub use access_log::*;
pub use query::*;
pub use statistics::*;

use crate::http::AppState;

/// Where the portal's own document is served, with no key needed.
pub const OPENAPI_PATH: &str = "/portal/v1/openapi.json";

/// The name of the agency keys' security scheme in both documents.
pub const AGENCY_KEY: &str = "agency_key";

/// What the portal's document tells an agency before any route.
const DESCRIPTION: &str = "\
The agency portal of casework, the case-workflow engine of the naturalization of \
families registered in the Hasakah foreigners' registers (سجلات أجانب الحسكة). \
Another ministry or official body (an *agency*) asks here whether a person has \
been granted Syrian nationality and whether their ID card has been issued, and \
nothing else.

**What an agency may ask.** `naturalization-status`: has the person been granted \
nationality, since when, and in which state the family's application is. \
`card-status`: has the person's ID card been issued, and its number. Each asks about \
one person, or about up to 500 in one request (`…/batch`), with one purpose for all.

**The key.** The ministry registers an agency and hands over its key once \
(`ag_` followed by 64 hex digits). Send it as `Authorization: Bearer ag_…`. A key \
is granted scopes (a route outside them is refused with 403), may be limited to \
some districts, and has a rate of persons per minute, one budget however many \
servers answer (beyond it, 429 with `Retry-After`; every person a request names \
counts, whether the request then proves valid or not). An unknown, revoked or expired key is refused with 401. When the \
ministry rotates a key, the old one keeps working for the overlap it was given.

**Naming a person.** By national number (eleven digits, as on the ID card), or by \
the entry in the foreigners' register (`BOOK/ENTRY`) together with the birth date. \
Persons are named in the request body, never in the URL.

**Every question is logged.** Each person named in an answered request becomes one \
entry of the agency's hash-chained access log with the key's prefix, the purpose \
given and the result, stored before the answer is sent; a request refused as a whole \
(revoked or expired key, scope, rate, size or shape, or a person badly named) is one \
entry that says how many persons it named. The person's case officers \
and the ministry's auditors read it, so give the true purpose (5 to 500 characters). \
Every answer carries its entry as `log_entry`: quote it in any follow-up with the \
ministry.

**What an answer holds.** Only the facts asked for: never a name, an address or a \
family record. A person this agency may not see is answered exactly like a person \
who is not in the registers (`found` false).

**Errors** are `application/problem+json` (RFC 9457) with a stable `code`, in \
Arabic by default and in English with `Accept-Language: en`; a refused field is \
named in `errors[]`.";

/// The portal's own OpenAPI document: only what another ministry needs.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "casework agency portal — بوابة الجهات للاستعلام عن التجنيس والبطاقات الشخصية",
        description = DESCRIPTION,
        license(name = "MIT"),
    ),
    modifiers(&AgencyKeyAuth),
    tags(
        (name = "agency portal", description = "Questions about one person or a batch: answered with the minimum, each person logged"),
    )
)]
struct PortalDoc;

struct AgencyKeyAuth;

impl Modify for AgencyKeyAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(AGENCY_KEY, agency_key_scheme());
    }
}

/// The bearer scheme of agency keys, the same in both documents.
pub fn agency_key_scheme() -> SecurityScheme {
    SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("ag_ followed by 64 hex digits, issued by `casework agencies add`")
            .build(),
    )
}

/// The routes an agency key calls, with nothing of the main document
/// around them (the main router merges them into its own).
pub fn agency_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(naturalization_status))
        .routes(routes!(naturalization_status_batch))
        .routes(routes!(card_status))
        .routes(routes!(card_status_batch))
}

/// The portal's document: the agency routes, the schemas they reference,
/// the agency key's scheme and an introduction for agencies.
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(PortalDoc::openapi())
        .merge(agency_routes())
        .into_openapi()
}
