//! Lists that grow with the edition, cut into pages: the documents by date, a tag's
//! documents, the documents naming an entry, the indexes of the registers. A list
//! that fits one page is one page, at its own address, as it always was; a longer
//! one continues at `<address>page/2/`, `page/3/`..., each page saying which part of
//! how many it shows and linking to the others.
//!
//! Not here: what a list holds or how an item looks (the views), nor the timeline,
//! which draws a whole edition in one figure by grouping.

use crate::links::{Address, Links};
use serde::Serialize;

/// Documents a page of a plain list holds (date, title, type and summary each).
pub(crate) const DOCUMENTS_PER_PAGE: usize = 100;
/// Documents a page of an entry holds, each with its passages naming the entry.
pub(crate) const OCCURRENCES_PER_PAGE: usize = 50;
/// Entries a page of a register's index holds (name, dates, count each).
pub(crate) const ENTRIES_PER_PAGE: usize = 500;
/// Documents the glossary lists under a term; a term named by more has a page of
/// its own, which lists them all (in pages).
pub(crate) const GLOSSARY_DOCUMENTS: usize = 10;

/// How many pages a list of `items` takes: at least one (an empty list says so).
pub(crate) fn page_count(items: usize, per_page: usize) -> u32 {
    u32::try_from(items.div_ceil(per_page).max(1)).unwrap_or(u32::MAX)
}

/// The page (from 1) that item `position` (from 0) of a list stands on.
pub(crate) fn page_of(position: usize, per_page: usize) -> u32 {
    u32::try_from(position / per_page + 1).unwrap_or(u32::MAX)
}

/// The address of page `page` of the list whose first page is at `first`.
pub(crate) fn page_address(first: &str, page: u32) -> String {
    if page <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{page}/")
    }
}

/// The items of page `page` of a list of `items`.
pub(crate) fn range(page: u32, items: usize, per_page: usize) -> std::ops::Range<usize> {
    let start = (page.max(1) as usize - 1)
        .saturating_mul(per_page)
        .min(items);
    start..(start + per_page).min(items)
}

/// What a page of a long list shows of where it is: "101–200 of 1,234", the
/// pages before and after, and links to the others (the first, the last, and
/// those around this one; gaps between them marked).
#[derive(Debug, Serialize)]
pub(super) struct Pager {
    /// "Documents 101–200 of 1,234".
    pub shown: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// A link to a page of the list; `href` is none for the page shown and for a
/// gap ("…").
#[derive(Debug, Serialize)]
pub(super) struct PageLink {
    pub label: String,
    pub href: Option<String>,
    pub current: bool,
}

impl Pager {
    /// The pager of page `page` of a list of `items` whose first page is at
    /// `first`, seen from `from`; none for a list of one page.
    pub(super) fn new(
        links: &Links,
        from: &Address,
        first: &str,
        page: u32,
        items: usize,
        per_page: usize,
        what: &str,
    ) -> Option<Self> {
        let pages = page_count(items, per_page);
        if pages <= 1 {
            return None;
        }
        let href = |p: u32| links.href(from, &page_address(first, p));
        let shown = range(page, items, per_page);
        let mut numbers: Vec<u32> = [1, page.saturating_sub(2), pages]
            .into_iter()
            .chain(page.saturating_sub(1)..=page.saturating_add(2).min(pages))
            .filter(|p| (1..=pages).contains(p))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links_to = Vec::with_capacity(numbers.len() + 2);
        let mut last = 0;
        for p in numbers {
            if p > last + 1 {
                links_to.push(PageLink {
                    label: "…".into(),
                    href: None,
                    current: false,
                });
            }
            links_to.push(PageLink {
                label: p.to_string(),
                href: (p != page).then(|| href(p)),
                current: p == page,
            });
            last = p;
        }
        Some(Pager {
            shown: format!(
                "{what} {}–{} of {}",
                thousands(shown.start + 1),
                thousands(shown.end),
                thousands(items)
            ),
            previous: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            pages: links_to,
        })
    }
}

/// "1,234".
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_into_pages_of_their_size() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_of(0, 50), 1);
        assert_eq!(page_of(49, 50), 1);
        assert_eq!(page_of(50, 50), 2);
        assert_eq!(range(1, 120, 50), 0..50);
        assert_eq!(range(3, 120, 50), 100..120);
        assert_eq!(range(4, 120, 50), 120..120);
        assert_eq!(page_address("people/kim/", 1), "people/kim/");
        assert_eq!(page_address("people/kim/", 3), "people/kim/page/3/");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn a_pager_names_the_part_shown_and_links_the_pages_around_it() {
        let links = Links::new("/", false);
        let from = "people/kim/page/7/";
        assert!(Pager::new(&links, from, "people/kim/", 1, 50, 50, "Documents").is_none());
        let pager = Pager::new(&links, from, "people/kim/", 7, 1234, 50, "Documents").unwrap();
        assert_eq!(pager.shown, "Documents 301–350 of 1,234");
        let labels: Vec<&str> = pager.pages.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["1", "…", "5", "6", "7", "8", "9", "…", "25"]);
        assert!(pager.pages[4].current && pager.pages[4].href.is_none());
        assert_eq!(
            pager.previous.as_deref(),
            Some("../../../../people/kim/page/6/")
        );
        assert_eq!(
            pager.next.as_deref(),
            Some("../../../../people/kim/page/8/")
        );
        assert_eq!(
            pager.pages[0].href.as_deref(),
            Some("../../../../people/kim/")
        );
    }
}
