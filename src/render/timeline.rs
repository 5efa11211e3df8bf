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
    /// Where the item stands in a list of its kind (for a document, its entry on
    /// the list of documents), for a mark that groups several.
    pub list_href: String,
    pub start: PartialDate,
    pub end: PartialDate,
}

const WIDTH: f64 = 960.0;
const LEFT: f64 = 10.0;
const RIGHT: f64 = 10.0;
const ROW: f64 = 24.0;
const AXIS: f64 = 28.0;
/// The most room a day holding items gets beyond its share of the time.
const SLOT: f64 = 24.0;
/// Document marks closer than this are one mark with a count (at the narrowest the
/// figure is drawn, 40rem for 960 units, still 8 px apart on screen).
const MARK_GAP: f64 = 14.0;
/// Documents a grouped mark's title names.
const GROUP_TITLES: usize = 5;
/// Room a month's label needs (11 px type): labels closer than this are left out.
const TICK_LABEL: f64 = 56.0;

/// Where each day stands. Time runs evenly, except that each day on which an item
/// begins gets up to [`SLOT`] more: a week of eight events in a year would
/// otherwise sit in 20 px, its bars and marks on top of each other.
struct Scale {
    from: i64,
    /// The days on which items begin, ascending, each once.
    busy: Vec<i64>,
    slot: f64,
    per_day: f64,
}

impl Scale {
    fn new(from: i64, to: i64, mut busy: Vec<i64>) -> Self {
        busy.sort_unstable();
        busy.dedup();
        let room = WIDTH - LEFT - RIGHT;
        // At most 60% of the width goes to busy days, so that time still shows.
        let slot = SLOT.min(0.6 * room / busy.len().max(1) as f64);
        let per_day = (room - slot * busy.len() as f64) / (to - from) as f64;
        Scale {
            from,
            busy,
            slot,
            per_day,
        }
    }

    /// The left edge of `day`.
    fn x(&self, day: i64) -> f64 {
        let busy_before = self.busy.partition_point(|&b| b < day);
        LEFT + (day - self.from) as f64 * self.per_day + busy_before as f64 * self.slot
    }
}

/// An SVG of `events` (one row each) above a row of `documents`.
pub(super) fn svg(events: &[Item], documents: &[Item]) -> Option<String> {
    let all = events.iter().chain(documents);
    let first = all.clone().map(|i| i.start.first_day()).min()?;
    let last = all.clone().map(|i| i.end.last_day()).max()?;
    // A little room either side, and at least a month shown.
    let (from, to) = (first - 3, (last + 4).max(first + 31));
    let scale = Scale::new(from, to, all.map(|i| i.start.first_day()).collect());
    let x = |day: i64| scale.x(day);
    // The documents' lane is two rows: its name, then the marks (beside them, the
    // name could stand where a mark is).
    let rows = events.len() + 2 * usize::from(!documents.is_empty());
    let height = AXIS + rows as f64 * ROW + 8.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="group" aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">Timeline</title><desc id="timeline-desc">{} and {} from {} to {}; days on which something begins are drawn wider; the events are listed below, and the documents on the list of documents.</desc>"#,
        counted(events.len(), "event"),
        counted(documents.len(), "document"),
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
    let mut last_label = f64::NEG_INFINITY;
    loop {
        let day = tick.first_day();
        if day > to {
            break;
        }
        if day >= from {
            let tx = x(day);
            let _ = write!(
                out,
                r#"<line class="tick" x1="{tx:.1}" y1="{AXIS}" x2="{tx:.1}" y2="{height}"/>"#
            );
            // A label too close to the last, or that would run off the right edge,
            // is left out (the line stays).
            if tx - last_label >= TICK_LABEL && tx < WIDTH - 60.0 {
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
                    r#"<text class="tick-label" x="{:.1}" y="16">{label}</text>"#,
                    tx + 3.0
                );
                last_label = tx;
            }
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
            y + 12.0
        );
        let y = y + ROW;
        let centre = |item: &Item| (x(item.start.first_day()) + x(item.end.last_day() + 1)) / 2.0;
        let mut at = 0;
        while at < documents.len() {
            // Marks too close to tell apart are one, with a count.
            let cx = centre(&documents[at]);
            let group = documents[at..]
                .iter()
                .take_while(|d| centre(d) - cx < MARK_GAP)
                .count();
            marks(&mut out, &documents[at..at + group], cx, y + 10.0);
            at += group;
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    Some(out)
}

/// One mark for `documents` (in date order), at `cx`: a document's links to it; a
/// group's to the first of them on the list of documents, where the others follow.
fn marks(out: &mut String, documents: &[Item], cx: f64, cy: f64) {
    let [first, ..] = documents else { return };
    if let [only] = documents {
        let _ = write!(
            out,
            r#"<a href="{}"><circle class="document" cx="{cx:.1}" cy="{cy:.1}" r="6"><title>{}</title></circle></a>"#,
            escape(&only.href),
            escape(&format!("{}: {}", only.start.human(), only.label))
        );
        return;
    }
    let last = &documents[documents.len() - 1];
    let when = if first.start == last.start {
        first.start.human()
    } else {
        format!("{} – {}", first.start.human(), last.start.human())
    };
    // A mark can stand for thousands of documents: its title names the first few
    // (the list it links to has them all).
    let mut titles: Vec<&str> = documents
        .iter()
        .take(GROUP_TITLES)
        .map(|d| d.label.as_str())
        .collect();
    let more = documents.len().saturating_sub(GROUP_TITLES);
    let more_text = format!("and {more} more");
    if more > 0 {
        titles.push(&more_text);
    }
    let _ = write!(
        out,
        r#"<a href="{}"><circle class="document group" cx="{cx:.1}" cy="{cy:.1}" r="8"><title>{}</title></circle><text class="count" x="{cx:.1}" y="{:.1}" text-anchor="middle" aria-hidden="true">{}</text></a>"#,
        escape(&first.list_href),
        escape(&format!(
            "{when}: {} documents: {}",
            documents.len(),
            titles.join("; ")
        )),
        cy + 3.5,
        documents.len()
    );
}

fn bar(out: &mut String, item: &Item, x1: f64, x2: f64, y: f64, class: &str) {
    let width = (x2 - x1).max(6.0);
    let when = if item.start == item.end {
        item.start.human()
    } else {
        format!("{} – {}", item.start.human(), item.end.human())
    };
    // Labels go right of the bar, or left of it near the right edge; where neither
    // side has room (a bar across most of the figure), inside the bar.
    let room = label_width(&item.label) + 6.0;
    let (label_x, anchor, inside) = if x1 + width + room <= WIDTH && x1 + width <= WIDTH * 0.6 {
        (x1 + width + 6.0, "start", false)
    } else if x1 - room >= 0.0 {
        (x1 - 6.0, "end", false)
    } else if x1 + width + room <= WIDTH {
        (x1 + width + 6.0, "start", false)
    } else {
        (x1 + 6.0, "start", true)
    };
    let label_class = if inside { "label inside" } else { "label" };
    let _ = write!(
        out,
        r#"<a href="{}"><rect class="{class}" x="{x1:.1}" y="{y:.1}" width="{width:.1}" height="16" rx="3"><title>{}</title></rect><text class="{label_class}" x="{label_x:.1}" y="{:.1}" text-anchor="{anchor}">{}</text></a>"#,
        escape(&item.href),
        escape(&format!("{when}: {}", item.label)),
        y + 12.5,
        escape(&item.label)
    );
}

/// "1 event", "2 events".
fn counted(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

/// About how wide a label is drawn (11 px sans-serif: 6.2 px a character on
/// average, wide letters and Cyrillic included), to choose its side.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * 6.2
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

    /// An item named `label` from `start` to `end`, linking to `label/`.
    fn item(label: &str, start: &str, end: &str) -> Item {
        Item {
            label: label.into(),
            href: format!("{label}/"),
            list_href: format!("list/#{label}"),
            start: date(start),
            end: date(end),
        }
    }

    #[test]
    fn draws_events_and_documents_with_links_and_titles() {
        let item = |label: &str, start: &str, end: &str, href: &str| Item {
            label: label.into(),
            href: href.into(),
            list_href: format!("list/#{label}"),
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

    /// Positions worked out by hand. 100 days on 940 units, three of them busy
    /// (an item begins on each): each busy day gets 24 more, the rest is shared
    /// evenly, (940 - 3 × 24) / 100 = 8.68 a day, from x = 10.
    #[test]
    fn items_stand_where_their_dates_are() {
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
            r#"viewBox="0 0 960 132""#,
            "2 events and 1 document from 4 January 1956 to 6 April 1956",
            // Month ticks: 1 January (day 0), 1 February (day 31, after one busy
            // day: 10 + 31 × 8.68 + 24), 1 March (60: 1956 is a leap year; two busy
            // days before), 1 April (91); May would be past the end.
            r#"<line class="tick" x1="10.0" y1="28" x2="10.0" y2="132"/><text class="tick-label" x="13.0" y="16">Jan 1956</text>"#,
            r#"<line class="tick" x1="303.1" y1="28" x2="303.1" y2="132"/><text class="tick-label" x="306.1" y="16">Feb 1956</text>"#,
            r#"<line class="tick" x1="578.8" y1="28" x2="578.8" y2="132"/><text class="tick-label" x="581.8" y="16">Mar 1956</text>"#,
            r#"<line class="tick" x1="847.9" y1="28" x2="847.9" y2="132"/><text class="tick-label" x="850.9" y="16">Apr 1956</text>"#,
            // Ten days from the 4th (day 3), the first of them busy: 10 × 8.68 + 24
            // wide; the label after the bar.
            r#"<rect class="event" x="36.0" y="32.0" width="110.8" height="16" rx="3">"#,
            r#"<text class="label" x="152.8" y="44.5" text-anchor="start">ten-days</text>"#,
            // One busy day near the right edge (day 96), in the next row; the label
            // before it.
            r#"<rect class="event" x="891.3" y="56.0" width="32.7" height="16" rx="3">"#,
            r#"<text class="label" x="885.3" y="68.5" text-anchor="end">one-day</text>"#,
            // The document in the middle of its day, in the lane below the events,
            // under its name.
            r#"<text class="lane-label" x="10" y="92.0">Documents</text>"#,
            r#"<circle class="document" cx="319.4" cy="114.0" r="6">"#,
        ] {
            assert!(svg.contains(part), "no {part} in\n{svg}");
        }
        assert_eq!(svg.matches("class=\"tick\"").count(), 4, "{svg}");
        assert!(svg.contains("<title>4 January 1956 – 13 January 1956: ten-days</title>"));
        assert!(svg.contains("<title>6 April 1956: one-day</title>"));
        // Over more than three years, a tick a year (the last, 1954, too near the
        // right edge for its label).
        let svg = super::svg(
            &[
                item("long", "1950-01-01", "1953-12-31"),
                item("short", "1951-06-01", "1951-06-01"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(tick_labels(&svg), ["1950", "1951", "1952", "1953"], "{svg}");
        assert_eq!(svg.matches("class=\"tick\"").count(), 5, "{svg}");
        assert!(svg.contains(r#"viewBox="0 0 960 84""#), "{svg}");
        // From 3 January (94 days, one busy: 916 / 94 a day): the January tick is
        // before the start, and the April one (10 + 89 × 9.745 + 24 = 901.3) would
        // stand less than 60 from the right edge, where its label would run off.
        let svg = super::svg(&[item("span", "1956-01-06", "1956-04-02")], &[]).unwrap();
        assert_eq!(tick_labels(&svg), ["Feb 1956", "Mar 1956"], "{svg}");
        assert!(svg.contains(r#"<line class="tick" x1="599.2""#), "{svg}");
        assert!(svg.contains(r#"<line class="tick" x1="901.3""#), "{svg}");
        // One day alone is shown in a month (34 days from 3 before it): the middle
        // of day 3, (10 + 3 × 26.94 + 10 + 4 × 26.94 + 24) / 2.
        let svg = super::svg(&[], &[item("alone", "1956-09-16", "1956-09-16")]).unwrap();
        assert!(svg.contains(r#"cx="116.3""#), "{svg}");
    }

    /// A bar's label goes right of it while the bar ends in the left 60% and the
    /// label fits, else left of it if it fits there, else right if it fits, else
    /// inside the bar.
    #[test]
    fn a_bar_s_label_goes_where_it_has_room() {
        let label = |text: &str, x1: f64, x2: f64| {
            let item = Item {
                label: text.into(),
                href: "e/".into(),
                list_href: "list/#e".into(),
                start: date("1956-01-01"),
                end: date("1956-01-01"),
            };
            let mut out = String::new();
            bar(&mut out, &item, x1, x2, 40.0, "event");
            let text = &out[out.find("<text").unwrap()..];
            text[..text.find('>').unwrap()].to_string()
        };
        // Ten characters: 62 px, 68 with the gap.
        let ten = "ten chars!";
        assert_eq!(
            label(ten, 100.0, 200.0),
            r#"<text class="label" x="206.0" y="52.5" text-anchor="start""#
        );
        // The bar ends past 60% of the width (576 px): the label goes left.
        assert_eq!(
            label(ten, 500.0, 600.0),
            r#"<text class="label" x="494.0" y="52.5" text-anchor="end""#
        );
        // No room on the left (60 px, 68 needed): right after all.
        assert_eq!(
            label(ten, 60.0, 700.0),
            r#"<text class="label" x="706.0" y="52.5" text-anchor="start""#
        );
        // Eighty characters (502 px with the gap) fit neither side: inside.
        let long = "x".repeat(80);
        assert_eq!(
            label(&long, 400.0, 560.0),
            r#"<text class="label inside" x="406.0" y="52.5" text-anchor="start""#
        );
    }

    /// A tick label that would begin within 60 px of the right edge is left out,
    /// at exactly 60 px too.
    #[test]
    fn a_tick_label_stops_60_px_from_the_right_edge() {
        // 458 days shown at 2 px a day (916 px, one busy day of 24): 1 March 1957,
        // 433 days from the left, stands at 10 + 866 + 24 = 900 px.
        let span = item("span", "1955-12-27", "1957-03-22");
        let svg = svg(&[span], &[]).unwrap();
        assert!(svg.contains(r#"<line class="tick" x1="900.0""#), "{svg}");
        let labels = tick_labels(&svg);
        assert_eq!(labels.last(), Some(&"Feb 1957"), "{svg}");
    }

    /// Documents whose marks stand less than 14 px apart are one mark; at 14 px,
    /// two.
    #[test]
    fn marks_14_px_apart_stay_apart() {
        // 229 days shown (from 29 May), one busy day: 916 / 229 = 4 px a day. The
        // day's mark is at (22 + 50) / 2 = 36, the week's at (22 + 78) / 2 = 50.
        let event = item("long", "1956-06-01", "1957-01-09");
        let day = item("day", "1956-06-01", "1956-06-01");
        let week = item("week", "1956-06-01", "1956-06-08");
        let svg = svg(&[event], &[day, week]).unwrap();
        assert!(
            svg.contains(r#"cx="36.0""#) && svg.contains(r#"cx="50.0""#),
            "{svg}"
        );
        assert!(!svg.contains("document group"), "{svg}");
    }

    fn tick_labels(svg: &str) -> Vec<&str> {
        svg.split("class=\"tick-label\"")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find('<').unwrap()])
            .collect()
    }

    /// The same item, as many times as there are days in a period, one a day.
    fn daily(label: &str, from: &str, days: i64) -> Vec<Item> {
        let first = date(from).first_day();
        (0..days)
            .map(|d| {
                let day = PartialDate::from_day(first + d);
                Item {
                    label: format!("{label} {d}"),
                    href: format!("{label}-{d}/"),
                    list_href: format!("list/#{label}-{d}"),
                    start: day,
                    end: day,
                }
            })
            .collect()
    }

    /// Ticks a month up to three years shown (1,098 days), a year beyond.
    #[test]
    fn ticks_are_months_up_to_three_years_and_years_beyond() {
        let one = |label: &str, day: &str| item(label, day, day);
        // Shown from three days before the first to four after the last: 1,091 days
        // between them make exactly 1,098 shown.
        let at_most = svg(&[one("a", "1950-01-05"), one("b", "1952-12-31")], &[]).unwrap();
        assert!(
            tick_labels(&at_most).iter().all(|l| l.contains(' ')),
            "{at_most}"
        );
        let beyond = svg(&[one("a", "1950-01-04"), one("b", "1952-12-31")], &[]).unwrap();
        assert!(
            tick_labels(&beyond).iter().all(|l| !l.contains(' ')),
            "{beyond}"
        );
        // The last day shown may begin a month: its tick stands at the right edge.
        let span = Item {
            end: date("1956-01-28"),
            ..one("january", "1956-01-01")
        };
        let january = svg(&[span], &[]).unwrap();
        assert_eq!(january.matches("class=\"tick\"").count(), 2, "{january}");
        // Well within three years (a year and a half): months.
        let months = svg(&[one("a", "1950-01-05"), one("b", "1951-06-30")], &[]).unwrap();
        let labels = tick_labels(&months);
        assert!(
            labels.len() >= 5 && labels.iter().all(|l| l.contains(' ')),
            "{months}"
        );
    }

    /// A week of events in twenty years gets room; month labels that would
    /// collide are left out.
    #[test]
    fn a_dense_week_gets_room_and_labels_do_not_collide() {
        let mut events = daily("congress", "1956-09-15", 8);
        events.push(Item {
            label: "Twenty years".into(),
            href: "years/".into(),
            list_href: "years/".into(),
            start: date("1950-01-01"),
            end: date("1969-12-31"),
        });
        let svg = svg(&events, &[]).unwrap();
        let bars: Vec<f64> = svg
            .split("<rect class=\"event\" x=\"")
            .skip(1)
            .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
            .collect();
        // Evenly, 8 days of 7,300 would be 1 unit; here each is 24 more.
        assert!(bars[7] - bars[0] >= 7.0 * 24.0, "{bars:?}");
        // The long bar has no room beside it: its label is inside.
        assert!(
            svg.contains(r#"<text class="label inside" x="16.3""#),
            "{svg}"
        );
        // Over a short span with many busy days the months are narrow: no two
        // month labels closer than a label's width.
        let svg = super::svg(&daily("day", "1956-01-01", 300), &[]).unwrap();
        let xs: Vec<f64> = svg
            .split("<text class=\"tick-label\" x=\"")
            .skip(1)
            .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(xs.len() >= 4, "{svg}");
        assert!(xs.windows(2).all(|w| w[1] - w[0] >= TICK_LABEL), "{xs:?}");
    }

    /// Documents closer than a mark's width are one mark with their count, which
    /// links to the first of them on the list of documents.
    #[test]
    fn close_documents_are_one_mark_with_a_count() {
        let mut documents = daily("cable", "1956-09-16", 1);
        documents.extend(daily("letter", "1956-09-16", 1));
        documents.extend(daily("memo", "1956-09-16", 1));
        documents.extend(daily("report", "1957-09-16", 1));
        documents.extend(daily("note", "1958-09-16", 1));
        let svg = svg(&[], &documents).unwrap();
        assert_eq!(
            svg.matches("<circle class=\"document\"").count(),
            2,
            "{svg}"
        );
        assert_eq!(
            svg.matches("<circle class=\"document group\"").count(),
            1,
            "{svg}"
        );
        assert!(svg.contains(r#"<a href="list/#cable-0"><circle class="document group""#));
        assert!(svg
            .contains("<title>16 September 1956: 3 documents: cable 0; letter 0; memo 0</title>"));
        assert!(svg.contains(r#"aria-hidden="true">3</text>"#), "{svg}");
        assert!(svg.contains(r#"<a href="report-0/"><circle class="document""#));
        // A mark for many documents names the first few.
        let many: Vec<Item> =
            std::iter::repeat_n(daily("note", "1956-09-16", 1)[0].clone(), 40).collect();
        let drawn = super::svg(&[], &many).unwrap();
        assert!(
            drawn.contains(
                "40 documents: note 0; note 0; note 0; note 0; note 0; and 35 more</title>"
            ),
            "{drawn}"
        );
    }

    #[test]
    fn nothing_to_draw_is_no_timeline() {
        assert!(svg(&[], &[]).is_none());
    }
}
