//! Cases by the workflow version they are worked under: how far a
//! migration to a new version has gone, read from the `workflow` tallies.

use serde::Serialize;
use utoipa::ToSchema;

use crate::app::stats::{Applied, Scope};
use crate::app::{AppError, Engine};
use crate::domain::language::Text;
use crate::store::tallies::{self, Read, kind};

/// Cases (families and the persons they cover) under one version of a
/// workflow, open and closed.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct VersionCount {
    pub workflow: String,
    pub version: u32,
    /// The definition's title, in Arabic and English.
    pub title: Text,
    pub families: i64,
    pub persons: i64,
}

/// The cases by version, oldest version first.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Versions {
    pub filter: Applied,
    pub versions: Vec<VersionCount>,
}

/// The counts by version, oldest version first.
pub async fn versions(engine: &Engine, scope: &Scope) -> Result<Versions, AppError> {
    let sums = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::WORKFLOW, vec![])],
            group_name: true,
            group_tag: true,
            ..scope.read()
        },
    )
    .await?;
    let mut out: Vec<VersionCount> = sums
        .into_iter()
        .filter(|s| s.families != 0 || s.persons != 0)
        .map(|s| {
            let version = s.tag.parse().unwrap_or(0);
            let title = engine
                .workflows
                .get(&s.name, version)
                .map_or_else(|| Text::of_code(&s.name), |w| w.title.clone());
            VersionCount {
                workflow: s.name,
                version,
                title,
                families: s.families,
                persons: s.persons,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.workflow, a.version).cmp(&(&b.workflow, b.version)));
    Ok(Versions {
        filter: scope.applied.clone(),
        versions: out,
    })
}
