//! The page at `/dashboard`, rendered on the server: the header with the
//! district filter, the language switch, printing and signing out; the
//! sign-in link for a visitor; and the panel for leadership and
//! supervisors. Its style sheet and its script are files of ours served
//! beside it (`/dashboard/dashboard.css`, `/dashboard/dashboard.js`), so
//! its policy allows no inline script or style.

use maud::{DOCTYPE, Markup, html};

use crate::domain::language::Locale;
use crate::http::pages::words::dashboard as words;

/// What the page shows below its header.
pub(super) enum Shown {
    /// Nobody is signed in (or the session could not be read): the link to
    /// the sign-in page.
    SignedOut,
    /// Signed in, but the panel is not for this person (not leadership or
    /// a supervisor): the sign-in link, and why.
    Refused { csrf: String },
    /// Signed in, and the panel could not be drawn as asked (a district or
    /// a stage that does not exist): why.
    Failed { csrf: String, problem: String },
    /// The panel, with the districts its filter offers (code, name) and
    /// the one chosen.
    Panel {
        csrf: String,
        panel: Markup,
        districts: Vec<(String, String)>,
        chosen: Option<String>,
    },
}

/// The drill-down the page was asked for, kept by the language switch.
#[derive(Clone, Debug, Default)]
pub(super) struct Asked {
    pub district: Option<String>,
    pub office: Option<String>,
    pub state: Option<String>,
    pub age: Option<String>,
}

/// The page's title in the reader's language.
fn title(locale: Locale) -> &'static str {
    locale.say(&words::NATURALIZATION_BACKLOG_DASHBOARD)
}

/// The whole page.
pub(super) fn page(shown: &Shown, asked: &Asked, locale: Locale) -> Markup {
    let (csrf, refused) = match shown {
        Shown::SignedOut => (None, false),
        Shown::Refused { csrf } => (Some(csrf), true),
        Shown::Failed { csrf, .. } | Shown::Panel { csrf, .. } => (Some(csrf), false),
    };
    let signed_out = matches!(shown, Shown::SignedOut | Shown::Refused { .. });
    let message = match shown {
        Shown::Refused { .. } => locale.say(&words::THIS_DASHBOARD_IS_FOR_MINISTRY_LEADERSHIP),
        _ => "",
    };
    html! {
        (DOCTYPE)
        html lang=(locale.code()) dir=(locale.say(&words::LTR)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title(locale)) " — casework" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/dashboard/dashboard.css";
                script src="/dashboard/dashboard.js" defer {}
            }
            body {
                header class="top" {
                    h1 id="title" { (title(locale)) }
                    div class="controls noprint" {
                        @if let Shown::Panel { districts, chosen, .. } = shown {
                            (filter(districts, chosen.as_deref(), locale))
                        }
                        (language_switch(asked, locale))
                        button type="button" id="print" hidden { (locale.say(&words::PRINT)) }
                        @if let Some(csrf) = csrf {
                            form method="post" action="/signout" id="signout-form" hidden[refused] {
                                input type="hidden" name="csrf_token" value=(csrf);
                                button type="submit" id="signout" { (locale.say(&words::SIGN_OUT)) }
                            }
                        }
                    }
                }
                main {
                    section id="signin" hidden[!signed_out] {
                        p class="error" id="signin-error"
                            data-ended=(locale.say(&words::YOU_ARE_NOT_SIGNED_IN_OR))
                            data-forbidden=(locale.say(&words::THIS_DASHBOARD_IS_FOR_MINISTRY_LEADERSHIP))
                            data-failed=(locale.say(&words::COULD_NOT_LOAD_THE_FIGURES_RETRYING)) {
                            (message)
                        }
                        a id="signin-link" href={ "/signin?next=/dashboard&lang=" (locale.code()) } {
                            (locale.say(&words::SIGN_IN_TO_SEE_THE_FIGURES))
                        }
                    }
                    @if let Shown::Failed { problem, .. } = shown {
                        p class="error" id="panel-error" role="alert" { (problem) }
                    }
                    div id="panel" aria-live="polite" {
                        @if let Shown::Panel { panel, .. } = shown { (panel) }
                    }
                }
            }
        }
    }
}

/// The district filter: a plain form, which the script submits as soon
/// as a district is chosen.
fn filter(districts: &[(String, String)], chosen: Option<&str>, locale: Locale) -> Markup {
    html! {
        form id="filter" method="get" action="/dashboard" {
            select id="district" name="district" aria-label=(locale.say(&words::DISTRICT)) hidden[districts.is_empty()] {
                option value="" { (locale.say(&words::ALL_DISTRICTS)) }
                @for (code, name) in districts {
                    option value=(code) selected[chosen == Some(code.as_str())] { (name) }
                }
            }
            button type="submit" id="district-show" hidden[districts.is_empty()] {
                (locale.say(&words::SHOW))
            }
        }
    }
}

/// Arabic and English, each a button of a plain form that asks for the
/// same drill-down in that language (which the page then remembers).
fn language_switch(asked: &Asked, locale: Locale) -> Markup {
    let kept = [
        ("district", &asked.district),
        ("office", &asked.office),
        ("state", &asked.state),
        ("age", &asked.age),
    ];
    html! {
        form id="languages" method="get" action="/dashboard" {
            @for (name, value) in kept {
                @if let Some(value) = value {
                    input type="hidden" name=(name) value=(value);
                }
            }
            button type="submit" name="lang" value="ar" id="lang-ar" class=[(locale.code() == "ar").then_some("on")] lang="ar" { (words::ARABIC_LANGUAGE) }
            button type="submit" name="lang" value="en" id="lang-en" class=[(locale.code() == "en").then_some("on")] lang="en" { "English" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language::Digits;
    use crate::domain::language::Lang;

    const EN: Locale = Locale {
        lang: Lang::En,
        digits: Digits::Arabic,
    };

    /// The page for `shown` holds each of `present` and none of `absent`.
    fn check(shown: Shown, asked: &Asked, present: &[&str], absent: &[&str]) {
        let html = page(&shown, asked, EN).into_string();
        for needle in present {
            assert!(html.contains(needle), "lacks {needle}: {html}");
        }
        for needle in absent {
            assert!(!html.contains(needle), "has {needle}: {html}");
        }
    }

    #[test]
    fn a_visitor_is_sent_to_sign_in_and_sees_no_figures() {
        check(
            Shown::SignedOut,
            &Asked::default(),
            &[
                r#"<section id="signin">"#,
                r#"href="/signin?next=/dashboard&amp;lang=en""#,
                r#"<div id="panel" aria-live="polite"></div>"#,
            ],
            &[
                "csrf_token",
                r#"id="district""#,
                "<style",
                "<script>",
                "style=",
            ],
        );
    }

    #[test]
    fn a_refused_officer_is_told_why_and_the_panel_is_left_out() {
        check(
            Shown::Refused {
                csrf: "token".into(),
            },
            &Asked::default(),
            &[
                r#"<section id="signin">"#,
                r#"id="signout-form" hidden"#,
                ">This dashboard is for ministry leadership and supervisors only</p>",
            ],
            &[r#"id="district""#],
        );
    }

    #[test]
    fn the_panel_comes_with_its_filter_and_the_language_switch_keeps_the_drill_down() {
        check(
            Shown::Panel {
                csrf: "token".into(),
                panel: html! { section class="panel" {} },
                districts: vec![("amuda".into(), "Amuda <north>".into())],
                chosen: Some("amuda".into()),
            },
            &Asked {
                district: Some("amuda".into()),
                state: Some("verification".into()),
                ..Asked::default()
            },
            &[
                r#"<section id="signin" hidden>"#,
                r#"<input type="hidden" name="csrf_token" value="token">"#,
                r#"<option value="amuda" selected>Amuda &lt;north&gt;</option>"#,
                r#"<input type="hidden" name="district" value="amuda"><input type="hidden" name="state" value="verification">"#,
                r#"id="lang-en" class="on""#,
                r#"<section class="panel"></section>"#,
            ],
            &[r#"id="signout-form" hidden"#],
        );
    }

    #[test]
    fn a_panel_that_cannot_be_drawn_says_why() {
        check(
            Shown::Failed {
                csrf: "token".into(),
                problem: "'atlantis' is not a known district".into(),
            },
            &Asked::default(),
            &[r#"role="alert">'atlantis' is not a known district</p>"#],
            &[],
        );
    }
}
