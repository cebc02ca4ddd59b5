//! Finding a family (`/search`): by a member's name in any order and usual
//! spelling (Arabic and Kurdish letter forms, as the API searches), by a
//! register entry number (`1203/45877`) or by a national number (11
//! digits), typed in one box.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use crate::app::pages::{self, SearchPage};
use crate::http::AppState;
use crate::http::pages::layout::{Header, PageLang, date, page};
use crate::http::pages::words::search as words;
use crate::http::pages::work::encode;
use crate::http::pages::{error_page, state_label};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Query(params): Query<SearchParams>,
) -> Response {
    let path = if params.q.is_empty() {
        "/search".to_string()
    } else {
        format!("/search?q={}", encode(&params.q))
    };
    let header = Header {
        user: Some(&user),
        path: &path,
    };
    let title = lang.say(&words::FIND_A_FAMILY);
    let form = html! {
        form method="get" action="/search" class="filters" role="search" {
            div class="field" {
                label for="q" { (lang.say(&words::NAME_REGISTER_ENTRY_OR_NATIONAL_NUMBER)) }
                span class="hint" id="q-hint" { (lang.say(&words::FOR_EXAMPLE_OR_1203_45877)) }
                input id="q" name="q" type="search" value=(params.q) aria-describedby="q-hint" maxlength="200";
            }
            div class="field" { button type="submit" { (lang.say(&words::SEARCH)) } }
        }
    };
    let found = match pages::search_page(&state.engine, &user.actor, &params.q, Utc::now()).await {
        Ok(found) => found,
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), form),
    };
    if matches!(found, SearchPage::TooManyWords) {
        let body = html! {
            (form)
            p class="notice error" role="alert" { (lang.say(&words::TYPE_AT_MOST_SIX_WORDS_OF)) }
        };
        return page(lang, &header, title, body);
    }
    let SearchPage::Found(result) = found else {
        return page(lang, &header, title, form);
    };
    let body = html! {
        (form)
        @if result.items.is_empty() {
            p { (lang.say(&words::NO_APPLICATION_WAS_FOUND)) }
        } @else {
            p class="muted" {
                (lang.say(&words::found(lang.locale().digits, result.items.len() as i64, result.next.is_some())))
            }
            div class="table-wrap" {
                table class="stack" {
                    thead { tr {
                        th scope="col" { (lang.say(&words::NAME_OF_THE_CASE)) }
                        th scope="col" { (lang.say(&words::REFERENCE)) }
                        th scope="col" { (lang.say(&words::STATE)) }
                        th scope="col" { (lang.say(&words::OFFICE)) }
                        th scope="col" { (lang.say(&words::SUBMITTED_ON)) }
                    } }
                    tbody {
                        @for item in &result.items {
                            tr {
                                td data-label=(lang.say(&words::NAME_OF_THE_CASE)) {
                                    a href=(format!("/applications/{}", item.reference)) { (item.display_name) }
                                }
                                td data-label=(lang.say(&words::REFERENCE)) { bdi dir="ltr" { (item.reference) } }
                                td data-label=(lang.say(&words::STATE)) { (state_label(&state, lang, &item.state)) }
                                td data-label=(lang.say(&words::OFFICE)) { (lang.say(&item.office_label)) }
                                td data-label=(lang.say(&words::SUBMITTED_ON)) { (date(item.submitted_on)) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(lang, &header, title, body)
}
