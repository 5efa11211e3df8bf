//! What harvesters and feed readers read: `sitemap.xml` (every page, with its last
//! change when the content says it) and an Atom feed of documents (`feed.xml`).
//!
//! A page's last change is the `updated` date of the documents it shows (a
//! document's own; the latest of those an entry or a list shows). Files' times on
//! disk are not used: they differ between two checkouts of one edition, and the
//! same content must make the same site.
//!
//! Not here: the pages themselves, or deciding which exist (`render::all_pages`).

use super::sources::{Reader, Sources, Summary};
use super::tei::escape as xml_escape;
use super::{PageId, Section};
use crate::model::PartialDate;
use std::fmt::Write;

/// The most addresses one sitemap file may hold (sitemaps.org); beyond, `sitemap.xml`
/// is an index of numbered files.
pub(super) const SITEMAP_LIMIT: usize = 50_000;

/// How many documents the feed holds: the latest changed.
const FEED_ENTRIES: usize = 50;

pub(super) const SITEMAP: &str = "sitemap.xml";
pub(super) const FEED: &str = "feed.xml";

/// The file of part `n` (from 1) of a sitemap too large for one file.
pub(super) fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// `sitemap.xml` of a site of `pages` (sorted by address): all of them, or with
/// more than [`SITEMAP_LIMIT`], an index of the parts.
pub(super) fn sitemap<'a>(r: &Reader<'_, 'a>, sources: &Sources<'a>, pages: &[PageId]) -> Vec<u8> {
    let parts = pages.len().div_ceil(SITEMAP_LIMIT);
    if parts <= 1 {
        return sitemap_urls(r, sources, pages);
    }
    let links = r.links();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        let _ = writeln!(
            xml,
            "  <sitemap><loc>{}</loc></sitemap>",
            xml_escape(&links.absolute(&sitemap_part(n)))
        );
    }
    xml.push_str("</sitemapindex>\n");
    xml.into_bytes()
}

/// Part `n` (from 1) of a sitemap too large for one file.
pub(super) fn sitemap_part_file<'a>(
    r: &Reader<'_, 'a>,
    sources: &Sources<'a>,
    pages: &[PageId],
    n: usize,
) -> Vec<u8> {
    let start = (n - 1) * SITEMAP_LIMIT;
    let end = (start + SITEMAP_LIMIT).min(pages.len());
    sitemap_urls(r, sources, &pages[start.min(end)..end])
}

fn sitemap_urls<'a>(r: &Reader<'_, 'a>, sources: &Sources<'a>, pages: &[PageId]) -> Vec<u8> {
    let edition = sources.edition();
    let links = r.links();
    let mut xml = String::with_capacity(120 * pages.len() + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut latest_of_all = None;
    for page in pages {
        if *page == PageId::NotFound {
            continue;
        }
        let _ = write!(
            xml,
            "  <url><loc>{}</loc>",
            xml_escape(&links.absolute(&page.address()))
        );
        let changed = match page {
            PageId::Document(id) | PageId::Source(id) => r.summary_of(id).and_then(|s| s.updated),
            // A page of a long list changes with the list.
            PageId::Entry(entity, _) => edition
                .registers
                .key_of(entity)
                .and_then(|id| latest(&r.documents_naming(entity.kind, id))),
            PageId::Tag(tag, _) => sources
                .index()
                .tags
                .get_key_value(tag)
                .and_then(|(tag, _)| r.tag(tag))
                .and_then(|docs| latest(&docs)),
            PageId::Home
            | PageId::Documents(_)
            | PageId::Search
            | PageId::Index(
                Section::People
                | Section::Events
                | Section::Places
                | Section::Glossary
                | Section::Tags,
                _,
            ) => *latest_of_all.get_or_insert_with(|| latest(&r.chronology())),
            PageId::FreePage(_) | PageId::NotFound => None,
        };
        if let Some(date) = changed {
            // The sitemap schema takes whole dates: a month stands for its first day.
            let day = PartialDate::from_day(date.first_day());
            let _ = write!(xml, "<lastmod>{day}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// The latest `updated` date of `documents`.
fn latest(documents: &[Summary]) -> Option<PartialDate> {
    documents.iter().filter_map(|d| d.updated).max()
}

/// `feed.xml`: an Atom 1.0 feed of the documents changed last (by their `updated`
/// date, else their own date).
pub(super) fn feed(r: &Reader) -> Vec<u8> {
    let config = r.settings();
    let links = r.links();
    let mut documents = r.chronology();
    let changed = |d: &Summary| d.updated.unwrap_or(d.date);
    // The latest first; among equals, the later document first.
    documents.reverse();
    documents.sort_by_key(|d| std::cmp::Reverse(changed(d)));
    documents.truncate(FEED_ENTRIES);
    // Atom wants an id that never changes: the address when the edition has one,
    // else a name made from the edition's title.
    let id_of = |address: &str| {
        links
            .public(address)
            .unwrap_or_else(|| name_uri(&config.title, address))
    };
    // Links: relative ones are read against the feed, at the root.
    let href = |address: &str| links.for_machines(FEED, address);
    let feed_updated = documents
        .iter()
        .map(changed)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let author = config
        .editors_in_words()
        .or_else(|| config.publisher.clone())
        .unwrap_or_else(|| config.title.clone());
    let mut xml = String::with_capacity(600 * documents.len() + 800);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(&config.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", xml_escape(&config.title));
    if let Some(subtitle) = &config.subtitle {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", xml_escape(subtitle));
    }
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&id_of("")));
    let _ = writeln!(xml, "  <updated>{feed_updated}</updated>");
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&href(FEED))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&href(""))
    );
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        xml_escape(&author)
    );
    if let Some(licence) = &config.licence {
        let _ = writeln!(xml, "  <rights>{}</rights>", xml_escape(licence));
    }
    xml.push_str("  <generator>dossier</generator>\n");
    for d in &documents {
        let address = PageId::Document(d.id.to_string()).address();
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", xml_escape(d.title));
        let _ = writeln!(xml, "    <id>{}</id>", xml_escape(&id_of(&address)));
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(changed(d)));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_escape(&href(&address))
        );
        let data = super::data::document_file(d.id, "xml");
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"application/tei+xml\" href=\"{}\"/>",
            xml_escape(&href(&data))
        );
        if let Some(kind) = d.kind {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", xml_escape(kind));
        }
        let summary = match d.summary {
            Some(summary) => format!("{}: {summary}", d.date.human()),
            None => d.date.human(),
        };
        let _ = writeln!(xml, "    <summary>{}</summary>", xml_escape(&summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// RFC 3339, as Atom wants it, of the first moment of a (partial) date.
fn timestamp(date: PartialDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year,
        date.month.unwrap_or(1),
        date.day.unwrap_or(1)
    )
}

/// A permanent URI for something of an edition without a public address: a UUID
/// (version 8, from a hash) of the edition's title and the thing's address.
fn name_uri(title: &str, address: &str) -> String {
    let a = crate::fingerprint::of(&(title, address, 1u8));
    let b = crate::fingerprint::of(&(title, address, 2u8));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_uuids_that_depend_on_what_they_name() {
        let a = name_uri("Edition", "documents/a/");
        assert_eq!(a, name_uri("Edition", "documents/a/"));
        assert_ne!(a, name_uri("Edition", "documents/b/"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a["urn:uuid:".len() + 14..][..1], "8");
    }

    #[test]
    fn timestamps_start_the_day() {
        let date = PartialDate::parse("1956-09").unwrap();
        assert_eq!(timestamp(date), "1956-09-01T00:00:00Z");
    }
}
