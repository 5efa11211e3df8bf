//! TEI P5 into an edition: the reader behind `dossier import` for `.xml` files.
//!
//! Made for the layout of the State Department's *Foreign Relations of the United
//! States* volumes (HistoryAtState/frus) and close kin: a list of persons
//! (`list type="names"`/`"persons"` of items holding a `persName` with an `xml:id`,
//! or a `listPerson`), a list of abbreviations (`list type="terms"`), and one
//! `div type="document"` per document, with its `head` (title, and the source note
//! `note type="source"`), `dateline`/`date @when`, paragraphs, lists, tables,
//! `persName @corresp` (an identification by the volume's editors), numbered
//! `note`s and `pb`s. A TEI file without such divs is one document: its `text`.
//!
//! What it makes: people (id the slug of the display name, the TEI id kept as
//! `frus_id`), glossary terms, one bundle per document with the text in English as
//! dossier Markdown: `persName @corresp` as explicit links `[name](@id)`, notes as
//! footnotes with the volume's own numbers, `pb` as `{pb N}`, `hi` as emphasis, and
//! every other element as its plain text.
//!
//! Not here: facsimiles (`figure`, `graphic`), XInclude, places and events (FRUS
//! volumes have no such lists), translations (FRUS texts are English; a TEI file's
//! other languages are not split out), and writing files (that is `write`). What it
//! cannot place is a warning at its line and column in the TEI file; a file that is
//! not XML is an error.

use super::{Imported, ImportedDocument};
use crate::diagnostics::{Diagnostics, Position};
use roxmltree::{Document, Node, NodeType};
use serde_yaml::{Mapping, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Ranks and forms of address a list of persons puts before the given names
/// ("Booth, Lieutenant General Donald P."), longest first so that "Lieutenant
/// General" is not read as "Lieutenant". They are not part of a name to link.
const TITLES: &[&str] = &[
    "Lieutenant General",
    "Lieutenant Colonel",
    "Lieutenant Commander",
    "Brigadier General",
    "Major General",
    "Vice Admiral",
    "Rear Admiral",
    "Fleet Admiral",
    "Air Chief Marshal",
    "Air Marshal",
    "Field Marshal",
    "General",
    "Admiral",
    "Colonel",
    "Major",
    "Captain",
    "Commander",
    "Lieutenant",
    "Marshal",
    "Ambassador",
    "Senator",
    "Governor",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
];

/// What follows a family name after a comma and is not a given name.
const SUFFIXES: &[&str] = &["Jr.", "Sr.", "II", "III", "IV"];

/// Reads one TEI file. `path` is for messages only.
pub(super) fn read(path: &Path, text: &str, diagnostics: &mut Diagnostics) -> Imported {
    // FRUS files have no DTD, but other TEI files may declare one; entities it
    // defines are then expanded rather than refused.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = match Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => {
            let pos = e.pos();
            diagnostics.error(
                path,
                Position::new(pos.row as usize, pos.col as usize),
                format!("not well-formed XML, so not imported: {e}"),
            );
            return Imported::default();
        }
    };
    let mut reader = Reader {
        path,
        doc: &doc,
        diagnostics,
        people: HashMap::new(),
    };
    reader.read()
}

struct Reader<'a, 'input> {
    path: &'a Path,
    doc: &'a Document<'input>,
    diagnostics: &'a mut Diagnostics,
    /// TEI `xml:id` of a person → dossier id.
    people: HashMap<String, String>,
}

impl<'a, 'input> Reader<'a, 'input> {
    fn read(&mut self) -> Imported {
        let mut imported = Imported::default();
        let root = self.doc.root_element();
        if root.tag_name().name() != "TEI" && root.tag_name().name() != "teiCorpus" {
            self.warn(
                root,
                format!(
                    "the root element is <{}>, not <TEI>: read as TEI all the same",
                    root.tag_name().name()
                ),
            );
        }
        imported.people = self.read_people(root);
        imported.glossary = self.read_terms(root);
        let volume_id = root.attribute((XML_NS, "id")).map(str::to_string);
        let collection = header_title(root);
        let documents: Vec<Node> = root
            .descendants()
            .filter(|n| is(*n, "div") && n.attribute("type") == Some("document"))
            .collect();
        let mut slugs = HashSet::new();
        let mut previous_date: Option<(String, String)> = None;
        if documents.is_empty() {
            // A plain TEI file: its text is the document.
            if let Some(text) = root.descendants().find(|n| is(*n, "text")) {
                let title = collection.clone().unwrap_or_default();
                let doc = self.read_document(
                    text,
                    Some(title),
                    &DocumentContext::default(),
                    &mut slugs,
                    &mut previous_date,
                );
                imported.documents.push(doc);
            } else {
                self.warn(
                    root,
                    "no <text> and no <div type=\"document\">: no document imported",
                );
            }
        }
        let context = DocumentContext {
            volume_id,
            collection,
        };
        for div in documents {
            let doc = self.read_document(div, None, &context, &mut slugs, &mut previous_date);
            imported.documents.push(doc);
        }
        imported
    }

    /// People from FRUS-style lists (an item whose `persName` has an `xml:id`) and
    /// from `listPerson`.
    fn read_people(&mut self, root: Node) -> Vec<(String, Mapping)> {
        let mut entries: Vec<(String, Mapping)> = Vec::new();
        let mut ids = HashSet::new();
        // Forms the volume's editors tagged for each person: aliases the text uses.
        let mut tagged: HashMap<&str, Vec<String>> = HashMap::new();
        for n in root.descendants().filter(|n| is(*n, "persName")) {
            if let Some(target) = n.attribute("corresp").and_then(|c| c.strip_prefix('#')) {
                tagged.entry(target).or_default().push(plain_text(n));
            }
        }
        for person in root.descendants().filter(|n| {
            (is(*n, "persName") && n.has_attribute((XML_NS, "id")))
                || (is(*n, "person") && n.has_attribute((XML_NS, "id")))
        }) {
            let tei_id = person.attribute((XML_NS, "id")).unwrap_or_default();
            let (listed, description) = if is(person, "person") {
                let Some(name) = person.children().find(|c| is(*c, "persName")) else {
                    self.warn(
                        person,
                        format!("person `{tei_id}` has no <persName>: left out"),
                    );
                    continue;
                };
                let description: Vec<String> = person
                    .children()
                    .filter(|c| c.is_element() && !is(*c, "persName"))
                    .map(plain_text)
                    .filter(|t| !t.is_empty())
                    .collect();
                (listed_name(name), description.join("; "))
            } else {
                // In FRUS lists the name is in <hi rend="strong"> with its comma, and
                // the description follows: the item's text after the name.
                let item = person
                    .ancestors()
                    .find(|a| is(*a, "item"))
                    .unwrap_or(person);
                let whole = plain_text(item);
                let name = plain_text(person);
                let rest = whole
                    .split_once(name.as_str())
                    .map_or("", |(_, rest)| rest)
                    .trim_start_matches([',', ' '])
                    .to_string();
                (name, rest)
            };
            let Some(name) = PersonName::parse(&listed) else {
                self.warn(
                    person,
                    format!("person `{tei_id}` has an empty name: left out"),
                );
                continue;
            };
            let mut id = slug(&name.display);
            if id.is_empty() {
                self.warn(
                    person,
                    format!("no id can be made of the name `{listed}`: left out"),
                );
                continue;
            }
            if !ids.insert(id.clone()) {
                // Two people of one name: the second is told apart by its TEI id.
                id = format!("{id}-{}", slug(tei_id));
                ids.insert(id.clone());
            }
            self.people.insert(tei_id.to_string(), id.clone());
            let mut entry = Mapping::new();
            entry.insert("name".into(), name.display.clone().into());
            if name.sort != name.display {
                entry.insert("sort_name".into(), name.sort.clone().into());
            }
            let mut aliases = name.aliases.clone();
            for form in tagged.get(tei_id).into_iter().flatten() {
                push_alias(&mut aliases, form, &name.display);
            }
            if !aliases.is_empty() {
                entry.insert(
                    "aliases".into(),
                    Value::Sequence(aliases.into_iter().map(Value::from).collect()),
                );
            }
            let description = match (&name.title, description.is_empty()) {
                (Some(title), false) => format!("{title}; {description}"),
                (Some(title), true) => title.clone(),
                (None, _) => description,
            };
            if !description.is_empty() {
                entry.insert("description".into(), description.into());
            }
            entry.insert("frus_id".into(), tei_id.into());
            entries.push((id, entry));
        }
        entries
    }

    /// Terms from `list type="terms"`: each item a `term` and its expansion.
    fn read_terms(&mut self, root: Node) -> Vec<(String, Mapping)> {
        let mut entries = Vec::new();
        let mut ids = HashSet::new();
        let lists = root
            .descendants()
            .filter(|n| is(*n, "list") && n.attribute("type") == Some("terms"));
        for list in lists {
            for item in list.children().filter(|c| is(*c, "item")) {
                let Some(term) = item.descendants().find(|d| is(*d, "term")) else {
                    self.warn(
                        item,
                        "an item of the list of terms without <term>: left out",
                    );
                    continue;
                };
                let written = plain_text(term);
                let whole = plain_text(item);
                let expansion = whole
                    .split_once(written.as_str())
                    .map_or("", |(_, rest)| rest)
                    .trim_start_matches([',', ' '])
                    .to_string();
                let mut id = slug(&written);
                if id.is_empty() {
                    self.warn(
                        term,
                        format!("no id can be made of the term `{written}`: left out"),
                    );
                    continue;
                }
                if !ids.insert(id.clone()) {
                    // "PriMin" and "PRIMIN" would both be `primin`.
                    let mut n = 2;
                    while !ids.insert(format!("{id}-{n}")) {
                        n += 1;
                    }
                    id = format!("{id}-{n}");
                }
                let mut entry = Mapping::new();
                entry.insert("term".into(), written.clone().into());
                if !expansion.is_empty() {
                    let mut by_lang = Mapping::new();
                    by_lang.insert("en".into(), expansion.into());
                    entry.insert("expansion".into(), Value::Mapping(by_lang));
                }
                // The lists print "PROVMAAG–K" with a dash where the texts type a
                // hyphen: both are forms to recognise.
                let hyphenated = written.replace(['–', '—'], "-");
                if hyphenated != written {
                    entry.insert("aliases".into(), Value::Sequence(vec![hyphenated.into()]));
                }
                if let Some(tei_id) = term.attribute((XML_NS, "id")) {
                    entry.insert("frus_id".into(), tei_id.into());
                }
                entries.push((id, entry));
            }
        }
        entries
    }

    fn read_document(
        &mut self,
        div: Node,
        title: Option<String>,
        context: &DocumentContext,
        slugs: &mut HashSet<String>,
        previous_date: &mut Option<(String, String)>,
    ) -> ImportedDocument {
        let number = div.attribute("n");
        let head = div.children().find(|c| is(*c, "head"));
        let title = title.unwrap_or_else(|| head.map(title_of).unwrap_or_default());
        let title = match number {
            // "224. Telegram From ...": the number is `number`, not the title.
            Some(n) => title
                .strip_prefix(n)
                .and_then(|t| t.strip_prefix('.'))
                .map_or(title.clone(), |t| t.trim().to_string()),
            None => title,
        };
        if title.is_empty() {
            self.warn(div, "a document without a title: give it one in index.md");
        }
        let mut meta = Mapping::new();
        meta.insert("title".into(), title.clone().into());

        let date = div
            .descendants()
            .filter(|d| !inside_note(*d, div))
            .find(|d| is(*d, "date") && (d.has_attribute("when") || d.has_attribute("notBefore")))
            .and_then(|d| d.attribute("when").or(d.attribute("notBefore")))
            .map(|w| w.get(..10).unwrap_or(w).to_string());
        let label = number.map_or_else(|| title.clone(), |n| format!("document {n}"));
        match (date, previous_date.as_ref()) {
            (Some(date), _) => {
                meta.insert("date".into(), date.clone().into());
                *previous_date = Some((date, label));
            }
            // Editorial notes carry no date of their own; they stand where the
            // volume's chronology puts them, so they take the date before them.
            (None, Some((date, before))) => {
                meta.insert("date".into(), date.clone().into());
                meta.insert(
                    "date_note".into(),
                    format!("Undated in the volume; given the date of {before}, which it follows.")
                        .into(),
                );
            }
            (None, None) => self.warn(
                div,
                "a document without <date when=\"...\">: give it a date in index.md",
            ),
        }
        if let Some(n) = number {
            let value = n
                .parse::<u64>()
                .map_or_else(|_| Value::from(n), Value::from);
            meta.insert("number".into(), value);
        }
        if let Some(kind) = document_type(div, &title) {
            meta.insert("type".into(), kind.into());
        }
        meta.insert("original_language".into(), "en".into());
        let mut roles = Mapping::new();
        for p in head
            .into_iter()
            .flat_map(|h| h.descendants())
            .filter(|d| is(*d, "persName"))
        {
            let role = match p.attribute("type") {
                Some("from") => "author",
                Some("to") => "addressee",
                _ => continue,
            };
            if let Some(id) = self.person_of(p) {
                roles.insert(role.into(), id.into());
            }
        }
        if !roles.is_empty() {
            meta.insert("roles".into(), Value::Mapping(roles));
        }
        // The source note is the volume's citation of the copy it printed (file,
        // classification, drafter): metadata about the document, so a front matter
        // key templates can show with the citation, not the headnote, which is the
        // edition's own introduction and stays the editor's to write.
        let source = head
            .into_iter()
            .flat_map(|h| h.descendants())
            .find(|d| is(*d, "note") && d.attribute("type") == Some("source"));
        if let Some(source) = source {
            meta.insert("source_note".into(), plain_text(source).into());
        }
        if let Some(collection) = &context.collection {
            meta.insert("collection".into(), collection.clone().into());
        }
        if let (Some(volume), Some(id)) = (&context.volume_id, div.attribute((XML_NS, "id"))) {
            if volume.starts_with("frus") {
                meta.insert(
                    "source_url".into(),
                    format!("https://history.state.gov/historicaldocuments/{volume}/{id}").into(),
                );
            }
        }

        let mut slug_text = match (&context.volume_id, div.attribute((XML_NS, "id"))) {
            // The volume's own document ids are what history.state.gov cites.
            (Some(volume), Some(id)) => slug(&format!("{volume}-{id}")),
            _ => slug(
                &title
                    .split_whitespace()
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        if slug_text.is_empty() {
            slug_text = "document".to_string();
        }
        let mut unique = slug_text.clone();
        let mut k = 2;
        while !slugs.insert(unique.clone()) {
            unique = format!("{slug_text}-{k}");
            k += 1;
        }

        let mut text = TextWriter::default();
        // A page that begins with the document has its break just before the div.
        let mut breaks: Vec<Node> = div
            .prev_siblings()
            .skip(1)
            .filter(|s| s.is_element())
            .take_while(|s| is(*s, "pb"))
            .collect();
        breaks.reverse();
        for pb in breaks {
            text.page_break(&page_marker(pb));
        }
        self.blocks(div, &mut text);
        let body = text.finish();
        if body.trim().is_empty() {
            self.warn(div, "a document with no text");
        }
        ImportedDocument {
            slug: unique,
            meta,
            headnote: String::new(),
            texts: vec![("en".to_string(), body)],
            from: vec![self.path.to_path_buf()],
        }
    }

    /// The dossier id a `persName @corresp` points to, or a warning.
    fn person_of(&mut self, p: Node) -> Option<String> {
        let corresp = p.attribute("corresp")?;
        let target = corresp.strip_prefix('#').unwrap_or(corresp);
        match self.people.get(target) {
            Some(id) => Some(id.clone()),
            None => {
                self.warn(
                    p,
                    format!(
                        "<persName corresp=\"{corresp}\">: no person `{target}` in the list of persons, so kept as plain text"
                    ),
                );
                None
            }
        }
    }

    /// The block-level content of `node` into `out`: paragraphs, list items,
    /// tables; headings of the document are its title, so left out.
    fn blocks(&mut self, node: Node, out: &mut TextWriter) {
        for child in node.children() {
            match child.node_type() {
                NodeType::Element => {}
                NodeType::Text => {
                    if !child.text().unwrap_or_default().trim().is_empty() {
                        let mut line = String::new();
                        self.inline(child, &mut line, out);
                        out.paragraph(&line);
                    }
                    continue;
                }
                _ => continue,
            }
            match child.tag_name().name() {
                // The document's head is its title and source note (front matter).
                "head" if child.parent() == Some(node) && is_document(node) => {}
                "head" => {
                    let mut line = String::new();
                    self.inline_children(child, &mut line, out);
                    out.paragraph(&format!("**{}**", line.trim()));
                }
                "pb" => out.page_break(&page_marker(child)),
                "p" | "item" | "dateline" | "closer" | "signed" | "salute" | "byline"
                | "docDate" | "label" | "ab" | "l" | "quote" | "postscript"
                    if has_block_child(child) =>
                {
                    self.mixed(child, out)
                }
                "p" | "dateline" | "closer" | "salute" | "byline" | "ab" | "l" | "docDate"
                | "postscript" | "quote" | "signed" => {
                    let mut line = String::new();
                    self.inline_children(child, &mut line, out);
                    out.paragraph(&line);
                }
                "list" => self.list(child, out),
                "table" => self.table(child, out),
                "figure" | "graphic" => self.warn(
                    child,
                    format!(
                        "<{}> not imported: facsimiles and figures are added by hand",
                        child.tag_name().name()
                    ),
                ),
                "note" => {
                    // A note between blocks: a footnote on the block before it.
                    let mut line = String::new();
                    self.inline(child, &mut line, out);
                    out.append_to_last(&line);
                }
                // Containers: opener, div, body, front, back, lg, sp, floatingText...
                _ => self.blocks(child, out),
            }
        }
    }

    /// A block holding blocks among its text (a `p` with a `list` inside): the
    /// text around them becomes paragraphs of its own.
    fn mixed(&mut self, node: Node, out: &mut TextWriter) {
        let mut line = String::new();
        for child in node.children() {
            if child.is_element() && is_block(child) {
                out.paragraph(&line);
                line.clear();
                match child.tag_name().name() {
                    "list" => self.list(child, out),
                    "table" => self.table(child, out),
                    _ => self.blocks_of(child, out),
                }
            } else {
                self.inline(child, &mut line, out);
            }
        }
        out.paragraph(&line);
    }

    /// One block element as if it stood alone.
    fn blocks_of(&mut self, node: Node, out: &mut TextWriter) {
        if has_block_child(node) {
            self.mixed(node, out);
        } else {
            let mut line = String::new();
            self.inline_children(node, &mut line, out);
            out.paragraph(&line);
        }
    }

    /// A list: each item a paragraph, its `label` ("1.") kept in front of it as the
    /// volume prints it.
    fn list(&mut self, list: Node, out: &mut TextWriter) {
        let mut label = String::new();
        for child in list.children() {
            if !child.is_element() {
                continue;
            }
            match child.tag_name().name() {
                "head" => {
                    let mut line = String::new();
                    self.inline_children(child, &mut line, out);
                    out.paragraph(&format!("**{}**", line.trim()));
                }
                "label" => {
                    label.clear();
                    self.inline_children(child, &mut label, out);
                }
                "item" => {
                    let mut item = TextWriter::default();
                    self.blocks_of(child, &mut item);
                    let mut paragraphs = item.paragraphs.into_iter();
                    if let Some(first) = paragraphs.next() {
                        let first = if label.trim().is_empty() {
                            first
                        } else {
                            format!("{} {}", escape_line_start(label.trim()), first)
                        };
                        out.paragraphs.push(first);
                    }
                    out.paragraphs.extend(paragraphs);
                    out.notes.extend(item.notes);
                    out.pending_break.push_str(&item.pending_break);
                    label.clear();
                }
                "pb" => out.page_break(&page_marker(child)),
                _ => self.blocks_of(child, out),
            }
        }
    }

    /// A table as a GFM table, its first row the header (GFM needs one).
    fn table(&mut self, table: Node, out: &mut TextWriter) {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for row in table.descendants().filter(|d| is(*d, "row")) {
            let cells = row
                .children()
                .filter(|c| is(*c, "cell"))
                .map(|cell| {
                    let mut text = String::new();
                    self.inline_children(cell, &mut text, out);
                    // `escape` has made each `|` of the text `\|`, as a cell needs.
                    text.trim().to_string()
                })
                .collect();
            rows.push(cells);
        }
        if rows.is_empty() {
            self.warn(table, "a <table> without rows: left out");
            return;
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut markdown = String::new();
        for (i, row) in rows.iter().enumerate() {
            let mut cells = row.clone();
            cells.resize(width, String::new());
            markdown.push_str(&format!("| {} |\n", cells.join(" | ")));
            if i == 0 {
                markdown.push_str(&format!("|{}\n", " --- |".repeat(width)));
            }
        }
        out.paragraphs.push(markdown.trim_end().to_string());
    }

    fn inline_children(&mut self, node: Node, line: &mut String, out: &mut TextWriter) {
        for child in node.children() {
            self.inline(child, line, out);
        }
    }

    /// Inline content as Markdown into `line`; footnotes go to `out`.
    fn inline(&mut self, node: Node, line: &mut String, out: &mut TextWriter) {
        match node.node_type() {
            NodeType::Text => {
                push_text(line, &escape(node.text().unwrap_or_default()));
                return;
            }
            NodeType::Element => {}
            _ => return,
        }
        match node.tag_name().name() {
            "persName" => {
                let mut inner = String::new();
                self.inline_children(node, &mut inner, out);
                match self.person_of(node) {
                    Some(id) if !inner.trim().is_empty() => {
                        push_text(line, &format!("[{}](@{id})", inner.trim()));
                        // The space after the name, if the source had one.
                        if inner.ends_with(' ') {
                            line.push(' ');
                        }
                    }
                    _ => line.push_str(&inner),
                }
            }
            "note" => self.footnote(node, line, out),
            "pb" => push_text(line, &format!(" {} ", page_marker(node))),
            "lb" => push_text(line, " "),
            "hi" | "emph" | "title" | "foreign" | "term" => {
                let mut inner = String::new();
                self.inline_children(node, &mut inner, out);
                let rend = node.attribute("rend").unwrap_or_default();
                let marker = match (node.tag_name().name(), rend) {
                    (_, "strong" | "bold") => "**",
                    ("hi", "italic" | "italics" | "i") | ("emph" | "foreign", _) => "*",
                    ("title", r) if r.contains("italic") => "*",
                    _ => "",
                };
                push_emphasis(line, &inner, marker);
            }
            "figure" | "graphic" => self.warn(
                node,
                format!(
                    "<{}> not imported: facsimiles and figures are added by hand",
                    node.tag_name().name()
                ),
            ),
            name if is_block_name(name) => {
                // A block inside running text (a list in a sentence): its text, in
                // place, is all that can be kept.
                self.warn(
                    node,
                    format!("<{name}> inside running text: kept as plain text"),
                );
                self.inline_children(node, line, out);
            }
            _ => self.inline_children(node, line, out),
        }
    }

    /// A `note` in running text: `[^n]` here, its text a footnote of the document.
    fn footnote(&mut self, note: Node, line: &mut String, out: &mut TextWriter) {
        if note.attribute("type") == Some("source") {
            // Front matter (`source_note`); only reached if misplaced.
            return;
        }
        if out.in_note {
            self.warn(note, "a note inside a note: kept as text in brackets");
            let mut inner = String::new();
            self.inline_children(note, &mut inner, out);
            push_text(line, &format!(" ({}) ", inner.trim()));
            return;
        }
        let label = match note.attribute("n").map(str::trim) {
            Some(n) if !n.is_empty() && n.chars().all(|c| c.is_alphanumeric()) => n.to_string(),
            other => {
                let label = format!("{}", out.notes.len() + 1);
                self.warn(
                    note,
                    match other {
                        Some(n) => format!("a note numbered `{n}`, which cannot be a footnote label: numbered {label}"),
                        None => format!("a note without `n`: numbered {label}"),
                    },
                );
                label
            }
        };
        let label = if out.notes.iter().any(|(l, _)| *l == label) {
            let mut k = 2;
            while out.notes.iter().any(|(l, _)| *l == format!("{label}-{k}")) {
                k += 1;
            }
            let fresh = format!("{label}-{k}");
            self.warn(
                note,
                format!("a second note numbered {label} in this document: labelled {fresh}"),
            );
            fresh
        } else {
            label
        };
        let mut inner = TextWriter {
            in_note: true,
            ..Default::default()
        };
        self.blocks_of(note, &mut inner);
        let text = inner.finish_inline();
        // No space before the mark: "well.[^2]" as the volume prints it.
        while line.ends_with(' ') {
            line.pop();
        }
        line.push_str(&format!("[^{label}]"));
        out.notes.push((label, text));
    }

    fn warn(&mut self, node: Node, message: impl Into<String>) {
        let pos = self.doc.text_pos_at(node.range().start);
        self.diagnostics.warning(
            self.path,
            Position::new(pos.row as usize, pos.col as usize),
            message,
        );
    }
}

#[derive(Default)]
struct DocumentContext {
    volume_id: Option<String>,
    collection: Option<String>,
}

/// A text being made: its paragraphs and footnotes.
#[derive(Default)]
struct TextWriter {
    paragraphs: Vec<String>,
    /// (label, text), in order of their marks.
    notes: Vec<(String, String)>,
    /// Page breaks between blocks, put at the start of the next one.
    pending_break: String,
    in_note: bool,
}

impl TextWriter {
    fn paragraph(&mut self, text: &str) {
        let text = collapse(text);
        if text.is_empty() {
            return;
        }
        let text = escape_line_start(&text);
        let text = if self.pending_break.is_empty() {
            text
        } else {
            format!("{} {text}", std::mem::take(&mut self.pending_break))
        };
        self.paragraphs.push(text);
    }

    fn page_break(&mut self, marker: &str) {
        if !self.pending_break.is_empty() {
            self.pending_break.push(' ');
        }
        self.pending_break.push_str(marker);
    }

    fn append_to_last(&mut self, text: &str) {
        match self.paragraphs.last_mut() {
            Some(last) => last.push_str(text.trim()),
            None => self.paragraph(text),
        }
    }

    /// The Markdown of the text: paragraphs, then the footnotes.
    fn finish(mut self) -> String {
        if !self.pending_break.is_empty() {
            let marker = std::mem::take(&mut self.pending_break);
            match self.paragraphs.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(&marker);
                }
                None => self.paragraphs.push(marker),
            }
        }
        let mut markdown = self.paragraphs.join("\n\n");
        for (label, text) in &self.notes {
            markdown.push_str(&format!("\n\n[^{label}]: {text}"));
        }
        markdown.push('\n');
        markdown
    }

    /// A footnote's text on one line (a footnote definition is one paragraph here).
    fn finish_inline(mut self) -> String {
        let mut parts = std::mem::take(&mut self.paragraphs);
        if !self.pending_break.is_empty() {
            parts.push(std::mem::take(&mut self.pending_break));
        }
        parts.join(" ")
    }
}

/// A name as a list of persons gives it, in the forms dossier wants.
#[derive(Debug, Clone, PartialEq)]
struct PersonName {
    /// "Dean G. Acheson", "Thomas S. Gates Jr.", "Chang Myon".
    display: String,
    /// "Acheson, Dean G.", "Gates, Thomas S., Jr.", "Chang Myon".
    sort: String,
    /// The family name alone, and other forms given in brackets.
    aliases: Vec<String>,
    /// A rank or form of address found in the name ("Lieutenant General").
    title: Option<String>,
}

impl PersonName {
    /// Reads "Family, Given[, Jr.]", "Family, Rank Given", "Family Given" (family
    /// name first, no comma: Korean and Chinese names), each with other forms in
    /// brackets: "Cho Bong-am (Cho Pong-am)".
    fn parse(listed: &str) -> Option<Self> {
        let listed = collapse(listed);
        let mut others = Vec::new();
        let mut main = String::new();
        let mut rest = listed.as_str();
        while let Some(open) = rest.find('(') {
            main.push_str(&rest[..open]);
            let Some(close) = rest[open..].find(')') else {
                break;
            };
            others.push(rest[open + 1..open + close].trim().to_string());
            rest = &rest[open + close + 1..];
        }
        main.push_str(rest);
        let main = collapse(&main);
        let parts: Vec<&str> = main
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let (&family, rest) = parts.split_first()?;
        let mut given = Vec::new();
        let mut suffix = Vec::new();
        let mut title = None;
        for part in rest {
            if SUFFIXES.contains(part) {
                suffix.push(*part);
                continue;
            }
            let (found, remainder) = strip_title(part);
            if found.is_some() {
                title = found;
            }
            if !remainder.is_empty() {
                given.push(remainder);
            }
        }
        // "MacArthur, Douglas II": a suffix after the given name without a comma.
        let mut given = given.join(" ");
        for s in SUFFIXES {
            if let Some(g) = given.strip_suffix(&format!(" {s}")) {
                given = g.to_string();
                suffix.push(s);
            }
        }
        let (display, sort, surname) = if given.is_empty() {
            // Family name first ("Yi Ki-pung", "Kim Il-sung"): written as listed.
            let surname = family.split_whitespace().next().unwrap_or(family);
            (family.to_string(), family.to_string(), surname.to_string())
        } else {
            let mut display = format!("{given} {family}");
            let mut sort = format!("{family}, {given}");
            for s in &suffix {
                display.push_str(&format!(" {s}"));
                sort.push_str(&format!(", {s}"));
            }
            (display, sort, family.to_string())
        };
        let mut aliases = Vec::new();
        push_alias(&mut aliases, &surname, &display);
        for other in others {
            // "(Cho, Chung W.)" is in list form too.
            let form = match PersonName::parse_plain(&other) {
                Some(form) => form,
                None => continue,
            };
            push_alias(&mut aliases, &form, &display);
        }
        // Texts drop middle initials ("Mr. Howard Parsons" for Howard J. Parsons),
        // and the family name alone is no help when two people share it.
        let first_names: Vec<&str> = given
            .split_whitespace()
            .filter(|w| !w.ends_with('.'))
            .collect();
        if !first_names.is_empty() && first_names.len() < given.split_whitespace().count() {
            push_alias(
                &mut aliases,
                &format!("{} {family}", first_names.join(" ")),
                &display,
            );
        }
        Some(Self {
            display,
            sort,
            aliases,
            title,
        })
    }

    /// A bracketed other form as a name to recognise: "Cho, Chung W." → "Chung W.
    /// Cho"; "Cho Pong-am" as it stands.
    fn parse_plain(form: &str) -> Option<String> {
        let form = collapse(form);
        if form.is_empty() {
            return None;
        }
        match form.split_once(',') {
            Some((family, given)) if !given.trim().is_empty() => {
                Some(format!("{} {}", given.trim(), family.trim()))
            }
            _ => Some(form),
        }
    }
}

/// A rank at the start of `part`, and what follows it.
fn strip_title(part: &str) -> (Option<String>, String) {
    let mut found: Vec<&str> = Vec::new();
    let mut rest = part.trim();
    'outer: loop {
        for title in TITLES {
            if let Some(after) = rest.strip_prefix(title) {
                if after.is_empty() || after.starts_with(' ') {
                    found.push(title);
                    rest = after.trim_start();
                    continue 'outer;
                }
            }
        }
        break;
    }
    let title = (!found.is_empty()).then(|| found.join(" "));
    (title, rest.to_string())
}

/// Adds `form` to `aliases` unless it is the display name or already there
/// (compared without case: recognition ignores it).
fn push_alias(aliases: &mut Vec<String>, form: &str, display: &str) {
    let form = collapse(form);
    let lower = form.to_lowercase();
    if form.chars().count() < 2
        || lower == display.to_lowercase()
        || aliases.iter().any(|a| a.to_lowercase() == lower)
    {
        return;
    }
    aliases.push(form);
}

fn is(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

fn is_document(node: Node) -> bool {
    (is(node, "div") && node.attribute("type") == Some("document")) || is(node, "text")
}

fn is_block_name(name: &str) -> bool {
    matches!(name, "p" | "list" | "table" | "lg" | "div" | "floatingText")
}

fn is_block(node: Node) -> bool {
    is_block_name(node.tag_name().name())
}

fn has_block_child(node: Node) -> bool {
    node.children().any(|c| c.is_element() && is_block(c))
}

fn inside_note(node: Node, stop: Node) -> bool {
    node.ancestors()
        .take_while(|a| *a != stop)
        .any(|a| is(a, "note"))
}

/// `{pb N}`, N the page's number as printed (`[XXII]` keeps its brackets out).
fn page_marker(pb: Node) -> String {
    let n: String = pb
        .attribute("n")
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '.')
        .collect();
    format!("{{pb {n}}}")
}

/// A heading's text without its notes.
fn title_of(head: Node) -> String {
    let mut text = String::new();
    for d in head.descendants() {
        if d.is_text() && !d.ancestors().any(|a| is(a, "note")) {
            text.push_str(d.text().unwrap_or_default());
        }
    }
    collapse(&text)
}

/// The whole text of an element, whitespace collapsed.
fn plain_text(node: Node) -> String {
    let text: String = node
        .descendants()
        .filter(|d| d.is_text())
        .map(|d| d.text().unwrap_or_default())
        .collect();
    collapse(&text)
}

/// The volume's title from the TEI header.
fn header_title(root: Node) -> Option<String> {
    let titles: Vec<Node> = root
        .descendants()
        .find(|d| is(*d, "titleStmt"))?
        .children()
        .filter(|c| is(*c, "title"))
        .collect();
    titles
        .iter()
        .find(|t| t.attribute("type") == Some("complete"))
        .or_else(|| titles.first())
        .map(|t| plain_text(*t))
}

/// "telegram", "memorandum", "editorial note": what the volume calls the document.
fn document_type(div: Node, title: &str) -> Option<String> {
    if div.attribute("subtype") == Some("editorial-note") {
        return Some("editorial note".to_string());
    }
    const KINDS: &[&str] = &[
        "Telegram",
        "Memorandum",
        "Letter",
        "Despatch",
        "Airgram",
        "Minutes",
        "Note",
        "Report",
        "Message",
        "Paper",
        "Circular",
        "Intelligence",
        "Editorial",
    ];
    let first = title.split_whitespace().next()?;
    KINDS.contains(&first).then(|| first.to_lowercase())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends text, keeping one space where the source had any whitespace.
fn push_text(line: &mut String, text: &str) {
    let starts_space = text.starts_with(char::is_whitespace);
    let ends_space = text.ends_with(char::is_whitespace);
    let inner = collapse(text);
    if starts_space && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
    line.push_str(&inner);
    if ends_space && !inner.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
    if inner.is_empty() && (starts_space || ends_space) && !line.is_empty() && !line.ends_with(' ')
    {
        line.push(' ');
    }
}

/// `*text*` with the spaces outside the markers (`* text*` is not emphasis).
fn push_emphasis(line: &mut String, inner: &str, marker: &str) {
    let trimmed = inner.trim();
    if trimmed.is_empty() || marker.is_empty() {
        push_text(line, inner);
        return;
    }
    if inner.starts_with(' ') && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
    line.push_str(&format!("{marker}{trimmed}{marker}"));
    if inner.ends_with(' ') {
        line.push(' ');
    }
}

/// Text as Markdown that reads as the text: characters Markdown or dossier's
/// markup would take for syntax are escaped. Square brackets stay (the spec reads
/// them as editorial interpolations) unless they would make a link or footnote.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '*' | '_' | '`' | '<' | '{' | '~' | '|' => true,
            '[' => next == Some('^'),
            ']' => matches!(next, Some('(') | Some('[') | Some(':')),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph that would begin a Markdown list, heading or quote ("866. Reference",
/// "1. There has been") begins with its first character escaped instead.
fn escape_line_start(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 9 {
        let after = &text[digits..];
        if after.starts_with(". ") || after.starts_with(") ") || after == "." || after == ")" {
            return format!("{}\\{}", &text[..digits], after);
        }
    }
    if text.starts_with(['#', '>', '-', '+', '=']) {
        return format!("\\{text}");
    }
    text.to_string()
}

/// A slug: lower-case ASCII letters and digits, words joined by hyphens; accents
/// dropped ("Hammarskjöld" → "hammarskjold").
fn slug(text: &str) -> String {
    let plain = without_accents(text).to_lowercase();
    let mut slug = String::new();
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') && c != '.' && c != '\'' && c != '’' {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(100)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Letters without their diacritics ("Hammarskjöld" → "Hammarskjold"), for ids:
/// the canonical decomposition with its combining marks left out.
fn without_accents(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    text.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// A `listPerson` name in list form: "Surname, Forename" when the parts are
/// marked, else its text.
fn listed_name(name: Node) -> String {
    let part = |tag: &str| {
        let parts: Vec<String> = name
            .descendants()
            .filter(|d| is(*d, tag))
            .map(plain_text)
            .collect();
        parts.join(" ")
    };
    let (surname, forename) = (part("surname"), part("forename"));
    match (surname.is_empty(), forename.is_empty()) {
        (false, false) => format!("{surname}, {forename}"),
        _ => plain_text(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> (Imported, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let imported = read(Path::new("t.xml"), text, &mut diagnostics);
        (imported, diagnostics)
    }

    #[test]
    fn list_names_become_display_and_sort_names() {
        let p = PersonName::parse("Booth, Lieutenant General Donald P.").unwrap();
        assert_eq!(p.display, "Donald P. Booth");
        assert_eq!(p.sort, "Booth, Donald P.");
        assert_eq!(p.title.as_deref(), Some("Lieutenant General"));
        assert_eq!(p.aliases, vec!["Booth", "Donald Booth"]);
        let p = PersonName::parse("Gates, Thomas S., Jr.").unwrap();
        assert_eq!(
            (p.display.as_str(), p.sort.as_str()),
            ("Thomas S. Gates Jr.", "Gates, Thomas S., Jr.")
        );
        let p = PersonName::parse("MacArthur, Douglas II").unwrap();
        assert_eq!(p.display, "Douglas MacArthur II");
        // Family name first, no comma: as listed; other forms in brackets are aliases.
        let p = PersonName::parse("Cho Chong-hwan (Cho, Chung W.)").unwrap();
        assert_eq!(p.display, "Cho Chong-hwan");
        assert_eq!(p.aliases, vec!["Cho", "Chung W. Cho"]);
        let p = PersonName::parse("Yu Chae-hung (Yu Jae Hung), Lieutenant General").unwrap();
        assert_eq!(p.display, "Yu Chae-hung");
        assert_eq!(p.title.as_deref(), Some("Lieutenant General"));
        assert!(PersonName::parse(" ").is_none());
    }

    #[test]
    fn slugs_drop_accents_and_punctuation() {
        assert_eq!(slug("Dag Hammarskjöld"), "dag-hammarskjold");
        assert_eq!(slug("Thomas S. Gates Jr."), "thomas-s-gates-jr");
        assert_eq!(slug("PROVMAAG–K"), "provmaag-k");
        assert_eq!(slug("P.L."), "pl");
    }

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(
            escape("a*b_c [^1] [x](y) {pb 3}"),
            "a\\*b\\_c \\[^1] [x\\](y) \\{pb 3}"
        );
        // Editorial brackets stay as they are.
        assert_eq!(escape("Nie [Rongzhen]"), "Nie [Rongzhen]");
        assert_eq!(escape_line_start("866. Reference"), "866\\. Reference");
        assert_eq!(escape_line_start("1958. Later"), "1958\\. Later");
        assert_eq!(escape_line_start("- a"), "\\- a");
        assert_eq!(escape_line_start("In 1958. Later"), "In 1958. Later");
    }

    #[test]
    fn a_plain_tei_file_is_one_document() {
        let (imported, diagnostics) = read_str(
            r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>
            <title>A letter</title></titleStmt></fileDesc></teiHeader>
            <text><body><opener><dateline><date when="1956-09-19">19 Sept.</date></dateline></opener>
            <p>Dear <hi rend="italic">friend</hi>,<note n="7">A note.</note></p>
            <pb n="2"/><p>More <persName corresp="#nobody">Kim</persName>.</p>
            <figure><graphic url="x.png"/></figure></body></text></TEI>"##,
        );
        assert_eq!(imported.documents.len(), 1);
        let doc = &imported.documents[0];
        assert_eq!(doc.slug, "a-letter");
        assert_eq!(
            doc.meta.get("date").and_then(Value::as_str),
            Some("1956-09-19")
        );
        assert_eq!(
            doc.texts[0].1,
            "19 Sept.\n\nDear *friend*,[^7]\n\n{pb 2} More Kim.\n\n[^7]: A note.\n"
        );
        // The unknown person and the figure: warnings at their places.
        let messages: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("t.xml:5:") && messages[0].contains("#nobody"));
        assert!(messages[1].contains("t.xml:6:") && messages[1].contains("<figure>"));
    }

    #[test]
    fn notes_without_numbers_or_twice_numbered_are_warned_and_labelled() {
        let (imported, diagnostics) = read_str(
            r##"<TEI><text><body><div type="document" n="1"><head>1. T</head>
            <dateline><date when="1958-01-01"/></dateline>
            <p>a<note>x</note> b<note n="1">y</note></p></div></body></text></TEI>"##,
        );
        let text = &imported.documents[0].texts[0].1;
        assert!(text.contains("a[^1] b[^1-2]"), "{text}");
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(
            imported.documents[0]
                .meta
                .get("title")
                .and_then(Value::as_str),
            Some("T")
        );
    }

    #[test]
    fn a_table_is_a_gfm_table() {
        let (imported, _) = read_str(
            r##"<TEI><text><body><p>x</p><table><row><cell>Army</cell><cell>566,960</cell></row>
            <row><cell>Navy</cell><cell>16|600</cell></row></table></body></text></TEI>"##,
        );
        assert_eq!(
            imported.documents[0].texts[0].1,
            "x\n\n| Army | 566,960 |\n| --- | --- |\n| Navy | 16\\|600 |\n"
        );
    }
}
