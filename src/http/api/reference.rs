//! Reference data for clients: the districts and their offices.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::AppState;

/// A district and the offices where its applications are filed.
#[derive(Serialize, ToSchema)]
pub struct DistrictView {
    /// The code the API takes and returns, e.g. `al_hasakah`.
    #[schema(pattern = "^[a-z0-9_]{1,40}$", example = "al_hasakah")]
    pub code: String,
    /// The name in Arabic, e.g. الحسكة.
    pub name_ar: String,
    /// The name in English, e.g. Al-Hasakah.
    pub name_en: String,
    pub offices: Vec<OfficeView>,
}

/// An office of a district.
#[derive(Serialize, ToSchema)]
pub struct OfficeView {
    /// The code the API takes and returns, e.g. `hasakah_centre`.
    #[schema(pattern = "^[a-z0-9_]{1,40}$", example = "hasakah_centre")]
    pub code: String,
    pub name_ar: String,
    pub name_en: String,
}

/// Every district and its offices, with their Arabic and English names: the
/// only codes accepted wherever a district or an office is given.
#[utoipa::path(
    get, path = "/api/reference/places", tag = "reference data",
    responses((status = 200, description = "Every district with its offices, in the order of the places file", body = Vec<DistrictView>))
)]
pub async fn places(State(state): State<AppState>) -> Json<Vec<DistrictView>> {
    Json(
        state
            .engine
            .places
            .districts()
            .iter()
            .map(|d| DistrictView {
                code: d.code.clone(),
                name_ar: d.names.ar.clone(),
                name_en: d.names.en.clone(),
                offices: d
                    .offices
                    .iter()
                    .map(|o| OfficeView {
                        code: o.code.clone(),
                        name_ar: o.names.ar.clone(),
                        name_en: o.names.en.clone(),
                    })
                    .collect(),
            })
            .collect(),
    )
}
