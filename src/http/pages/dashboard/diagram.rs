//! The workflow drawn as an SVG diagram: a box per state with today's
//! count in it, an arrow per transition. In Arabic the flow runs from
//! right to left (the first stage on the right), as the reader reads.

use maud::{Markup, html};

use super::charts::at;
use super::drill::Links;
use super::format::{label, number};
use crate::app::stats::Backlog;
use crate::domain::language::Lang;
use crate::domain::language::{Locale, nouns};
use crate::http::pages::words::dashboard as words;
use crate::workflow::definition::{Outcome, Workflow};

/// The workflow as boxes with today's count in each, arrows for its
/// transitions: the main path on top, the side states below.
pub(super) fn diagram(b: &Backlog, workflow: &Workflow, links: &Links, locale: Locale) -> Markup {
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
    let mirror = |x: f64| match locale.lang {
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
    // An officer's action: a solid arrow; a move the engine makes by
    // itself (a case registered goes on to its cards): a dashed one.
    let moves = workflow
        .transitions
        .iter()
        .flat_map(|t| t.from.iter().map(move |f| (f, &t.to, "edge")))
        .chain(
            workflow
                .automatic
                .iter()
                .map(|a| (&a.from, &a.to, "edge automatic")),
        );
    let mut drawn = std::collections::HashSet::new();
    let mut arrows = Vec::new();
    for (from, to, class) in moves {
        if !drawn.insert((from.clone(), to.clone())) || from == to {
            continue;
        }
        let (Some(a), Some(z)) = (place.get(from.as_str()), place.get(to.as_str())) else {
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
        arrows.push(html! {
            line x1=(at(ax + dx / len * c)) y1=(at(ay + dy / len * c)) x2=(at(zx - dx / len * c)) y2=(at(zy - dy / len * c)) class=(class) marker-end="url(#arrow)" {}
        });
    }
    let boxes = workflow.states.iter().filter_map(|s| {
        let (x, y) = *place.get(s.name.as_str())?;
        let count = b
            .by_state
            .iter()
            .find(|c| c.state == s.name)
            .map_or(0, |c| c.families);
        let name = label(&s.labels, locale);
        let lines = box_lines(&name);
        let first = if lines.len() > 1 { 15.0 } else { 22.0 };
        let line_class = if lines.len() > 1 { "name two" } else { "name" };
        Some(html! {
            a href=(links.dashboard(&[("state", &s.name)])) {
                g class=(if s.terminal { "node terminal" } else { "node" }) data-state=(s.name) data-value=(count) {
                    title { (name) ": " (locale.count(count, &nouns::FAMILIES, ("family", "families"))) }
                    rect x=(at(x)) y=(at(y)) width=(bw) height=(bh) rx="8" {}
                    @for (i, line) in lines.iter().enumerate() {
                        text x=(at(x + bw / 2.0)) y=(at(y + first + 13.0 * i as f64)) text-anchor="middle" class=(line_class) {
                            (line)
                        }
                    }
                    text x=(at(x + bw / 2.0)) y=(at(y + 47.0)) text-anchor="middle" class="count" {
                        (number(count, locale))
                    }
                }
            }
        })
    });
    html! {
        div class="chart-box flow" {
            svg viewBox={ (format!("0 0 {width:.0} {height:.0}")) } role="group" class="chart diagram" direction="ltr" data-flow=(locale.say(&words::LTR)) {
                title {
                    (locale.say(&words::THE_WORKFLOWS_STAGES_WITH_TODAYS_FAMILIES))
                }
                defs {
                    marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                        path d="M0,0 L10,5 L0,10 z" fill="#777" {}
                    }
                }
                @for arrow in &arrows { (arrow) }
                @for node in boxes { (node) }
            }
        }
        // The same counts as a table, each stage a link to its drill-down.
        details class="figures" {
            summary { (locale.say(&words::THE_FIGURES_AS_A_TABLE)) }
            div class="table-wrap" {
                table class="data" {
                    thead {
                        tr {
                            th scope="col" { (locale.say(&words::STAGE)) }
                            th scope="col" { (locale.say(&words::FAMILIES)) }
                            th scope="col" { (locale.say(&words::PERSONS)) }
                        }
                    }
                    tbody {
                        @for c in &b.by_state {
                            tr {
                                th scope="row" {
                                    a href=(links.dashboard(&[("state", &c.state)])) { (label(&c.state_label, locale)) }
                                }
                                td { (number(c.families, locale)) }
                                td { (number(c.persons, locale)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The characters of a stage's name that fit on one line of its box.
const LINE_CHARS: usize = 17;

/// A stage's name on one line of its box, or two when it is longer than
/// the box is wide (split between words, the first line as full as fits).
fn box_lines(name: &str) -> Vec<String> {
    if name.chars().count() <= LINE_CHARS {
        return vec![name.to_string()];
    }
    let mut first = String::new();
    let mut words = name.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        let wider = first.chars().count() + usize::from(!first.is_empty()) + word.chars().count();
        if !first.is_empty() && wider > LINE_CHARS {
            break;
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(word);
        words.next();
    }
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() {
        vec![first]
    } else {
        vec![first, rest.join(" ")]
    }
}

#[cfg(test)]
mod tests {
    use super::box_lines;

    #[test]
    fn a_long_name_takes_two_lines_split_between_words() {
        assert_eq!(box_lines("Verification"), ["Verification"]);
        assert_eq!(
            box_lines("Photo and fingerprint capture"),
            ["Photo and", "fingerprint capture"]
        );
        assert_eq!(
            box_lines("Card printing and hand-over"),
            ["Card printing and", "hand-over"]
        );
        assert_eq!(
            box_lines("التقاط الصورة وبصمات الأصابع"),
            ["التقاط الصورة", "وبصمات الأصابع"]
        );
        // One word longer than a line stays whole.
        assert_eq!(
            box_lines("Intergovernmentalisation"),
            ["Intergovernmentalisation"]
        );
    }
}
