//! How to cite a document: one [`Reference`] per document, what any citation of it
//! says (who wrote and who translated it, when, where the original is kept, in which
//! edition, at which address), and that reference written out as a Chicago-style
//! citation for the document's page and in the formats reference managers import:
//! BibTeX, RIS and CSL-JSON.
//!
//! The formats differ in what they can say; each writer tells which fields it gives
//! and what citation-js reads of them (`site-tests/js/parse-citations.mjs` reads the
//! three back). Names are split into family and given names once, by [`Name::new`].
//!
//! Not here: which files carry these citations and under which addresses (that is
//! the outputs'), whether the edition has a public address (a reference is given its
//! URL or none), citing anything but a document.

use crate::html::escape;
use crate::model::{
    collapse_spaces, Archive, Document, EntityKind, EntityRef, PartialDate, Registers, SiteConfig,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// A citation as plain text (to copy) and as HTML (to show, with the edition's title
/// in italics).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Citation {
    pub text: String,
    pub html: String,
}

/// A person's name as citations write it: whole, or family name first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Name {
    /// As the edition shows it: "Anastas Mikoyan", "Kim Il Sung".
    pub display: String,
    /// "Mikoyan", "Kim"; a name of one word is all family name.
    pub family: String,
    /// "Anastas", "Il Sung".
    pub given: Option<String>,
}

impl Name {
    /// Splits `display` into family and given names. A sort name says which is which:
    /// "Mikoyan, Anastas" (family, given), or without a comma the name written family
    /// name first ("Kim Il Sung", "Mao Zedong"), as the register sorts it. Without
    /// one, a name with a comma is read the same way, and any other is given names
    /// then the family name ("Gary Goldberg").
    pub(super) fn new(display: &str, sort_name: Option<&str>) -> Name {
        let display = collapse_spaces(display);
        let sort_name = sort_name.map(collapse_spaces).filter(|s| !s.is_empty());
        let given = |g: &str| Some(g.trim().to_string()).filter(|g| !g.is_empty());
        let (family, given) = match sort_name.as_deref().unwrap_or(&display) {
            written if written.contains(',') => {
                let (family, rest) = written.split_once(',').expect("has a comma");
                (family.trim().to_string(), given(rest))
            }
            written if sort_name.is_some() => match written.split_once(' ') {
                Some((family, rest)) => (family.to_string(), given(rest)),
                None => (written.to_string(), None),
            },
            written => match written.rsplit_once(' ') {
                Some((rest, family)) => (family.to_string(), given(rest)),
                None => (written.to_string(), None),
            },
        };
        Name {
            display,
            family,
            given,
        }
    }
}

/// A translation of the document cited (into another language than the original's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Translation {
    /// Language code ("en").
    pub lang: String,
    /// "English".
    pub language: String,
    pub translator: Name,
}

/// The edition a document is cited in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Container {
    pub title: String,
    pub editors: Vec<Name>,
    pub publisher: Option<String>,
}

/// What a citation says of a document, made once and written in each format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct Reference {
    pub title: String,
    pub date: PartialDate,
    /// The kind of document in the editor's words ("telegram", "record of
    /// conversation").
    pub kind: Option<String>,
    /// The people of the register with the role `author` or `sender`, in that order.
    pub authors: Vec<Name>,
    /// The people of the register with the role `recipient` or `addressee`.
    pub recipients: Vec<Name>,
    /// By language code; the translator's name is the register's when they are a
    /// person of it.
    pub translations: Vec<Translation>,
    /// The original's language code ("ru"), and its name ("Russian").
    pub language: Option<(String, String)>,
    /// The repository keeping the original ("State Archive of the Russian Federation
    /// (GARF)").
    pub archive: Option<String>,
    /// Where in it: the archival reference without the repository ("f. 5446, op. 98c,
    /// d. 718, ll. 12-16").
    pub archive_location: Option<String>,
    pub container: Container,
    /// The editor's summary, as an abstract.
    pub summary: Option<String>,
    /// The document's page; None when the edition has no public address.
    pub url: Option<String>,
    /// The names of the document's tags.
    pub keywords: Vec<String>,
}

impl Reference {
    /// The reference to `document` in the edition `site`, its people named as the
    /// register has them, its address `url`.
    pub(super) fn of(
        document: &Document,
        registers: &Registers,
        site: &SiteConfig,
        url: Option<&str>,
    ) -> Reference {
        let meta = &document.meta;
        let people = |roles: &[&str]| -> Vec<Name> {
            let mut ids: Vec<&String> = Vec::new();
            for role in roles {
                for id in meta.roles.get(*role).into_iter().flatten() {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            ids.into_iter()
                .filter_map(|id| registers.people.get(id))
                .map(|p| Name::new(&p.name, p.sort_name.as_deref()))
                .collect()
        };
        let original = document.original_language();
        let translations = meta
            .translators
            .iter()
            .filter(|(lang, _)| lang.as_str() != original)
            .map(|(lang, written)| {
                let person = registers
                    .person_named(written)
                    .and_then(|id| registers.people.get(id));
                Translation {
                    lang: lang.clone(),
                    language: site.language_name(lang).to_string(),
                    translator: match person {
                        Some(p) => Name::new(&p.name, p.sort_name.as_deref()),
                        None => Name::new(written, None),
                    },
                }
            })
            .collect();
        let text = |s: &str| Some(collapse_spaces(s)).filter(|s| !s.is_empty());
        let archive = meta.archive.as_ref();
        let location = archive.and_then(|a| {
            text(
                &Archive {
                    repository: None,
                    ..a.clone()
                }
                .citation(),
            )
        });
        Reference {
            title: collapse_spaces(&meta.title),
            date: meta.date,
            kind: meta.kind.as_deref().and_then(text),
            authors: people(&["author", "sender"]),
            recipients: people(&["recipient", "addressee"]),
            translations,
            language: (!original.is_empty()).then(|| {
                (
                    original.to_string(),
                    site.language_name(original).to_string(),
                )
            }),
            archive: archive.and_then(|a| a.repository.as_deref()).and_then(text),
            archive_location: location,
            container: Container {
                title: collapse_spaces(&site.title),
                editors: site.editors.iter().map(|e| Name::new(e, None)).collect(),
                publisher: site.publisher.as_deref().and_then(text),
            },
            summary: meta.summary.as_deref().and_then(text),
            url: url.and_then(text),
            keywords: meta
                .tags
                .iter()
                .map(|tag| tag_name(site, registers, tag).to_string())
                .collect(),
        }
    }

    /// `Anastas Mikoyan, "Title," September 16, 1956, Archive, f. 5446, op. 98c, d. 717.
    /// Translated by X. In Edition, edited by Y. URL.` A part that ends a sentence
    /// already ("… Repeated to Tokyo.") is not given a second full stop; without a
    /// URL the citation ends with the edition.
    pub(super) fn chicago(&self) -> Citation {
        let mut head = String::new();
        if !self.authors.is_empty() {
            head.push_str(&in_words(&self.authors));
            head.push_str(", ");
        }
        let title = &self.title;
        if title.ends_with(['?', '!']) {
            head.push_str(&format!("\u{201c}{title}\u{201d}"));
        } else {
            head.push_str(&format!("\u{201c}{title},\u{201d}"));
        }
        head.push(' ');
        head.push_str(&self.date.american());
        if let Some(archive) = self.archive_citation() {
            head.push_str(", ");
            head.push_str(&archive);
        }
        head.push_str(stop(&head));
        let translation = match self.translation_sentence() {
            Some(sentence) => format!(" {sentence}"),
            None => String::new(),
        };
        let container = &self.container;
        let editors = match container.editors.as_slice() {
            [] => String::new(),
            editors => format!(", edited by {}", in_words(editors)),
        };
        let end = stop(if editors.is_empty() {
            &container.title
        } else {
            &editors
        });
        let mut text = format!("{head}{translation} In {}{editors}{end}", container.title);
        let mut html = format!(
            "{}{} In <i>{}</i>{}{end}",
            escape(&head),
            escape(&translation),
            escape(&container.title),
            escape(&editors)
        );
        if let Some(url) = &self.url {
            let end = stop(url);
            text.push_str(&format!(" {url}{end}"));
            html.push_str(&format!(
                " <a href=\"{}\">{}</a>{end}",
                escape(url),
                escape(url)
            ));
        }
        Citation { text, html }
    }

    /// A BibTeX entry, `@unpublished` (citation-js reads it as a manuscript), keyed
    /// `key` (less the characters a key cannot have), for BibTeX and biblatex alike:
    /// `date` for biblatex and `year`/`month` for BibTeX; `note` says where the
    /// original is and who translated it, the one field BibTeX's styles print of
    /// those; `translator`, `language` (biblatex's key: "russian"), `type` (the kind),
    /// `booktitle`, `editor`, `publisher` (the edition), `url`, `abstract` and
    /// `keywords` for biblatex and reference managers. Text is kept in Unicode, the
    /// characters BibTeX gives a meaning escaped, and the capitals of titles kept
    /// with braces (the first word's first letter excepted).
    ///
    /// citation-js (`@biblatex/text`, what it takes a `.bib` for) reads it all as
    /// written but the archive, which it has no field for (it keeps `note`), and the
    /// language, which it keeps as the key ("russian", not "ru"); the recipients are
    /// not written (BibTeX has no field for them). Its plain BibTeX reading
    /// (`@bibtex/text`) also drops `date` (the day), the translator, the language, the
    /// abstract and the keywords.
    pub(super) fn bibtex(&self, key: &str) -> String {
        let mut fields: Vec<(&str, String)> = Vec::new();
        if !self.authors.is_empty() {
            fields.push(("author", tex_names(&self.authors)));
        }
        fields.push(("title", tex_title(&self.title)));
        if let Some(kind) = &self.kind {
            fields.push(("type", tex(kind)));
        }
        fields.push(("date", self.date.to_string()));
        fields.push(("year", self.date.year.to_string()));
        let translators: Vec<Name> = self
            .translations
            .iter()
            .map(|t| t.translator.clone())
            .collect();
        if !translators.is_empty() {
            fields.push(("translator", tex_names(&translators)));
        }
        if let Some((_, name)) = &self.language {
            fields.push(("language", tex_list_item(&name.to_lowercase())));
        }
        let container = &self.container;
        fields.push(("booktitle", tex_title(&container.title)));
        if !container.editors.is_empty() {
            fields.push(("editor", tex_names(&container.editors)));
        }
        if let Some(publisher) = &container.publisher {
            fields.push(("publisher", tex_list_item(publisher)));
        }
        let note: Vec<String> = self
            .archive_citation()
            .map(|archive| format!("{archive}{}", stop(&archive)))
            .into_iter()
            .chain(self.translation_sentence())
            .collect();
        if !note.is_empty() {
            fields.push(("note", tex(&note.join(" "))));
        }
        if let Some(url) = &self.url {
            fields.push(("url", tex_url(url)));
        }
        if let Some(summary) = &self.summary {
            fields.push(("abstract", tex(summary)));
        }
        if !self.keywords.is_empty() {
            let keywords: Vec<String> = self
                .keywords
                .iter()
                .map(|k| match tex(k) {
                    k if k.contains(',') => format!("{{{k}}}"),
                    k => k,
                })
                .collect();
            fields.push(("keywords", keywords.join(", ")));
        }
        let key: String = key
            .chars()
            .map(|c| match c {
                c if c.is_whitespace() || "\"#%'(),={}~\\".contains(c) => '-',
                c => c,
            })
            .collect();
        let mut entry = format!("@unpublished{{{key},\n");
        for (name, value) in fields {
            entry.push_str(&format!("  {name} = {{{value}}},\n"));
            if name == "year" {
                // A month is a macro of BibTeX's, written without braces.
                if let Some(month) = self.date.month {
                    entry.push_str(&format!("  month = {},\n", MONTHS[usize::from(month) - 1]));
                }
            }
        }
        entry.push_str("}\n");
        entry
    }

    /// A RIS record, `TY  - MANSCPT`, its lines ended by CR LF as the format's
    /// specification has them: TI, AU (each author), A4 (each translator), DA
    /// (`1956/09/21/`), PY, M3 (the kind), LA (the code), PB (the archive) and AV
    /// (where in it), T2 (the edition), AB, KW (each), UR, N1 (who translated it).
    /// RIS has no place for recipients, nor for the edition's editors and publisher.
    ///
    /// citation-js reads a manuscript's PB as its archive, AV as its archive
    /// location and T2 as its collection title, the keywords joined by commas; it
    /// drops A4 (no manuscript has translators in its RIS), which N1 says again, and
    /// gives the item an id of its own (RIS has none here).
    pub(super) fn ris(&self) -> String {
        let mut lines: Vec<(&str, String)> = vec![("TY", "MANSCPT".into())];
        lines.push(("TI", self.title.clone()));
        for author in &self.authors {
            lines.push(("AU", comma_name(author)));
        }
        for translation in &self.translations {
            lines.push(("A4", comma_name(&translation.translator)));
        }
        let part = |p: Option<u8>| p.map(|p| format!("{p:02}")).unwrap_or_default();
        let date = &self.date;
        lines.push((
            "DA",
            format!("{:04}/{}/{}/", date.year, part(date.month), part(date.day)),
        ));
        lines.push(("PY", format!("{:04}", date.year)));
        if let Some(kind) = &self.kind {
            lines.push(("M3", kind.clone()));
        }
        if let Some((code, _)) = &self.language {
            lines.push(("LA", code.clone()));
        }
        if let Some(archive) = &self.archive {
            lines.push(("PB", archive.clone()));
        }
        if let Some(location) = &self.archive_location {
            lines.push(("AV", location.clone()));
        }
        lines.push(("T2", self.container.title.clone()));
        if let Some(summary) = &self.summary {
            lines.push(("AB", summary.clone()));
        }
        for keyword in &self.keywords {
            lines.push(("KW", keyword.clone()));
        }
        if let Some(url) = &self.url {
            lines.push(("UR", url.clone()));
        }
        if let Some(sentence) = self.translation_sentence() {
            lines.push(("N1", sentence));
        }
        lines.push(("ER", String::new()));
        lines
            .into_iter()
            .map(|(tag, value)| format!("{tag}  - {value}\r\n"))
            .collect()
    }

    /// CSL-JSON: an array of one item, `id` its id, of type `manuscript`, or
    /// `personal_communication` (CSL's type for letters: it has no `letter`) when the
    /// kind is a letter, telegram or cable, the kind itself as `genre`. Every part of
    /// the reference has a variable of its own here (`archive`, `archive_location`,
    /// `recipient`, `container-title` for the edition...), the keywords one string
    /// joined by commas as citation-js joins them from the other formats; citation-js
    /// reads it all back as written. (From BibTeX and RIS it reads a letter as a
    /// manuscript.)
    pub(super) fn csl_json(&self, id: &str) -> Value {
        let names = |names: &[Name]| -> Value {
            names
                .iter()
                .map(|n| {
                    let mut name = Map::new();
                    name.insert("family".into(), json!(n.family));
                    if let Some(given) = &n.given {
                        name.insert("given".into(), json!(given));
                    }
                    Value::Object(name)
                })
                .collect()
        };
        let letter = self.kind.as_deref().is_some_and(|kind| {
            let kind = kind.to_lowercase();
            ["letter", "telegram", "cable"]
                .iter()
                .any(|k| kind.contains(k))
        });
        let mut item = Map::new();
        item.insert("id".into(), json!(id));
        let kind = if letter {
            "personal_communication"
        } else {
            "manuscript"
        };
        item.insert("type".into(), json!(kind));
        item.insert("title".into(), json!(self.title));
        let mut put = |key: &str, value: Value| {
            let empty = match &value {
                Value::Null => true,
                Value::Array(a) => a.is_empty(),
                _ => false,
            };
            if !empty {
                item.insert(key.into(), value);
            }
        };
        put("author", names(&self.authors));
        put("recipient", names(&self.recipients));
        let translators: Vec<Name> = self
            .translations
            .iter()
            .map(|t| t.translator.clone())
            .collect();
        put("translator", names(&translators));
        let date = &self.date;
        let parts: Vec<i32> = [Some(date.year)]
            .into_iter()
            .chain([date.month, date.day].map(|p| p.map(i32::from)))
            .map_while(|p| p)
            .collect();
        put("issued", json!({ "date-parts": [parts] }));
        put("genre", json!(self.kind));
        put(
            "language",
            json!(self.language.as_ref().map(|(code, _)| code)),
        );
        put("archive", json!(self.archive));
        put("archive_location", json!(self.archive_location));
        put("container-title", json!(self.container.title));
        put("editor", names(&self.container.editors));
        put("publisher", json!(self.container.publisher));
        put("abstract", json!(self.summary));
        if !self.keywords.is_empty() {
            put("keyword", json!(self.keywords.join(",")));
        }
        put("URL", json!(self.url));
        Value::Array(vec![Value::Object(item)])
    }

    /// "State Archive of the Russian Federation (GARF), f. 5446, op. 98c, d. 718".
    fn archive_citation(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.archive, &self.archive_location]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// "Translated by X." (one translation) or "English translation by X; German
    /// translation by Y." (several); None without a translation.
    fn translation_sentence(&self) -> Option<String> {
        let sentence = match self.translations.as_slice() {
            [] => return None,
            [one] => format!("Translated by {}", one.translator.display),
            several => several
                .iter()
                .map(|t| format!("{} translation by {}", t.language, t.translator.display))
                .collect::<Vec<_>>()
                .join("; "),
        };
        Some(format!("{sentence}{}", stop(&sentence)))
    }
}

/// The name `tag` is shown by: the one `site.yaml` gives it (`tags:`), else that of
/// the register entry with the same id ("mao-zedong": Mao Zedong, "kwp": KWP), else
/// the tag as written.
pub(super) fn tag_name<'a>(
    site: &'a SiteConfig,
    registers: &'a Registers,
    tag: &'a str,
) -> &'a str {
    if let Some(name) = site.tags.get(tag) {
        return name;
    }
    EntityKind::ALL
        .into_iter()
        .find_map(|kind| {
            registers.name(&EntityRef {
                kind,
                id: tag.into(),
            })
        })
        .unwrap_or(tag)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A full stop to end a sentence with `text`, unless it ends one already.
fn stop(text: &str) -> &'static str {
    if text.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    }
}

/// "A", "A and B", "A, B and C".
fn in_words(names: &[Name]) -> String {
    match names {
        [] => String::new(),
        [one] => one.display.clone(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(|n| n.display.as_str()).collect();
            format!("{} and {}", rest.join(", "), last.display)
        }
    }
}

/// "Mikoyan, Anastas"; a name of one word alone.
fn comma_name(name: &Name) -> String {
    match &name.given {
        Some(given) => format!("{}, {given}", name.family),
        None => name.family.clone(),
    }
}

/// Text for a BibTeX field: the characters BibTeX or TeX give a meaning escaped,
/// everything else (Cyrillic, accents) as it is.
fn tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

/// A title for BibTeX: [`tex`], with each word that has a capital in braces, so that
/// styles which lower the case of titles keep the edition's (the first word is left
/// alone when only its first letter is a capital: no style lowers that one).
fn tex_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 16);
    let mut first = true;
    let mut rest = title;
    while let Some(c) = rest.chars().next() {
        if !c.is_alphanumeric() {
            out.push_str(&tex(&rest[..c.len_utf8()]));
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word = &rest[..word_end(rest)];
        let capitals = word.chars().filter(|c| c.is_uppercase()).count();
        let initial_only = capitals == 1 && word.starts_with(char::is_uppercase);
        if capitals > 0 && !(first && initial_only) {
            out.push('{');
            out.push_str(word);
            out.push('}');
        } else {
            out.push_str(word);
        }
        first = false;
        rest = &rest[word.len()..];
    }
    out
}

/// Where the word at the start of `text` ends: letters and digits, and hyphens and
/// apostrophes between two of them ("Soviet-Chinese", "Worker's").
fn word_end(text: &str) -> usize {
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let joins = matches!(c, '-' | '\'' | '\u{2019}')
            && end == at
            && chars.peek().is_some_and(|(_, next)| next.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            end = at + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Names for BibTeX, "Family, Given and Family, Given".
fn tex_names(names: &[Name]) -> String {
    let part = |s: &str| tex_list_item(s).replace(',', "{,}");
    names
        .iter()
        .map(|n| match &n.given {
            Some(given) => format!("{}, {}", part(&n.family), part(given)),
            None => part(&n.family),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// An item of a BibTeX list (names, publishers): [`tex`], in braces if it has the
/// word "and", which would split it.
fn tex_list_item(text: &str) -> String {
    let escaped = tex(text);
    if text
        .split_whitespace()
        .any(|w| w.eq_ignore_ascii_case("and"))
    {
        format!("{{{escaped}}}")
    } else {
        escaped
    }
}

/// A URL for BibTeX's `url` (read verbatim): the characters that would end the field
/// or the entry, percent-encoded.
fn tex_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentMeta, Person, Source};

    fn document(front_matter: &str) -> Document {
        Document {
            id: "t".into(),
            meta: serde_yaml::from_str::<DocumentMeta>(front_matter).unwrap(),
            headnote: Source::file("x".into(), String::new()),
            texts: Vec::new(),
            metadata_source: String::new(),
            files: Vec::new(),
            fingerprint: 0,
            released: None,
        }
    }

    fn site(yaml: &str) -> SiteConfig {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn registers() -> Registers {
        let mut registers = Registers::default();
        let person = |yaml: &str| serde_yaml::from_str::<Person>(yaml).unwrap();
        registers.people.insert(
            "anastas-mikoyan".into(),
            person(
                "name: Anastas Mikoyan\nsort_name: \"Mikoyan, Anastas\"\n\
                 names: {ru: \"Анастас Иванович Микоян\"}\naliases: [\"А. Микоян\"]",
            ),
        );
        registers.people.insert(
            "kim-il-sung".into(),
            person("name: Kim Il Sung\nsort_name: Kim Il Sung"),
        );
        registers.people.insert(
            "gary-goldberg".into(),
            person("name: Gary Goldberg\nsort_name: \"Goldberg, Gary\""),
        );
        registers
    }

    /// The document the exact outputs of each format are of: a Cyrillic title, an
    /// author, an addressee and a translator of the register, an archive.
    fn telegram() -> Reference {
        let document = document(
            "title: \"Телеграмма А. Микояна в ЦК КПСС\"\ndate: 1956-09-21\ntype: telegram\n\
             original_language: ru\nsummary: \"Kim agrees to revoke the\n  expulsions.\"\n\
             archive: {repository: \"GARF\", fond: 5446, opis: \"98c\", delo: 718, listy: \"12-16\"}\n\
             translators: {en: gary-goldberg}\n\
             roles: {author: anastas-mikoyan, addressee: kim-il-sung}\n\
             tags: [korea, kim-il-sung]\n",
        );
        let site = site(
            "title: \"Pyongyang & Beijing\"\neditors: [\"Ann Lee\", \"Bo Chen\"]\n\
             publisher: \"The dossier project\"\ntags: {korea: Korea}\n",
        );
        Reference::of(
            &document,
            &registers(),
            &site,
            Some("https://ex.org/documents/t/"),
        )
    }

    #[test]
    fn names_are_split_by_the_sort_name_else_last_word_last() {
        let split = |display, sort| {
            let n = Name::new(display, sort);
            (n.family, n.given)
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            split("Anastas Mikoyan", Some("Mikoyan, Anastas")),
            ("Mikoyan".into(), some("Anastas"))
        );
        assert_eq!(
            split("Kim Il Sung", Some("Kim Il Sung")),
            ("Kim".into(), some("Il Sung"))
        );
        assert_eq!(
            split("Gary  Goldberg", None),
            ("Goldberg".into(), some("Gary"))
        );
        assert_eq!(
            split("Goldberg, Gary", None),
            ("Goldberg".into(), some("Gary"))
        );
        assert_eq!(split("Stalin", Some("Stalin")), ("Stalin".into(), None));
        assert_eq!(split("Stalin", None), ("Stalin".into(), None));
        assert_eq!(Name::new("Gary  Goldberg", None).display, "Gary Goldberg");
    }

    #[test]
    fn a_reference_names_people_as_the_register_does() {
        let r = telegram();
        assert_eq!(
            r.authors,
            vec![Name::new("Anastas Mikoyan", Some("Mikoyan, Anastas"))]
        );
        assert_eq!(r.recipients[0].family, "Kim");
        // The translator is written by id in the front matter.
        assert_eq!(r.translations[0].translator.display, "Gary Goldberg");
        assert_eq!(r.archive.as_deref(), Some("GARF"));
        assert_eq!(
            r.archive_location.as_deref(),
            Some("f. 5446, op. 98c, d. 718, ll. 12-16")
        );
        assert_eq!(r.keywords, ["Korea", "Kim Il Sung"]);
        assert_eq!(
            r.summary.as_deref(),
            Some("Kim agrees to revoke the expulsions.")
        );
    }

    #[test]
    fn chicago_style_with_archive_translator_and_editors() {
        let document = document(
            "title: \"Telegram from A. Mikoyan\"\ndate: 1956-09-21\noriginal_language: ru\n\
             archive: {repository: \"GARF\", fond: 5446, opis: \"98c\", delo: 718, listy: \"12-16\"}\n\
             translators: {en: \"Gary Goldberg\"}\n",
        );
        let site = site("title: \"Pyongyang & Beijing\"\neditors: [\"A\", \"B\", \"C\"]");
        let r = Reference::of(
            &document,
            &Registers::default(),
            &site,
            Some("https://ex.org/documents/t/"),
        );
        let c = r.chicago();
        assert_eq!(
            c.text,
            "\u{201c}Telegram from A. Mikoyan,\u{201d} September 21, 1956, GARF, f. 5446, op. 98c, \
             d. 718, ll. 12-16. Translated by Gary Goldberg. In Pyongyang & Beijing, edited by A, B \
             and C. https://ex.org/documents/t/."
        );
        assert_eq!(
            c.html,
            "\u{201c}Telegram from A. Mikoyan,\u{201d} September 21, 1956, GARF, f. 5446, op. 98c, \
             d. 718, ll. 12-16. Translated by Gary Goldberg. In <i>Pyongyang &amp; Beijing</i>, \
             edited by A, B and C. <a href=\"https://ex.org/documents/t/\">\
             https://ex.org/documents/t/</a>."
        );
        // With the register's people: the author first, the translator by name.
        assert_eq!(
            telegram().chicago().text,
            "Anastas Mikoyan, \u{201c}Телеграмма А. Микояна в ЦК КПСС,\u{201d} September 21, \
             1956, GARF, f. 5446, op. 98c, d. 718, ll. 12-16. Translated by Gary Goldberg. In \
             Pyongyang & Beijing, edited by Ann Lee and Bo Chen. https://ex.org/documents/t/."
        );
    }

    #[test]
    fn without_an_address_the_citation_ends_with_the_edition() {
        let document = document("title: \"Why?\"\ndate: 1956-09\n");
        let site = site("title: \"Pyongyang\"");
        let r = Reference::of(&document, &Registers::default(), &site, None);
        let c = r.chicago();
        assert_eq!(c.text, "\u{201c}Why?\u{201d} September 1956. In Pyongyang.");
        assert_eq!(
            c.html,
            "\u{201c}Why?\u{201d} September 1956. In <i>Pyongyang</i>."
        );
        assert!(!r.ris().contains("UR  -"), "{}", r.ris());
        assert!(!r.bibtex("t").contains("url"), "{}", r.bibtex("t"));
        assert!(r.csl_json("t")[0].get("URL").is_none());
    }

    #[test]
    fn a_part_ending_a_sentence_gets_no_second_full_stop() {
        let document = document(
            "title: \"Cable\"\ndate: 1956-09-16\n\
             archive: {repository: \"MOFA\", reference: \"Copy. Repeated to Tokyo.\"}\n\
             translators: {en: \"John Smith Jr.\"}\n",
        );
        let site = site("title: \"What Happened?\"");
        let r = Reference::of(
            &document,
            &Registers::default(),
            &site,
            Some("https://ex.org/c/"),
        );
        assert_eq!(
            r.chicago().text,
            "\u{201c}Cable,\u{201d} September 16, 1956, MOFA, Copy. Repeated to Tokyo. Translated \
             by John Smith Jr. In What Happened? https://ex.org/c/."
        );
        assert!(
            r.bibtex("c")
                .contains("note = {MOFA, Copy. Repeated to Tokyo. Translated by John Smith Jr.},"),
            "{}",
            r.bibtex("c")
        );
    }

    #[test]
    fn bibtex_keeps_unicode_and_escapes_what_tex_reads() {
        assert_eq!(
            tex("a{b}c\\d%e&f$g#h_i~j^k Ж"),
            "a\\{b\\}c\\textbackslash{}d\\%e\\&f\\$g\\#h\\_i\\textasciitilde{}j\\textasciicircum{}k Ж"
        );
        assert_eq!(
            tex_title("Telegram from A. Mikoyan to the CPSU: Soviet-Chinese talks & 8th Worker's"),
            "Telegram from {A}. {Mikoyan} to the {CPSU}: {Soviet-Chinese} talks \\& 8th {Worker's}"
        );
        assert_eq!(tex_title("iPhone notes"), "{iPhone} notes");
        assert_eq!(tex_title("CPSU talks"), "{CPSU} talks");
        assert_eq!(
            tex_names(&[Name::new("Ross and Co", None), Name::new("Ann Lee", None)]),
            "Co, {Ross and} and Lee, Ann"
        );
        assert_eq!(
            tex_url("https://ex.org/a b{c}"),
            "https://ex.org/a%20b%7Bc%7D"
        );
    }

    #[test]
    fn bibtex_of_a_document() {
        assert_eq!(
            telegram().bibtex("mikoyan telegram"),
            "@unpublished{mikoyan-telegram,\n\
             \x20 author = {Mikoyan, Anastas},\n\
             \x20 title = {Телеграмма {А}. {Микояна} в {ЦК} {КПСС}},\n\
             \x20 type = {telegram},\n\
             \x20 date = {1956-09-21},\n\
             \x20 year = {1956},\n\
             \x20 month = sep,\n\
             \x20 translator = {Goldberg, Gary},\n\
             \x20 language = {russian},\n\
             \x20 booktitle = {Pyongyang \\& {Beijing}},\n\
             \x20 editor = {Lee, Ann and Chen, Bo},\n\
             \x20 publisher = {The dossier project},\n\
             \x20 note = {GARF, f. 5446, op. 98c, d. 718, ll. 12-16. Translated by Gary Goldberg.},\n\
             \x20 url = {https://ex.org/documents/t/},\n\
             \x20 abstract = {Kim agrees to revoke the expulsions.},\n\
             \x20 keywords = {Korea, Kim Il Sung},\n\
             }\n"
        );
    }

    #[test]
    fn ris_of_a_document() {
        assert_eq!(
            telegram().ris(),
            "TY  - MANSCPT\r\n\
             TI  - Телеграмма А. Микояна в ЦК КПСС\r\n\
             AU  - Mikoyan, Anastas\r\n\
             A4  - Goldberg, Gary\r\n\
             DA  - 1956/09/21/\r\n\
             PY  - 1956\r\n\
             M3  - telegram\r\n\
             LA  - ru\r\n\
             PB  - GARF\r\n\
             AV  - f. 5446, op. 98c, d. 718, ll. 12-16\r\n\
             T2  - Pyongyang & Beijing\r\n\
             AB  - Kim agrees to revoke the expulsions.\r\n\
             KW  - Korea\r\n\
             KW  - Kim Il Sung\r\n\
             UR  - https://ex.org/documents/t/\r\n\
             N1  - Translated by Gary Goldberg.\r\n\
             ER  - \r\n"
        );
        let year_only = Reference {
            date: PartialDate::parse("1956").unwrap(),
            ..telegram()
        };
        assert!(year_only.ris().contains("DA  - 1956///\r\n"));
    }

    #[test]
    fn csl_json_of_a_document() {
        assert_eq!(
            telegram().csl_json("t"),
            json!([{
                "id": "t",
                "type": "personal_communication",
                "genre": "telegram",
                "title": "Телеграмма А. Микояна в ЦК КПСС",
                "author": [{"family": "Mikoyan", "given": "Anastas"}],
                "recipient": [{"family": "Kim", "given": "Il Sung"}],
                "translator": [{"family": "Goldberg", "given": "Gary"}],
                "issued": {"date-parts": [[1956, 9, 21]]},
                "language": "ru",
                "archive": "GARF",
                "archive_location": "f. 5446, op. 98c, d. 718, ll. 12-16",
                "container-title": "Pyongyang & Beijing",
                "editor": [{"family": "Lee", "given": "Ann"}, {"family": "Chen", "given": "Bo"}],
                "publisher": "The dossier project",
                "abstract": "Kim agrees to revoke the expulsions.",
                "keyword": "Korea,Kim Il Sung",
                "URL": "https://ex.org/documents/t/"
            }])
        );
        let record = Reference {
            kind: Some("record of conversation".into()),
            date: PartialDate::parse("1956-09").unwrap(),
            ..telegram()
        };
        let item = &record.csl_json("t")[0];
        assert_eq!(item["type"], "manuscript");
        assert_eq!(item["issued"], json!({"date-parts": [[1956, 9]]}));
    }
}
