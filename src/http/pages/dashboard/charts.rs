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
//!
//! SVG elements are written with an end tag (`<line …></line>`): inside
//! HTML, an SVG element without one would hold everything after it.

use chrono::{Duration, NaiveDate};
use maud::{Markup, html};

use super::drill::Links;
use super::format::{bucket_name, date_text, day_month, label, number, place_name};
use crate::app::stats::{AGE_BUCKETS, Ageing, Backlog, Throughput, Week};
use crate::domain::language::{Locale, nouns};
use crate::domain::places::Places;
use crate::http::pages::words::dashboard as words;
use crate::workflow::definition::Workflow;

/// The colours of a chart's series, in order; the legend's swatches are the
/// classes `swatch-0` … `swatch-7` of the style sheet, in the same order.
const PALETTE: &[&str] = &[
    "#1f6f8b", "#e07a1f", "#4c9a2a", "#b23a48", "#6a4c93", "#c9a227", "#2a9d8f", "#7f5539",
];

/// A coordinate with one decimal.
pub(super) fn at(value: f64) -> String {
    format!("{value:.1}")
}

/// The legend's swatch of the `k`th colour of the palette.
fn swatch(k: usize) -> Markup {
    html! { i class={ "swatch-" (k % PALETTE.len()) } {} }
}

/// The table beside a chart, folded away.
fn details(locale: Locale, head: &[Markup], rows: &[Markup]) -> Markup {
    html! {
        details class="figures" {
            summary { (locale.say(&words::THE_FIGURES_AS_A_TABLE)) }
            div class="table-wrap" {
                table class="data" {
                    thead { tr { @for h in head { th scope="col" { (h) } } } }
                    tbody { @for r in rows { (r) } }
                }
            }
        }
    }
}

/// Horizontal stacked bars: one per district, a segment per open state.
pub(super) fn district_bars(
    b: &Backlog,
    workflow: &Workflow,
    places: &Places,
    links: &Links,
    locale: Locale,
) -> Markup {
    let open: Vec<&str> = workflow
        .states
        .iter()
        .filter(|s| !s.terminal)
        .map(|s| s.name.as_str())
        .collect();
    let state_name = |state: &str| {
        workflow
            .state(state)
            .map_or(state.to_string(), |s| label(&s.labels, locale))
    };
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
    let bars = districts.iter().enumerate().map(|(i, d)| {
        let y = 5.0 + i as f64 * (bar + gap);
        let name = place_name(places, d, locale);
        // Each open state's segment: its colour, x and width.
        let mut x = left;
        let mut segments = Vec::new();
        for (k, state) in open.iter().enumerate() {
            let families = count(d, state);
            if families == 0 {
                continue;
            }
            let w = families as f64 / max as f64 * (width - left - 70.0);
            segments.push((k, *state, families, x, w));
            x += w;
        }
        html! {
            a href=(links.dashboard(&[("district", d)])) {
                text x=(left - 8.0) y=(y + bar * 0.7) text-anchor="end" class="axis" { (name) }
            }
            @for (k, state, families, x, w) in segments {
                rect x=(at(x)) y=(y) width=(at(w)) height=(bar) fill=(PALETTE[k % PALETTE.len()]) {
                    title {
                        (name) " — " (state_name(state)) ": "
                        (locale.count(families, &nouns::FAMILIES, ("family", "families")))
                    }
                }
            }
            text x=(at(x + 6.0)) y=(y + bar * 0.7) class="value" data-district=(d) data-value=(total(d)) {
                (number(total(d), locale))
            }
        }
    });
    let mut head = vec![html! { (locale.say(&words::DISTRICT)) }];
    head.extend(open.iter().map(|s| html! { (state_name(s)) }));
    head.push(html! { (locale.say(&words::TOTAL)) });
    let rows: Vec<Markup> = districts
        .iter()
        .map(|d| {
            html! {
                tr {
                    th scope="row" {
                        a href=(links.dashboard(&[("district", d)])) { (place_name(places, d, locale)) }
                    }
                    @for s in &open { td { (number(count(d, s), locale)) } }
                    td { (number(total(d), locale)) }
                }
            }
        })
        .collect();
    html! {
        div class="chart-box" {
            svg viewBox={ "0 0 " (width) " " (height) } role="group" class="chart" direction="ltr" {
                title {
                    (locale.say(&words::OPEN_APPLICATIONS_FAMILIES_IN_EACH_DISTRICT))
                }
                @for bar in bars { (bar) }
                text x=(left) y=(at(height - 6.0)) class="axis unit" {
                    (locale.say(&words::FAMILIES_WITH_AN_OPEN_APPLICATION))
                }
            }
        }
        ul class="legend" {
            @for (k, state) in open.iter().enumerate() {
                li { (swatch(k)) (state_name(state)) }
            }
        }
        (details(locale, &head, &rows))
    }
}

/// Vertical bars: families per ageing bucket, stacked by state.
pub(super) fn ageing_chart(a: &Ageing, links: &Links, locale: Locale) -> Markup {
    let totals: Vec<i64> = (0..AGE_BUCKETS.len())
        .map(|i| a.rows.iter().map(|r| r.counts[i]).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let frame = Frame::new(560.0, 250.0, max, locale);
    let slot = frame.plot_width() / AGE_BUCKETS.len() as f64;
    let days = locale.say(&words::DAYS);
    let columns = (0..AGE_BUCKETS.len()).map(|i| {
        let x = frame.left + i as f64 * slot + slot * 0.2;
        // Each state's part of the column: its colour, top, height and count.
        let mut y = frame.y(0);
        let mut parts = Vec::new();
        for (k, row) in a.rows.iter().enumerate() {
            let h = frame.y(0) - frame.y(row.counts[i]);
            if h <= 0.0 {
                continue;
            }
            y -= h;
            parts.push((k, y, h, row));
        }
        html! {
            @for (k, y, h, row) in parts {
                rect x=(at(x)) y=(at(y)) width=(at(slot * 0.6)) height=(at(h)) fill=(PALETTE[k % PALETTE.len()]) {
                    title {
                        (bucket_name(i, locale)) " " (days) ": " (label(&row.state_label, locale)) ": "
                        (locale.count(row.counts[i], &nouns::FAMILIES, ("family", "families")))
                    }
                }
            }
            text x=(at(x + slot * 0.3)) y=(at(y - 6.0)) text-anchor="middle" class="value" data-bucket=(AGE_BUCKETS[i].2) data-value=(totals[i]) {
                (number(totals[i], locale))
            }
            a href=(links.dashboard(&[("age", AGE_BUCKETS[i].2)])) {
                text x=(at(x + slot * 0.3)) y=(at(frame.y(0) + 18.0)) text-anchor="middle" class="axis" {
                    (bucket_name(i, locale))
                }
            }
        }
    });
    let mut head = vec![html! { (locale.say(&words::STAGE)) }];
    head.extend((0..AGE_BUCKETS.len()).map(|i| {
        html! {
            a href=(links.dashboard(&[("age", AGE_BUCKETS[i].2)])) {
                (bucket_name(i, locale)) " " (days)
            }
        }
    }));
    head.push(html! { (locale.say(&words::MEAN_DAYS)) });
    let rows: Vec<Markup> = a
        .rows
        .iter()
        .map(|r| {
            html! {
                tr {
                    th scope="row" {
                        a href=(links.dashboard(&[("state", &r.state)])) { (label(&r.state_label, locale)) }
                    }
                    @for c in &r.counts { td { (number(*c, locale)) } }
                    td { (number(r.mean_days, locale)) }
                }
            }
        })
        .collect();
    html! {
        div class="chart-box" {
            svg viewBox={ "0 0 " (frame.width) " " (frame.height) } role="group" class="chart" direction="ltr" {
                title {
                    (locale.say(&words::FAMILIES_BY_DAYS_SPENT_IN_THEIR))
                }
                (frame.y_axis(locale.say(&words::FAMILIES_AXIS)))
                @for column in columns { (column) }
                text x=(at(frame.left + frame.plot_width() / 2.0)) y=(at(frame.height - 4.0)) text-anchor="middle" class="axis unit" {
                    (locale.say(&words::DAYS_IN_THE_CURRENT_STAGE_AXIS))
                }
            }
        }
        ul class="legend" {
            @for (k, row) in a.rows.iter().enumerate() {
                li {
                    (swatch(k)) (label(&row.state_label, locale)) " ("
                    (locale.say(&words::MEAN)) " " (number(row.mean_days, locale)) " " (days) ")"
                }
            }
        }
        (details(locale, &head, &rows))
    }
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
    locale: Locale,
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
    fn new(width: f64, height: f64, max: i64, locale: Locale) -> Frame {
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
            locale,
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
    fn y_axis(&self, unit: &str) -> Markup {
        let ticks = (0..=self.top_value).step_by(self.step.max(1) as usize);
        html! {
            @for v in ticks {
                @let y = self.y(v);
                line x1=(self.left) y1=(at(y)) x2=(self.width - self.right) y2=(at(y)) class=(if v == 0 { "base" } else { "grid" }) {}
                text x=(self.left - 6.0) y=(at(y + 4.0)) text-anchor="end" class="axis tick" {
                    (number(v, self.locale))
                }
                @if self.both_sides {
                    text x=(self.width - self.right + 6.0) y=(at(y + 4.0)) text-anchor="start" class="axis tick" {
                        (number(v, self.locale))
                    }
                }
            }
            text x=(self.left - 6.0) y="14" class="axis unit" { (unit) }
        }
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
    /// The series' colour: its place in the palette.
    colour: usize,
    dash: bool,
}

fn weekly_lines(
    t: &Throughput,
    series: &[Series<'_>],
    unit: &str,
    title: &str,
    locale: Locale,
) -> Markup {
    let weeks = &t.weeks;
    let n = weeks.len();
    let partial = partial_days(weeks, t.filter.as_of);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let frame = Frame::new(560.0, 250.0, max, locale).both_sides();
    let step = if n > 1 {
        frame.plot_width() / (n - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| frame.left + i as f64 * step;
    let colour = |s: &Series<'_>| PALETTE[s.colour % PALETTE.len()];
    let hatch_id = format!(
        "hatch-{}",
        series.first().map_or("x", colour).trim_start_matches('#')
    );
    // The running week: a week's width around its point.
    let running = partial.filter(|_| n > 0).map(|days| {
        let half = if n > 1 { step / 2.0 } else { 10.0 };
        (days, x(n - 1) - half, half)
    });
    // A mark at every week, a label every eighth back from the last (a day
    // and a month name is wide; closer labels would overlap).
    let marks = weeks.iter().enumerate().map(|(i, w)| {
        let anchor = if i + 1 == n && n > 1 { "end" } else { "middle" };
        html! {
            line x1=(at(x(i))) y1=(at(frame.y(0))) x2=(at(x(i))) y2=(at(frame.y(0) + 3.0)) class="base" {}
            @if (n - 1 - i).is_multiple_of(8) {
                line x1=(at(x(i))) y1=(at(frame.y(0))) x2=(at(x(i))) y2=(at(frame.y(0) + 5.0)) class="base" {}
                text x=(at(x(i))) y=(at(frame.y(0) + 18.0)) text-anchor=(anchor) class="axis tick" {
                    (day_month(w.week_start, locale))
                }
            }
        }
    });
    let lines = series.iter().map(|s| {
        let point = |i: usize| format!("{},{}", at(x(i)), at(frame.y(s.values[i])));
        // Full weeks solid (or the series' own dash); the running week dashed.
        let full = if partial.is_some() {
            n.saturating_sub(1)
        } else {
            n
        };
        let points: Vec<String> = (0..full).map(point).collect();
        html! {
            polyline fill="none" stroke=(colour(s)) stroke-width="2.5" stroke-dasharray=[s.dash.then_some("6 4")] points=(points.join(" ")) {}
            @if partial.is_some() && n > 1 {
                polyline class="partial-line" fill="none" stroke=(colour(s)) stroke-width="2" stroke-dasharray="2 4" opacity="0.7" points={ (point(n - 2)) " " (point(n - 1)) } {}
            }
            @for (i, w) in weeks.iter().enumerate() {
                @let running = partial.is_some() && i + 1 == n;
                circle cx=(at(x(i))) cy=(at(frame.y(s.values[i]))) r="3.5" fill=(if running { "#fff" } else { colour(s) }) stroke=(colour(s)) {
                    title {
                        (locale.say(&words::WEEK_OF)) (date_text(w.week_start, locale)) ": "
                        (s.name) ": " (number(s.values[i], locale))
                    }
                }
            }
        }
    });
    let mut head = vec![html! { (locale.say(&words::WEEK_BEGINNING)) }];
    head.extend(series.iter().map(|s| html! { (s.name) }));
    let rows: Vec<Markup> = weeks
        .iter()
        .enumerate()
        .rev()
        .map(|(i, w)| {
            let running = partial.is_some() && i + 1 == n;
            html! {
                tr class=[running.then_some("partial")] data-partial=[running.then_some("true")] {
                    th scope="row" {
                        bdi { (date_text(w.week_start, locale)) }
                        @if running {
                            " " small { "(" (locale.say(&words::SO_FAR)) ")" }
                        }
                    }
                    @for s in series { td { (number(s.values[i], locale)) } }
                }
            }
        })
        .collect();
    html! {
        div class="chart-box weeks" {
            svg viewBox={ "0 0 " (frame.width) " " (frame.height) } role="img" class="chart" direction="ltr" {
                title { (title) }
                defs {
                    pattern id=(hatch_id) width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                        rect width="8" height="8" fill="#fff7e6" {}
                        line x1="0" y1="0" x2="0" y2="8" stroke="#e0a040" stroke-width="3" {}
                    }
                }
                @if let Some((days, from, half)) = running {
                    rect class="partial" data-partial-days=(days) x=(at(from)) y=(frame.top) width=(at(2.0 * half)) height=(at(frame.y(0) - frame.top)) fill={ "url(#" (hatch_id) ")" } {
                        title { (words::partial_week(days, locale)) }
                    }
                    text x=(at(frame.width - frame.right)) y=(frame.top - 6.0) text-anchor="end" class="axis partial-label" {
                        (locale.say(&words::WEEK_SO_FAR))
                    }
                }
                (frame.y_axis(unit))
                @for mark in marks { (mark) }
                text x=(at(frame.left + frame.plot_width() / 2.0)) y=(at(frame.height - 4.0)) text-anchor="middle" class="axis unit" {
                    (locale.say(&words::WEEK_BEGINNING_SUNDAY))
                }
                @for line in lines { (line) }
            }
        }
        ul class="legend" {
            @for s in series { li { (swatch(s.colour)) (s.name) } }
            @if let Some(days) = partial {
                li class="partial-note" { i class="hatched" {} (words::partial_week(days, locale)) }
            }
        }
        (details(locale, &head, &rows))
    }
}

pub(super) fn throughput_chart(t: &Throughput, locale: Locale) -> Markup {
    weekly_lines(
        t,
        &[
            Series {
                name: locale.say(&words::RECEIVED_SERIES),
                values: t.weeks.iter().map(|w| w.received_families).collect(),
                colour: 0,
                dash: false,
            },
            Series {
                name: locale.say(&words::COMPLETED),
                values: t.weeks.iter().map(|w| w.completed_families).collect(),
                colour: 2,
                dash: true,
            },
        ],
        locale.say(&words::FAMILIES_PER_WEEK),
        locale.say(&words::APPLICATIONS_RECEIVED_AND_COMPLETED_EACH_WEEK),
        locale,
    )
}

pub(super) fn backlog_line(t: &Throughput, locale: Locale) -> Markup {
    weekly_lines(
        t,
        &[Series {
            name: locale.say(&words::OPEN_AT_THE_WEEKS_END),
            values: t.weeks.iter().map(|w| w.backlog_families).collect(),
            colour: 3,
            dash: false,
        }],
        locale.say(&words::FAMILIES_AXIS),
        locale.say(&words::OPEN_APPLICATIONS_AT_THE_END_OF),
        locale,
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
