//! The panel's SVG charts: open applications by district, days in the
//! current stage, weekly intake and completions, and the backlog over time.

use std::fmt::Write as _;

use super::format::{label, number, pick, place_name};
use crate::app::stats::{AGE_BUCKETS, Ageing, Backlog, Throughput};
use crate::domain::places::Places;
// The same HTML escaping as the mail templates.
use crate::mail::templates::escape as esc;
use crate::workflow::definition::Workflow;
use crate::workflow::refusal::Lang;

const PALETTE: &[&str] = &[
    "#1f6f8b", "#e07a1f", "#4c9a2a", "#b23a48", "#6a4c93", "#c9a227", "#2a9d8f", "#7f5539",
];

/// Horizontal stacked bars: one per district, a segment per open state.
pub(super) fn district_bars(
    b: &Backlog,
    workflow: &Workflow,
    places: &Places,
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
            esc(&place_name(places, d, lang))
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
pub(super) fn ageing_chart(a: &Ageing, lang: Lang) -> String {
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

pub(super) fn throughput_chart(t: &Throughput, lang: Lang) -> String {
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

pub(super) fn backlog_line(t: &Throughput, lang: Lang) -> String {
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
