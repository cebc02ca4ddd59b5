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

/// One demo account: its name and roles (every district).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub name: String,
    pub roles: Vec<Role>,
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
        users::add(engine, &account.name, &account.roles, None, None, now).await?;
        crate::app::passwords::set_password(engine, &account.name, password).await?;
    }
    Ok(accounts)
}
