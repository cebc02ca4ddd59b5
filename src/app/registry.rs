//! The workflow definitions this binary knows. The files in `workflows/` are
//! built in; a directory named by `CASEWORK_WORKFLOWS_DIR` may add more.

use std::path::Path;
use std::sync::Arc;

use crate::domain::calendar::{CalendarError, WorkingCalendar};
use crate::domain::places::Places;
use crate::workflow::Workflow;
use crate::workflow::definition::DefinitionErrors;
use crate::workflow::migration::MigrationMap;

/// The built-in definitions: file name and text.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "workflows/naturalization-family.v1.toml",
        include_str!("../../workflows/naturalization-family.v1.toml"),
    ),
    (
        "workflows/naturalization-family.v2.toml",
        include_str!("../../workflows/naturalization-family.v2.toml"),
    ),
    (
        "workflows/unregistered-persons.v1.toml",
        include_str!("../../workflows/unregistered-persons.v1.toml"),
    ),
];

/// The built-in migration maps between versions: file name and text.
pub const MAPS: &[(&str, &str)] = &[(
    "workflows/naturalization-family.v1-to-v2.toml",
    include_str!("../../workflows/naturalization-family.v1-to-v2.toml"),
)];

/// Whether a file is a migration map by its name, `NAME.vA-to-vB.toml`.
fn is_map_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains("-to-v"))
}

/// The built-in holidays file.
pub const HOLIDAYS: (&str, &str) = (
    "workflows/holidays.toml",
    include_str!("../../workflows/holidays.toml"),
);

/// The built-in districts and offices.
pub const PLACES: (&str, &str) = (
    "workflows/places.toml",
    include_str!("../../workflows/places.toml"),
);

/// Files in `CASEWORK_WORKFLOWS_DIR` that are reference data, not
/// definitions.
const REFERENCE_FILES: &[&str] = &["holidays.toml", "places.toml"];

#[derive(Clone, Debug, Default)]
pub struct Registry {
    workflows: Vec<Arc<Workflow>>,
    maps: Vec<Arc<MigrationMap>>,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A definition or the places file is wrong, at these lines.
    #[error("{0}")]
    Lines(#[from] DefinitionErrors),
    #[error("{file}: {message}")]
    Io { file: String, message: String },
    #[error("{file}: {error}")]
    Calendar { file: String, error: CalendarError },
    #[error("two definitions are both {0}")]
    Twice(String),
    /// Two different workflows name a state alike.
    #[error(
        "{file}: {track} '{state}' of {workflow} is also a {track} of {other}: two workflows may \
         not share a state name, because the statistics and their tallies count cases by state \
         name across workflows (versions of one workflow may share them); rename it"
    )]
    SharedState {
        file: String,
        workflow: String,
        other: String,
        track: &'static str,
        state: String,
    },
}

impl Registry {
    /// The built-in definitions and migration maps, plus every `*.toml` in
    /// `extra_dir` that is not a holidays or places file: definitions, and
    /// maps (`NAME.vA-to-vB.toml`), which may replace a built-in map.
    pub fn load(extra_dir: Option<&Path>) -> Result<Registry, RegistryError> {
        let mut registry = Registry::default();
        for (file, text) in BUILTIN {
            registry.add(file, Workflow::from_toml(file, text)?)?;
        }
        for (file, text) in MAPS {
            registry.add_map(MigrationMap::parse(file, text)?)?;
        }
        if let Some(dir) = extra_dir {
            let io = |e: std::io::Error| RegistryError::Io {
                file: dir.display().to_string(),
                message: e.to_string(),
            };
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter(|p| {
                    p.file_name()
                        .is_none_or(|n| !REFERENCE_FILES.iter().any(|r| n == *r))
                })
                .collect();
            paths.sort();
            let (maps, paths): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| is_map_file(p));
            for path in paths {
                let file = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| RegistryError::Io {
                    file: file.clone(),
                    message: e.to_string(),
                })?;
                let workflow = Workflow::from_toml(&file, &text)?;
                if registry.get(&workflow.name, workflow.version).is_none() {
                    registry.add(&file, workflow)?;
                }
            }
            // Migration maps (`NAME.vA-to-vB.toml`), once every definition
            // they may name is known; one here replaces a built-in one.
            for path in maps {
                let file = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| RegistryError::Io {
                    file: file.clone(),
                    message: e.to_string(),
                })?;
                registry.add_map(MigrationMap::parse(&file, &text)?)?;
            }
        }
        Ok(registry)
    }

    /// Adds a migration map, checked against the definitions it names.
    pub fn add_map(&mut self, map: MigrationMap) -> Result<(), RegistryError> {
        let (Some(from), Some(to)) = (
            self.get(&map.from.0, map.from.1),
            self.get(&map.to.0, map.to.1),
        ) else {
            return Err(RegistryError::Io {
                file: map.file.clone(),
                message: format!(
                    "names {} and {}, which are not both known",
                    map.from_key(),
                    map.to_key()
                ),
            });
        };
        map.check(&from, &to)?;
        self.maps
            .retain(|m| (&m.from, &m.to) != (&map.from, &map.to));
        self.maps.push(Arc::new(map));
        Ok(())
    }

    /// The migration map from one definition to another (`name.vN` keys).
    pub fn map(&self, from: &str, to: &str) -> Option<Arc<MigrationMap>> {
        self.maps
            .iter()
            .find(|m| m.from_key() == from && m.to_key() == to)
            .cloned()
    }

    /// Adds the definition read from `file`, refusing a second copy of a
    /// name and version and a state or member-state name another workflow
    /// (another name) already uses.
    pub fn add(&mut self, file: &str, workflow: Workflow) -> Result<(), RegistryError> {
        if self.get(&workflow.name, workflow.version).is_some() {
            return Err(RegistryError::Twice(workflow.key()));
        }
        for other in self.workflows.iter().filter(|w| w.name != workflow.name) {
            let tracks = [
                ("state", &workflow.states, &other.states),
                (
                    "member state",
                    &workflow.member.states,
                    &other.member.states,
                ),
            ];
            for (track, ours, theirs) in tracks {
                if let Some(shared) = ours
                    .iter()
                    .find(|s| theirs.iter().any(|t| t.name == s.name))
                {
                    return Err(RegistryError::SharedState {
                        file: file.to_string(),
                        workflow: workflow.key(),
                        other: other.key(),
                        track,
                        state: shared.name.clone(),
                    });
                }
            }
        }
        self.workflows.push(Arc::new(workflow));
        Ok(())
    }

    /// The definition a case pinned.
    pub fn get(&self, name: &str, version: u32) -> Option<Arc<Workflow>> {
        self.workflows
            .iter()
            .find(|w| w.name == name && w.version == version)
            .cloned()
    }

    /// The definition a case pinned, borrowed.
    pub fn get_ref(&self, name: &str, version: u32) -> Option<&Workflow> {
        self.workflows
            .iter()
            .find(|w| w.name == name && w.version == version)
            .map(|w| w.as_ref())
    }

    /// The newest version of `name`: what new cases start under.
    pub fn latest(&self, name: &str) -> Option<Arc<Workflow>> {
        self.workflows
            .iter()
            .filter(|w| w.name == name)
            .max_by_key(|w| w.version)
            .cloned()
    }

    pub fn all(&self) -> &[Arc<Workflow>] {
        &self.workflows
    }
}

/// The built-in working calendar, or the holidays file at `path`.
pub fn load_calendar(path: Option<&Path>) -> Result<WorkingCalendar, RegistryError> {
    let (file, text) = match path {
        Some(path) => {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| RegistryError::Io {
                file: file.clone(),
                message: e.to_string(),
            })?;
            (file, text)
        }
        None => (HOLIDAYS.0.to_string(), HOLIDAYS.1.to_string()),
    };
    WorkingCalendar::from_toml_str(&text).map_err(|error| RegistryError::Calendar { file, error })
}

/// The built-in districts and offices, or the places file at `path`.
pub fn load_places(path: Option<&Path>) -> Result<Places, RegistryError> {
    let (file, text) = match path {
        Some(path) => {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| RegistryError::Io {
                file: file.clone(),
                message: e.to_string(),
            })?;
            (file, text)
        }
        None => (PLACES.0.to_string(), PLACES.1.to_string()),
    };
    Ok(Places::from_toml(&file, &text)?)
}
