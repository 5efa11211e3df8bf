//! What reference managers, search engines and link previews read in a page's head:
//! Highwire Press `citation_*` tags and Dublin Core (what Zotero's Embedded Metadata
//! translator and Google Scholar read), schema.org JSON-LD, OpenGraph.
//!
//! Zotero decides the kind of item from these tags: `DC.type` says `manuscript` (or
//! `letter` for letters and telegrams), and nothing says journal (no
//! `citation_journal_title`) or web page (no `og:type`), which would win over it.
//! The archival reference goes to `DC.coverage`, which Zotero reads as the archive
//! location.
//!
//! Not here: the citation's wording (`citation`), the page's layout (templates).

use super::citation::{Name, Reference};
use super::sources::{Entry, Reader};
use crate::html::escape;
use crate::links::{entity_address, Address, Links};
use crate::model::{EntityKind, EntityRef, Person};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// The head of a document's page.
pub(super) fn document_head(
    r: &Reader,
    address: &Address,
    doc: usize,
    reference: &Reference,
) -> String {
    let document = r.document(doc);
    let named = r.named(doc);
    let links = r.links();
    let config = r.settings();
    // Zotero resolves relative links against the page.
    let link = |to: &str| links.for_machines(address, to);
    let tei = link(&super::data::document_file(&document.id, "xml"));
    let mut head = String::with_capacity(4096);
    let mut meta = |name: &str, content: &str| push_meta(&mut head, "name", name, content);
    meta("citation_title", &reference.title);
    for author in &reference.authors {
        meta("citation_author", &inverted(author));
    }
    let date = &reference.date;
    let slashed = match (date.month, date.day) {
        (Some(m), Some(d)) => format!("{:04}/{m:02}/{d:02}", date.year),
        (Some(m), None) => format!("{:04}/{m:02}", date.year),
        _ => format!("{:04}", date.year),
    };
    meta("citation_date", &slashed);
    if let Some((code, _)) = &reference.language {
        meta("citation_language", code);
    }
    if let Some(summary) = &reference.summary {
        meta("citation_abstract", summary);
    }
    if !reference.keywords.is_empty() {
        meta("citation_keywords", &reference.keywords.join("; "));
    }
    if let Some(archive) = &reference.archive {
        // Not one of Zotero's (it reads DC.coverage below), but Highwire readers
        // that know archives take it.
        meta("citation_archive", archive);
    }
    if let Some(location) = &reference.archive_location {
        meta("citation_archive_location", location);
    }
    if let Some(url) = &reference.url {
        meta("citation_public_url", url);
    }
    meta("citation_xml_url", &tei);
    meta("DC.type", dc_type(reference.kind.as_deref()));
    meta("DC.title", &reference.title);
    for author in &reference.authors {
        meta("DC.creator", &inverted(author));
    }
    for translation in &reference.translations {
        meta("DC.contributor", &inverted(&translation.translator));
    }
    meta("DC.date", &date.to_string());
    if let Some((code, _)) = &reference.language {
        meta("DC.language", code);
    }
    if let Some(summary) = &reference.summary {
        meta("DC.description", summary);
    }
    if let Some(archive) = &document.meta.archive {
        meta("DC.source", &archive.citation());
    }
    if let Some(location) = &reference.archive_location {
        meta("DC.coverage", location);
    }
    if let Some(publisher) = &reference.container.publisher {
        meta("DC.publisher", publisher);
    }
    if let Some(licence) = &config.licence {
        meta("DC.rights", licence);
    }
    if let Some(url) = &reference.url {
        meta("DC.identifier", url);
    }
    // OpenGraph names its tags with `property` (RDFa).
    let mut og =
        |property: &str, content: &str| push_meta(&mut head, "property", property, content);
    og("og:title", &reference.title);
    og(
        "og:description",
        reference
            .summary
            .as_deref()
            .unwrap_or(&format!("{}, {}", reference.title, date.human())),
    );
    og("og:site_name", &config.title);
    if let Some(url) = &reference.url {
        og("og:url", url);
    }

    // People of the register with a part, by role (and language, for translators).
    let roles = r.roles(doc);
    let with_role = |role: &str, lang: Option<&str>| -> Vec<&str> {
        roles
            .iter()
            .filter(|(_, rs)| {
                rs.iter()
                    .any(|x| x.role == role && (lang.is_none() || x.lang.as_deref() == lang))
            })
            .map(|(id, _)| *id)
            .collect()
    };
    let person = |name: &str, id: Option<&str>| {
        let mut person = Map::new();
        person.insert("@type".into(), "Person".into());
        person.insert("name".into(), name.into());
        if let Some(id) = id {
            let entity = EntityRef {
                kind: EntityKind::Person,
                id: id.into(),
            };
            person.insert("url".into(), link(&entity_address(&entity)).into());
        }
        Value::Object(person)
    };
    let mut ld = Map::new();
    ld.insert("@context".into(), "https://schema.org".into());
    ld.insert("@type".into(), "ArchiveComponent".into());
    if let Some(url) = &reference.url {
        ld.insert("@id".into(), url.clone().into());
        ld.insert("url".into(), url.clone().into());
    }
    ld.insert("name".into(), reference.title.clone().into());
    ld.insert("dateCreated".into(), date.to_string().into());
    if let Some(kind) = &reference.kind {
        ld.insert("genre".into(), kind.clone().into());
    }
    if let Some(summary) = &reference.summary {
        ld.insert("description".into(), summary.clone().into());
    }
    ld.insert(
        "inLanguage".into(),
        document
            .texts
            .iter()
            .map(|t| Value::from(t.lang.clone()))
            .collect(),
    );
    if let Some(archive) = &document.meta.archive {
        if let Some(repository) = &archive.repository {
            ld.insert(
                "holdingArchive".into(),
                json!({"@type": "ArchiveOrganization", "name": repository}),
            );
        }
        ld.insert("identifier".into(), archive.citation().into());
    }
    let authors: Vec<Value> = with_role("author", None)
        .into_iter()
        .filter_map(|id| Some(person(r.entry(EntityKind::Person, id)?.name(), Some(id))))
        .collect();
    if !authors.is_empty() {
        ld.insert("author".into(), authors.into());
    }
    if !reference.translations.is_empty() {
        ld.insert(
            "translator".into(),
            reference
                .translations
                .iter()
                .map(|t| {
                    let id = with_role("translator", Some(&t.lang)).first().copied();
                    person(&t.translator.display, id)
                })
                .collect(),
        );
    }
    let mentions: Vec<Value> = named
        .iter()
        .filter_map(|entity| mentioned(r, entity, &link))
        .collect();
    if !mentions.is_empty() {
        ld.insert("mentions".into(), mentions.into());
    }
    let mut edition = Map::new();
    edition.insert("@type".into(), "Collection".into());
    edition.insert("name".into(), config.title.clone().into());
    if let Some(url) = config.public_url() {
        edition.insert("url".into(), format!("{url}/").into());
    }
    ld.insert("isPartOf".into(), Value::Object(edition));
    ld.insert(
        "encoding".into(),
        json!([
            {"@type": "MediaObject", "encodingFormat": "application/tei+xml", "contentUrl": tei},
            {"@type": "MediaObject", "encodingFormat": "application/json",
             "contentUrl": link(&super::data::document_file(&document.id, "json"))},
        ]),
    );
    push_json_ld(&mut head, &Value::Object(ld));
    head
}

/// The head of a person's page: schema.org `Person`.
pub(super) fn person_head(links: &Links, address: &Address, person: &Person) -> String {
    let mut ld = Map::new();
    ld.insert("@context".into(), "https://schema.org".into());
    ld.insert("@type".into(), "Person".into());
    if let Some(url) = links.public(address) {
        ld.insert("@id".into(), url.clone().into());
        ld.insert("url".into(), url.into());
    }
    ld.insert("name".into(), person.name.clone().into());
    let mut other: Vec<&String> = person.names.values().chain(&person.aliases).collect();
    other.sort();
    other.dedup();
    other.retain(|n| **n != person.name);
    if !other.is_empty() {
        ld.insert(
            "alternateName".into(),
            other.into_iter().map(|n| Value::from(n.clone())).collect(),
        );
    }
    if let Some(born) = person.born {
        ld.insert("birthDate".into(), born.to_string().into());
    }
    if let Some(died) = person.died {
        ld.insert("deathDate".into(), died.to_string().into());
    }
    if let Some(description) = &person.description {
        ld.insert("description".into(), description.clone().into());
    }
    if !person.roles.is_empty() {
        ld.insert(
            "jobTitle".into(),
            person
                .roles
                .iter()
                .map(|r| Value::from(r.role.clone()))
                .collect(),
        );
    }
    let same_as = person.authorities();
    if !same_as.is_empty() {
        ld.insert(
            "sameAs".into(),
            same_as.into_iter().map(|a| Value::from(a.url)).collect(),
        );
    }
    let mut head = String::new();
    push_json_ld(&mut head, &Value::Object(ld));
    head
}

/// An entry a document names, as schema.org: a person, an event, a place (glossary
/// terms are not things schema.org names).
fn mentioned<'a>(
    r: &Reader<'_, 'a>,
    entity: &'a EntityRef,
    link: &dyn Fn(&str) -> String,
) -> Option<Value> {
    let (kind, same_as) = match r.entry(entity.kind, &entity.id)? {
        Entry::Person(p) => (
            "Person",
            p.authorities().into_iter().map(|a| a.url).collect(),
        ),
        Entry::Event(_) => ("Event", Vec::new()),
        Entry::Place(_) => ("Place", Vec::new()),
        Entry::Term(_) => return None,
    };
    let name = r.entry(entity.kind, &entity.id)?.name();
    let mut thing = Map::new();
    thing.insert("@type".into(), kind.into());
    thing.insert("name".into(), name.into());
    thing.insert("url".into(), link(&entity_address(entity)).into());
    if !same_as.is_empty() {
        thing.insert(
            "sameAs".into(),
            same_as.into_iter().map(Value::from).collect(),
        );
    }
    Some(Value::Object(thing))
}

/// "Mikoyan, Anastas": names as `citation_author` and `DC.creator` want them, which
/// Zotero splits at the comma (a name without a given part stays whole).
fn inverted(name: &Name) -> String {
    match &name.given {
        Some(given) => format!("{}, {given}", name.family),
        None => name.family.clone(),
    }
}

/// The Zotero item type of a document of this kind.
fn dc_type(kind: Option<&str>) -> &'static str {
    let kind = kind.unwrap_or_default().to_lowercase();
    if kind.contains("letter") || kind.contains("telegram") || kind.contains("cable") {
        "letter"
    } else {
        "manuscript"
    }
}

/// `<meta name="..." content="...">` (or `property=`), unless there is no content.
fn push_meta(head: &mut String, attribute: &str, name: &str, content: &str) {
    if !content.trim().is_empty() {
        let _ = writeln!(
            head,
            "<meta {attribute}=\"{name}\" content=\"{}\">",
            escape(content.trim())
        );
    }
}

/// A JSON-LD block; `</` is written `<\/` so that no text in it ends the script.
fn push_json_ld(head: &mut String, value: &Value) {
    let text = serde_json::to_string(value)
        .expect("JSON-LD serialises")
        .replace("</", "<\\/");
    let _ = writeln!(head, "<script type=\"application/ld+json\">{text}</script>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_telegrams_are_letters_and_the_rest_manuscripts() {
        assert_eq!(dc_type(Some("telegram")), "letter");
        assert_eq!(dc_type(Some("Letter")), "letter");
        assert_eq!(dc_type(Some("record of conversation")), "manuscript");
        assert_eq!(dc_type(None), "manuscript");
    }

    #[test]
    fn json_ld_cannot_end_its_script() {
        let mut head = String::new();
        push_json_ld(&mut head, &json!({"name": "a </script><b>"}));
        assert!(
            !head[..head.len() - "</script>\n".len()].contains("</"),
            "{head}"
        );
    }
}
