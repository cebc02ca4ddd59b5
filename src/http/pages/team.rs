//! A supervisor's view of the district's work (`/team`): each officer of
//! the district with the cases they hold, and one officer's cases, so work
//! can be given to whoever has room (from each case's page); and the cases
//! behind a count of the dashboard (`/team?state=…&district=…&office=…`,
//! its drill-down's onward link).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use crate::app::lists::{self, ListQuery, SortKey};
use crate::app::pages;
use crate::domain::roles::Role;
use crate::http::AppState;
use crate::http::pages::layout::{
    Header, PageLang, date, notice, page, page_with_status, roles_text,
};
use crate::http::pages::words::team as words;
use crate::http::pages::work::encode;
use crate::http::pages::{error_page, state_label};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

#[derive(Deserialize, Default)]
pub struct TeamParams {
    #[serde(default)]
    officer: String,
    /// The dashboard's drill-down: the cases in this state, district and
    /// office (each optional).
    #[serde(default)]
    state: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    office: String,
}

impl TeamParams {
    fn drill(&self) -> bool {
        !(self.state.is_empty() && self.district.is_empty() && self.office.is_empty())
    }
}

pub async fn team(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Query(params): Query<TeamParams>,
) -> Response {
    let path = if params.drill() {
        format!(
            "/team?state={}&district={}&office={}",
            encode(&params.state),
            encode(&params.district),
            encode(&params.office)
        )
    } else if params.officer.is_empty() {
        "/team".to_string()
    } else {
        format!("/team?officer={}", encode(&params.officer))
    };
    let header = Header {
        user: Some(&user),
        path: &path,
    };
    let title = lang.say(&words::THE_TEAMS_WORK);
    if !user.actor.roles.contains(&Role::Supervisor) {
        let body = notice("error", lang.say(&words::THIS_PAGE_IS_FOR_SUPERVISORS));
        return page_with_status(StatusCode::FORBIDDEN, lang, &header, title, body);
    }
    if params.drill() {
        let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
        let result = match lists::list(
            &state.engine,
            &user.actor,
            ListQuery {
                state: some(&params.state),
                district: some(&params.district),
                office: some(&params.office),
                sort: SortKey::Due,
                limit: 200,
                ..ListQuery::default()
            },
            Utc::now(),
        )
        .await
        {
            Ok(result) => result,
            Err(error) => {
                return error_page(lang, &header, title, &ApiError::from(error), html! {});
            }
        };
        let place = |code: &str| {
            let labels = state.engine.place_label(code);
            if lang.ar() { labels.ar } else { labels.en }
        };
        let body = html! {
            p { a href="/dashboard" { (lang.say(&words::BACK_TO_THE_DASHBOARD)) } }
            h2 {
                (lang.say(&words::THE_CASES))
                @if !params.state.is_empty() { " — " (state_label(&state, lang, &params.state)) }
                @if !params.district.is_empty() { " — " (place(&params.district)) }
                @if !params.office.is_empty() { " — " (place(&params.office)) }
            }
            @if result.items.len() >= 200 {
                p class="muted" { (lang.say(&words::THE_FIRST_200_CASES_THE_EARLIEST)) }
            }
            (cases_table(&state, lang, &result.items))
        };
        return page(lang, &header, title, body);
    }
    if !params.officer.is_empty() {
        let result = match lists::list(
            &state.engine,
            &user.actor,
            ListQuery {
                assignee: Some(params.officer.clone()),
                sort: SortKey::Due,
                limit: 200,
                ..ListQuery::default()
            },
            Utc::now(),
        )
        .await
        {
            Ok(result) => result,
            Err(error) => {
                return error_page(lang, &header, title, &ApiError::from(error), html! {});
            }
        };
        let body = html! {
            p { a href="/team" { (lang.say(&words::THE_WHOLE_TEAM)) } }
            h2 { (lang.say(&words::WHAT_IS_HELD_BY)) " " (params.officer) }
            (cases_table(&state, lang, &result.items))
        };
        return page(lang, &header, title, body);
    }
    let officers = match pages::team_page(&state.engine, &user.actor).await {
        Ok(officers) => officers,
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), html! {}),
    };
    let body = html! {
        div class="table-wrap" { table class="stack" {
            thead { tr {
                th scope="col" { (lang.say(&words::OFFICER)) }
                th scope="col" { (lang.say(&words::ROLE)) }
                th scope="col" { (lang.say(&words::CASES_HELD)) }
            } }
            tbody { @for officer in &officers { tr {
                td data-label=(lang.say(&words::OFFICER)) { a href=(format!("/team?officer={}", encode(&officer.name))) { (officer.name) } }
                td data-label=(lang.say(&words::ROLE)) { (roles_text(lang, &officer.roles)) }
                td data-label=(lang.say(&words::CASES_HELD)) { (officer.held) }
            } } }
        } }
    };
    page(lang, &header, title, body)
}

/// A list of cases: head of family (a link to the case), state, days in it, due date.
fn cases_table(state: &AppState, lang: PageLang, items: &[lists::CaseSummary]) -> maud::Markup {
    html! {
        @if items.is_empty() {
            p { (lang.say(&words::NOTHING)) }
        } @else {
            div class="table-wrap" { table class="stack" {
                thead { tr {
                    th scope="col" { (lang.say(&words::HEAD_OF_FAMILY)) }
                    th scope="col" { (lang.say(&words::STATE)) }
                    th scope="col" { (lang.say(&words::DAYS_IN_STATE)) }
                    th scope="col" { (lang.say(&words::DUE)) }
                } }
                tbody { @for item in items { tr {
                    td data-label=(lang.say(&words::HEAD_OF_FAMILY)) {
                        a href=(format!("/applications/{}", item.reference)) { (item.head_name.as_deref().unwrap_or("—")) }
                        " " span class="muted" { bdi dir="ltr" { (item.reference) } }
                    }
                    td data-label=(lang.say(&words::STATE)) { (state_label(state, lang, &item.state)) }
                    td data-label=(lang.say(&words::DAYS_IN_STATE)) { (item.days_in_state) }
                    td data-label=(lang.say(&words::DUE)) {
                        @if let Some(due) = item.due_on { span class=[item.overdue.then_some("overdue")] { (date(due)) } } @else { "—" }
                    }
                } } }
            } }
        }
    }
}
