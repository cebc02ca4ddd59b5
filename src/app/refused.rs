//! The refusals the use cases give themselves rather than the engine: the
//! app's own actions, which no definition holds, named as a person reads
//! them; who may take them; and a district named by its place names.

use crate::app::Engine;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::domain::words::refusals;
use crate::workflow::Refusal;
use crate::workflow::refusal::Named;

/// The audit action recorded when a case is opened.
pub const CREATED: &str = crate::workflow::duties::OPEN;
/// The audit action recorded when a case is brought in from an earlier register.
pub const IMPORTED: &str = "imported";

/// One of the app's own actions (opening a case, claiming it, reading the
/// statistics, ...) with its Arabic and English labels; an action it does
/// not know stands for itself.
pub(crate) fn action(code: &str) -> Named {
    let words = match code {
        CREATED => refusals::OPEN_AN_APPLICATION,
        IMPORTED => refusals::IMPORTED,
        "edit" => refusals::EDIT_THE_FAMILY,
        "claim" => refusals::CLAIM,
        "assign" => refusals::ASSIGN,
        "release" => refusals::RELEASE,
        "team" => refusals::SEE_THE_TEAM,
        "take_over" => refusals::TAKE_OVER,
        "read_case" => refusals::READ_THE_CASE,
        "read_statistics" => refusals::READ_THE_STATISTICS,
        "set_targets" => refusals::SET_THE_TARGETS,
        "read_access_log" => refusals::READ_THE_ACCESS_LOG,
        "outbox" => refusals::MANAGE_THE_OUTBOX,
        "import" => refusals::IMPORT_THE_BACKLOG,
        "dismiss_duplicate" => refusals::DISMISS_THE_DUPLICATE,
        "link_duplicate" => refusals::LINK_THE_DUPLICATE,
        "attach_scan" => refusals::ATTACH_A_SCAN,
        "replace_scan" => refusals::REPLACE_A_SCAN,
        "remove_scan" => refusals::REMOVE_A_SCAN,
        "view_scan" => refusals::VIEW_A_SCAN,
        "purge_scan" => refusals::SCANS_PURGED,
        other => return Named::new(code, Text::of_code(other)),
    };
    Named::new(code, words.text())
}

/// A refusal of `code` to an actor who holds none of `roles`.
pub(crate) fn role_not_allowed(code: &str, roles: &[Role]) -> Refusal {
    Refusal::RoleNotAllowed {
        action: action(code),
        roles: roles.iter().copied().map(Named::role).collect(),
    }
}

/// Officers who read cases, as opposed to leadership, who reads counts,
/// and auditors, who read audit trails and the access log.
pub(crate) fn case_officers() -> Named {
    Named::new("officers", refusals::CASE_OFFICERS.text())
}

/// The officer a case is assigned to.
pub(crate) fn the_assignee() -> Named {
    Named::new("assignee", refusals::THE_ASSIGNEE.text())
}

/// A refusal of a case, query or figure in a district outside the
/// actor's, the district named by its place names.
pub(crate) fn outside_district(engine: &Engine, district: &str) -> Refusal {
    let labels = engine.place_label(district);
    Refusal::OutsideDistrict {
        district: Named::labelled(district, &labels),
    }
}
