//! The panel's SVG charts: open applications by district, days in the
//! current stage, weekly intake and completions, and the backlog over time.
//!
//! Every chart says what it counts (an axis with ticks and its unit), shows
//! each value on hover (an SVG `<title>`), and has beside it the same
//! figures as a table in a `<details>` for screen readers, print and a
//! reader who wants the exact numbers. The current week, still running,
//! is drawn hatched and dashed with a label, and its table row is marked
//! as partial. A chart whose labels are links (drill-down) is a `group`,
//! not an `img`, whose content would be presentational.

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};

use super::drill::Links;
use super::format::{date_text, day_month, digits, label, number, pick, place_name};
use crate::app::stats::{AGE_BUCKETS, Ageing, Backlog, Throughput, Week};
use crate::domain::places::Places;
// The same HTML escaping as the mail templates.
use crate::domain::language::Lang;
use crate::mail::templates::escape as esc;
use crate::workflow::definition::Workflow;

const PALETTE: &[&str] = &[
    "#1f6f8b", "#e07a1f", "#4c9a2a", "#b23a48", "#6a4c93", "#c9a227", "#2a9d8f", "#7f5539",
];

/// The hatching of a partial period, defined once per chart.
const HATCH: &str = r##"<defs><pattern id="HATCH_ID" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff7e6"/><line x1="0" y1="0" x2="0" y2="8" stroke="#e0a040" stroke-width="3"/></pattern></defs>"##;

/// A bucket's name in the language's digits (`8–30`, `181+`).
pub(super) fn bucket_name(i: usize, lang: Lang) -> String {
    let (low, high, _) = AGE_BUCKETS[i];
    match high {
        Some(high) => format!(
            "{}–{}",
            digits(low.to_string(), lang),
            digits(high.to_string(), lang)
        ),
        None => format!("{}+", digits(low.to_string(), lang)),
    }
}

/// The table beside a chart, folded away.
fn details(lang: Lang, head: &[String], rows: &[String]) -> String {
    let mut out = format!(
        r#"<details class="figures"><summary>{}</summary><div class="table-wrap"><table class="data"><thead><tr>"#,
        pick(lang, "الأرقام في جدول", "The figures as a table")
    );
    for h in head {
        let _ = write!(out, r#"<th scope="col">{h}</th>"#);
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str(r);
    }
    out.push_str("</tbody></table></div></details>");
    out
}

/// Horizontal stacked bars: one per district, a segment per open state.
pub(super) fn district_bars(
    b: &Backlog,
    workflow: &Workflow,
    places: &Places,
    links: &Links,
    lang: Lang,
) -> String {
    let open: Vec<&str> = workflow
        .states
        .iter()
        .filter(|s| !s.terminal)
        .map(|s| s.name.as_str())
        .collect();
    let mut districts: Vec<&str> = b.rows.iter().map(|r| r.district.as_str()).collect();
    districts.sort();
    districts.dedup();
    let count = |d: &str, state: &str| -> i64 {
        b.rows
            .iter()
            .filter(|r| r.district == d && r.state == state)
            .map(|r| r.families)
            .sum()
    };
    let total = |d: &str| -> i64 {
        b.rows
            .iter()
            .filter(|r| r.district == d)
            .map(|r| r.families)
            .sum()
    };
    let max = districts.iter().map(|d| total(d)).max().unwrap_or(0).max(1);
    let (width, bar, gap, left) = (560.0, 26.0, 12.0, 150.0);
    let height = districts.len() as f64 * (bar + gap) + 30.0;
    let mut svg = format!(
        r#"<div class="chart-box"><svg viewBox="0 0 {width} {height}" role="group" class="chart" direction="ltr"><title>{}</title>"#,
        pick(
            lang,
            "الطلبات المفتوحة (عائلات) في كل منطقة حسب المرحلة",
            "Open applications (families) in each district by stage"
        )
    );
    for (i, d) in districts.iter().enumerate() {
        let y = 5.0 + i as f64 * (bar + gap);
        let name = place_name(places, d, lang);
        let _ = write!(
            svg,
            r#"<a href="{}"><text x="{}" y="{}" text-anchor="end" class="axis">{}</text></a>"#,
            esc(&links.dashboard(&[("district", d)])),
            left - 8.0,
            y + bar * 0.7,
            esc(&name)
        );
        let mut x = left;
        for (k, state) in open.iter().enumerate() {
            let families = count(d, state);
            if families == 0 {
                continue;
            }
            let w = families as f64 / max as f64 * (width - left - 70.0);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{bar}" fill="{}"><title>{} — {}: {} {}</title></rect>"#,
                PALETTE[k % PALETTE.len()],
                esc(&name),
                esc(&workflow
                    .state(state)
                    .map_or(state.to_string(), |s| label(&s.labels, lang))),
                number(families, lang),
                pick(lang, "عائلة", "families")
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
    let _ = write!(
        svg,
        r#"<text x="{left}" y="{:.1}" class="axis unit">{}</text>"#,
        height - 6.0,
        pick(
            lang,
            "عدد العائلات ذات الطلبات المفتوحة",
            "families with an open application"
        )
    );
    svg.push_str("</svg></div>");
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
    let mut head = vec![pick(lang, "المنطقة", "District").to_string()];
    head.extend(open.iter().map(|s| {
        esc(&workflow
            .state(s)
            .map_or(s.to_string(), |s| label(&s.labels, lang)))
    }));
    head.push(pick(lang, "المجموع", "Total").to_string());
    let rows: Vec<String> = districts
        .iter()
        .map(|d| {
            let mut row = format!(
                r#"<tr><th scope="row"><a href="{}">{}</a></th>"#,
                esc(&links.dashboard(&[("district", d)])),
                esc(&place_name(places, d, lang))
            );
            for s in &open {
                let _ = write!(row, "<td>{}</td>", number(count(d, s), lang));
            }
            let _ = write!(row, "<td>{}</td></tr>", number(total(d), lang));
            row
        })
        .collect();
    svg.push_str(&details(lang, &head, &rows));
    svg
}

/// Vertical bars: families per ageing bucket, stacked by state.
pub(super) fn ageing_chart(a: &Ageing, links: &Links, lang: Lang) -> String {
    let totals: Vec<i64> = (0..AGE_BUCKETS.len())
        .map(|i| a.rows.iter().map(|r| r.counts[i]).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let frame = Frame::new(560.0, 250.0, max, lang);
    let slot = frame.plot_width() / AGE_BUCKETS.len() as f64;
    let mut svg = format!(
        r#"<div class="chart-box"><svg viewBox="0 0 {} {}" role="group" class="chart" direction="ltr"><title>{}</title>"#,
        frame.width,
        frame.height,
        pick(
            lang,
            "العائلات حسب الأيام التي أمضتها في مرحلتها الحالية",
            "Families by days spent in their current stage"
        )
    );
    svg.push_str(&frame.y_axis(pick(lang, "عائلات", "families")));
    for (i, _) in AGE_BUCKETS.iter().enumerate() {
        let x = frame.left + i as f64 * slot + slot * 0.2;
        let mut y = frame.y(0);
        for (k, row) in a.rows.iter().enumerate() {
            let h = frame.y(0) - frame.y(row.counts[i]);
            if h <= 0.0 {
                continue;
            }
            y -= h;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{}"><title>{} {}: {}: {} {}</title></rect>"#,
                slot * 0.6,
                PALETTE[k % PALETTE.len()],
                bucket_name(i, lang),
                pick(lang, "يوماً", "days"),
                esc(&label(&row.state_label, lang)),
                number(row.counts[i], lang),
                pick(lang, "عائلة", "families")
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="value" data-bucket="{}" data-value="{}">{}</text><a href="{}"><text x="{:.1}" y="{:.1}" text-anchor="middle" class="axis">{}</text></a>"#,
            x + slot * 0.3,
            y - 6.0,
            AGE_BUCKETS[i].2,
            totals[i],
            number(totals[i], lang),
            esc(&links.dashboard(&[("age", AGE_BUCKETS[i].2)])),
            x + slot * 0.3,
            frame.y(0) + 18.0,
            bucket_name(i, lang)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="axis unit">{}</text>"#,
        frame.left + frame.plot_width() / 2.0,
        frame.height - 4.0,
        pick(lang, "أيام في المرحلة الحالية", "days in the current stage")
    );
    svg.push_str("</svg></div>");
    svg.push_str(r#"<ul class="legend">"#);
    for (k, row) in a.rows.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<li><i style="background:{}"></i>{} ({} {} {})</li>"#,
            PALETTE[k % PALETTE.len()],
            esc(&label(&row.state_label, lang)),
            pick(lang, "متوسط", "mean"),
            number(row.mean_days, lang),
            pick(lang, "يوماً", "days")
        );
    }
    svg.push_str("</ul>");
    let mut head = vec![pick(lang, "المرحلة", "Stage").to_string()];
    head.extend((0..AGE_BUCKETS.len()).map(|i| {
        format!(
            r#"<a href="{}">{} {}</a>"#,
            esc(&links.dashboard(&[("age", AGE_BUCKETS[i].2)])),
            bucket_name(i, lang),
            pick(lang, "يوماً", "days")
        )
    }));
    head.push(pick(lang, "متوسط الأيام", "Mean days").to_string());
    let rows: Vec<String> = a
        .rows
        .iter()
        .map(|r| {
            let mut row = format!(
                r#"<tr><th scope="row"><a href="{}">{}</a></th>"#,
                esc(&links.dashboard(&[("state", &r.state)])),
                esc(&label(&r.state_label, lang))
            );
            for c in &r.counts {
                let _ = write!(row, "<td>{}</td>", number(*c, lang));
            }
            let _ = write!(row, "<td>{}</td></tr>", number(r.mean_days, lang));
            row
        })
        .collect();
    svg.push_str(&details(lang, &head, &rows));
    svg
}

/// A chart's frame: the plot area, the value axis with round ticks.
struct Frame {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// The value at the top of the axis (a whole number of ticks).
    top_value: i64,
    step: i64,
    lang: Lang,
    /// Tick labels on the right too (the weekly charts, which a phone
    /// shows scrolled to their latest weeks).
    both_sides: bool,
}

/// A round step for about four ticks up to `max`: 1, 2 or 5 × 10ⁿ.
fn tick_step(max: i64) -> i64 {
    let raw = (max.max(1) as f64 / 4.0).max(1.0);
    let power = 10_f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    step.round().max(1.0) as i64
}

impl Frame {
    fn new(width: f64, height: f64, max: i64, lang: Lang) -> Frame {
        let step = tick_step(max);
        let top_value = ((max.max(1) + step - 1) / step) * step;
        Frame {
            width,
            height,
            left: 64.0,
            right: 16.0,
            top: 26.0,
            bottom: 46.0,
            top_value,
            step,
            lang,
            both_sides: false,
        }
    }

    /// The frame with tick labels on both sides.
    fn both_sides(self) -> Frame {
        Frame {
            right: 48.0,
            both_sides: true,
            ..self
        }
    }

    fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }

    fn y(&self, value: i64) -> f64 {
        let plot = self.height - self.top - self.bottom;
        self.height - self.bottom - value as f64 / self.top_value as f64 * plot
    }

    /// Gridlines, tick labels and the unit of the value axis.
    fn y_axis(&self, unit: &str) -> String {
        let mut svg = String::new();
        let mut v = 0;
        while v <= self.top_value {
            let y = self.y(v);
            let _ = write!(
                svg,
                r#"<line x1="{}" y1="{y:.1}" x2="{}" y2="{y:.1}" class="{}"/><text x="{}" y="{:.1}" text-anchor="end" class="axis tick">{}</text>"#,
                self.left,
                self.width - self.right,
                if v == 0 { "base" } else { "grid" },
                self.left - 6.0,
                y + 4.0,
                number(v, self.lang)
            );
            if self.both_sides {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{:.1}" text-anchor="start" class="axis tick">{}</text>"#,
                    self.width - self.right + 6.0,
                    y + 4.0,
                    number(v, self.lang)
                );
            }
            v += self.step;
        }
        let _ = write!(
            svg,
            r#"<text x="{}" y="14" class="axis unit">{}</text>"#,
            self.left - 6.0,
            esc(unit)
        );
        svg
    }
}

/// The days of the last week on record that have passed, when that week
/// is still running on the day of the position (1 to 7), else `None`.
fn partial_days(weeks: &[Week], as_of: NaiveDate) -> Option<i64> {
    let last = weeks.last()?;
    let days = (as_of - last.week_start).num_days() + 1;
    (1..=7)
        .contains(&days)
        .then_some(days)
        .filter(|_| as_of < last.week_start + Duration::days(7))
}

/// One or two weekly series as lines over the weeks, the current week's
/// part hatched, dashed and labelled.
struct Series<'a> {
    name: &'a str,
    values: Vec<i64>,
    color: &'a str,
    dash: bool,
}

fn weekly_lines(
    t: &Throughput,
    series: &[Series<'_>],
    unit: &str,
    title: &str,
    lang: Lang,
) -> String {
    let weeks = &t.weeks;
    let n = weeks.len();
    let partial = partial_days(weeks, t.filter.as_of);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let frame = Frame::new(560.0, 250.0, max, lang).both_sides();
    let step = if n > 1 {
        frame.plot_width() / (n - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| frame.left + i as f64 * step;
    let mut svg = format!(
        r#"<div class="chart-box weeks"><svg viewBox="0 0 {} {}" role="img" class="chart" direction="ltr"><title>{}</title>"#,
        frame.width,
        frame.height,
        esc(title)
    );
    let hatch_id = format!(
        "hatch-{}",
        series
            .first()
            .map_or("x", |s| s.color)
            .trim_start_matches('#')
    );
    svg.push_str(&HATCH.replace("HATCH_ID", &hatch_id));
    if let Some(days) = partial
        && n > 0
    {
        // The running week: a week's width around its point.
        let half = if n > 1 { step / 2.0 } else { 10.0 };
        let from = x(n - 1) - half;
        let _ = write!(
            svg,
            r#"<rect class="partial" data-partial-days="{days}" x="{from:.1}" y="{}" width="{:.1}" height="{:.1}" fill="url(#{hatch_id})"><title>{}</title></rect><text x="{:.1}" y="{}" text-anchor="end" class="axis partial-label">{}</text>"#,
            frame.top,
            2.0 * half,
            frame.y(0) - frame.top,
            partial_text(days, lang),
            frame.width - frame.right,
            frame.top - 6.0,
            pick(lang, "أسبوع جارٍ", "week so far")
        );
    }
    svg.push_str(&frame.y_axis(unit));
    for (i, w) in weeks.iter().enumerate() {
        // A mark at every week, a label every eighth back from the last
        // (a day and a month name is wide; closer labels would overlap).
        let _ = write!(
            svg,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="base"/>"#,
            x(i),
            frame.y(0),
            x(i),
            frame.y(0) + 3.0,
        );
        if (n - 1 - i).is_multiple_of(8) {
            let anchor = if i + 1 == n && n > 1 { "end" } else { "middle" };
            let _ = write!(
                svg,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="base"/><text x="{:.1}" y="{:.1}" text-anchor="{anchor}" class="axis tick">{}</text>"#,
                x(i),
                frame.y(0),
                x(i),
                frame.y(0) + 5.0,
                x(i),
                frame.y(0) + 18.0,
                day_month(w.week_start, lang)
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="axis unit">{}</text>"#,
        frame.left + frame.plot_width() / 2.0,
        frame.height - 4.0,
        pick(lang, "الأسبوع (يبدأ يوم الأحد)", "week beginning (Sunday)")
    );
    for s in series {
        let point = |i: usize| format!("{:.1},{:.1}", x(i), frame.y(s.values[i]));
        // Full weeks solid (or the series' own dash); the running week dashed.
        let full = if partial.is_some() {
            n.saturating_sub(1)
        } else {
            n
        };
        let points: Vec<String> = (0..full).map(point).collect();
        let dash = if s.dash {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<polyline fill="none" stroke="{}" stroke-width="2.5"{dash} points="{}"/>"#,
            s.color,
            points.join(" ")
        );
        if partial.is_some() && n > 1 {
            let _ = write!(
                svg,
                r#"<polyline class="partial-line" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="2 4" opacity="0.7" points="{} {}"/>"#,
                s.color,
                point(n - 2),
                point(n - 1)
            );
        }
        for (i, w) in weeks.iter().enumerate() {
            let running = partial.is_some() && i + 1 == n;
            let _ = write!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}" stroke="{}"><title>{}{}: {}: {}</title></circle>"#,
                x(i),
                frame.y(s.values[i]),
                if running { "#fff" } else { s.color },
                s.color,
                pick(lang, "أسبوع ", "Week of "),
                date_text(w.week_start, lang),
                esc(s.name),
                number(s.values[i], lang)
            );
        }
    }
    svg.push_str("</svg></div>");
    svg.push_str(r#"<ul class="legend">"#);
    for s in series {
        let _ = write!(
            svg,
            r#"<li><i style="background:{}"></i>{}</li>"#,
            s.color,
            esc(s.name)
        );
    }
    if let Some(days) = partial {
        let _ = write!(
            svg,
            r#"<li class="partial-note"><i class="hatched"></i>{}</li>"#,
            partial_text(days, lang)
        );
    }
    svg.push_str("</ul>");
    let mut head = vec![pick(lang, "الأسبوع الذي يبدأ", "Week beginning").to_string()];
    head.extend(series.iter().map(|s| esc(s.name)));
    let rows: Vec<String> = weeks
        .iter()
        .enumerate()
        .rev()
        .map(|(i, w)| {
            let running = partial.is_some() && i + 1 == n;
            let mut row = format!(
                r#"<tr{}><th scope="row"><bdi>{}</bdi>{}</th>"#,
                if running {
                    r#" class="partial" data-partial="true""#
                } else {
                    ""
                },
                date_text(w.week_start, lang),
                if running {
                    format!(" <small>({})</small>", pick(lang, "جارٍ", "so far"))
                } else {
                    String::new()
                }
            );
            for s in series {
                let _ = write!(row, "<td>{}</td>", number(s.values[i], lang));
            }
            row.push_str("</tr>");
            row
        })
        .collect();
    svg.push_str(&details(lang, &head, &rows));
    svg
}

/// "This week so far: 3 of 7 days; left out of every rate."
fn partial_text(days: i64, lang: Lang) -> String {
    match lang {
        Lang::Ar => format!(
            "الأسبوع الجاري حتى الآن: {} من {} أيام؛ غير محسوب في أي معدل",
            digits(days.to_string(), lang),
            digits("7".to_string(), lang)
        ),
        Lang::En => format!("This week so far: {days} of 7 days; left out of every rate"),
    }
}

pub(super) fn throughput_chart(t: &Throughput, lang: Lang) -> String {
    weekly_lines(
        t,
        &[
            Series {
                name: pick(lang, "طلبات واردة", "Received"),
                values: t.weeks.iter().map(|w| w.received_families).collect(),
                color: PALETTE[0],
                dash: false,
            },
            Series {
                name: pick(lang, "طلبات منجزة", "Completed"),
                values: t.weeks.iter().map(|w| w.completed_families).collect(),
                color: PALETTE[2],
                dash: true,
            },
        ],
        pick(lang, "عائلات في الأسبوع", "families per week"),
        pick(
            lang,
            "الطلبات الواردة والمنجزة في كل أسبوع",
            "Applications received and completed each week",
        ),
        lang,
    )
}

pub(super) fn backlog_line(t: &Throughput, lang: Lang) -> String {
    weekly_lines(
        t,
        &[Series {
            name: pick(
                lang,
                "طلبات مفتوحة في نهاية الأسبوع",
                "Open at the week's end",
            ),
            values: t.weeks.iter().map(|w| w.backlog_families).collect(),
            color: PALETTE[3],
            dash: false,
        }],
        pick(lang, "عائلات", "families"),
        pick(
            lang,
            "الطلبات المفتوحة في نهاية كل أسبوع",
            "Open applications at the end of each week",
        ),
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        for (max, step) in [
            (0, 1),
            (3, 1),
            (10, 5),
            (37, 10),
            (120, 50),
            (48_000, 20_000),
        ] {
            assert_eq!(tick_step(max), step, "max {max}");
        }
    }

    #[test]
    fn only_a_running_week_is_partial() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let week = |start: NaiveDate| Week {
            week_start: start,
            received_families: 0,
            received_persons: 0,
            completed_families: 0,
            completed_persons: 0,
            closed_otherwise_families: 0,
            closed_otherwise_persons: 0,
            cards_collected: 0,
            backlog_families: 0,
            backlog_persons: 0,
        };
        let weeks = [week(sunday)];
        assert_eq!(partial_days(&weeks, sunday), Some(1));
        assert_eq!(partial_days(&weeks, sunday + Duration::days(6)), Some(7));
        assert_eq!(partial_days(&weeks, sunday + Duration::days(7)), None);
        assert_eq!(partial_days(&[], sunday), None);
    }
}
