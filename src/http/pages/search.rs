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
    let title = lang.t("البحث عن عائلة", "Find a family");
    let form = html! {
        form method="get" action="/search" class="filters" role="search" {
            div class="field" {
                label for="q" { (lang.t("الاسم أو رقم القيد أو الرقم الوطني", "Name, register entry or national number")) }
                span class="hint" id="q-hint" { (lang.t("مثال: محمد العلي، أو 1203/45877", "For example: محمد العلي, or 1203/45877")) }
                input id="q" name="q" type="search" value=(params.q) aria-describedby="q-hint" maxlength="200" size="40";
            }
            div class="field" { button type="submit" { (lang.t("ابحث", "Search")) } }
        }
    };
    let found = match pages::search_page(&state.engine, &user.actor, &params.q, Utc::now()).await {
        Ok(found) => found,
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), form),
    };
    if matches!(found, SearchPage::TooManyWords) {
        let body = html! {
            (form)
            p class="notice error" role="alert" { (lang.t("اكتب ست كلمات على الأكثر من الاسم.", "Type at most six words of the name.")) }
        };
        return page(lang, &header, title, body);
    }
    let SearchPage::Found(result) = found else {
        return page(lang, &header, title, form);
    };
    let body = html! {
        (form)
        @if result.items.is_empty() {
            p { (lang.t("لم يُعثر على أي طلب.", "No application was found.")) }
        } @else {
            p class="muted" {
                (result.items.len())
                @if result.next.is_some() { "+" }
                " " (lang.t("طلباً، الأقدم أولاً", "applications, oldest first"))
            }
            div class="table-wrap" {
                table class="stack" {
                    thead { tr {
                        th scope="col" { (lang.t("رب الأسرة", "Head of family")) }
                        th scope="col" { (lang.t("الرقم المرجعي", "Reference")) }
                        th scope="col" { (lang.t("الحالة", "State")) }
                        th scope="col" { (lang.t("المكتب", "Office")) }
                        th scope="col" { (lang.t("تاريخ التقديم", "Submitted on")) }
                    } }
                    tbody {
                        @for item in &result.items {
                            tr {
                                td data-label=(lang.t("رب الأسرة", "Head of family")) {
                                    a href=(format!("/applications/{}", item.reference)) { (item.head_name.as_deref().unwrap_or("—")) }
                                }
                                td data-label=(lang.t("الرقم المرجعي", "Reference")) { bdi dir="ltr" { (item.reference) } }
                                td data-label=(lang.t("الحالة", "State")) { (state_label(&state, lang, &item.state)) }
                                td data-label=(lang.t("المكتب", "Office")) { (if lang.ar() { &item.office_label.ar } else { &item.office_label.en }) }
                                td data-label=(lang.t("تاريخ التقديم", "Submitted on")) { (date(item.submitted_on)) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(lang, &header, title, body)
}
