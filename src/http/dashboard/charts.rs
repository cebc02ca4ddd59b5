//! The backlog dashboard at `/dashboard`: a page served by the binary,
//! Arabic right-to-left by default with an English switch. The page itself
//! holds no data; after sign-in (a token kept in the tab's session storage)
//! it fetches `/dashboard/panel`, rendered here with inline SVG charts, and
//! refreshes it every minute. Nothing comes from the network.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::stats::{
    self, AGE_BUCKETS, Ageing, Backlog, Bottleneck, Breaches, Forecast, Headline, StatsQuery,
    Throughput, Workload,
};
use crate::http::AppState;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};
// The same HTML escaping as the mail templates.
use crate::mail::templates::escape as esc;
use crate::workflow::definition::{Labels, Workflow};
use crate::workflow::machine::local_date;
use crate::workflow::refusal::Lang;

const PAGE: &str = include_str!("dashboard.html");

/// The dashboard page (no data until signed in).
#[utoipa::path(
    get, path = "/dashboard", tag = "dashboard",
    responses((status = 200, description = "The dashboard page", content_type = "text/html", body = String))
)]
pub async fn page() -> Response {
    let mut response = Html(PAGE).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; base-uri 'none'",
        ),
    );
    response
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PanelParams {
    /// `ar` (default) or `en`.
    pub lang: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
}

/// The dashboard's content as an HTML fragment with inline SVG charts.
#[utoipa::path(
    get, path = "/dashboard/panel", tag = "dashboard",
    params(PanelParams),
    responses(
        (status = 200, description = "The panel", content_type = "text/html", body = String),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not leadership or a supervisor, or another district", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn panel(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let lang = match params.lang.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Ar,
    };
    let query = StatsQuery {
        district: params.district.filter(|d| !d.is_empty()),
        office: params.office.filter(|o| !o.is_empty()),
        from: None,
        to: None,
    };
    let today = local_date(Utc::now());
    let scope = stats::scope(&state.engine, &actor, &query, today)?;
    let engine = &state.engine;
    // Each query once: the bottleneck ranks the ageing rows, the forecast
    // reuses the headline (the panel has no period) and the weeks.
    let headline = stats::headline(engine, &scope).await?;
    let ageing = stats::ageing(engine, &scope).await?;
    let weeks = stats::weekly(engine, &scope).await?;
    let figures = Figures {
        forecast: stats::forecast_of(&scope, &headline, &weeks),
        throughput: stats::throughput_of(&scope, &weeks),
        bottleneck: stats::bottleneck_of(&scope, ageing.clone()),
        headline,
        ageing,
        backlog: stats::backlog(engine, &scope).await?,
        breaches: stats::breaches(engine, &scope).await?,
        workload: stats::workload(engine, &scope).await?,
        portal: crate::app::portal::statistics(
            engine,
            &actor,
            today - chrono::Duration::days(29),
            today,
        )
        .await?,
    };
    // The district list for the filter: every district the caller may see.
    let districts = if scope.applied.district.is_none() || actor.district.is_some() {
        figures.backlog.clone()
    } else {
        let all = stats::scope(engine, &actor, &StatsQuery::default(), today)?;
        stats::backlog(engine, &all).await?
    };
    let html = render(&figures, &districts, &scope.workflow, lang);
    Ok(Html(html).into_response())
}

/// Everything the panel shows.
pub struct Figures {
    pub headline: Headline,
    pub backlog: Backlog,
    pub ageing: Ageing,
    pub breaches: Breaches,
    pub throughput: Throughput,
    pub workload: Workload,
    pub bottleneck: Bottleneck,
    pub forecast: Forecast,
    /// The agency portal's use over the last 30 days.
    pub portal: crate::app::portal::PortalStatistics,
}

// ------------------------------------------------------------- helpers --

/// Arabic-Indic digits for Arabic, the text as is for English.
fn digits(text: String, lang: Lang) -> String {
    match lang {
        Lang::En => text,
        Lang::Ar => text
            .chars()
            .map(|c| match c {
                '.' => '٫',
                c => c
                    .to_digit(10)
                    .and_then(|d| char::from_u32(0x0660 + d))
                    .unwrap_or(c),
            })
            .collect(),
    }
}

/// A number as read in the language: Arabic-Indic digits and the Arabic
/// thousands separator, or Western digits with commas.
pub fn number(value: i64, lang: Lang) -> String {
    let text = value.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            grouped.push(if lang == Lang::Ar { '٬' } else { ',' });
        }
        grouped.push(c);
    }
    let sign = if value < 0 { "-" } else { "" };
    digits(format!("{sign}{grouped}"), lang)
}

fn decimal(value: f64, lang: Lang) -> String {
    digits(format!("{value:.1}"), lang)
}

fn pick<'a>(lang: Lang, ar: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ar => ar,
        Lang::En => en,
    }
}

fn label(labels: &Labels, lang: Lang) -> String {
    pick(lang, &labels.ar, &labels.en).to_string()
}

const PALETTE: &[&str] = &[
    "#1f6f8b", "#e07a1f", "#4c9a2a", "#b23a48", "#6a4c93", "#c9a227", "#2a9d8f", "#7f5539",
];

// -------------------------------------------------------------- render --

/// The panel's HTML.
pub fn render(f: &Figures, all: &Backlog, workflow: &Workflow, lang: Lang) -> String {
    let mut out = String::new();
    let h = &f.headline;
    let mut districts: Vec<&str> = all.rows.iter().map(|r| r.district.as_str()).collect();
    districts.sort();
    districts.dedup();
    let _ = write!(
        out,
        r#"<section class="panel" data-lang="{}" data-as-of="{}" data-districts="{}" data-district="{}">"#,
        pick(lang, "ar", "en"),
        h.filter.as_of,
        esc(&districts.join(",")),
        esc(h.filter.district.as_deref().unwrap_or("")),
    );
    let _ = write!(
        out,
        r#"<p class="asof">{} {}{}</p>"#,
        pick(lang, "الوضع في", "Position on"),
        h.filter.as_of,
        h.filter
            .district
            .as_ref()
            .map_or(String::new(), |d| format!(
                " — {} {}",
                pick(lang, "منطقة", "district"),
                esc(d)
            )),
    );
    kpis(&mut out, f, lang);
    out.push_str(r#"<div class="grid">"#);
    card(
        &mut out,
        pick(
            lang,
            "الطلبات المفتوحة حسب المنطقة",
            "Open applications by district",
        ),
        "backlog",
        &district_bars(&f.backlog, workflow, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "مدة البقاء في المرحلة (أيام)",
            "Days in the current stage",
        ),
        "ageing",
        &ageing_chart(&f.ageing, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "الوارد والمنجز أسبوعياً",
            "Weekly intake and completions",
        ),
        "throughput",
        &throughput_chart(&f.throughput, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "الطلبات المفتوحة عبر الزمن",
            "Open applications over time",
        ),
        "throughput",
        &backlog_line(&f.throughput, lang),
    );
    card(
        &mut out,
        pick(lang, "متى ينتهي العمل المتراكم", "When the backlog clears"),
        "forecast",
        &forecast_block(&f.forecast, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "عنق الزجاجة وتجاوز المهل",
            "Bottleneck and SLA breaches",
        ),
        "sla-breaches",
        &bottleneck_block(&f.bottleneck, &f.breaches, lang),
    );
    out.push_str("</div>");
    card(
        &mut out,
        pick(
            lang,
            "مسار العمل مع الأعداد الحالية",
            "The workflow with today's counts",
        ),
        "backlog",
        &diagram(&f.backlog, workflow, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "عبء العمل لكل موظف (أعداد فقط)",
            "Workload per officer (counts only)",
        ),
        "workload",
        &workload_table(&f.workload, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "بوابة الجهات: الأشخاص المستعلم عنهم (آخر ٣٠ يوماً)",
            "Agency portal: persons asked about (last 30 days)",
        ),
        "agencies",
        &portal_table(&f.portal, lang),
    );
    out.push_str("</section>");
    out
}

fn card(out: &mut String, title: &str, csv: &str, body: &str) {
    let _ = write!(
        out,
        r#"<article class="card"><header><h2>{}</h2><button type="button" class="csv noprint" data-csv="{csv}">CSV</button></header>{body}</article>"#,
        esc(title)
    );
}

fn kpis(out: &mut String, f: &Figures, lang: Lang) {
    let h = &f.headline;
    let due = &h.cards_due;
    let tiles: [(&str, i64, &str, &str); 7] = [
        (
            "applications_received",
            h.applications_received,
            "الطلبات الواردة",
            "Applications received",
        ),
        (
            "persons_covered",
            h.persons_covered,
            "الأشخاص المشمولون",
            "Persons covered",
        ),
        (
            "persons_registered",
            h.persons_registered,
            "المقيدون في السجل المدني",
            "Persons registered",
        ),
        (
            "cards_collected",
            h.cards_collected,
            "البطاقات المسلّمة",
            "Cards collected",
        ),
        (
            "cards_due",
            due.total,
            "البطاقات المستحقة",
            "Cards still due",
        ),
        (
            "applications_open",
            h.applications_open,
            "الطلبات المفتوحة",
            "Open applications",
        ),
        (
            "sla_breaches",
            f.breaches.total_breached,
            "تجاوزت المهلة",
            "Past their due date",
        ),
    ];
    out.push_str(r#"<div class="kpis">"#);
    for (key, value, ar, en) in tiles {
        let _ = write!(
            out,
            r#"<div class="kpi" data-kpi="{key}" data-value="{value}"><span class="v">{}</span><span class="l">{}</span></div>"#,
            number(value, lang),
            pick(lang, ar, en)
        );
    }
    out.push_str("</div>");
    let parts: [(&str, i64, &str, &str); 4] = [
        (
            "under_age",
            due.under_age,
            "دون سن البطاقة",
            "Under the card age",
        ),
        ("abroad", due.abroad, "خارج البلاد", "Abroad"),
        (
            "awaiting_appearance",
            due.awaiting_appearance,
            "بانتظار الحضور",
            "Awaiting appearance",
        ),
        (
            "in_production",
            due.in_production,
            "قيد الطباعة أو التسليم",
            "Being printed or handed over",
        ),
    ];
    let _ = write!(
        out,
        r#"<p class="split">{}: "#,
        pick(lang, "البطاقات المستحقة", "Cards still due")
    );
    for (i, (key, value, ar, en)) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(pick(lang, "، ", ", "));
        }
        let _ = write!(
            out,
            r#"<span data-due="{key}" data-value="{value}">{} {}</span>"#,
            pick(lang, ar, en),
            number(value, lang)
        );
    }
    out.push_str("</p>");
}

/// Horizontal stacked bars: one per district, a segment per open state.
fn district_bars(b: &Backlog, workflow: &Workflow, lang: Lang) -> String {
    let open: Vec<&str> = workflow
        .states
        .iter()
        .filter(|s| !s.terminal)
        .map(|s| s.name.as_str())
        .collect();
    let mut districts: Vec<&str> = b.rows.iter().map(|r| r.district.as_str()).collect();
    districts.sort();
    districts.dedup();
    let total = |d: &str| -> i64 {
        b.rows
            .iter()
            .filter(|r| r.district == d)
            .map(|r| r.families)
            .sum()
    };
    let max = districts.iter().map(|d| total(d)).max().unwrap_or(0).max(1);
    let (width, bar, gap, left) = (640.0, 26.0, 12.0, 130.0);
    let height = districts.len() as f64 * (bar + gap) + 10.0;
    let mut svg =
        format!(r#"<svg viewBox="0 0 {width} {height}" role="img" class="chart" direction="ltr">"#);
    for (i, d) in districts.iter().enumerate() {
        let y = 5.0 + i as f64 * (bar + gap);
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" class="axis">{}</text>"#,
            left - 8.0,
            y + bar * 0.7,
            esc(d)
        );
        let mut x = left;
        for (k, state) in open.iter().enumerate() {
            let families: i64 = b
                .rows
                .iter()
                .filter(|r| r.district == *d && r.state == *state)
                .map(|r| r.families)
                .sum();
            if families == 0 {
                continue;
            }
            let w = families as f64 / max as f64 * (width - left - 70.0);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{bar}" fill="{}"><title>{}: {}</title></rect>"#,
                PALETTE[k % PALETTE.len()],
                esc(&workflow
                    .state(state)
                    .map_or(state.to_string(), |s| label(&s.labels, lang))),
                number(families, lang)
            );
            x += w;
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" class="value" data-district="{}" data-value="{}">{}</text>"#,
            x + 6.0,
            y + bar * 0.7,
            esc(d),
            total(d),
            number(total(d), lang)
        );
    }
    svg.push_str("</svg>");
    svg.push_str(r#"<ul class="legend">"#);
    for (k, state) in open.iter().enumerate() {
        let name = workflow
            .state(state)
            .map_or(state.to_string(), |s| label(&s.labels, lang));
        let _ = write!(
            svg,
            r#"<li><i style="background:{}"></i>{}</li>"#,
            PALETTE[k % PALETTE.len()],
            esc(&name)
        );
    }
    svg.push_str("</ul>");
    svg
}

/// Vertical bars: families per ageing bucket, stacked by state.
fn ageing_chart(a: &Ageing, lang: Lang) -> String {
    let totals: Vec<i64> = (0..AGE_BUCKETS.len())
        .map(|i| a.rows.iter().map(|r| r.counts[i]).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, bottom) = (640.0, 240.0, 30.0);
    let slot = width / AGE_BUCKETS.len() as f64;
    let mut svg =
        format!(r#"<svg viewBox="0 0 {width} {height}" role="img" class="chart" direction="ltr">"#);
    for (i, bucket) in AGE_BUCKETS.iter().enumerate() {
        let x = i as f64 * slot + slot * 0.2;
        let mut y = height - bottom;
        for (k, row) in a.rows.iter().enumerate() {
            let h = row.counts[i] as f64 / max as f64 * (height - bottom - 30.0);
            if h <= 0.0 {
                continue;
            }
            y -= h;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                slot * 0.6,
                PALETTE[k % PALETTE.len()],
                esc(&label(&row.state_label, lang)),
                number(row.counts[i], lang)
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="value" data-bucket="{}" data-value="{}">{}</text><text x="{:.1}" y="{}" text-anchor="middle" class="axis">{}</text>"#,
            x + slot * 0.3,
            y - 6.0,
            bucket.2,
            totals[i],
            number(totals[i], lang),
            x + slot * 0.3,
            height - 10.0,
            bucket.2
        );
    }
    svg.push_str("</svg>");
    svg.push_str(r#"<ul class="legend">"#);
    for (k, row) in a.rows.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<li><i style="background:{}"></i>{} ({} {})</li>"#,
            PALETTE[k % PALETTE.len()],
            esc(&label(&row.state_label, lang)),
            pick(lang, "متوسط", "mean"),
            number(row.mean_days, lang)
        );
    }
    svg.push_str("</ul>");
    svg
}

fn polyline(values: &[i64], max: i64, width: f64, height: f64, color: &str, dash: bool) -> String {
    if values.is_empty() {
        return String::new();
    }
    let step = if values.len() > 1 {
        (width - 60.0) / (values.len() - 1) as f64
    } else {
        0.0
    };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                50.0 + i as f64 * step,
                height - 30.0 - *v as f64 / max.max(1) as f64 * (height - 50.0)
            )
        })
        .collect();
    format!(
        r#"<polyline fill="none" stroke="{color}" stroke-width="2.5"{} points="{}"/>"#,
        if dash {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        },
        points.join(" ")
    )
}

fn week_axis(t: &Throughput, width: f64, height: f64, max: i64, lang: Lang) -> String {
    let mut svg = String::new();
    let n = t.weeks.len();
    let step = if n > 1 {
        (width - 60.0) / (n - 1) as f64
    } else {
        0.0
    };
    for (i, w) in t.weeks.iter().enumerate() {
        // Every fourth week and the last, without two labels overlapping.
        if (i.is_multiple_of(4) && i + 3 < n) || i + 1 == n {
            // The last label ends at its point, so the edge does not cut it.
            let anchor = if i + 1 == n && n > 1 { "end" } else { "middle" };
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="{anchor}" class="axis">{}</text>"#,
                50.0 + i as f64 * step,
                height - 10.0,
                w.week_start.format("%m-%d")
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text x="4" y="16" class="axis">{}</text><line x1="50" y1="{}" x2="{}" y2="{}" class="base"/>"#,
        number(max, lang),
        height - 30.0,
        width - 10.0,
        height - 30.0
    );
    svg
}

fn throughput_chart(t: &Throughput, lang: Lang) -> String {
    let (width, height) = (640.0, 220.0);
    let received: Vec<i64> = t.weeks.iter().map(|w| w.received_families).collect();
    let completed: Vec<i64> = t.weeks.iter().map(|w| w.completed_families).collect();
    let max = received
        .iter()
        .chain(&completed)
        .copied()
        .max()
        .unwrap_or(0);
    let mut svg =
        format!(r#"<svg viewBox="0 0 {width} {height}" role="img" class="chart" direction="ltr">"#);
    svg.push_str(&week_axis(t, width, height, max, lang));
    svg.push_str(&polyline(&received, max, width, height, PALETTE[0], false));
    svg.push_str(&polyline(&completed, max, width, height, PALETTE[2], true));
    svg.push_str("</svg>");
    let _ = write!(
        svg,
        r#"<ul class="legend"><li><i style="background:{}"></i>{}</li><li><i style="background:{}"></i>{}</li></ul>"#,
        PALETTE[0],
        pick(lang, "طلبات واردة", "Received"),
        PALETTE[2],
        pick(lang, "طلبات منجزة", "Completed")
    );
    svg
}

fn backlog_line(t: &Throughput, lang: Lang) -> String {
    let (width, height) = (640.0, 220.0);
    let open: Vec<i64> = t.weeks.iter().map(|w| w.backlog_families).collect();
    let max = open.iter().copied().max().unwrap_or(0);
    let mut svg =
        format!(r#"<svg viewBox="0 0 {width} {height}" role="img" class="chart" direction="ltr">"#);
    svg.push_str(&week_axis(t, width, height, max, lang));
    svg.push_str(&polyline(&open, max, width, height, PALETTE[3], false));
    svg.push_str("</svg>");
    svg
}

fn forecast_block(f: &Forecast, lang: Lang) -> String {
    let mut out = String::from(r#"<table class="data"><thead><tr>"#);
    for h in [
        pick(lang, "المقياس", "Measure"),
        pick(lang, "ينتظر اليوم", "Waiting today"),
        pick(lang, "في الأسبوع (4 أسابيع)", "Per week (4 weeks)"),
        pick(lang, "في الأسبوع (12 أسبوعاً)", "Per week (12 weeks)"),
        pick(lang, "ينتهي بين", "Clears between"),
    ] {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (key, c, ar, en) in [
        ("families", &f.families, "العائلات", "Families"),
        ("persons", &f.persons, "الأشخاص", "Persons"),
        ("cards", &f.cards, "البطاقات", "Cards"),
    ] {
        let range = match (c.clears_earliest, c.clears_latest) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} – {b}"),
            (Some(a), None) => format!(
                "{a} – {}",
                pick(
                    lang,
                    "أبعد: لا إنجاز بالمعدل الأبطأ",
                    "later: nothing completed at the slower rate"
                )
            ),
            _ => pick(lang, "لا إنجاز مؤخراً", "no recent completions").to_string(),
        };
        let _ = write!(
            out,
            r#"<tr data-forecast="{key}" data-backlog="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td dir="ltr">{}</td></tr>"#,
            c.backlog,
            pick(lang, ar, en),
            number(c.backlog, lang),
            decimal(c.rate_4_weeks, lang),
            decimal(c.rate_12_weeks, lang),
            range
        );
    }
    out.push_str("</tbody></table>");
    let _ = write!(
        out,
        r#"<p class="method">{}</p>"#,
        esc(&label(&f.method, lang))
    );
    out
}

fn bottleneck_block(b: &Bottleneck, s: &Breaches, lang: Lang) -> String {
    let mut out = String::new();
    match (&b.state, &b.state_label, b.ranking.first()) {
        (Some(state), Some(l), Some(top)) => {
            let _ = write!(
                out,
                r#"<p class="callout" data-bottleneck="{}">{} <strong>{}</strong>: {} {}، {} {} {}</p>"#,
                esc(state),
                pick(lang, "عنق الزجاجة:", "The bottleneck is"),
                esc(&label(l, lang)),
                number(top.families, lang),
                pick(lang, "عائلة", "families"),
                pick(lang, "بمتوسط", "waiting on average"),
                number(top.mean_days, lang),
                pick(lang, "يوماً", "days")
            );
        }
        _ => out.push_str(pick(
            lang,
            "<p>لا شيء ينتظر.</p>",
            "<p>Nothing is waiting.</p>",
        )),
    }
    let _ = write!(
        out,
        r#"<table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "المرحلة", "Stage"),
        pick(lang, "المكتب", "Office"),
        pick(lang, "تجاوزت المهلة", "Past due"),
        pick(lang, "مفتوحة", "Open")
    );
    for r in s.rows.iter().take(12) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&label(&r.state_label, lang)),
            esc(&r.office),
            number(r.breached_families, lang),
            number(r.open_families, lang)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The workflow as boxes with today's count in each, arrows for its
/// transitions: the main path on top, the side states below.
fn diagram(b: &Backlog, workflow: &Workflow, lang: Lang) -> String {
    let side = |name: &str| {
        workflow
            .state(name)
            .is_some_and(|s| s.pauses_clock || (s.terminal && name != stats::COMPLETED))
    };
    let top: Vec<&str> = workflow
        .states
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| !side(n))
        .collect();
    let bottom: Vec<&str> = workflow
        .states
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| side(n))
        .collect();
    let (bw, bh, gap) = (120.0, 58.0, 26.0);
    let width = (top.len().max(bottom.len()) as f64) * (bw + gap) + gap;
    let height = 2.0 * bh + 90.0;
    let mut place = std::collections::HashMap::new();
    for (i, n) in top.iter().enumerate() {
        place.insert(*n, (gap + i as f64 * (bw + gap), 10.0));
    }
    let offset = (width - bottom.len() as f64 * (bw + gap) + gap) / 2.0 - gap;
    for (i, n) in bottom.iter().enumerate() {
        place.insert(*n, (offset + gap + i as f64 * (bw + gap), bh + 80.0));
    }
    let mut svg = format!(
        r##"<svg viewBox="0 0 {width:.0} {height:.0}" role="img" class="chart diagram" direction="ltr"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>"##
    );
    let mut drawn = std::collections::HashSet::new();
    for t in &workflow.transitions {
        for from in &t.from {
            if !drawn.insert((from.clone(), t.to.clone())) || from == &t.to {
                continue;
            }
            let (Some(a), Some(z)) = (place.get(from.as_str()), place.get(t.to.as_str())) else {
                continue;
            };
            let (ax, ay) = (a.0 + bw / 2.0, a.1 + bh / 2.0);
            let (zx, zy) = (z.0 + bw / 2.0, z.1 + bh / 2.0);
            // From edge to edge along the line between the centres.
            let (dx, dy) = (zx - ax, zy - ay);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let cut = |w: f64, h: f64| {
                let tx = if dx.abs() > 0.0 {
                    (w / 2.0) / dx.abs()
                } else {
                    f64::MAX
                };
                let ty = if dy.abs() > 0.0 {
                    (h / 2.0) / dy.abs()
                } else {
                    f64::MAX
                };
                tx.min(ty) * len
            };
            let c = cut(bw, bh) + 2.0;
            let _ = write!(
                svg,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="edge" marker-end="url(#arrow)"/>"#,
                ax + dx / len * c,
                ay + dy / len * c,
                zx - dx / len * c,
                zy - dy / len * c
            );
        }
    }
    for s in &workflow.states {
        let Some((x, y)) = place.get(s.name.as_str()) else {
            continue;
        };
        let count = b
            .by_state
            .iter()
            .find(|c| c.state == s.name)
            .map_or(0, |c| c.families);
        let class = if s.terminal { "node terminal" } else { "node" };
        let _ = write!(
            svg,
            r#"<g class="{class}" data-state="{}" data-value="{count}"><rect x="{x:.1}" y="{y:.1}" width="{bw}" height="{bh}" rx="8"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="name">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" class="count">{}</text></g>"#,
            esc(&s.name),
            x + bw / 2.0,
            y + 22.0,
            esc(&label(&s.labels, lang)),
            x + bw / 2.0,
            y + 45.0,
            number(count, lang)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn workload_table(w: &Workload, lang: Lang) -> String {
    let mut out = format!(
        r#"<p class="method">{} {} – {}. {}: {}</p><table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "الإجراءات من", "Actions from"),
        w.from,
        w.to,
        pick(lang, "خطوات تلقائية", "Automatic steps"),
        number(w.automatic_actions, lang),
        pick(lang, "الموظف", "Officer"),
        pick(lang, "طلبات بعهدته", "Holding"),
        pick(lang, "إجراءات", "Actions")
    );
    for o in w.officers.iter().take(15) {
        let _ = write!(
            out,
            r#"<tr><td dir="ltr">{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&o.officer),
            number(o.holding, lang),
            number(o.actions, lang)
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn portal_table(p: &crate::app::portal::PortalStatistics, lang: Lang) -> String {
    let named = |list: &[(String, i64)]| {
        if list.is_empty() {
            return "—".to_string();
        }
        list.iter()
            .map(|(name, count)| {
                format!(
                    r#"<span dir="ltr">{}</span> {}"#,
                    esc(name),
                    number(*count, lang)
                )
            })
            .collect::<Vec<_>>()
            .join("، ")
    };
    let mut out = format!(
        r#"<p class="method">{} {} – {}. {}: {}. {}: {}</p><table class="data portal"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "من", "From"),
        p.from,
        p.to,
        pick(lang, "النطاقات الأكثر طلباً", "Busiest scopes"),
        named(&p.scopes),
        pick(lang, "الرفض حسب السبب", "Refusals by kind"),
        named(&p.refusals),
        pick(lang, "الجهة", "Agency"),
        pick(lang, "استعلامات", "Queries"),
        pick(lang, "أجيبت", "Answered"),
        pick(lang, "رُفضت", "Refused"),
    );
    if p.agencies.is_empty() {
        let _ = write!(
            out,
            r#"<tr><td colspan="4">{}</td></tr>"#,
            pick(
                lang,
                "لا استعلامات في هذه الفترة",
                "No queries in this period"
            )
        );
    }
    for a in &p.agencies {
        let _ = write!(
            out,
            r#"<tr data-agency="{}" data-queries="{}" data-refused="{}"><td dir="ltr">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&a.agency),
            a.queries,
            a.refused,
            esc(&a.agency),
            number(a.queries, lang),
            number(a.answered, lang),
            number(a.refused, lang)
        );
    }
    out.push_str("</tbody></table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_in_the_language() {
        assert_eq!(number(48000, Lang::En), "48,000");
        assert_eq!(number(48000, Lang::Ar), "٤٨٬٠٠٠");
        assert_eq!(number(7, Lang::Ar), "٧");
        assert_eq!(number(-1234567, Lang::En), "-1,234,567");
        assert_eq!(decimal(12.5, Lang::Ar), "١٢٫٥");
    }
}
