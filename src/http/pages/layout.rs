//! The frame every page of the workbench shares: the document's language
//! and direction, the header with the caller and the language switch, the
//! security headers, and the small words every page uses.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::domain::language::{Digits, Lang, Locale, Said};
use crate::domain::roles::Role;
use crate::http::pages::words;
use crate::http::session::WebUser;

/// The name of the cookie that keeps the reader's language.
const LANG_COOKIE: &str = "casework_lang";

/// The reader's language: `?lang=ar|en` (which the page then remembers in
/// a cookie), else the cookie, else Arabic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLang {
    pub lang: Lang,
    /// The language was chosen by this request's `?lang=`.
    chosen: bool,
}

impl PageLang {
    /// Arabic, as chosen by nobody (for texts kept in both languages).
    pub fn arabic() -> PageLang {
        PageLang {
            lang: Lang::Ar,
            chosen: false,
        }
    }

    /// English, as chosen by nobody.
    pub fn english() -> PageLang {
        PageLang {
            lang: Lang::En,
            chosen: false,
        }
    }

    pub fn ar(self) -> bool {
        self.lang == Lang::Ar
    }

    /// `said` in this page's language.
    pub fn say<S: Said + ?Sized>(self, said: &S) -> &str {
        self.lang.say(said)
    }

    /// How the workbench writes numbers for this reader: in this
    /// language, with Western digits (as its dates and figures are).
    pub fn locale(self) -> Locale {
        Locale {
            lang: self.lang,
            digits: Digits::Western,
        }
    }

    /// The Arabic or the English text.
    pub fn t<'a>(self, ar: &'a str, en: &'a str) -> &'a str {
        if self.ar() { ar } else { en }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<PageLang, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&').find_map(|pair| match pair {
                "lang=ar" => Some(Lang::Ar),
                "lang=en" => Some(Lang::En),
                _ => None,
            })
        });
        if let Some(lang) = from_query {
            return Ok(PageLang { lang, chosen: true });
        }
        let from_cookie = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(
                |c| match c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('=')? {
                    "en" => Some(Lang::En),
                    "ar" => Some(Lang::Ar),
                    _ => None,
                },
            );
        Ok(PageLang {
            lang: from_cookie.unwrap_or(Lang::Ar),
            chosen: false,
        })
    }
}

/// What the header shows of the person at the keyboard.
pub struct Header<'a> {
    pub user: Option<&'a WebUser>,
    /// The path of this page (for the language switch).
    pub path: &'a str,
}

/// A whole page: `title` in the browser's tab and as the heading, `body`
/// below the header. Pages are never cached and run no script but ours.
pub fn page(lang: PageLang, header: &Header<'_>, title: &str, body: Markup) -> Response {
    page_with_status(StatusCode::OK, lang, header, title, body)
}

pub fn page_with_status(
    status: StatusCode,
    lang: PageLang,
    header: &Header<'_>,
    title: &str,
    body: Markup,
) -> Response {
    let (code, dir) = if lang.ar() {
        ("ar", "rtl")
    } else {
        ("en", "ltr")
    };
    let other = if lang.ar() { "en" } else { "ar" };
    let separator = if header.path.contains('?') { '&' } else { '?' };
    let switch = format!("{}{separator}lang={other}", strip_lang(header.path));
    let markup = html! {
        (DOCTYPE)
        html lang=(code) dir=(dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (lang.say(&words::NATURALIZATION_CASEWORK)) }
                link rel="icon" href="/favicon.ico" sizes="32x32";
                link rel="stylesheet" href="/web/style.css";
            }
            body {
                a class="skip" href="#main" { (lang.say(&words::SKIP_TO_CONTENT)) }
                header class="top" {
                    a class="brand" href="/" { (lang.say(&words::NATURALIZATION_CASEWORK)) }
                    @if let Some(user) = header.user {
                        nav aria-label=(lang.say(&words::NAVIGATION)) {
                            @if has(user, works_cases) {
                                a href="/" { (lang.say(&words::MY_WORK)) }
                            }
                            @if has(user, |r| r == Role::Supervisor) {
                                a href="/team" { (lang.say(&words::THE_TEAMS_WORK)) }
                            }
                            @if has(user, |r| matches!(r, Role::Supervisor | Role::Leadership)) {
                                a href="/dashboard" { (lang.say(&words::DASHBOARD)) }
                            }
                            @if has(user, |r| r.reads_cases() && r != Role::System) {
                                a href="/search" { (lang.say(&words::SEARCH)) }
                            }
                            @if has(user, |r| matches!(r, Role::IntakeClerk | Role::Supervisor)) {
                                a href="/applications/new" { (lang.say(&words::NEW_APPLICATION)) }
                            }
                        }
                        div class="who" {
                            span { (user.actor.id) }
                            " · "
                            span { (roles_text(lang, &user.actor.roles)) }
                        }
                    }
                    div class="tools" {
                        a href=(switch) lang=(other) hreflang=(other) {
                            (if lang.ar() { "English" } else { words::ARABIC_LANGUAGE })
                        }
                        @if let Some(user) = header.user && !user.csrf.is_empty() {
                            form method="post" action="/signout" class="inline" {
                                input type="hidden" name="csrf_token" value=(user.csrf);
                                button type="submit" class="link" { (lang.say(&words::SIGN_OUT)) }
                            }
                        }
                    }
                }
                main id="main" {
                    // A reference after the dash stays whole on a phone
                    // (it would break at its hyphens).
                    @match title.rsplit_once(" — ") {
                        Some((name, tail)) => h1 { (name) " — " bdi class="nowrap" { (tail) } },
                        None => h1 { (title) },
                    }
                    (body)
                }
            }
        }
    };
    let mut response = (status, axum::response::Html(markup.into_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if lang.chosen {
        let cookie =
            format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Whether one of the user's roles is as `test` asks.
fn has(user: &WebUser, test: impl Fn(Role) -> bool) -> bool {
    user.actor.roles.iter().any(|r| test(*r))
}

/// The roles whose officers work cases from a queue (My work): not a
/// supervisor (who gives work out), leadership, an administrator or an
/// auditor.
fn works_cases(role: Role) -> bool {
    matches!(
        role,
        Role::IntakeClerk | Role::Verifier | Role::Approver | Role::Registrar | Role::CardOfficer
    )
}

/// `path` without its `lang=` parameter.
fn strip_lang(path: &str) -> String {
    let Some((base, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("lang="))
        .collect();
    if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    }
}

/// The caller's roles, by name.
pub fn roles_text(lang: PageLang, roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| role_name(lang, *r)).collect();
    names.join(lang.say(&words::LIST_COMMA))
}

/// A role by its name in the reader's language.
pub fn role_name(lang: PageLang, role: Role) -> &'static str {
    if lang.ar() {
        role.label_ar()
    } else {
        role.label_en()
    }
}

/// A date, written the same way in both languages (Western digits, year
/// first) and isolated so that it never flips inside an Arabic sentence.
pub fn date(day: chrono::NaiveDate) -> Markup {
    html! { bdi dir="ltr" { (day.format("%Y-%m-%d").to_string()) } }
}

/// A notice at the top of a page: what happened, or what went wrong.
pub fn notice(kind: &str, text: &str) -> Markup {
    html! {
        div class=(format!("notice {kind}")) role=(if kind == "error" { "alert" } else { "status" }) {
            (text)
        }
    }
}

/// The style sheet every page links.
pub const STYLE: &str = include_str!("style.css");
