//! The workflow drawn as an SVG diagram: a box per state with today's
//! count in it, an arrow per transition. In Arabic the flow runs from
//! right to left (the first stage on the right), as the reader reads.

use std::fmt::Write as _;

use super::drill::Links;
use super::format::{label, number, pick};
use crate::app::stats::Backlog;
// The same HTML escaping as the mail templates.
use crate::mail::templates::escape as esc;
use crate::workflow::definition::{Outcome, Workflow};
use crate::workflow::refusal::Lang;

/// The workflow as boxes with today's count in each, arrows for its
/// transitions: the main path on top, the side states below.
pub(super) fn diagram(b: &Backlog, workflow: &Workflow, links: &Links, lang: Lang) -> String {
    let side = |name: &str| {
        workflow.state(name).is_some_and(|s| {
            s.pauses_clock || (s.terminal && s.meaning.closes != Some(Outcome::Completed))
        })
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
    // Right to left in Arabic: a box's x mirrored about the middle.
    let mirror = |x: f64| match lang {
        Lang::Ar => width - x - bw,
        Lang::En => x,
    };
    for (i, n) in top.iter().enumerate() {
        place.insert(*n, (mirror(gap + i as f64 * (bw + gap)), 10.0));
    }
    let offset = (width - bottom.len() as f64 * (bw + gap) + gap) / 2.0 - gap;
    for (i, n) in bottom.iter().enumerate() {
        place.insert(
            *n,
            (mirror(offset + gap + i as f64 * (bw + gap)), bh + 80.0),
        );
    }
    let mut svg = format!(
        r#"<div class="chart-box flow"><svg viewBox="0 0 {width:.0} {height:.0}" role="group" class="chart diagram" direction="ltr" data-flow="{}"><title>{}</title>"#,
        pick(lang, "rtl", "ltr"),
        pick(
            lang,
            "مراحل مسار العمل وعدد العائلات في كل منها اليوم",
            "The workflow's stages with today's families in each"
        )
    );
    svg.push_str(
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>"##,
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
            r#"<a href="{}"><g class="{class}" data-state="{}" data-value="{count}"><title>{}: {} {}</title><rect x="{x:.1}" y="{y:.1}" width="{bw}" height="{bh}" rx="8"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="name">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" class="count">{}</text></g></a>"#,
            esc(&links.dashboard(&[("state", &s.name)])),
            esc(&s.name),
            esc(&label(&s.labels, lang)),
            number(count, lang),
            pick(lang, "عائلة", "families"),
            x + bw / 2.0,
            y + 22.0,
            esc(&label(&s.labels, lang)),
            x + bw / 2.0,
            y + 45.0,
            number(count, lang)
        );
    }
    svg.push_str("</svg></div>");
    // The same counts as a table, each stage a link to its drill-down.
    let _ = write!(
        svg,
        r#"<details class="figures"><summary>{}</summary><div class="table-wrap"><table class="data"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        pick(lang, "الأرقام في جدول", "The figures as a table"),
        pick(lang, "المرحلة", "Stage"),
        pick(lang, "العائلات", "Families"),
        pick(lang, "الأشخاص", "Persons"),
    );
    for c in &b.by_state {
        let _ = write!(
            svg,
            r#"<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td></tr>"#,
            esc(&links.dashboard(&[("state", &c.state)])),
            esc(&label(&c.state_label, lang)),
            number(c.families, lang),
            number(c.persons, lang)
        );
    }
    svg.push_str("</tbody></table></div></details>");
    svg
}
