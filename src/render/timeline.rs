//! The chronology drawn as SVG at build time: events as bars (or points, for one day)
//! and documents as marks on the same time axis. Readable without JavaScript, each
//! item a link with a title; the page lists the same items as text.

use crate::html::escape;
use crate::model::PartialDate;
use std::fmt::Write;

/// One item on the timeline.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub label: String,
    pub href: String,
    pub start: PartialDate,
    pub end: PartialDate,
}

const WIDTH: f64 = 960.0;
const LEFT: f64 = 10.0;
const RIGHT: f64 = 10.0;
const ROW: f64 = 24.0;
const AXIS: f64 = 28.0;

/// An SVG of `events` (one row each) above a row of `documents`.
pub(super) fn svg(events: &[Item], documents: &[Item]) -> Option<String> {
    let all = events.iter().chain(documents);
    let first = all.clone().map(|i| i.start.first_day()).min()?;
    let last = all.map(|i| i.end.last_day()).max()?;
    // A little room either side, and at least a month shown.
    let (from, to) = (first - 3, (last + 4).max(first + 31));
    let x = |day: i64| LEFT + (day - from) as f64 / (to - from) as f64 * (WIDTH - LEFT - RIGHT);
    let rows = events.len() + usize::from(!documents.is_empty());
    let height = AXIS + rows as f64 * ROW + 8.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="group" aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">Timeline</title><desc id="timeline-desc">{} events and {} documents from {} to {}; the same items are listed below.</desc>"#,
        events.len(),
        documents.len(),
        PartialDate::from_day(first).human(),
        PartialDate::from_day(last).human()
    );
    // Month ticks along the top (or years, over a long span).
    let years = (to - from) > 3 * 366;
    let mut tick = PartialDate::from_day(from);
    tick.day = None;
    if years {
        tick.month = None;
    }
    loop {
        let day = tick.first_day();
        if day > to {
            break;
        }
        // A label that would run off the right edge is left out.
        if day >= from && x(day) < WIDTH - 60.0 {
            let tx = x(day);
            let label = if years {
                tick.year.to_string()
            } else {
                format!(
                    "{} {}",
                    &MONTHS[tick.month.unwrap_or(1) as usize - 1],
                    tick.year
                )
            };
            let _ = write!(
                out,
                r#"<line class="tick" x1="{tx:.1}" y1="{AXIS}" x2="{tx:.1}" y2="{height}"/><text class="tick-label" x="{:.1}" y="16">{label}</text>"#,
                tx + 3.0
            );
        }
        tick = next_tick(tick, years);
    }
    for (row, item) in events.iter().enumerate() {
        let y = AXIS + row as f64 * ROW + 4.0;
        bar(
            &mut out,
            item,
            x(item.start.first_day()),
            x(item.end.last_day() + 1),
            y,
            "event",
        );
    }
    if !documents.is_empty() {
        let y = AXIS + events.len() as f64 * ROW + 4.0;
        let _ = write!(
            out,
            r#"<g class="documents"><text class="lane-label" x="{LEFT}" y="{:.1}">Documents</text>"#,
            y + 14.0
        );
        for item in documents {
            let cx = (x(item.start.first_day()) + x(item.end.last_day() + 1)) / 2.0;
            let _ = write!(
                out,
                r#"<a href="{}"><circle class="document" cx="{cx:.1}" cy="{:.1}" r="6"><title>{}</title></circle></a>"#,
                escape(&item.href),
                y + 10.0,
                escape(&format!("{}: {}", item.start.human(), item.label))
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    Some(out)
}

fn bar(out: &mut String, item: &Item, x1: f64, x2: f64, y: f64, class: &str) {
    let width = (x2 - x1).max(6.0);
    let when = if item.start == item.end {
        item.start.human()
    } else {
        format!("{} – {}", item.start.human(), item.end.human())
    };
    // Labels go right of the bar, or left of it near the right edge.
    let (label_x, anchor) = if x1 + width > WIDTH * 0.6 {
        (x1 - 6.0, "end")
    } else {
        (x1 + width + 6.0, "start")
    };
    let _ = write!(
        out,
        r#"<a href="{}"><rect class="{class}" x="{x1:.1}" y="{y:.1}" width="{width:.1}" height="16" rx="3"><title>{}</title></rect><text class="label" x="{label_x:.1}" y="{:.1}" text-anchor="{anchor}">{}</text></a>"#,
        escape(&item.href),
        escape(&format!("{when}: {}", item.label)),
        y + 12.5,
        escape(&item.label)
    );
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn next_tick(mut tick: PartialDate, years: bool) -> PartialDate {
    if years {
        tick.year += 1;
    } else {
        match tick.month {
            Some(12) | None => {
                tick.year += 1;
                tick.month = Some(1);
            }
            Some(m) => tick.month = Some(m + 1),
        }
    }
    tick
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn draws_events_and_documents_with_links_and_titles() {
        let item = |label: &str, start: &str, end: &str, href: &str| Item {
            label: label.into(),
            href: href.into(),
            start: date(start),
            end: date(end),
        };
        let svg = svg(
            &[
                item(
                    "August Plenum",
                    "1956-08-30",
                    "1956-08-31",
                    "events/august-plenum/",
                ),
                item("Trip", "1956-06", "1956-07", "events/trip/"),
            ],
            &[item(
                "Cable & reply",
                "1956-09-16",
                "1956-09-16",
                "documents/cable/",
            )],
        )
        .unwrap();
        assert!(svg.starts_with("<svg class=\"timeline\""));
        assert_eq!(svg.matches("<rect class=\"event\"").count(), 2);
        assert_eq!(svg.matches("<circle class=\"document\"").count(), 1);
        assert!(svg.contains("<title>16 September 1956: Cable &amp; reply</title>"));
        assert!(svg.contains(">Aug 1956</text>"));
        assert!(svg.contains("<a href=\"events/august-plenum/\">"));
        // A group, not an image: it holds links (an image's children are not
        // reachable).
        assert!(svg.contains("role=\"group\""));
    }

    /// Positions worked out by hand: 100 days on 940 px, 9.4 px a day from x = 10.
    #[test]
    fn items_stand_where_their_dates_are() {
        let item = |label: &str, start: &str, end: &str| Item {
            label: label.into(),
            href: format!("{label}/"),
            start: date(start),
            end: date(end),
        };
        // From 4 January to 6 April 1956: shown from 1 January to 10 April.
        let svg = svg(
            &[
                item("ten-days", "1956-01-04", "1956-01-13"),
                item("one-day", "1956-04-06", "1956-04-06"),
            ],
            &[item("cable", "1956-02-01", "1956-02-01")],
        )
        .unwrap();
        for part in [
            r#"viewBox="0 0 960 108""#,
            "2 events and 1 documents from 4 January 1956 to 6 April 1956",
            // Month ticks: 1 January, 1 February (31 days in), 1 March (60: 1956 is a
            // leap year), 1 April (91); May would be past the end.
            r#"<line class="tick" x1="10.0" y1="28" x2="10.0" y2="108"/><text class="tick-label" x="13.0" y="16">Jan 1956</text>"#,
            r#"<line class="tick" x1="301.4" y1="28" x2="301.4" y2="108"/><text class="tick-label" x="304.4" y="16">Feb 1956</text>"#,
            r#"<line class="tick" x1="574.0" y1="28" x2="574.0" y2="108"/><text class="tick-label" x="577.0" y="16">Mar 1956</text>"#,
            r#"<line class="tick" x1="865.4" y1="28" x2="865.4" y2="108"/><text class="tick-label" x="868.4" y="16">Apr 1956</text>"#,
            // Ten days from the 4th (3 days in); the label after the bar.
            r#"<rect class="event" x="38.2" y="32.0" width="94.0" height="16" rx="3">"#,
            r#"<text class="label" x="138.2" y="44.5" text-anchor="start">ten-days</text>"#,
            // One day near the right edge, in the next row; the label before it.
            r#"<rect class="event" x="912.4" y="56.0" width="9.4" height="16" rx="3">"#,
            r#"<text class="label" x="906.4" y="68.5" text-anchor="end">one-day</text>"#,
            // The document in the middle of its day, in the lane below the events.
            r#"<text class="lane-label" x="10" y="94.0">Documents</text>"#,
            r#"<circle class="document" cx="306.1" cy="90.0" r="6">"#,
        ] {
            assert!(svg.contains(part), "no {part} in\n{svg}");
        }
        assert_eq!(svg.matches("class=\"tick\"").count(), 4, "{svg}");
        assert!(svg.contains("<title>4 January 1956 – 13 January 1956: ten-days</title>"));
        assert!(svg.contains("<title>6 April 1956: one-day</title>"));
        // A bar ending exactly at 60% of the width keeps its label on its right.
        let svg = super::svg(
            &[
                item("to-60", "1956-01-04", "1956-10-09"),
                item("after", "1957-04-11", "1957-04-11"),
            ],
            &[],
        )
        .unwrap();
        assert!(
            svg.contains(
                r#"<text class="label" x="582.0" y="44.5" text-anchor="start">to-60</text>"#
            ),
            "{svg}"
        );
        // Over more than three years, a tick a year; a short bar is 6 px wide.
        let svg = super::svg(
            &[
                item("long", "1950-01-01", "1953-12-31"),
                item("short", "1951-06-01", "1951-06-01"),
            ],
            &[],
        )
        .unwrap();
        let labels: Vec<&str> = svg
            .split("class=\"tick-label\"")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find('<').unwrap()])
            .collect();
        assert_eq!(labels, ["1950", "1951", "1952", "1953"], "{svg}");
        assert!(svg.contains(r#"width="6.0" height="16""#), "{svg}");
        assert!(svg.contains(r#"viewBox="0 0 960 84""#), "{svg}");
        // From 3 January (94 days): the January tick is before the start, and the
        // April one would stand 60 px from the right edge (x = 900), where its label
        // would run off: neither is drawn.
        let svg = super::svg(&[item("span", "1956-01-06", "1956-04-02")], &[]).unwrap();
        let labels: Vec<&str> = svg
            .split("class=\"tick-label\"")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find('<').unwrap()])
            .collect();
        assert_eq!(labels, ["Feb 1956", "Mar 1956"], "{svg}");
        assert!(svg.contains(r#"x1="590.0""#), "{svg}");
        // One day alone is shown in a month (34 days from 3 before it).
        let svg = super::svg(&[], &[item("alone", "1956-09-16", "1956-09-16")]).unwrap();
        assert!(svg.contains(r#"cx="106.8""#), "{svg}");
    }

    #[test]
    fn nothing_to_draw_is_no_timeline() {
        assert!(svg(&[], &[]).is_none());
    }
}
