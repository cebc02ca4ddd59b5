//! The demo's accounts: a director, and enough officers of each working
//! role that one case of every shipped workflow can go from intake to its
//! end with every separation rule kept. How many of a role a case needs is
//! the definitions' to say ([`duties::people_needed`]): the second version
//! of the family workflow has the security clearance given by a verifier
//! other than the one who verified, so there are two verifiers.

use chrono::{DateTime, Utc};

use crate::app::registry::Registry;
use crate::app::{AppError, Engine, users};
use crate::domain::roles::Role;
use crate::workflow::duties;

/// The director, who reads the dashboard.
pub const DIRECTOR: &str = "demo.director";

/// The officers' roles, each with the name its accounts start with (the
/// second of a role adds `2`, and so on), in the order they are printed.
const OFFICERS: &[(Role, &str)] = &[
    (Role::IntakeClerk, "demo.clerk"),
    (Role::Verifier, "demo.verifier"),
    (Role::Approver, "demo.approver"),
    (Role::Registrar, "demo.registrar"),
    (Role::CardOfficer, "demo.cards"),
    (Role::Supervisor, "demo.supervisor"),
];

/// One demo account: its name, the officer's full name and roles (every
/// district).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub name: String,
    pub full_name: String,
    pub roles: Vec<Role>,
}

/// The full name of the `n`th demo account (from 0): a given name, men's
/// and women's in turn, and a family name, from the demo province's names
/// (the accounts the demo adds, a dozen at most, each named differently).
pub fn full_name(n: usize) -> String {
    let given = if n.is_multiple_of(2) {
        super::names::MALE[(n / 2 * 7 + 3) % super::names::MALE.len()]
    } else {
        super::names::FEMALE[(n / 2 * 5 + 2) % super::names::FEMALE.len()]
    };
    let family = super::names::FAMILY[(n * 11 + 4) % super::names::FAMILY.len()];
    format!("{given} {family}")
}

/// The director's full name.
pub fn director_full_name() -> String {
    full_name(99)
}

/// The demo's officers: one of each working role, and as many more of a
/// role as any rule of any definition in `workflows` needs on one case.
pub fn officers(workflows: &Registry) -> Vec<DemoAccount> {
    let mut accounts = Vec::new();
    for &(role, name) in OFFICERS {
        let needed = workflows
            .all()
            .iter()
            .filter_map(|w| duties::people_needed(w).get(&role).copied())
            .max()
            .unwrap_or(1)
            .max(1);
        for n in 1..=needed {
            accounts.push(DemoAccount {
                name: if n == 1 {
                    name.to_string()
                } else {
                    format!("{name}{n}")
                },
                full_name: full_name(accounts.len()),
                roles: vec![role],
            });
        }
    }
    accounts
}

/// Adds the demo's officers (every district), each with `password` to
/// sign in to the pages with; returns them.
pub async fn add_officers(
    engine: &Engine,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Vec<DemoAccount>, AppError> {
    let accounts = officers(&engine.workflows);
    for account in &accounts {
        let officer = users::NewOfficer {
            name: &account.name,
            full_name: Some(&account.full_name),
            roles: &account.roles,
            ..users::NewOfficer::default()
        };
        users::add_officer(engine, &officer, now).await?;
        crate::app::passwords::set_password(engine, &account.name, password).await?;
    }
    Ok(accounts)
}
