//! The forecast's history: every audit event since a day, counted per
//! week, district, the case's state before and after it, and actor, read
//! from the `moved` tallies (kept with every event, like `acted`).
//!
//! Unlike the case tallies, which keep only the day a case entered its
//! current state, this says how many cases left each state each week and
//! who was working each state: what the forecast and the what-if resample.

use sea_orm::{ConnectionTrait, DbBackend, Value};

use crate::store::tallies::{self, Filter, Read, kind, split_move_tag};
use crate::store::{Store, StoreError, backend_of, statement};

/// Events of one week, district, move and actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveCount {
    /// Week number: `(day - 3) / 7` of the event's day in Damascus time
    /// (weeks start on Sunday), as the tallies count weeks.
    pub week: i32,
    pub district: String,
    /// The case's state before the event (empty for the event that opened
    /// or imported the case).
    pub from_state: String,
    /// The case's state after it (the same as `from_state` for an event
    /// that did not move the case, such as a member's verification).
    pub to_state: String,
    pub actor: String,
    pub events: i64,
}

/// What the history is read for.
#[derive(Clone, Debug, Default)]
pub struct MoveRead {
    /// The workflow's name (cases of every version).
    pub workflow: String,
    pub district: Option<String>,
    pub office: Option<String>,
    /// Events on or after this day number (days since 1970-01-01, in
    /// Damascus time).
    pub since_day: i32,
}

/// Reads the grouped history, one row per week, district, move and actor:
/// from the `moved` tallies, whose size does not grow with the cases, or,
/// for one office (which the tallies do not keep: an edit may move a case
/// to another office after its events), from the events themselves.
pub async fn weekly_moves(store: &Store, read: &MoveRead) -> Result<Vec<MoveCount>, StoreError> {
    if read.office.is_some() {
        return weekly_moves_of_events(store, read).await;
    }
    let sums = tallies::sums(
        store,
        &Read {
            kinds: vec![(kind::MOVED, vec![read.workflow.clone()])],
            group_district: true,
            group_tag: true,
            group_week: true,
            by_day: true,
            filter: Filter {
                district: read.district.clone(),
                from_day: Some(read.since_day),
                ..Filter::default()
            },
            ..Read::default()
        },
    )
    .await?;
    let mut out = Vec::with_capacity(sums.len());
    for sum in sums {
        let Some((from_state, to_state, actor)) = split_move_tag(&sum.tag) else {
            return Err(StoreError::Corrupt(format!(
                "a 'moved' tally of {} has the tag {:?}, not a state before, a state after and an actor",
                sum.district, sum.tag
            )));
        };
        out.push(MoveCount {
            week: sum.day,
            district: sum.district,
            from_state: from_state.to_string(),
            to_state: to_state.to_string(),
            actor: actor.to_string(),
            events: sum.families,
        });
    }
    Ok(out)
}

/// The same history counted from the audit events of the days asked for
/// and their applications (one grouped query; its cost grows with the
/// events). Used for one office; tests compare it with the tallies.
pub async fn weekly_moves_of_events(
    store: &Store,
    read: &MoveRead,
) -> Result<Vec<MoveCount>, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    // The day of the event in Damascus time (UTC+3 all year).
    let day = match backend {
        DbBackend::Postgres => {
            "CAST(FLOOR((EXTRACT(EPOCH FROM e.at) + 10800) / 86400) AS INTEGER)".to_string()
        }
        _ => "CAST(julianday(e.at) - 2440587.5 + 0.125 AS INTEGER)".to_string(),
    };
    let mut values: Vec<Value> = vec![read.workflow.clone().into()];
    let mut conditions = vec!["a.workflow_name = $1".to_string()];
    if let Some(d) = &read.district {
        values.push(d.clone().into());
        conditions.push(format!("a.district = ${}", values.len()));
    }
    if let Some(o) = &read.office {
        values.push(o.clone().into());
        conditions.push(format!("a.office = ${}", values.len()));
    }
    // Only the index's range of the days asked for is read (migration 30;
    // `CROSS JOIN` keeps SQLite reading the events first, by that index);
    // a day starts at 21:00 UTC the evening before, Damascus being UTC+3.
    let since = crate::store::tallies::from_day_number(read.since_day)
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc() - chrono::Duration::hours(3));
    if let Some(since) = since {
        values.push(since.into());
        conditions.push(format!("e.at >= ${}", values.len()));
    }
    let sql = format!(
        "SELECT week, district, from_state, to_state, actor, {} FROM (\
           SELECT ({day} - 3) / 7 AS week, {day} AS day, a.district AS district, \
                  e.from_state AS from_state, e.to_state AS to_state, e.actor AS actor \
           FROM audit_events e CROSS JOIN applications a \
           WHERE a.id = e.application_id AND {}) moves \
         WHERE day >= ${} \
         GROUP BY week, district, from_state, to_state, actor",
        match backend {
            DbBackend::Postgres => "CAST(COUNT(*) AS BIGINT)",
            _ => "COUNT(*)",
        },
        conditions.join(" AND "),
        values.len() + 1,
    );
    values.push(read.since_day.into());
    let rows = conn.query_all_raw(statement(backend, &sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(MoveCount {
            week: row.try_get_by_index::<i32>(0)?,
            district: row.try_get_by_index(1)?,
            from_state: row.try_get_by_index(2)?,
            to_state: row.try_get_by_index(3)?,
            actor: row.try_get_by_index(4)?,
            events: row.try_get_by_index::<i64>(5)?,
        });
    }
    Ok(out)
}
