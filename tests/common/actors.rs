//! The officers who act in the tests that call the engine directly.

use casework::domain::roles::Role;
use casework::workflow::Actor;

/// An officer with one role who may act in every district.
pub fn officer(id: impl Into<String>, role: Role) -> Actor {
    Actor {
        id: id.into(),
        roles: vec![role],
        district: None,
    }
}

/// An officer with one role who may act only in `district`.
pub fn officer_in(district: &str, id: &str, role: Role) -> Actor {
    Actor {
        district: Some(district.into()),
        ..officer(id, role)
    }
}
