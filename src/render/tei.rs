//! Documents as TEI P5 XML, for readers who work with TEI tools rather than pages:
//! each document as a TEI file, and the whole edition as one `teiCorpus`, both valid
//! against `tei_all.rng` (the test runs jing on the example edition).
//!
//! A document's `teiHeader` is its metadata (title, who had a part in it, the archive
//! and the source, its date, languages, type and tags); its `text` holds the headnote
//! in `front` and one `div` per text in `body`, each segment one block with an id like
//! the site's anchors, and a `linkGrp` per translation joining the segments of each
//! aligned row. The editor's apparatus becomes TEI's own elements (`add`, `del`,
//! `subst`, `supplied`, `note`, `pb`), footnotes stand where they are referred to,
//! and mentions point at the register entries of a `standOff`: the document's own
//! when it stands alone, the corpus's (one for every entry) inside the corpus.
//!
//! Everything is written into one string (no XML library): the functions are pure,
//! and the same input gives the same bytes, so an unchanged document's file does
//! not change.
//!
//! Not here: which files are written where, and the addresses of pages and
//! facsimiles (the caller gives them), or reading anything.

use crate::model::{
    AnnotatedDocument, AnnotatedText, ColumnAlignment, ContentEvent, Document, DocumentRole,
    Element, EntityKind, EntityRef, Footnote, PartialDate, Registers, SiteConfig,
};
use std::collections::{BTreeMap, HashSet};

/// Everything one document's TEI is made from.
pub(super) struct TeiInput<'a> {
    pub document: &'a Document,
    pub annotated: &'a AnnotatedDocument,
    pub registers: &'a Registers,
    pub site: &'a SiteConfig,
    /// Person id → their parts in the document (`Document::roles`).
    pub roles: &'a BTreeMap<String, Vec<DocumentRole>>,
    /// The register entries the document names or has a part for, sorted, without
    /// repeats.
    pub named: &'a [EntityRef],
    /// The absolute address of the document's page, when the edition has a public one.
    pub url: Option<&'a str>,
    /// The address of an entry's page (absolute when the edition has a public base URL).
    pub entry_url: &'a dyn Fn(&EntityRef) -> String,
    /// The address of the image of page `label`, relative to the TEI file, if the
    /// bundle has one.
    pub facsimile: &'a dyn Fn(&str) -> Option<String>,
    /// The document's page images, in the order of its pages (its `facsimile`).
    pub surfaces: &'a [Surface],
}

/// A page image of a document, as its TEI `facsimile` gives it: a `surface` the
/// size of the image, with the image and its copy for the screen as `graphic`s.
pub(super) struct Surface {
    /// The page's number or name.
    pub label: String,
    /// The image, relative to the TEI file (or absolute), its size and type.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub media_type: &'static str,
    /// The copy for the screen: address, width, height.
    pub web: (String, u32, u32),
}

const NAMESPACE: &str = "http://www.tei-c.org/ns/1.0";

/// The declaration, and where TEI editors find the schema.
const PROLOGUE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<?xml-model href=\"http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng\" \
type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n";

/// A document as a TEI file: the XML declaration, the `TEI` element with its header,
/// its text and a `standOff` of the entries it names. Its part in the edition's
/// corpus is cut from it (see [`CORPUS_MEMBER`]).
pub(super) fn document(input: &TeiInput) -> String {
    let document = input.document;
    let id = document_id(&document.id);
    let mut x = Xml::default();
    x.s.push_str(PROLOGUE);
    x.open(
        "TEI",
        &[
            ("xmlns", NAMESPACE),
            ("xml:id", &id),
            ("xml:lang", &input.site.language),
        ],
    );
    header(&mut x, input, &id);
    facsimile(&mut x, input, &id);
    text(&mut x, input, &id);
    // After the text (TEI allows the standOff there), so that the corpus member is
    // the file up to the text's end: see [`CORPUS_MEMBER`].
    stand_off(&mut x, input.registers, input.named, input.entry_url);
    x.close("TEI");
    x.s
}

/// How a document's file becomes a member of the corpus, which `write` puts together
/// from the files on the disk: the file from after the prologue up to the end of its
/// `text` (no text of the edition can hold `</text>`: it is escaped), then the
/// `TEI` element closed; the corpus has one `standOff` for all.
pub(super) const CORPUS_MEMBER: (usize, &str, &str) = (PROLOGUE.len(), "</text>\n", "</TEI>\n");

/// The whole edition as one `teiCorpus`: a header from the site settings, one
/// standOff with every entry in `named`, and `members` (each cut from a document's
/// file as [`CORPUS_MEMBER`] says) in order.
pub(super) fn corpus<'m>(
    site: &SiteConfig,
    registers: &Registers,
    named: &[EntityRef],
    entry_url: &dyn Fn(&EntityRef) -> String,
    members: impl Iterator<Item = &'m str>,
) -> String {
    let mut x = Xml::default();
    x.s.push_str(PROLOGUE);
    x.open(
        "teiCorpus",
        &[("xmlns", NAMESPACE), ("xml:lang", &site.language)],
    );
    x.open("teiHeader", &[]);
    x.open("fileDesc", &[]);
    x.open("titleStmt", &[]);
    x.leaf("title", &[], &site.title);
    if let Some(subtitle) = &site.subtitle {
        x.leaf("title", &[("type", "sub")], subtitle);
    }
    for editor in &site.editors {
        x.leaf("editor", &[], editor);
    }
    x.close("titleStmt");
    let base = site.public_url();
    publication(&mut x, site, base);
    x.open("sourceDesc", &[]);
    x.leaf(
        "p",
        &[],
        "Born-digital edition; the header of each document describes its source.",
    );
    x.close("sourceDesc");
    x.close("fileDesc");
    if !site.languages.is_empty() {
        x.open("profileDesc", &[]);
        languages(&mut x, site, site.languages.iter().map(String::as_str));
        x.close("profileDesc");
    }
    x.close("teiHeader");
    stand_off(&mut x, registers, named, entry_url);
    for member in members {
        x.s.push_str(member);
        if !member.ends_with('\n') {
            x.s.push('\n');
        }
    }
    x.close("teiCorpus");
    x.s
}

// --- The header -------------------------------------------------------------------

fn header(x: &mut Xml, input: &TeiInput, id: &str) {
    let (document, meta, site) = (input.document, &input.document.meta, input.site);
    let pointers = Pointers::new(input.named, input.entry_url);
    x.open("teiHeader", &[]);
    x.open("fileDesc", &[]);
    x.open("titleStmt", &[]);
    x.leaf("title", &[], &meta.title);
    for editor in &site.editors {
        x.leaf("editor", &[], editor);
    }
    // Translators, as a person of the register where the name is one's (then their
    // part is among the roles too, and written here, not twice).
    for (lang, name) in &meta.translators {
        let resp = format!("translation into {}", site.language_name(lang));
        let person = input
            .registers
            .person_named(name)
            .filter(|p| input.roles.contains_key(*p));
        x.open("respStmt", &[]);
        x.leaf("resp", &[], &resp);
        match person {
            Some(person) => x.leaf(
                "persName",
                &[("ref", &pointers.to(&entity(EntityKind::Person, person)))],
                name,
            ),
            None => x.leaf("name", &[], name),
        }
        x.close("respStmt");
    }
    for (person, roles) in input.roles {
        let entry = entity(EntityKind::Person, person);
        let name = input.registers.name(&entry).unwrap_or(person);
        for role in roles.iter().filter(|r| r.role != "translator") {
            x.open("respStmt", &[]);
            x.leaf("resp", &[], &role.role);
            x.leaf("persName", &[("ref", &pointers.to(&entry))], name);
            x.close("respStmt");
        }
    }
    x.close("titleStmt");
    publication(x, site, input.url);
    let notes: Vec<(&str, Option<String>, &str)> = meta
        .date_note
        .iter()
        .map(|n| ("date", None, n.as_str()))
        .chain(meta.transcription.iter().map(|(lang, note)| {
            let target = document
                .texts
                .iter()
                .any(|t| &t.lang == lang)
                .then(|| format!("#{id}.{}", ncname(lang)));
            ("transcription", target, note.as_str())
        }))
        .collect();
    if !notes.is_empty() {
        x.open("notesStmt", &[]);
        for (kind, target, note) in notes {
            let mut attributes = vec![("type", kind)];
            if let Some(target) = &target {
                attributes.push(("target", target));
            }
            x.leaf("note", &attributes, note);
        }
        x.close("notesStmt");
    }
    source_description(x, input);
    x.close("fileDesc");

    x.open("profileDesc", &[]);
    if let Some(summary) = &meta.summary {
        x.open("abstract", &[]);
        x.leaf("p", &[], summary);
        x.close("abstract");
    }
    x.open("creation", &[]);
    date(x, &meta.date);
    x.close("creation");
    let mut langs: Vec<&str> = Vec::new();
    let headnote = !input.annotated.headnote.segments.is_empty();
    for lang in document
        .texts
        .iter()
        .map(|t| t.lang.as_str())
        .chain(headnote.then_some(site.language.as_str()))
    {
        if !langs.contains(&lang) {
            langs.push(lang);
        }
    }
    languages(x, site, langs.into_iter());
    let terms: Vec<(&str, &str, String)> = meta
        .kind
        .iter()
        .map(|k| ("type", "", k.clone()))
        .chain(
            meta.tags
                .iter()
                .map(|t| ("tag", t.as_str(), tag_name(site, input.registers, t))),
        )
        .chain(
            meta.collection
                .iter()
                .map(|c| ("collection", "", c.clone())),
        )
        .collect();
    if !terms.is_empty() {
        x.open("textClass", &[]);
        x.open("keywords", &[]);
        for (kind, key, term) in &terms {
            let mut attributes = vec![("type", *kind)];
            if !key.is_empty() {
                attributes.push(("key", key));
            }
            x.leaf("term", &attributes, term);
        }
        x.close("keywords");
        x.close("textClass");
    }
    x.close("profileDesc");
    if let Some(updated) = &meta.updated {
        // The front matter's `updated`: when the edition last changed the document.
        x.open("revisionDesc", &[]);
        x.leaf(
            "change",
            &[("when", &updated.to_string())],
            "Last revised by the edition.",
        );
        x.close("revisionDesc");
    }
    x.close("teiHeader");
}

/// The publisher (the site's, or the edition's title), the licence, the address.
fn publication(x: &mut Xml, site: &SiteConfig, url: Option<&str>) {
    x.open("publicationStmt", &[]);
    x.leaf(
        "publisher",
        &[],
        site.publisher.as_deref().unwrap_or(&site.title),
    );
    if let Some(licence) = &site.licence {
        x.open("availability", &[]);
        x.leaf("licence", &[], licence);
        x.close("availability");
    }
    if let Some(url) = url {
        x.leaf("idno", &[("type", "URI")], url);
    }
    // No date of publication: the settings give none, and the day of the build
    // would make every build's files differ.
    x.close("publicationStmt");
}

/// The original: the archive's file (repository, fond, opis, delo as `idno`s, the
/// sheets as the `locus` of the item), and the source the texts were taken from.
fn source_description(x: &mut Xml, input: &TeiInput) {
    let meta = &input.document.meta;
    x.open("sourceDesc", &[]);
    if let Some(archive) = &meta.archive {
        x.open("msDesc", &[]);
        x.open("msIdentifier", &[]);
        if let Some(repository) = &archive.repository {
            x.leaf("repository", &[], repository);
        }
        for (kind, value) in [
            ("fond", &archive.fond),
            ("opis", &archive.opis),
            ("delo", &archive.delo),
        ] {
            if let Some(value) = value {
                x.leaf("idno", &[("type", kind)], value);
            }
        }
        if let Some(reference) = &archive.reference {
            x.open("altIdentifier", &[("type", "reference")]);
            x.leaf("idno", &[], reference);
            x.close("altIdentifier");
        }
        x.close("msIdentifier");
        x.open("msContents", &[]);
        x.open("msItem", &[]);
        if let Some(listy) = &archive.listy {
            x.leaf("locus", &[], listy);
        }
        x.leaf("title", &[], &meta.title);
        x.close("msItem");
        x.close("msContents");
        x.close("msDesc");
    }
    x.open("bibl", &[]);
    x.leaf("title", &[], &meta.title);
    date(x, &meta.date);
    if let Some(source) = &meta.source_url {
        x.leaf("ref", &[("target", &uri(source))], source);
    }
    x.close("bibl");
    x.close("sourceDesc");
}

fn date(x: &mut Xml, date: &PartialDate) {
    x.leaf("date", &[("when", &date.to_string())], &date.human());
}

fn languages<'l>(x: &mut Xml, site: &SiteConfig, langs: impl Iterator<Item = &'l str>) {
    x.open("langUsage", &[]);
    for lang in langs {
        x.leaf("language", &[("ident", lang)], site.language_name(lang));
    }
    x.close("langUsage");
}

/// The name a tag is shown by (as the site shows it): the settings', else the
/// register entry's of the same id, else the tag.
fn tag_name(site: &SiteConfig, registers: &Registers, tag: &str) -> String {
    if let Some(name) = site.tags.get(tag) {
        return name.clone();
    }
    EntityKind::ALL
        .into_iter()
        .find_map(|kind| registers.name(&entity(kind, tag)))
        .unwrap_or(tag)
        .to_string()
}

// --- The register entries ---------------------------------------------------------

/// The entries, by register, each list only if it has any: people as `person`,
/// events as `event`, places as `place`. Glossary terms are dictionary `entry`s (the
/// term, its expansion in each language as a form of it, its description as the
/// sense): TEI has no list of terms that `term/@ref` could point into, and of what
/// `standOff` holds, a dictionary entry is what a glossary's entry is (a
/// `taxonomy` in the header would classify texts, not gloss words).
fn stand_off(
    x: &mut Xml,
    registers: &Registers,
    named: &[EntityRef],
    entry_url: &dyn Fn(&EntityRef) -> String,
) {
    let of = |kind: EntityKind| -> Vec<&str> {
        named
            .iter()
            .filter(|e| e.kind == kind && registers.name(e).is_some())
            .map(|e| &*e.id)
            .collect()
    };
    let (people, events, places, terms) = (
        of(EntityKind::Person),
        of(EntityKind::Event),
        of(EntityKind::Place),
        of(EntityKind::Term),
    );
    if people.is_empty() && events.is_empty() && places.is_empty() && terms.is_empty() {
        return;
    }
    let pointers = Pointers::new(named, entry_url);
    x.open("standOff", &[]);
    if !people.is_empty() {
        x.open("listPerson", &[]);
        for id in people {
            person(x, registers, id, &pointers);
        }
        x.close("listPerson");
    }
    if !events.is_empty() {
        x.open("listEvent", &[]);
        for id in events {
            event(x, registers, id, &pointers);
        }
        x.close("listEvent");
    }
    if !places.is_empty() {
        x.open("listPlace", &[]);
        for id in places {
            place(x, registers, id, &pointers);
        }
        x.close("listPlace");
    }
    for id in terms {
        term(x, registers, id, &pointers);
    }
    x.close("standOff");
}

fn person(x: &mut Xml, registers: &Registers, id: &str, pointers: &Pointers) {
    let Some(p) = registers.people.get(id) else {
        return;
    };
    let me = entity(EntityKind::Person, id);
    x.open("person", &[("xml:id", &entry_id(&me))]);
    x.leaf("persName", &[], &p.name);
    for (lang, name) in &p.names {
        x.leaf("persName", &[("type", "full"), ("xml:lang", lang)], name);
    }
    for alias in &p.aliases {
        x.leaf("persName", &[("type", "alias")], alias);
    }
    if let Some(born) = &p.born {
        x.empty("birth", &[("when", &born.to_string())]);
    }
    if let Some(died) = &p.died {
        x.empty("death", &[("when", &died.to_string())]);
    }
    for role in &p.roles {
        let (from, to) = (
            role.from.map(|d| d.to_string()),
            role.to.map(|d| d.to_string()),
        );
        let mut attributes = Vec::new();
        if let Some(from) = &from {
            attributes.push(("from", from.as_str()));
        }
        if let Some(to) = &to {
            attributes.push(("to", to.as_str()));
        }
        x.leaf("occupation", &attributes, &role.role);
    }
    if let Some(description) = &p.description {
        x.leaf("note", &[], description);
    }
    for other in &p.see_also {
        let other = entity(EntityKind::Person, other);
        if registers.name(&other).is_some() {
            x.empty(
                "ptr",
                &[("type", "see-also"), ("target", &pointers.to(&other))],
            );
        }
    }
    if let Some(wikidata) = &p.wikidata {
        x.leaf("idno", &[("type", "wikidata")], wikidata);
    }
    if let Some(viaf) = &p.viaf {
        x.leaf("idno", &[("type", "VIAF")], viaf);
    }
    page(x, pointers, &me);
    x.close("person");
}

fn event(x: &mut Xml, registers: &Registers, id: &str, pointers: &Pointers) {
    let Some(e) = registers.events.get(id) else {
        return;
    };
    let me = entity(EntityKind::Event, id);
    let xml_id = entry_id(&me);
    let dates: Vec<(&str, String)> = [("when", e.date), ("from", e.start), ("to", e.end)]
        .into_iter()
        .filter_map(|(name, date)| Some((name, date?.to_string())))
        // A date and a span both: the date says when.
        .filter(|(name, _)| e.date.is_none() || *name == "when")
        .collect();
    let mut attributes = vec![("xml:id", xml_id.as_str())];
    attributes.extend(dates.iter().map(|(name, date)| (*name, date.as_str())));
    x.open("event", &attributes);
    x.leaf("label", &[], &e.name);
    for alias in &e.aliases {
        x.leaf("label", &[("type", "alias")], alias);
    }
    if let Some(description) = &e.description {
        x.leaf("desc", &[], description);
    }
    let place = e
        .place
        .as_deref()
        .map(|p| entity(EntityKind::Place, p))
        .filter(|p| registers.name(p).is_some());
    let participants: Vec<EntityRef> = e
        .participants
        .iter()
        .map(|p| entity(EntityKind::Person, p))
        .filter(|p| registers.name(p).is_some())
        .collect();
    if let Some(place) = &place {
        x.open("note", &[("type", "place")]);
        x.leaf(
            "placeName",
            &[("ref", &pointers.to(place))],
            registers.name(place).unwrap_or_default(),
        );
        x.close("note");
    }
    if !participants.is_empty() {
        x.open("note", &[("type", "participants")]);
        for p in &participants {
            x.leaf(
                "persName",
                &[("ref", &pointers.to(p))],
                registers.name(p).unwrap_or_default(),
            );
        }
        x.close("note");
    }
    page(x, pointers, &me);
    x.close("event");
}

fn place(x: &mut Xml, registers: &Registers, id: &str, pointers: &Pointers) {
    let Some(p) = registers.places.get(id) else {
        return;
    };
    let me = entity(EntityKind::Place, id);
    x.open("place", &[("xml:id", &entry_id(&me))]);
    x.leaf("placeName", &[], &p.name);
    for (lang, name) in &p.names {
        x.leaf("placeName", &[("xml:lang", lang)], name);
    }
    for alias in &p.aliases {
        x.leaf("placeName", &[("type", "alias")], alias);
    }
    if let Some(description) = &p.description {
        x.leaf("note", &[], description);
    }
    page(x, pointers, &me);
    x.close("place");
}

fn term(x: &mut Xml, registers: &Registers, id: &str, pointers: &Pointers) {
    let Some(t) = registers.glossary.get(id) else {
        return;
    };
    let me = entity(EntityKind::Term, id);
    x.open("entry", &[("xml:id", &entry_id(&me))]);
    let form = |x: &mut Xml, attributes: &[(&str, &str)], orth: &str| {
        x.line("form", attributes, |x| {
            x.tag("orth", &[], false);
            x.text(orth);
            x.end_tag("orth");
        })
    };
    form(x, &[("type", "lemma")], &t.term);
    for (lang, expansion) in &t.expansion {
        form(x, &[("type", "expansion"), ("xml:lang", lang)], expansion);
    }
    for alias in &t.aliases {
        form(x, &[("type", "variant")], alias);
    }
    if let Some(description) = &t.description {
        x.open("sense", &[]);
        x.leaf("def", &[], description);
        x.close("sense");
    }
    // A dictionary entry holds no `idno`.
    let url = (pointers.entry_url)(&me);
    x.empty("ptr", &[("type", "page"), ("target", &uri(&url))]);
    x.close("entry");
}

/// The entry's page: an `idno` when it is an absolute address, else a pointer.
fn page(x: &mut Xml, pointers: &Pointers, entry: &EntityRef) {
    let url = (pointers.entry_url)(entry);
    if url.contains("://") {
        x.leaf("idno", &[("type", "URI")], &url);
    } else {
        x.empty("ptr", &[("type", "page"), ("target", &uri(&url))]);
    }
}

// --- The texts --------------------------------------------------------------------

/// The headnote in `front`, each text a `div` of `body`, and each alignment a
/// `linkGrp` after them.
fn text(x: &mut Xml, input: &TeiInput, id: &str) {
    let annotated = input.annotated;
    let pointers = Pointers::new(input.named, input.entry_url);
    let mut ids: HashSet<String> = HashSet::new();
    x.open("text", &[]);
    if !annotated.headnote.segments.is_empty() || !annotated.headnote.footnotes.is_empty() {
        x.open("front", &[]);
        let prefix = format!("{id}.headnote");
        let lang = &input.site.language;
        let attributes = [("type", "headnote"), ("xml:lang", lang.as_str())];
        TextWriter::new(input, &pointers, &annotated.headnote, &prefix).div(
            x,
            &attributes,
            &mut ids,
        );
        x.close("front");
    }
    x.open("body", &[]);
    for (k, text) in annotated.texts.iter().enumerate() {
        let prefix = format!("{id}.{}", ncname(&text.lang));
        let kind = if k == 0 { "original" } else { "translation" };
        let attributes = [
            ("type", kind),
            ("xml:lang", text.lang.as_str()),
            ("xml:id", prefix.as_str()),
        ];
        TextWriter::new(input, &pointers, text, &prefix).div(x, &attributes, &mut ids);
    }
    let segment = |text: usize, n: usize| {
        let lang = ncname(&annotated.texts[text].lang);
        format!("{id}.{lang}.{}", n + 1)
    };
    for alignment in &annotated.alignments {
        let Some(translation) = annotated.texts.get(alignment.translation) else {
            continue;
        };
        // Only segments written with their id (a segment of nothing but page
        // breaks has none), and only rows that join two or more.
        let links: Vec<String> = alignment
            .rows
            .iter()
            .map(|row| {
                row.original
                    .iter()
                    .map(|&s| segment(0, s))
                    .chain(
                        row.translation
                            .iter()
                            .map(|&s| segment(alignment.translation, s)),
                    )
                    .filter(|s| ids.contains(s))
                    .map(|s| format!("#{s}"))
                    .collect::<Vec<_>>()
            })
            .filter(|targets| targets.len() >= 2)
            .map(|targets| targets.join(" "))
            .collect();
        if links.is_empty() {
            continue;
        }
        let texts = format!(
            "#{id}.{} #{id}.{}",
            ncname(&annotated.texts[0].lang),
            ncname(&translation.lang)
        );
        x.open(
            "linkGrp",
            &[("type", "translation"), ("corresp", texts.as_str())],
        );
        for targets in &links {
            x.empty("link", &[("target", targets)]);
        }
        x.close("linkGrp");
    }
    x.close("body");
    x.close("text");
}

/// Where an element stands, as far as what it may hold depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Among the blocks of a `div`; `head` while nothing but headings came before,
    /// where a heading may be the div's `head` (TEI allows none after a `p`).
    Div { head: bool },
    /// Words and phrases (`p`, `item`, `cell`, `hi`, ...).
    Mixed,
    /// Elements only, each on a line of its own (`list`, `table`).
    Blocks,
    /// A table's `row`: cells only.
    Row,
    /// A `subst`: its `del` and `add` only.
    Subst,
}

/// Writes one text (its segments and footnotes) as a `div`.
struct TextWriter<'a> {
    input: &'a TeiInput<'a>,
    pointers: &'a Pointers<'a>,
    text: &'a AnnotatedText,
    /// Starts every id of the text (`d-<doc>.ru`).
    prefix: &'a str,
    /// The footnotes written (by position): each where it is first referred to.
    notes: HashSet<usize>,
    /// The footnotes being written, so that a note referring to itself stops.
    writing: Vec<usize>,
    /// The first number of each list being written (`None`: not numbered).
    lists: Vec<Option<u32>>,
    /// The column alignments of the table being written.
    columns: Vec<ColumnAlignment>,
}

impl<'a> TextWriter<'a> {
    fn new(
        input: &'a TeiInput<'a>,
        pointers: &'a Pointers<'a>,
        text: &'a AnnotatedText,
        prefix: &'a str,
    ) -> Self {
        Self {
            input,
            pointers,
            text,
            prefix,
            notes: HashSet::new(),
            writing: Vec::new(),
            lists: Vec::new(),
            columns: Vec::new(),
        }
    }

    /// The text as a `div` with `attributes`; the ids of segments go to `ids`.
    fn div(mut self, x: &mut Xml, attributes: &[(&str, &str)], ids: &mut HashSet<String>) {
        x.open("div", attributes);
        let mut place = Place::Div { head: true };
        for (n, segment) in self.text.segments.iter().enumerate() {
            let events: Vec<ContentEvent> = segment.content.events().collect();
            let id = format!("{}.{}", self.prefix, n + 1);
            if self.top(x, &events, &id, &mut place) {
                ids.insert(id);
            }
        }
        // Notes never referred to go at the end, so that nothing is lost.
        for (k, note) in self.text.footnotes.iter().enumerate() {
            if !self.notes.contains(&k) {
                x.indent();
                self.footnote(x, k, note);
                x.s.push('\n');
            }
        }
        // A div holds a block at least (page breaks and notes are none).
        if place == (Place::Div { head: true }) {
            x.empty("p", &[]);
        }
        x.close("div");
    }

    /// A segment's blocks and page breaks, each on a line of its own in the `div`;
    /// the first block (or rule) gets `id`. Whether one got it.
    fn top(&mut self, x: &mut Xml, events: &[ContentEvent], id: &str, place: &mut Place) -> bool {
        let mut id = Some(id);
        let mut i = 0;
        while i < events.len() {
            x.indent();
            match events[i] {
                ContentEvent::Start(element) if !element.is_inline() => {
                    let heading = matches!(element, Element::Heading(_));
                    i = self.element(x, events, i, *place, id.take(), 0);
                    if !heading {
                        *place = Place::Div { head: false };
                    }
                }
                ContentEvent::PageBreak { label, .. } => {
                    self.page_break(x, label);
                    i += 1;
                }
                ContentEvent::Rule => {
                    let mut attributes = vec![("unit", "section"), ("rend", "rule")];
                    attributes.extend(id.take().map(|id| ("xml:id", id)));
                    // A milestone, not a block: a heading after it is still the head.
                    x.tag("milestone", &attributes, true);
                    i += 1;
                }
                _ => {
                    // Words outside any block (Markdown makes none): a block of
                    // their own, up to the next block or page break.
                    let end = (i + 1..events.len())
                        .find(|&j| match events[j] {
                            ContentEvent::Start(e) => !e.is_inline(),
                            ContentEvent::PageBreak { .. } | ContentEvent::Rule => true,
                            _ => false,
                        })
                        .unwrap_or(events.len());
                    let attributes: Vec<(&str, &str)> =
                        id.take().map(|id| ("xml:id", id)).into_iter().collect();
                    x.tag("ab", &attributes, false);
                    self.children(x, &events[i..end], Place::Mixed);
                    x.end_tag("ab");
                    *place = Place::Div { head: false };
                    i = end;
                }
            }
            x.s.push('\n');
        }
        id.is_none()
    }

    /// Writes `events` (whole elements) in `place`.
    fn children(&mut self, x: &mut Xml, events: &[ContentEvent], place: Place) {
        let lines = matches!(place, Place::Blocks | Place::Row);
        let mut i = 0;
        let mut counted = 0;
        while i < events.len() {
            let event = events[i];
            let element_only = lines || place == Place::Subst;
            if element_only && matches!(event, ContentEvent::Text(_) | ContentEvent::SoftBreak) {
                // Only space between elements (Markdown puts words in cells and
                // items, and a substitution's in its deletion and insertion).
                i += 1;
                continue;
            }
            if place == Place::Row && !matches!(event, ContentEvent::Start(_)) {
                i += 1;
                continue;
            }
            if lines {
                x.s.push('\n');
                x.indent();
            }
            match event {
                ContentEvent::Start(Element::Item | Element::TableCell) => {
                    counted += 1;
                    i = self.element(x, events, i, place, None, counted);
                }
                ContentEvent::Start(_) => i = self.element(x, events, i, place, None, 0),
                ContentEvent::PageBreak { label, .. } => {
                    self.page_break(x, label);
                    i += 1;
                }
                ContentEvent::Text(t) => {
                    x.text(t);
                    i += 1;
                }
                ContentEvent::SoftBreak => {
                    x.s.push(' ');
                    i += 1;
                }
                ContentEvent::HardBreak => {
                    x.tag("lb", &[], true);
                    i += 1;
                }
                ContentEvent::Rule => {
                    x.tag("milestone", &[("unit", "section"), ("rend", "rule")], true);
                    i += 1;
                }
                ContentEvent::FootnoteReference { label, .. } => {
                    self.footnote_reference(x, label);
                    i += 1;
                }
                ContentEvent::End(_) => i += 1,
            }
        }
        if lines {
            x.s.push('\n');
            x.depth -= 1;
            x.indent();
            x.depth += 1;
        }
    }

    /// The element starting at `events[i]` with what it holds, in `place`, with `id`;
    /// `n`: its position among its list's items or its row's cells (from 1). The
    /// position after it.
    fn element(
        &mut self,
        x: &mut Xml,
        events: &[ContentEvent],
        i: usize,
        place: Place,
        id: Option<&str>,
        n: usize,
    ) -> usize {
        let ContentEvent::Start(element) = events[i] else {
            return i + 1;
        };
        let end = matching_end(events, i);
        let inner = &events[i + 1..end];
        let next = (end + 1).min(events.len());
        let mut attributes: Vec<(&str, String)> = Vec::new();
        let hi = |rend: &str| ("hi", vec![("rend", rend.to_string())], Place::Mixed);
        let (name, given, holds) = match element {
            Element::Paragraph => ("p", vec![], Place::Mixed),
            Element::Heading(_) if place == (Place::Div { head: true }) => {
                ("head", vec![], Place::Mixed)
            }
            Element::Heading(_) => ("p", vec![("rend", "heading".into())], Place::Mixed),
            Element::BlockQuote => ("quote", vec![], Place::Mixed),
            Element::CodeBlock(language) => {
                let attributes: Vec<(&str, &str)> = [("type", "code")]
                    .into_iter()
                    .chain(id.map(|id| ("xml:id", id)))
                    .collect();
                x.tag("ab", &attributes, false);
                let language: Vec<(&str, &str)> =
                    language.iter().map(|l| ("lang", l.as_str())).collect();
                x.tag("code", &language, false);
                x.text(&words(inner, "\n"));
                x.end_tag("code");
                x.end_tag("ab");
                return next;
            }
            Element::List(start) => {
                self.lists.push(*start);
                let rend = if start.is_some() {
                    "numbered"
                } else {
                    "bulleted"
                };
                ("list", vec![("rend", rend.into())], Place::Blocks)
            }
            Element::Item => {
                let number = self.lists.last().copied().flatten();
                let given = number
                    .map(|start| vec![("n", (u64::from(start) + n as u64 - 1).to_string())])
                    .unwrap_or_default();
                ("item", given, Place::Mixed)
            }
            Element::Table(columns) => {
                self.columns = columns.to_vec();
                ("table", vec![], Place::Blocks)
            }
            Element::TableHead => ("row", vec![("role", "label".into())], Place::Row),
            Element::TableRow => ("row", vec![], Place::Row),
            Element::TableCell => {
                let align = match n.checked_sub(1).and_then(|c| self.columns.get(c)) {
                    Some(ColumnAlignment::Left) => vec![("rend", "left".into())],
                    Some(ColumnAlignment::Center) => vec![("rend", "center".into())],
                    Some(ColumnAlignment::Right) => vec![("rend", "right".into())],
                    _ => vec![],
                };
                ("cell", align, Place::Mixed)
            }
            Element::Emphasis => hi("italic"),
            Element::Strong => hi("bold"),
            Element::Strikethrough => hi("strikethrough"),
            Element::Highlight => hi("highlight"),
            Element::Code => {
                x.tag("code", &[], false);
                x.text(&words(inner, " "));
                x.end_tag("code");
                return next;
            }
            Element::Link(target) => {
                let given = if target.url.is_empty() {
                    vec![]
                } else {
                    vec![("target", self.address(&target.url))]
                };
                ("ref", given, Place::Mixed)
            }
            Element::Image(target) => {
                x.tag("figure", &[], false);
                if !target.url.is_empty() {
                    x.tag("graphic", &[("url", &self.address(&target.url))], true);
                }
                x.tag("figDesc", &[], false);
                x.text(&words(inner, " "));
                x.end_tag("figDesc");
                x.end_tag("figure");
                return next;
            }
            Element::Insertion => ("add", vec![], Place::Mixed),
            Element::Deletion => ("del", vec![], Place::Mixed),
            Element::Substitution if is_substitution(inner) => ("subst", vec![], Place::Subst),
            // Marks crossing it left more in it than a deletion and an insertion.
            Element::Substitution => ("seg", vec![("type", "substitution".into())], Place::Mixed),
            Element::Comment => ("note", vec![("type", "editorial".into())], Place::Mixed),
            Element::Interpolation => ("supplied", vec![], Place::Mixed),
            Element::Mention(k) => match self.text.mentions.get(*k as usize) {
                Some(mention) => {
                    let entry = &mention.entity;
                    let (name, mut given) = match entry.kind {
                        EntityKind::Person => ("persName", vec![]),
                        EntityKind::Event => ("name", vec![("type", "event".to_string())]),
                        EntityKind::Place => ("placeName", vec![]),
                        EntityKind::Term => ("term", vec![]),
                    };
                    given.push(("ref", self.pointers.to(entry)));
                    (name, given, Place::Mixed)
                }
                None => ("seg", vec![], Place::Mixed),
            },
        };
        attributes.extend(given);
        if let Some(id) = id {
            attributes.push(("xml:id", id.to_string()));
        }
        let attributes: Vec<(&str, &str)> =
            attributes.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.tag(name, &attributes, false);
        let lines = matches!(holds, Place::Blocks | Place::Row);
        if lines {
            x.depth += 1;
        }
        self.children(x, inner, holds);
        if lines {
            x.depth -= 1;
        }
        x.end_tag(name);
        if matches!(element, Element::List(_)) {
            self.lists.pop();
        }
        next
    }

    /// The note where it is first referred to; a pointer to it where again.
    fn footnote_reference(&mut self, x: &mut Xml, label: &str) {
        let Some(k) = self.text.footnotes.iter().position(|f| f.label == label) else {
            return;
        };
        if self.notes.contains(&k) {
            let target = format!("#{}", self.footnote_id(k));
            x.tag("ptr", &[("type", "note"), ("target", &target)], true);
        } else {
            self.footnote(x, k, &self.text.footnotes[k]);
        }
    }

    /// A footnote as a `note` numbered as the page numbers it (the editor's number
    /// when the notes have numbers): its words directly when it is one paragraph,
    /// else its blocks.
    fn footnote(&mut self, x: &mut Xml, k: usize, note: &Footnote) {
        if self.writing.contains(&k) {
            return;
        }
        self.notes.insert(k);
        self.writing.push(k);
        let id = self.footnote_id(k);
        let number = note.number.to_string();
        x.tag(
            "note",
            &[("place", "foot"), ("n", &number), ("xml:id", &id)],
            false,
        );
        let events: Vec<ContentEvent> = note.content.events().collect();
        let one_paragraph = matches!(
            events.first(),
            Some(ContentEvent::Start(Element::Paragraph))
        ) && matching_end(&events, 0) + 1 == events.len();
        if one_paragraph {
            self.children(x, &events[1..events.len() - 1], Place::Mixed);
        } else {
            self.children(x, &events, Place::Mixed);
        }
        x.end_tag("note");
        self.writing.pop();
    }

    fn footnote_id(&self, k: usize) -> String {
        format!("{}.fn{}", self.prefix, k + 1)
    }

    fn page_break(&self, x: &mut Xml, label: &str) {
        let facsimile = (self.input.facsimile)(label).map(|f| uri(&f));
        let mut attributes = vec![("n", label)];
        if let Some(facsimile) = &facsimile {
            attributes.push(("facs", facsimile));
        }
        x.tag("pb", &attributes, true);
    }

    /// A link's or image's address, as the TEI file can follow it: one relative to
    /// the document's page is made absolute when the page has a public address
    /// (the TEI file is not beside the page), else kept as written.
    fn address(&self, url: &str) -> String {
        let scheme = url
            .find(':')
            .is_some_and(|c| c > 0 && !url[..c].contains(['/', '?', '#']));
        match self.input.url {
            Some(page) if !scheme && !url.starts_with('/') => {
                let page = page.split('#').next().unwrap_or(page);
                if url.starts_with('#') {
                    uri(&format!("{page}{url}"))
                } else {
                    let folder = &page[..page.rfind('/').map_or(page.len(), |s| s + 1)];
                    uri(&format!("{folder}{url}"))
                }
            }
            _ => uri(url),
        }
    }
}

/// The page images: a `surface` per page (its coordinates the image's pixels), with
/// the image as the editor gave it and its copy for the screen.
fn facsimile(x: &mut Xml, input: &TeiInput, id: &str) {
    if input.surfaces.is_empty() {
        return;
    }
    x.open("facsimile", &[]);
    for surface in input.surfaces {
        let (width, height) = (surface.width.to_string(), surface.height.to_string());
        x.open(
            "surface",
            &[
                ("xml:id", &format!("{id}.page-{}", ncname(&surface.label))),
                ("n", &surface.label),
                ("ulx", "0"),
                ("uly", "0"),
                ("lrx", &width),
                ("lry", &height),
            ],
        );
        x.empty(
            "graphic",
            &[
                ("url", &uri(&surface.url)),
                ("width", &format!("{width}px")),
                ("height", &format!("{height}px")),
                ("mimeType", surface.media_type),
            ],
        );
        let (web, web_width, web_height) = &surface.web;
        x.empty(
            "graphic",
            &[
                ("url", &uri(web)),
                ("width", &format!("{web_width}px")),
                ("height", &format!("{web_height}px")),
                ("mimeType", "image/jpeg"),
                ("n", "web"),
            ],
        );
        x.close("surface");
    }
    x.close("facsimile");
}

/// The position of the end of the element starting at `events[start]` (the length
/// if it has none).
fn matching_end(events: &[ContentEvent], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            ContentEvent::Start(_) => depth += 1,
            ContentEvent::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len()
}

/// Whether a substitution holds only deletions and insertions (and page breaks and
/// space), as TEI's `subst` must.
fn is_substitution(events: &[ContentEvent]) -> bool {
    let mut i = 0;
    let mut any = false;
    while i < events.len() {
        match events[i] {
            ContentEvent::Start(Element::Insertion | Element::Deletion) => {
                any = true;
                i = matching_end(events, i) + 1;
            }
            ContentEvent::PageBreak { .. } | ContentEvent::SoftBreak => i += 1,
            ContentEvent::Text(t) if t.trim().is_empty() => i += 1,
            _ => return false,
        }
    }
    any
}

/// The words of `events`, breaks as `separator`, without their structure (for code
/// and the description of an image).
fn words(events: &[ContentEvent], separator: &str) -> String {
    let mut words = String::new();
    for event in events {
        match event {
            ContentEvent::Text(t) => words.push_str(t),
            ContentEvent::SoftBreak | ContentEvent::HardBreak => words.push_str(separator),
            _ => {}
        }
    }
    words
}

// --- Names and pointers -----------------------------------------------------------

/// Where a pointer to an entry leads: its element in the standOff (of the file, or
/// of the corpus) when the document names it, else its page.
struct Pointers<'a> {
    named: HashSet<&'a EntityRef>,
    entry_url: &'a dyn Fn(&EntityRef) -> String,
}

impl<'a> Pointers<'a> {
    fn new(named: &'a [EntityRef], entry_url: &'a dyn Fn(&EntityRef) -> String) -> Self {
        Self {
            named: named.iter().collect(),
            entry_url,
        }
    }

    fn to(&self, entry: &EntityRef) -> String {
        if self.named.contains(entry) {
            format!("#{}", entry_id(entry))
        } else {
            uri(&(self.entry_url)(entry))
        }
    }
}

fn entity(kind: EntityKind, id: &str) -> EntityRef {
    EntityRef {
        kind,
        id: id.into(),
    }
}

/// The `xml:id` of an entry: its kind, then its id (`person-kim-il-sung`), which may
/// begin with a digit and so is no name of XML alone. Unique in the corpus: the
/// ids of documents and their parts begin with `d-`.
fn entry_id(entry: &EntityRef) -> String {
    format!("{}-{}", entry.kind.slug(), ncname(&entry.id))
}

/// The `xml:id` of a document (`d-<id>`). Its parts add `.`-separated steps
/// (`d-<id>.ru.3`, `d-<id>.headnote.1`, `d-<id>.ru.fn2`): ids and language codes
/// hold no `.`, so no two of the corpus are alike.
fn document_id(id: &str) -> String {
    format!("d-{}", ncname(id))
}

/// An id as part of an XML name. The loader lets only `[a-z0-9-]` through; anything
/// else (from a caller that does not) becomes `_`.
fn ncname(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// An address as a TEI pointer (`anyURI` without spaces): spaces, controls and the
/// characters URIs never hold percent-encoded, everything else as it is.
fn uri(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    for c in address.chars() {
        if c.is_ascii_control() || c.is_whitespace() || "<>\"{}|\\^`".contains(c) {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

// --- Writing XML ------------------------------------------------------------------

/// XML being written: blocks of the header and `div`s on lines of their own,
/// indented by depth; words and phrases as they come.
#[derive(Default)]
struct Xml {
    s: String,
    depth: usize,
}

impl Xml {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.s.push_str("  ");
        }
    }

    /// `<name a="v">` (or `<name a="v"/>` when `empty`).
    fn tag(&mut self, name: &str, attributes: &[(&str, &str)], empty: bool) {
        self.s.push('<');
        self.s.push_str(name);
        for (key, value) in attributes {
            self.s.push(' ');
            self.s.push_str(key);
            self.s.push_str("=\"");
            escape_into(&mut self.s, value, true);
            self.s.push('"');
        }
        self.s.push_str(if empty { "/>" } else { ">" });
    }

    fn end_tag(&mut self, name: &str) {
        self.s.push_str("</");
        self.s.push_str(name);
        self.s.push('>');
    }

    fn text(&mut self, text: &str) {
        escape_into(&mut self.s, text, false);
    }

    /// An element whose contents follow on lines of their own, one level deeper.
    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attributes, false);
        self.s.push('\n');
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.end_tag(name);
        self.s.push('\n');
    }

    /// An element holding `text`, on a line.
    fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.line(name, attributes, |x| x.text(text));
    }

    /// An element holding what `inside` writes, on a line.
    fn line(&mut self, name: &str, attributes: &[(&str, &str)], inside: impl FnOnce(&mut Xml)) {
        self.indent();
        self.tag(name, attributes, false);
        inside(self);
        self.end_tag(name);
        self.s.push('\n');
    }

    /// An empty element, on a line.
    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attributes, true);
        self.s.push('\n');
    }
}

/// Appends `text` escaped for XML element content, or for an attribute value in
/// double quotes (where tabs and line breaks are written as references, which
/// attribute normalisation keeps). Characters XML 1.0 does not allow (controls other
/// than tab and line breaks, U+FFFE, U+FFFF) are left out: an editor's text may hold
/// them, and no reference to them is allowed either. (`crate::html::escape` escapes
/// the same markup characters, but keeps those.)
pub(super) fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// `text` escaped for an XML attribute value in double quotes (which also does for
/// element content); see [`escape_into`].
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::{annotate_for_test, test_registers, AfterAnnotation, Annotator};
    use crate::diagnostics::Diagnostics;
    use crate::model::{
        AlignedBy, AlignedRow, Alignment, Content, ContentBuilder, DocumentMeta, Node, Segment,
        Source, Text,
    };
    use std::path::{Path, PathBuf};
    use std::process::Command;

    const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/tei_all.rng");

    /// Runs jing on `files`; fails (with jing's report) unless all are valid. Fails
    /// too when jing is missing: CI installs it (`scripts/test`).
    fn assert_valid(files: &[PathBuf]) {
        let output = Command::new("jing")
            .arg(SCHEMA)
            .args(files)
            .output()
            .expect("jing runs (apt-get install jing; scripts/test installs it)");
        // The first errors: one mistake repeats in every file and entry.
        let report: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .chain(String::from_utf8_lossy(&output.stderr).lines())
            .take(20)
            .map(str::to_string)
            .collect();
        assert!(
            output.status.success(),
            "jing {SCHEMA} {files:?} found errors:\n{}",
            report.join("\n")
        );
    }

    fn entry_url(base: &str) -> impl Fn(&EntityRef) -> String + '_ {
        move |e| format!("{base}/{}/{}/", e.kind.section(), e.id)
    }

    #[test]
    fn every_document_of_the_example_edition_and_its_corpus_are_valid_tei() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diagnostics = Diagnostics::new();
        let mut edition = crate::load::load(root, &mut diagnostics).expect("the example loads");
        let annotated =
            Annotator::default().annotate(&mut edition, &mut diagnostics, AfterAnnotation::Keep);
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        let index = crate::index::index(&edition, &annotated, false);
        let site = &edition.config;
        let base = site.base_url.trim_end_matches('/');
        let entry_url = entry_url(base);
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        let mut members = Vec::new();
        for (doc, document) in edition.documents.iter().enumerate() {
            let roles = document.roles(&edition.registers);
            let url = format!("{base}/documents/{}/", document.id);
            let facsimile = |label: &str| {
                document
                    .facsimile(label)
                    .map(|f| format!("{}/{f}", document.id))
            };
            let input = TeiInput {
                document,
                annotated: &annotated.documents[doc],
                registers: &edition.registers,
                site,
                roles: &roles,
                named: &index.document_entities[doc],
                url: Some(&url),
                entry_url: &entry_url,
                facsimile: &facsimile,
                surfaces: &[],
            };
            let standalone = super::document(&input);
            assert_eq!(standalone, super::document(&input));
            assert_refs_resolve(&standalone);
            let path = dir.path().join(format!("{}.xml", document.id));
            std::fs::write(&path, &standalone).unwrap();
            files.push(path);
            // The member, cut from the file as `write` cuts it.
            let (skip, until, close) = CORPUS_MEMBER;
            let end = standalone.find(until).expect("the file has its text") + until.len();
            let member = format!("{}{close}", &standalone[skip..end]);
            assert!(member.starts_with("<TEI ") && !member.contains("standOff"));
            members.push(member);
        }
        let mut named: Vec<EntityRef> = index.document_entities.concat();
        named.sort();
        named.dedup();
        let corpus = corpus(
            site,
            &edition.registers,
            &named,
            &entry_url,
            members.iter().map(String::as_str),
        );
        assert_refs_resolve(&corpus);
        let path = dir.path().join("corpus.xml");
        std::fs::write(&path, &corpus).unwrap();
        files.push(path);
        assert_valid(&files);
        // What the example's metadata says is there.
        let cable =
            std::fs::read_to_string(dir.path().join("mikoyan-cable-from-beijing.xml")).unwrap();
        for expected in [
            "<idno type=\"fond\">5446</idno>",
            "<date when=\"1956-09-16\">16 September 1956</date>",
            "<resp>translation into English</resp>",
            "<resp>author</resp>",
            "<persName ref=\"#person-anastas-mikoyan\">Anastas Mikoyan</persName>",
            "<div type=\"original\" xml:lang=\"ru\" xml:id=\"d-mikoyan-cable-from-beijing.ru\">",
            "<pb n=\"2\"/>",
            "<link target=\"#d-mikoyan-cable-from-beijing.ru.3 #d-mikoyan-cable-from-beijing.en.3\"/>",
        ] {
            assert!(cable.contains(expected), "{expected} is not in\n{cable}");
        }
    }

    /// Every `ref="#x"` and `target="#x ..."` of `xml` names an `xml:id` of it.
    fn assert_refs_resolve(xml: &str) {
        let ids: HashSet<&str> = xml
            .split("xml:id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        for attribute in ["ref=\"", "target=\"", "corresp=\""] {
            for value in xml.split(attribute).skip(1) {
                let value = &value[..value.find('"').unwrap()];
                for pointer in value.split(' ').filter_map(|p| p.strip_prefix('#')) {
                    assert!(ids.contains(pointer), "#{pointer} names no xml:id");
                }
            }
        }
    }

    /// A document of one Russian text, `ru`, and its English translation, `en`,
    /// aligned segment by segment, with `extra` segments added to the Russian.
    fn synthetic(ru: &str, en: &str, extra: Vec<Content>) -> (Document, AnnotatedDocument) {
        let registers = test_registers();
        let (mut original, _, problems) = annotate_for_test(ru, &registers, true);
        assert!(
            problems
                .iter()
                .all(|p| p.level != crate::diagnostics::Level::Error),
            "{problems:?}"
        );
        for content in extra {
            original.segments.push(Segment {
                line: 1,
                anchor: None,
                content,
            });
        }
        let (mut translation, _, _) = annotate_for_test(en, &registers, true);
        translation.lang = "en".into();
        let (headnote, _, _) =
            annotate_for_test("A headnote on [Kim](@kim-il-sung).", &registers, true);
        let rows = (0..original.segments.len().max(translation.segments.len()))
            .map(|n| AlignedRow {
                original: vec![n]
                    .into_iter()
                    .filter(|&n| n < original.segments.len())
                    .collect(),
                translation: vec![n]
                    .into_iter()
                    .filter(|&n| n < translation.segments.len())
                    .collect(),
                confidence: 1.0,
                by: AlignedBy::Order,
            })
            .collect();
        let meta: DocumentMeta = serde_yaml::from_str(
            "title: \"A <test> & \\\"more\\\"\"\ndate: 1956-09\ntype: record\n\
             archive: {repository: GARF, fond: 5446, opis: 98c, delo: 718, listy: 49-57}\n\
             source_url: \"https://example.org/a b\"\ntranslators: {en: Someone}\n\
             roles: {author: kim-il-sung}\ntags: [kwp, other]\n",
        )
        .unwrap();
        let source = |lang: &str| Source::file(PathBuf::from(format!("{lang}.md")), String::new());
        let document = Document {
            id: "1956-test".into(),
            meta,
            headnote: source("index"),
            metadata_source: String::new(),
            texts: vec![
                Text {
                    lang: "ru".into(),
                    source: source("ru"),
                },
                Text {
                    lang: "en".into(),
                    source: source("en"),
                },
            ],
            files: Vec::new(),
            fingerprint: 0,
            released: None,
        };
        let annotated = AnnotatedDocument {
            headnote: AnnotatedText {
                lang: "en".into(),
                ..headnote
            },
            about: Default::default(),
            texts: vec![original, translation],
            alignments: vec![Alignment {
                translation: 1,
                rows,
            }],
        };
        (document, annotated)
    }

    /// The document's standalone TEI, with its own register entries.
    fn tei_of(document: &Document, annotated: &AnnotatedDocument) -> String {
        let registers = test_registers();
        let site: SiteConfig =
            serde_yaml::from_str("title: Test edition\nlicence: CC BY 4.0\neditors: [A. Editor]\n")
                .unwrap();
        let roles = document.roles(&registers);
        let mut named: Vec<EntityRef> = annotated
            .texts
            .iter()
            .chain([&annotated.headnote])
            .flat_map(|t| t.mentions.iter().map(|m| m.entity.clone()))
            .chain(roles.keys().map(|p| entity(EntityKind::Person, p)))
            .collect();
        named.sort();
        named.dedup();
        let entry_url = entry_url("https://example.org");
        let facsimile = |label: &str| (label == "12").then(|| "scans/page 12.jpg".to_string());
        let surfaces = [Surface {
            label: "12".into(),
            url: "scans/page 12.jpg".into(),
            width: 3000,
            height: 4000,
            media_type: "image/jpeg",
            web: ("1956-test/web/page 12.jpg".into(), 1600, 2133),
        }];
        let input = TeiInput {
            document,
            annotated,
            registers: &registers,
            site: &site,
            roles: &roles,
            named: &named,
            url: Some("https://example.org/documents/1956-test/"),
            entry_url: &entry_url,
            facsimile: &facsimile,
            surfaces: &surfaces,
        };
        super::document(&input)
    }

    fn write_and_validate(xml: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.xml");
        std::fs::write(&path, xml).unwrap();
        assert_valid(&[path]);
    }

    #[test]
    fn every_element_and_node_of_a_text_becomes_valid_tei() {
        let ru = "Ким Ир Сен {++a++} {--b--} {~~c~>d~~} {>>note<<} {==e==} [SIC] о ТПК.[^3] \
                  x\u{1}y \u{F0005} \u{2060}\n\n\
                  Before {pb 12} after, *em* **strong** ~~strike~~ `code` \
                  [link](<https://e.org/a b> \"t\") [rel](../other/) ![alt *text*](img.png).\n\
                  Line one  \nline two[^3] and[^a].\n\n\
                  {pb 13}\n\n\
                  | a | b | c |\n|:-|-:|:-:|\n| 1 | 2 | 3 |\n\n\
                  3. one\n4. two\n\n- bullet\n\n  with a second paragraph\n\n\
                  ## Heading after a paragraph\n\n\
                  > quoted {++in++}\n>\n> > nested\n\n\
                  ```rust ignore\nfn x() { a < b && c }\n```\n\n\
                  ***\n\n\
                  [^3]: The note, naming Ким Ир Сен.\n\n\
                  [^a]: First.\n\n    Second paragraph.\n\n\
                  [^never]: Not referred to.\n\n\
                  {pb 14}\n";
        let mut crossed = ContentBuilder::new();
        crossed.start(Element::Paragraph);
        crossed.text("x");
        // A mark across a substitution's edge leaves more in it than TEI's `subst` holds.
        crossed.start(Element::Substitution);
        crossed.text("odd");
        crossed.start(Element::Deletion);
        crossed.text("old");
        crossed.end(&Element::Deletion);
        crossed.end(&Element::Substitution);
        crossed.end(&Element::Paragraph);
        let mut lone = ContentBuilder::new();
        lone.leaf(Node::PageBreak(Box::new(crate::model::PageBreak {
            label: "15".into(),
            inline: false,
        })));
        let en = "# Title\n\nKim Il Sung [SIC].\n\nSecond.\n";
        let (document, annotated) = synthetic(ru, en, vec![crossed.finish(), lone.finish()]);
        let xml = tei_of(&document, &annotated);
        write_and_validate(&xml);
        assert_refs_resolve(&xml);
        assert_eq!(
            xml,
            tei_of(&document, &annotated),
            "the same bytes every time"
        );

        for expected in [
            // The editor's label, not a renumbering; a second reference points.
            // Numbered as the page numbers them: a label that is not a number among
            // the notes' labels means numbering in order of reference.
            "<note place=\"foot\" n=\"1\" xml:id=\"d-1956-test.ru.fn1\">The note, naming <persName ref=\"#person-kim-il-sung\">Ким Ир Сен</persName>.</note>",
            "<ptr type=\"note\" target=\"#d-1956-test.ru.fn1\"/>",
            "<note place=\"foot\" n=\"2\" xml:id=\"d-1956-test.ru.fn2\"><p>First.</p><p>Second paragraph.</p></note>",
            "<note place=\"foot\" n=\"3\"",
            "<pb n=\"12\" facs=\"scans/page%2012.jpg\"/>",
            "<pb n=\"13\"/>\n",
            "<pb n=\"14\"/>\n",
            "<pb n=\"15\"/>\n",
            "<add>a</add>",
            "<del>b</del>",
            "<subst><del>c</del><add>d</add></subst>",
            "<seg type=\"substitution\">odd<del>old</del></seg>",
            "<note type=\"editorial\">note</note>",
            "<hi rend=\"highlight\">e</hi>",
            "<supplied>SIC</supplied>",
            "<term ref=\"#term-kwp\">ТПК</term>",
            "<hi rend=\"italic\">em</hi>",
            "<hi rend=\"bold\">strong</hi>",
            "<hi rend=\"strikethrough\">strike</hi>",
            "<code>code</code>",
            "<ref target=\"https://e.org/a%20b\">link</ref>",
            "<ref target=\"https://example.org/documents/1956-test/../other/\">rel</ref>",
            "<figure><graphic url=\"https://example.org/documents/1956-test/img.png\"/><figDesc>alt text</figDesc></figure>",
            "Line one<lb/>line two",
            "<row role=\"label\">",
            "<cell rend=\"left\">1</cell>",
            "<cell rend=\"right\">2</cell>",
            "<list rend=\"numbered\" xml:id=\"d-1956-test.ru.4\">",
            "<item n=\"3\">one</item>",
            "<item><p>bullet</p><p>with a second paragraph</p></item>",
            "<p rend=\"heading\" xml:id=\"d-1956-test.ru.6\">Heading after a paragraph</p>",
            "<quote xml:id=\"d-1956-test.ru.7\"><p>quoted <add>in</add></p><quote><p>nested</p></quote></quote>",
            "<ab type=\"code\" xml:id=\"d-1956-test.ru.8\"><code lang=\"rust\">fn x() { a &lt; b &amp;&amp; c }\n</code></ab>",
            "<milestone unit=\"section\" rend=\"rule\" xml:id=\"d-1956-test.ru.9\"/>",
            "<head xml:id=\"d-1956-test.en.1\">Title</head>",
            "<link target=\"#d-1956-test.ru.1 #d-1956-test.en.1\"/>",
            "<front>\n      <div type=\"headnote\" xml:lang=\"en\">\n        <p xml:id=\"d-1956-test.headnote.1\">A headnote on <persName ref=\"#person-kim-il-sung\">Kim</persName>.</p>",
            "<title>A &lt;test&gt; &amp; \"more\"</title>",
            "<locus>49-57</locus>",
            "<ref target=\"https://example.org/a%20b\">https://example.org/a b</ref>",
            "<respStmt>\n          <resp>translation into English</resp>\n          <name>Someone</name>",
            "<person xml:id=\"person-kim-il-sung\">",
            "<entry xml:id=\"term-kwp\">",
            "<term type=\"tag\" key=\"kwp\">KWP</term>",
        ] {
            assert!(xml.contains(expected), "{expected}\nis not in\n{xml}");
        }
        // Kept: characters XML allows, whatever they mean elsewhere; left out: those
        // it does not.
        assert!(xml.contains("xy \u{F0005} \u{2060}"), "{xml}");
        assert!(!xml.contains('\u{1}'));
        // A segment of nothing but a page break has no id, and no link points to it.
        assert!(!xml.contains("d-1956-test.ru.11\""), "{xml}");
    }

    #[test]
    fn blocks_inside_blocks_and_an_empty_translation_are_valid_tei() {
        let ru = "# Heading with a note[^n] and a [link](#ru-3)\n\n\
                  - item with `code` and [Ким](@kim-il-sung) {pb 20} in it\n\n  \
                  ```\n  code in an item\n  ```\n\n  \
                  | x | y |\n  |---|---|\n  | [link ![img](i.png)](https://e.org) | ТПК {~~*a~>b*~~} |\n\n  \
                  > ## heading in a quote[^n]\n  >\n  > ---\n\n\
                  [^n]: A note with a list:\n\n    - one\n    - two\n";
        let (document, annotated) = synthetic(ru, "", Vec::new());
        let xml = tei_of(&document, &annotated);
        write_and_validate(&xml);
        assert_refs_resolve(&xml);
        for expected in [
            "<head xml:id=\"d-1956-test.ru.1\">Heading with a note<note place=\"foot\" n=\"1\"",
            "<ref target=\"https://example.org/documents/1956-test/#ru-3\">link</ref>",
            "<p rend=\"heading\">heading in a quote<ptr type=\"note\"",
            "<div type=\"translation\" xml:lang=\"en\" xml:id=\"d-1956-test.en\">\n        <p/>\n      </div>",
        ] {
            assert!(xml.contains(expected), "{expected}\nis not in\n{xml}");
        }
        assert!(!xml.contains("<linkGrp"), "{xml}");
    }

    #[test]
    fn escaping_leaves_out_what_xml_forbids_and_keeps_the_rest() {
        let mut out = String::new();
        escape_into(
            &mut out,
            "a&<>\"'\t\n\r\u{0}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}\u{FFFD}\u{10FFFF}",
            true,
        );
        assert_eq!(out, "a&amp;&lt;&gt;&quot;'&#9;&#10;&#13;\u{FFFD}\u{10FFFF}");
        let mut out = String::new();
        escape_into(&mut out, "\"\t\n\u{7F}\u{85}", false);
        assert_eq!(out, "\"\t\n\u{7F}\u{85}");
    }

    #[test]
    fn ids_of_entries_and_documents_are_names_and_never_alike() {
        assert_eq!(
            entry_id(&entity(EntityKind::Event, "1956-plenum")),
            "event-1956-plenum"
        );
        assert_eq!(document_id("1956-plenum"), "d-1956-plenum");
        assert_eq!(ncname("a b:c"), "a_b_c");
        assert_eq!(uri("a b\"c"), "a%20b%22c");
    }
}
