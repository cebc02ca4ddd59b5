//! A supervisor's view of the district's work (`/team`): each officer of
//! the district with the cases they hold, and one officer's cases, so work
//! can be given to whoever has room (from each case's page); and the cases
//! behind a count of the dashboard (`/team?state=…&district=…&office=…`,
//! its drill-down's onward link).

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use crate::app::lists;
use crate::app::pages::{self, TeamPage, TeamQuery};
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::pages::layout::{Header, PageLang, date, page, roles_text};
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
    let title = lang.say(&crate::http::pages::words::THE_TEAMS_WORK);
    let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
    let query = if params.drill() {
        TeamQuery::Cases {
            state: some(&params.state),
            district: some(&params.district),
            office: some(&params.office),
        }
    } else if !params.officer.is_empty() {
        TeamQuery::HeldBy(params.officer.clone())
    } else {
        TeamQuery::Everyone
    };
    let team = match pages::team_page(&state.engine, &user.actor, query, Utc::now()).await {
        Ok(team) => team,
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), html! {}),
    };
    if let TeamPage::Cases {
        cases,
        district,
        office,
    } = &team
    {
        let place = |labels: &Text| lang.say(labels).to_string();
        let body = html! {
            p { a href="/dashboard" { (lang.say(&words::BACK_TO_THE_DASHBOARD)) } }
            h2 {
                (lang.say(&crate::http::pages::words::THE_CASES))
                @if !params.state.is_empty() { " — " (state_label(&state, lang, &params.state)) }
                @if let Some(district) = district { " — " (place(district)) }
                @if let Some(office) = office { " — " (place(office)) }
            }
            @if cases.len() >= 200 {
                p class="muted" { (lang.say(&words::THE_FIRST_200_CASES_THE_EARLIEST)) }
            }
            (cases_table(&state, lang, cases))
        };
        return page(lang, &header, title, body);
    }
    if let TeamPage::HeldBy(cases) = &team {
        let body = html! {
            p { a href="/team" { (lang.say(&words::THE_WHOLE_TEAM)) } }
            h2 { (lang.say(&words::WHAT_IS_HELD_BY)) " " (params.officer) }
            (cases_table(&state, lang, cases))
        };
        return page(lang, &header, title, body);
    }
    let TeamPage::Everyone(officers) = team else {
        unreachable!("the lists of cases are answered above");
    };
    let body = html! {
        div class="table-wrap" { table class="stack" {
            thead { tr {
                th scope="col" { (lang.say(&crate::http::pages::words::OFFICER)) }
                th scope="col" { (lang.say(&words::ROLE)) }
                th scope="col" { (lang.say(&words::CASES_HELD)) }
            } }
            tbody { @for officer in &officers { tr {
                td data-label=(lang.say(&crate::http::pages::words::OFFICER)) { a href=(format!("/team?officer={}", encode(&officer.name))) { (officer.name) } }
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
                    th scope="col" { (lang.say(&crate::http::pages::words::HEAD_OF_FAMILY)) }
                    th scope="col" { (lang.say(&crate::http::pages::words::STATE)) }
                    th scope="col" { (lang.say(&crate::http::pages::words::DAYS_IN_STATE)) }
                    th scope="col" { (lang.say(&crate::http::pages::words::DUE)) }
                } }
                tbody { @for item in items { tr {
                    td data-label=(lang.say(&crate::http::pages::words::HEAD_OF_FAMILY)) {
                        a href=(format!("/applications/{}", item.reference)) { (item.head_name.as_deref().unwrap_or("—")) }
                        " " span class="muted" { bdi dir="ltr" { (item.reference) } }
                    }
                    td data-label=(lang.say(&crate::http::pages::words::STATE)) { (state_label(state, lang, &item.state)) }
                    td data-label=(lang.say(&crate::http::pages::words::DAYS_IN_STATE)) { (item.days_in_state) }
                    td data-label=(lang.say(&crate::http::pages::words::DUE)) {
                        @if let Some(due) = item.due_on { span class=[item.overdue.then_some("overdue")] { (date(due)) } } @else { "—" }
                    }
                } } }
            } }
        }
    }
}
