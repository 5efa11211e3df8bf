//! Reading archive text exports: the plain-text (loosely Markdown) export of a
//! document page of an online archive such as the Wilson Center Digital Archive,
//! like the seed files.
//!
//! Such a file has a header of labelled fields (a date and a title, then
//! `Citation:`, `Summary:`, `Original Language:`, `Contents:`; the exports mark them
//! up differently: plain, bold, or as headings) followed by the texts the `Contents`
//! listing names: the original's transcript, then a translation. The reader takes
//! the metadata from the header (the archival reference from the citation), tells
//! the texts apart by their script, drops the page furniture of the export (scan
//! captions, the archive's banner), turns folio and page numbers standing in the
//! running text into `{pb N}` and the legacy marks of handwriting into CriticMarkup.
//! A file without a header holds one more text of a document whose header is in
//! another file; [`attach_headerless`] gives it to that document.
//!
//! It does not correct the texts (OCR errors stay as they are), does not find
//! mentions of register entries (the build does), and does not guess what it cannot
//! place: a header line it does not understand is a warning at its line and left out.

use super::{Imported, ImportedDocument};
use crate::diagnostics::{Diagnostics, Position};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// Reads one export. A file with a header gives one document; a file without one
/// gives a document without `title` whose single text [`attach_headerless`] moves
/// to the document it belongs to.
pub(crate) fn read(path: &Path, text: &str, diagnostics: &mut Diagnostics) -> Imported {
    let lines: Vec<Line> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(i, l)| Line {
            number: i + 1,
            text: l.trim_end_matches('\r').to_string(),
        })
        .collect();
    let mut warn = |line: &Line, message: String| {
        diagnostics.warning(path, line.position(), message);
    };
    let header = read_header(&lines, &mut warn);
    let body_start = header.as_ref().map_or(0, |h| h.body_start);
    let body = clean_body(&lines[body_start..], header.as_ref());
    let blocks = paragraphs(&body);

    let mut document = ImportedDocument {
        from: vec![path.to_path_buf()],
        ..Default::default()
    };
    let Some(header) = header else {
        // One text, in the language its script says (see `language_of_script`).
        let script = majority_script(&blocks);
        let lang = language_of_script(script).to_string();
        let text = to_markdown(&blocks, None, &mut warn);
        if !text.trim().is_empty() {
            document.texts.push((lang, text));
        }
        return Imported {
            documents: vec![document],
            ..Default::default()
        };
    };

    let original = header
        .original_language
        .clone()
        .unwrap_or_else(|| language_of_script(majority_script(&blocks)).to_string());
    let translation = header.translation_language.clone();
    let listy = header
        .archive
        .iter()
        .find(|(k, _)| k == "listy")
        .and_then(|(_, v)| range_of(v));
    let (original_blocks, translation_blocks) = match &translation {
        Some(lang) if script_of_language(lang) != script_of_language(&original) => split_by_script(
            &blocks,
            script_of_language(&original),
            script_of_language(lang),
        ),
        Some(lang) => {
            if let Some(line) = lines.get(header.body_start) {
                warn(
                    line,
                    format!("the original ({original}) and the translation ({lang}) are in one script and cannot be told apart: all of the text is taken as the original; move the translation to {lang}.md by hand"),
                );
            }
            (blocks.as_slice(), &blocks[blocks.len()..])
        }
        None => (blocks.as_slice(), &blocks[blocks.len()..]),
    };
    if header.has_original_text || translation.is_none() {
        let text = to_markdown(original_blocks, listy, &mut warn);
        if !text.trim().is_empty() {
            document.texts.push((original.clone(), text));
        }
    }
    if let Some(lang) = &translation {
        let text = to_markdown(translation_blocks, None, &mut warn);
        if !text.trim().is_empty() {
            document.texts.push((lang.clone(), text));
        } else if let Some(line) = lines.get(header.body_start) {
            warn(
                line,
                format!(
                    "the contents list a translation ({lang}), but no text in its script was found"
                ),
            );
        }
    }

    let title = header.title.clone().unwrap_or_default();
    document.slug = slug_of(&title);
    let meta = &mut document.meta;
    let mut put = |key: &str, value: Value| {
        meta.insert(key.into(), value);
    };
    put("title", title.as_str().into());
    if let Some(date) = &header.date {
        put("date", date.as_str().into());
    }
    if let Some(kind) = type_of(&title) {
        put("type", kind.into());
    }
    if let Some(summary) = &header.summary {
        put("summary", summary.as_str().into());
    }
    put("original_language", original.as_str().into());
    if !header.archive.is_empty() {
        let mut archive = Mapping::new();
        for (key, value) in &header.archive {
            archive.insert(key.as_str().into(), value.as_str().into());
        }
        put("archive", Value::Mapping(archive));
    }
    if let Some(url) = &header.source_url {
        put("source_url", url.as_str().into());
    }
    if let Some(translator) = &header.translator {
        // The archive's translations are English; a translator named without a
        // translation in the contents is taken as the English one's.
        let lang = translation.clone().unwrap_or_else(|| "en".to_string());
        let mut translators = Mapping::new();
        translators.insert(lang.into(), translator.as_str().into());
        put("translators", Value::Mapping(translators));
    }
    Imported {
        documents: vec![document],
        ..Default::default()
    }
}

/// Gives each document read from a file without a header (no `title`) to the
/// document it belongs to, as its text in that language.
///
/// The rule: the candidates are the documents with a header that have no text in
/// that language yet. One candidate: that one. Several: the one whose original
/// shares the most numbers with the text (dates, hours, file numbers survive
/// translation where words do not), the earlier file on a tie. None: an error,
/// since the text would be a document without a title.
pub(crate) fn attach_headerless(
    documents: &mut Vec<ImportedDocument>,
    diagnostics: &mut Diagnostics,
) {
    let mut i = 0;
    while i < documents.len() {
        if documents[i].meta.contains_key("title") {
            i += 1;
            continue;
        }
        let headerless = documents.remove(i);
        let path = headerless.from.first().cloned().unwrap_or_default();
        let Some((lang, text)) = headerless.texts.into_iter().next() else {
            diagnostics.error(
                &path,
                Position::START,
                "no header and no text: nothing to import in this file",
            );
            continue;
        };
        let numbers = numbers_in(&text);
        let best = documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.meta.contains_key("title") && !d.texts.iter().any(|(l, _)| *l == lang)
            })
            .map(|(j, d)| {
                let shared = d.texts.first().map_or(0, |(_, original)| {
                    numbers_in(original).intersection(&numbers).count()
                });
                (j, shared)
            })
            // The most numbers shared; on a tie the earlier document (max_by_key
            // keeps the last maximum, hence the reversed index).
            .max_by_key(|&(j, shared)| (shared, std::cmp::Reverse(j)));
        match best {
            Some((j, _)) => {
                let target = &mut documents[j];
                diagnostics.warning(
                    &path,
                    Position::START,
                    format!(
                        "no header: taken as the `{lang}` text of \"{}\" (of the documents without a `{lang}` text, the one sharing most numbers with it); check that it belongs there",
                        target.meta.get("title").and_then(Value::as_str).unwrap_or_default()
                    ),
                );
                target.texts.push((lang, text));
                target.from.push(path);
            }
            None => diagnostics.error(
                &path,
                Position::START,
                format!("no header, and no document imported with it lacks a `{lang}` text: import this file together with the export of the document it belongs to"),
            ),
        }
    }
}

/// A line of the input with its 1-based number.
#[derive(Debug, Clone)]
struct Line {
    number: usize,
    text: String,
}

impl Line {
    /// Where its text begins (for messages).
    fn position(&self) -> Position {
        let indent = self.text.chars().take_while(|c| c.is_whitespace()).count();
        Position::new(self.number, indent + 1)
    }
}

/// What the header says.
#[derive(Debug, Default)]
struct Header {
    date: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    original_language: Option<String>,
    /// The language of the translation the contents list, if any.
    translation_language: Option<String>,
    /// Whether the contents list a text of the original (a transcript or a scan,
    /// whose OCR the export gives), or have no listing at all.
    has_original_text: bool,
    /// `archive:` keys in the order written: repository, fond, opis, delo, listy.
    archive: Vec<(String, String)>,
    source_url: Option<String>,
    translator: Option<String>,
    /// The archive's name in the citation (its banner, as page furniture).
    publisher: Option<String>,
    /// The index of the first line of the texts.
    body_start: usize,
}

/// The fields of a header, by their label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    Citation,
    Summary,
    OriginalLanguage,
    Contents,
    Unknown,
}

/// A line's text without the Markdown the exports dress header lines in (`##`,
/// `**`, trailing hard-break spaces).
fn plain(line: &str) -> String {
    let t = line.trim();
    let t = t.trim_start_matches('#').trim();
    collapse_spaces(&t.replace("**", ""))
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The label of a header line (`Citation:`, `**Original Language:**`), lowercased.
/// Labels are short English words ending in a colon, alone on their line.
fn label_of(line: &str) -> Option<String> {
    let p = plain(line);
    let name = p.strip_suffix(':')?;
    let ok = !name.is_empty()
        && name.split(' ').count() <= 4
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '&' || c == '(' || c == ')');
    ok.then(|| name.to_ascii_lowercase())
}

/// Reads the header, if the file has one: a known label among its first blocks.
fn read_header(lines: &[Line], warn: &mut impl FnMut(&Line, String)) -> Option<Header> {
    const KNOWN: [&str; 4] = ["citation", "summary", "original language", "contents"];
    let starts = block_starts(lines);
    let has_header = starts
        .iter()
        .take(12)
        .any(|&i| label_of(&lines[i].text).is_some_and(|l| KNOWN.contains(&l.as_str())));
    if !has_header {
        return None;
    }
    let mut header = Header::default();
    let mut section = Section::Preamble;
    let mut citation: Vec<&Line> = Vec::new();
    let mut summary: Vec<String> = Vec::new();
    let mut i = 0;
    let mut contents_seen = false;
    let mut body_start = lines.len();
    // Sections that hold one block: after it, what is not a label is the texts.
    let mut one_block_done = false;
    while i < lines.len() {
        if lines[i].text.trim().is_empty() {
            i += 1;
            continue;
        }
        let block_end = (i..lines.len())
            .find(|&j| lines[j].text.trim().is_empty())
            .unwrap_or(lines.len());
        if let Some(label) = label_of(&lines[i].text).filter(|_| block_end == i + 1) {
            section = match label.as_str() {
                "citation" => Section::Citation,
                "summary" => Section::Summary,
                "original language" => Section::OriginalLanguage,
                "contents" => {
                    contents_seen = true;
                    Section::Contents
                }
                other => {
                    warn(
                        &lines[i],
                        format!("header field `{other}` is not imported; left out"),
                    );
                    Section::Unknown
                }
            };
            one_block_done = false;
            i = block_end;
            continue;
        }
        match section {
            Section::Preamble => {
                let text = plain_block(&lines[i..block_end]);
                let (date, rest) = date_prefix(&text);
                if let Some(date) = date.filter(|_| header.date.is_none()) {
                    header.date = Some(date);
                    if !rest.is_empty() && header.title.is_none() {
                        header.title = Some(rest.to_string());
                    }
                } else if header.title.is_none() {
                    header.title = Some(text);
                } else {
                    warn(
                        &lines[i],
                        format!("header line not understood, left out: `{text}`"),
                    );
                }
            }
            Section::Citation => citation.extend(&lines[i..block_end]),
            Section::Summary => summary.push(plain_block(&lines[i..block_end])),
            Section::OriginalLanguage | Section::Unknown if one_block_done => {
                body_start = i;
                break;
            }
            Section::OriginalLanguage => {
                let name = plain_block(&lines[i..block_end]);
                match language_code(&name) {
                    Some(code) => header.original_language = Some(code.to_string()),
                    None => warn(
                        &lines[i],
                        format!("original language `{name}` is not one dossier knows the code of; write original_language in index.md by hand"),
                    ),
                }
                one_block_done = true;
            }
            Section::Unknown => one_block_done = true,
            Section::Contents => {
                // Entries one a line; the first line that is not one begins the texts
                // (the exports put no blank line between them at times).
                let mut j = i;
                while j < block_end {
                    match contents_entry(&lines[j].text) {
                        Some(Entry::Original) => header.has_original_text = true,
                        Some(Entry::Translation(name)) => match language_code(&name) {
                            Some(code) => header.translation_language = Some(code.to_string()),
                            None => warn(
                                &lines[j],
                                format!("translation language `{name}` is not one dossier knows the code of; left out"),
                            ),
                        },
                        None => break,
                    }
                    j += 1;
                }
                if j < block_end {
                    body_start = j;
                    break;
                }
            }
        }
        i = block_end;
    }
    if !contents_seen {
        header.has_original_text = true;
    }
    header.body_start = body_start;
    read_citation(&citation, &mut header, warn);
    if !summary.is_empty() {
        header.summary = Some(summary.join("\n\n"));
    }
    if header.title.is_none() {
        if let Some(line) = lines.iter().find(|l| !l.text.trim().is_empty()) {
            warn(line, "no title found before the header's fields; the document's title is empty: write it in index.md".to_string());
        }
    }
    Some(header)
}

/// The indexes of the first lines of the blocks (runs of non-blank lines).
fn block_starts(lines: &[Line]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| {
            !lines[i].text.trim().is_empty() && (i == 0 || lines[i - 1].text.trim().is_empty())
        })
        .collect()
}

fn plain_block(lines: &[Line]) -> String {
    collapse_spaces(
        &lines
            .iter()
            .map(|l| plain(&l.text))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

enum Entry {
    /// A scan of the original, or its transcript.
    Original,
    /// A translation, with the language's English name.
    Translation(String),
}

/// An entry of the `Contents:` listing: `Original Scan`, `Transcript - Russian`,
/// `Translation - English`.
fn contents_entry(line: &str) -> Option<Entry> {
    let p = plain(line);
    let lower = p.to_ascii_lowercase();
    if lower == "original scan" || lower == "original" || lower == "scan" {
        return Some(Entry::Original);
    }
    let (kind, language) = p.split_once(" - ").or_else(|| p.split_once(" – "))?;
    match kind.trim().to_ascii_lowercase().as_str() {
        "transcript" | "original" | "transcription" => Some(Entry::Original),
        "translation" => Some(Entry::Translation(language.trim().to_string())),
        _ => None,
    }
}

/// The citation's parts: `"Title", September 16, 1956, Wilson Center Digital
/// Archive, GARF, Fond 5446, Opis 98c, Delo 718, Listy 12-16. Translated by X.`
/// and the source's address (`<https://...>` or bare).
fn read_citation(lines: &[&Line], header: &mut Header, warn: &mut impl FnMut(&Line, String)) {
    let Some(&first) = lines.first() else {
        return;
    };
    let mut text = collapse_spaces(
        &lines
            .iter()
            .map(|l| l.text.trim())
            .collect::<Vec<_>>()
            .join(" "),
    );

    // The address: the first http(s) URL, in angle brackets or bare.
    if let Some(start) = text.find("http://").or_else(|| text.find("https://")) {
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || c == '>')
            .map_or(text.len(), |e| start + e);
        let url = text[start..end]
            .trim_end_matches(['.', ',', ')'])
            .to_string();
        let from = if text[..start].ends_with('<') {
            start - 1
        } else {
            start
        };
        let to = if text[end..].starts_with('>') {
            end + 1
        } else {
            end
        };
        text.replace_range(from..to, "");
        header.source_url = Some(url);
    }

    // The translator: "Translated by Name." anywhere in the citation's blocks.
    if let Some(at) = text.find("Translated by ") {
        let rest = &text[at + "Translated by ".len()..];
        let end = sentence_end(rest).unwrap_or(rest.len());
        let name = rest[..end].trim().trim_end_matches('.').trim().to_string();
        let after = (end + 1).min(rest.len());
        let removed = format!("{}{}", &text[..at], &rest[after..]);
        if !name.is_empty() {
            header.translator = Some(name);
        }
        text = collapse_spaces(&removed);
    }

    // The cited title, in quotes.
    let mut rest = text.trim();
    if let Some(after_quote) = rest.strip_prefix('"').or_else(|| rest.strip_prefix('“')) {
        if let Some(close) = after_quote.find(['"', '”']) {
            let cited = after_quote[..close].trim().trim_end_matches(',');
            if let Some(title) = &header.title {
                if cited != title {
                    warn(first, format!("the citation's title differs from the header's: `{cited}`; the header's is used"));
                }
            } else {
                header.title = Some(cited.to_string());
            }
            rest = after_quote[close + 1..]
                .trim_start_matches([',', '"', '”'])
                .trim();
        }
    }
    // The reference ends with its sentence; what follows was taken out above, or is
    // not understood.
    let end = sentence_end(rest).unwrap_or(rest.len());
    let (reference, after) = rest.split_at(end);
    let after = after.trim_start_matches('.').trim();
    if !after.is_empty() {
        warn(
            first,
            format!("citation text not understood, left out: `{after}`"),
        );
    }

    let parts: Vec<&str> = reference
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut k = 0;
    let mut publisher_seen = false;
    let mut repository: Vec<&str> = Vec::new();
    let mut reference_parts: Vec<(String, String)> = Vec::new();
    while k < parts.len() {
        let part = parts[k];
        // "September 16" "1956": a date split by its comma.
        let joined = parts.get(k + 1).map(|next| format!("{part}, {next}"));
        if let Some(date) = joined.as_deref().and_then(parse_date) {
            check_date(&date, header, first, warn);
            k += 2;
            continue;
        }
        if let Some(date) = parse_date(part) {
            check_date(&date, header, first, warn);
            k += 1;
            continue;
        }
        if let Some((key, value)) = reference_part(part) {
            reference_parts.push((key.to_string(), value.to_string()));
        } else if !reference_parts.is_empty() {
            warn(
                first,
                format!("citation part not understood, left out: `{part}`"),
            );
        } else if !publisher_seen && !is_known_archive(part) {
            // Chicago style: after the date, the publisher (the online archive the
            // export is from); then the repository holding the original.
            publisher_seen = true;
            header.publisher = Some(part.to_string());
        } else {
            repository.push(part);
        }
        k += 1;
    }
    if !repository.is_empty() {
        header
            .archive
            .push(("repository".into(), repository_name(&repository.join(", "))));
    }
    header.archive.extend(reference_parts);
}

/// Where the sentence in `s` ends: the first `.` followed by a space or the end whose
/// word is not an abbreviation (`f.`, `op.`, `Cde.`, an initial) — a word with a
/// digit, or of more than three letters.
fn sentence_end(s: &str) -> Option<usize> {
    for (i, c) in s.char_indices() {
        if c != '.' {
            continue;
        }
        let followed = s[i + 1..].chars().next().is_none_or(char::is_whitespace);
        if !followed {
            continue;
        }
        let word = s[..i]
            .rsplit(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("");
        if word.chars().any(|c| c.is_ascii_digit()) || word.chars().count() > 3 {
            return Some(i);
        }
    }
    None
}

fn check_date(date: &str, header: &Header, line: &Line, warn: &mut impl FnMut(&Line, String)) {
    if let Some(own) = &header.date {
        if own != date {
            warn(line, format!("the citation dates the document {date}, the header {own}; the header's date is used"));
        }
    }
}

/// `Fond 5446`, `opis 98c`, `d. 718`, `Listy 12-16` as (`fond`, `5446`) and so on.
fn reference_part(part: &str) -> Option<(&'static str, &str)> {
    let (word, value) = part.split_once(' ')?;
    let key = match word.to_lowercase().trim_end_matches('.') {
        "fond" | "f" | "fund" => "fond",
        "opis" | "op" | "inventory" => "opis",
        "delo" | "d" | "file" | "folder" => "delo",
        "listy" | "list" | "ll" | "l" | "sheets" | "pages" => "listy",
        _ => return None,
    };
    let value = value.trim().trim_end_matches('.');
    (!value.is_empty() && value.chars().any(|c| c.is_ascii_digit())).then_some((key, value))
}

/// Russian state archives as this edition names them: full name and abbreviation,
/// whichever of the two a citation gives (the exports use both).
const ARCHIVES: [(&str, &str); 4] = [
    ("GARF", "State Archive of the Russian Federation"),
    ("RGANI", "Russian State Archive of Contemporary History"),
    (
        "RGASPI",
        "Russian State Archive of Social and Political History",
    ),
    (
        "AVPRF",
        "Archive of Foreign Policy of the Russian Federation",
    ),
];

fn is_known_archive(name: &str) -> bool {
    ARCHIVES
        .iter()
        .any(|(short, long)| name.eq_ignore_ascii_case(short) || name.eq_ignore_ascii_case(long))
}

fn repository_name(name: &str) -> String {
    for (short, long) in ARCHIVES {
        if name.eq_ignore_ascii_case(short) || name.eq_ignore_ascii_case(long) {
            return format!("{long} ({short})");
        }
    }
    name.to_string()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .map(|i| i as u32 + 1)
}

/// `September 16, 1956`, `16 September 1956`, `September 1956`, `1956` as ISO
/// (`1956-09-16`, `1956-09`, `1956`).
fn parse_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let year =
        |w: &str| (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())).then(|| w.to_string());
    let day = |w: &str| w.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    match words.as_slice() {
        [m, d, y] => match (month_number(m), day(d), year(y)) {
            (Some(m), Some(d), Some(y)) => Some(format!("{y}-{m:02}-{d:02}")),
            _ => match (day(m), month_number(d), year(y)) {
                (Some(d), Some(m), Some(y)) => Some(format!("{y}-{m:02}-{d:02}")),
                _ => None,
            },
        },
        [m, y] => Some(format!("{}-{:02}", year(y)?, month_number(m)?)),
        [y] => year(y),
        _ => None,
    }
}

/// A date at the start of `text` (`September 19, 1956 Record of ...`) and the rest.
fn date_prefix(text: &str) -> (Option<String>, &str) {
    // The longest run of leading words that is a date: three words, or two.
    let mut ends: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
    ends.push(text.len());
    for &end in ends.iter().take(3).rev() {
        if let Some(date) = parse_date(&text[..end]) {
            if date.len() > 4 || end == text.len() {
                return (Some(date), text[end..].trim());
            }
        }
    }
    (None, text)
}

/// Language names the exports give, as codes.
fn language_code(name: &str) -> Option<&'static str> {
    let code = match name
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase()
        .as_str()
    {
        "russian" => "ru",
        "english" => "en",
        "chinese" => "zh",
        "korean" => "ko",
        "japanese" => "ja",
        "german" => "de",
        "french" => "fr",
        "polish" => "pl",
        "hungarian" => "hu",
        "czech" => "cs",
        "romanian" => "ro",
        "bulgarian" => "bg",
        "mongolian" => "mn",
        "ukrainian" => "uk",
        "vietnamese" => "vi",
        "spanish" => "es",
        "italian" => "it",
        "albanian" => "sq",
        "serbian" | "serbo-croatian" => "sr",
        _ => return None,
    };
    Some(code)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Han,
    Hangul,
}

fn script_of_char(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' if c.is_alphabetic() => Some(Script::Latin),
        '\u{400}'..='\u{52f}' => Some(Script::Cyrillic),
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => Some(Script::Han),
        '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' => Some(Script::Hangul),
        _ => None,
    }
}

fn script_of_language(code: &str) -> Script {
    match code {
        "ru" | "uk" | "bg" | "mn" | "sr" | "be" | "kk" => Script::Cyrillic,
        "zh" | "ja" => Script::Han,
        "ko" => Script::Hangul,
        _ => Script::Latin,
    }
}

/// The language of a text known only by its script: for Latin script, English, the
/// language of the archive's translations.
fn language_of_script(script: Script) -> &'static str {
    match script {
        Script::Cyrillic => "ru",
        Script::Han => "zh",
        Script::Hangul => "ko",
        Script::Latin => "en",
    }
}

fn letters_in(block: &Block, script: Script) -> usize {
    block
        .lines
        .iter()
        .flat_map(|l| l.text.chars())
        .filter(|&c| script_of_char(c) == Some(script))
        .count()
}

fn majority_script(blocks: &[Block]) -> Script {
    [Script::Latin, Script::Cyrillic, Script::Han, Script::Hangul]
        .into_iter()
        .max_by_key(|&s| blocks.iter().map(|b| letters_in(b, s)).sum::<usize>())
        .unwrap_or(Script::Latin)
}

/// The original's blocks and the translation's: the original comes first, and the
/// point between them is where the fewest letters end up on the side of the other
/// script (a Latin word in the Russian OCR, a Russian word quoted in the English,
/// do not move it).
fn split_by_script(
    blocks: &[Block],
    original: Script,
    translation: Script,
) -> (&[Block], &[Block]) {
    // cost(k) = letters of the translation's script before k + of the original's from k.
    let mut cost: usize = blocks.iter().map(|b| letters_in(b, original)).sum();
    let mut best = (cost, 0);
    for (k, block) in blocks.iter().enumerate() {
        cost = cost + letters_in(block, translation) - letters_in(block, original);
        if cost < best.0 {
            best = (cost, k + 1);
        }
    }
    blocks.split_at(best.1)
}

/// A paragraph of the texts: its lines, each with its number.
#[derive(Debug, Clone)]
struct Block {
    lines: Vec<Line>,
}

/// The texts' lines without the export's page furniture: scan captions (`Original
/// Scan`), the archive's banner (the publisher's name, alone or ending a line), and
/// lines of nothing but placeholder characters (`□`, which the export writes for
/// characters it could not show; inside a line they are kept, as published).
fn clean_body(lines: &[Line], header: Option<&Header>) -> Vec<Line> {
    let banner = header.and_then(|h| h.publisher.as_deref());
    lines
        .iter()
        .map(|line| {
            let p = plain(&line.text);
            let furniture = p.eq_ignore_ascii_case("original scan")
                || banner.is_some_and(|b| p == b)
                || (!p.is_empty()
                    && p.chars()
                        .all(|c| matches!(c, '□' | '■' | '\u{fffd}') || c.is_whitespace()));
            let mut text = if furniture {
                String::new()
            } else {
                line.text.clone()
            };
            if let Some(banner) = banner {
                let trimmed = text.trim_end();
                if let Some(before) = trimmed.strip_suffix(banner) {
                    if before.ends_with(char::is_whitespace) {
                        text = before.trim_end().to_string();
                    }
                }
            }
            Line {
                number: line.number,
                text,
            }
        })
        .collect()
}

fn paragraphs(lines: &[Line]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for line in lines {
        if line.text.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut current),
                });
            }
        } else {
            current.push(line.clone());
        }
    }
    if !current.is_empty() {
        blocks.push(Block { lines: current });
    }
    blocks
}

/// What a line of a page break is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum BreakLine {
    /// Bare numbers, as the archive stamps folios (`35 22`, `52<sup>6</sup>`, `508`):
    /// the folio and whatever else was read beside it.
    Folio(Vec<String>),
    /// A page or sheet number as typed on the page: `2.`, `- 2 -`, `-3-`, `лист 2`.
    Page(u32),
}

fn break_line(line: &str) -> Option<BreakLine> {
    let t = plain(line);
    if t.is_empty() {
        return None;
    }
    let without_sup = strip_tags(&t, "sup");
    if without_sup
        .split_whitespace()
        .all(|w| w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
        && !without_sup.trim().is_empty()
    {
        return Some(BreakLine::Folio(
            without_sup.split_whitespace().map(String::from).collect(),
        ));
    }
    let number = |s: &str| s.trim().parse::<u32>().ok();
    if let Some(n) = t.strip_suffix('.').and_then(number) {
        return Some(BreakLine::Page(n));
    }
    if let Some(n) = t
        .strip_prefix('-')
        .and_then(|s| s.strip_suffix('-'))
        .and_then(number)
    {
        return Some(BreakLine::Page(n));
    }
    for word in ["лист", "л.", "стр.", "sheet", "page"] {
        if let Some(rest) = t.to_lowercase().strip_prefix(word) {
            if let Some(n) = number(rest) {
                return Some(BreakLine::Page(n));
            }
        }
    }
    None
}

/// `text` without `<tag>...</tag>` elements.
fn strip_tags(text: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(&open) {
        out.push_str(&rest[..start]);
        match rest[start..].find(&close) {
            Some(end) => rest = &rest[start + end + close.len()..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The folio a group of break lines stands for. With the citation's range of
/// folios: the next folio after the previous one if the line reads it (or begins
/// with its digits: OCR runs a superscript into the number, `508` for 50 and 8);
/// else the first number in the range; else, if the sequence allows, the next folio
/// all the same, with a warning. Without a range: the first number.
fn folio_of(
    numbers: &[String],
    range: Option<(u32, u32)>,
    previous: Option<u32>,
) -> (Option<u32>, bool) {
    let values: Vec<u32> = numbers.iter().filter_map(|n| n.parse().ok()).collect();
    let Some((low, high)) = range else {
        return (values.first().copied(), false);
    };
    let mut candidates = Vec::new();
    for n in numbers {
        for len in 1..=n.len() {
            if let Ok(v) = n[..len].parse::<u32>() {
                if (low..=high).contains(&v) {
                    candidates.push(v);
                }
            }
        }
    }
    let expected = previous.map(|p| p + 1);
    if let Some(e) = expected.filter(|e| candidates.contains(e)) {
        return (Some(e), false);
    }
    match (previous, candidates.first()) {
        (None, Some(&c)) => (Some(c), false),
        (Some(_), _) if expected.is_some_and(|e| e <= high) => (expected, true),
        _ => (values.first().copied(), values.is_empty()),
    }
}

/// `12-16` as (12, 16); one folio as (n, n).
fn range_of(listy: &str) -> Option<(u32, u32)> {
    let (a, b) = listy.split_once(['-', '–']).unwrap_or((listy, listy));
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((a, b))
}

/// The blocks of one text as dossier Markdown: page breaks as `{pb N}`, each
/// paragraph's lines joined (words hyphenated across lines joined again), the
/// legacy marks of handwriting as CriticMarkup.
fn to_markdown(
    blocks: &[Block],
    range: Option<(u32, u32)>,
    warn: &mut impl FnMut(&Line, String),
) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut previous_folio: Option<u32> = None;
    let mut i = 0;
    while i < blocks.len() {
        // A run of blocks made only of break lines is one break.
        let mut group: Vec<(&Line, BreakLine)> = Vec::new();
        let mut j = i;
        while j < blocks.len() {
            let lines: Option<Vec<_>> = blocks[j]
                .lines
                .iter()
                .map(|l| break_line(&l.text).map(|b| (l, b)))
                .collect();
            match lines {
                Some(lines) => group.extend(lines),
                None => break,
            }
            j += 1;
        }
        if group.is_empty() {
            out.push(paragraph(&blocks[i]));
            i += 1;
            continue;
        }
        let folio: Vec<String> = group
            .iter()
            .filter_map(|(_, b)| match b {
                BreakLine::Folio(n) => Some(n.clone()),
                BreakLine::Page(_) => None,
            })
            .flatten()
            .collect();
        let number = if folio.is_empty() {
            group.iter().find_map(|(_, b)| match b {
                BreakLine::Page(n) => Some(*n),
                BreakLine::Folio(_) => None,
            })
        } else {
            let (n, guessed) = folio_of(&folio, range, previous_folio);
            if guessed {
                warn(
                    group[0].0,
                    format!(
                        "folio number read as `{}` taken as {}, the next in the citation's sequence; check it against the scan",
                        folio.join(" "),
                        n.map_or("nothing".to_string(), |n| n.to_string())
                    ),
                );
            }
            previous_folio = n.or(previous_folio);
            n
        };
        if let Some(n) = number {
            out.push(format!("{{pb {n}}}"));
        }
        i = j;
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

/// One paragraph: its lines joined, its markup made dossier's.
fn paragraph(block: &Block) -> String {
    let mut joined = String::new();
    for line in &block.lines {
        let t = line.text.trim();
        let t = if joined.is_empty() {
            strip_heading(t)
        } else {
            t
        };
        if joined.is_empty() {
            joined.push_str(t);
            continue;
        }
        // `пред-` / `седателя`: a word the page broke, joined again.
        let broken = joined.ends_with('-')
            && joined[..joined.len() - 1]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
            && t.starts_with(char::is_lowercase);
        if broken {
            joined.pop();
        } else {
            joined.push(' ');
        }
        joined.push_str(t);
    }
    escape_block_start(&markup(&joined))
}

/// `#### ЦК КПСС`: the export's heading marks are its styling, not the document's.
fn strip_heading(line: &str) -> &str {
    let rest = line.trim_start_matches('#');
    if rest.len() < line.len() && line.len() - rest.len() <= 6 && rest.starts_with(' ') {
        rest.trim_start()
    } else {
        line
    }
}

/// A paragraph that Markdown would read as a list item (`16. IX. 56 г.`, `- 2 -`)
/// keeps its text: the marker is escaped.
fn escape_block_start(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let after = &text[digits..];
        if (after.starts_with(". ") || after.starts_with(") ") || after == "." || after == ")")
            && !text.starts_with("{")
        {
            return format!("{}\\{}", &text[..digits], after);
        }
    }
    if text.starts_with("- ") || text.starts_with("+ ") || text.starts_with("* ") {
        return format!("\\{text}");
    }
    text.to_string()
}

/// The exports' marks of the hand in dossier's CriticMarkup: `~~struck~~` as a
/// deletion, `^{added}` and `<sup>added</sup>` as insertions. Bold inside a word
/// (`**щ**езда`) is the OCR's, not the document's, and is dropped.
fn markup(text: &str) -> String {
    let text = replace_spans(text, "~~", "~~", "{--", "--}");
    let text = replace_spans(&text, "^{", "}", "{++", "++}");
    let text = replace_spans(&text, "<sup>", "</sup>", "{++", "++}");
    drop_intraword_bold(&text)
}

/// Each `open`...`close` span as `new_open`...`new_close`; an unclosed one is left.
fn replace_spans(text: &str, open: &str, close: &str, new_open: &str, new_close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let inner_start = start + open.len();
        let Some(len) = rest[inner_start..].find(close) else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(new_open);
        out.push_str(&rest[inner_start..inner_start + len]);
        out.push_str(new_close);
        rest = &rest[inner_start + len + close.len()..];
    }
    out.push_str(rest);
    out
}

fn drop_intraword_bold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("**") {
        let inner = start + 2;
        let Some(len) = rest[inner..].find("**") else {
            break;
        };
        let end = inner + len + 2;
        let before = rest[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after = rest[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..start]);
        if before || after {
            out.push_str(&rest[inner..inner + len]);
        } else {
            out.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The numbers of a text, as written (for telling which document a text belongs to).
fn numbers_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|n| n.len() >= 2)
        .map(String::from)
        .collect()
}

/// The document's type by the first words of its title, as the edition names types.
fn type_of(title: &str) -> Option<&'static str> {
    let lower = title.to_lowercase();
    const TYPES: [(&str, &str); 14] = [
        ("record of a conversation", "record of conversation"),
        ("record of conversation", "record of conversation"),
        ("memorandum of conversation", "memorandum of conversation"),
        ("record of a meeting", "record of meeting"),
        ("record of meeting", "record of meeting"),
        ("conversation", "record of conversation"),
        ("meeting", "record of meeting"),
        ("minutes", "minutes"),
        ("cable", "cable"),
        ("telegram", "telegram"),
        ("letter", "letter"),
        ("memorandum", "memorandum"),
        ("report", "report"),
        ("note", "note"),
    ];
    TYPES
        .iter()
        .find(|(prefix, _)| {
            lower.starts_with(prefix) && !lower[prefix.len()..].starts_with(char::is_alphanumeric)
        })
        .map(|&(_, kind)| kind)
}

/// The title as an id: lowercase ASCII words joined by hyphens, without articles,
/// at most 60 characters, cut between words. (Unique among the documents of one
/// import: see `unique_slugs`.)
fn slug_of(title: &str) -> String {
    const SKIP: [&str; 5] = ["a", "an", "the", "and", "of"];
    let mut slug = String::new();
    // `Worker's` is one word, not `worker-s`.
    let title = title.replace(['\'', '’'], "");
    let words = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .filter(|w| !SKIP.contains(&w.as_str()));
    for word in words {
        let extra = word.len() + usize::from(!slug.is_empty());
        if slug.len() + extra > 60 {
            if slug.is_empty() {
                slug = word[..60].to_string();
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() {
        "document".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_exports_forms() {
        assert_eq!(
            parse_date("September 16, 1956").as_deref(),
            Some("1956-09-16")
        );
        assert_eq!(
            parse_date("16 September 1956").as_deref(),
            Some("1956-09-16")
        );
        assert_eq!(parse_date("Sept. 1956").as_deref(), Some("1956-09"));
        assert_eq!(parse_date("Record 1956"), None);
        let (date, rest) = date_prefix("September 19, 1956 Record of a Meeting");
        assert_eq!(
            (date.as_deref(), rest),
            (Some("1956-09-19"), "Record of a Meeting")
        );
    }

    #[test]
    fn folios_follow_the_citation_sequence() {
        let n = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            folio_of(&n(&["508"]), Some((49, 57)), Some(49)),
            (Some(50), false)
        );
        assert_eq!(
            folio_of(&n(&["4", "54"]), Some((49, 57)), Some(53)),
            (Some(54), false)
        );
        assert_eq!(
            folio_of(&n(&["54"]), Some((49, 57)), Some(56)),
            (Some(57), true)
        );
        assert_eq!(
            folio_of(&n(&["13", "44"]), Some((12, 16)), None),
            (Some(13), false)
        );
        assert_eq!(folio_of(&n(&["35", "22"]), None, None), (Some(35), false));
    }

    #[test]
    fn marks_of_the_hand_become_criticmarkup() {
        assert_eq!(
            markup("не ~~ослабить~~ ^{ослабить}"),
            "не {--ослабить--} {++ослабить++}"
        );
        assert_eq!(
            markup("и <sup>европейские</sup> страны"),
            "и {++европейские++} страны"
        );
        assert_eq!(
            markup("после **щ**езда, Д**3-**хуэй, **Bold**"),
            "после щезда, Д3-хуэй, **Bold**"
        );
        assert_eq!(escape_block_start("16. IX. 56 г."), "16\\. IX. 56 г.");
    }

    #[test]
    fn break_lines_and_types_and_slugs() {
        assert_eq!(
            break_line("52<sup>6</sup>"),
            Some(BreakLine::Folio(vec!["52".into()]))
        );
        assert_eq!(break_line("- 5 -"), Some(BreakLine::Page(5)));
        assert_eq!(break_line("лист 2"), Some(BreakLine::Page(2)));
        assert_eq!(break_line("2."), Some(BreakLine::Page(2)));
        assert_eq!(break_line("16. IX. 56 г."), None);
        assert_eq!(
            type_of("Conversation with the Delegation"),
            Some("record of conversation")
        );
        assert_eq!(type_of("Cablegram"), None);
        assert_eq!(
            slug_of("Telegram from A. Mikoyan to the CPSU Central Committee"),
            "telegram-from-mikoyan-to-cpsu-central-committee"
        );
        assert!(slug_of(&"word ".repeat(40)).len() <= 60);
    }

    /// A made-up export in the plainest of the seeds' dresses, with a header line
    /// and a header field the reader does not know.
    const EXPORT: &str = "September 21, 1956\n\nTelegram from X to Y\n\nA stray line\n\nCitation:\n\n\"Telegram from X to Y\", September 21, 1956, Wilson Center Digital Archive, RGANI, Fond 5, Opis 30, Delo 1, Listy 3-4. Translated by A. Translator.\n<https://example.org/document/9>\n\nSummary:\n\nA summary.\n\nOriginal Language:\n\nRussian\n\nKeywords:\n\nkorea\n\nContents:\n\nOriginal Scan\nTranslation - English\n\nСекретно\n\n3 17\n\nПервый ~~лист~~ ^{текст}.\n\nWilson Center Digital Archive\n\nвто-\nрой 4\n\n□□\n\nSecret\n\nThe first sheet, 1956.\n";

    #[test]
    fn an_export_gives_its_metadata_texts_and_warnings_at_their_lines() {
        let mut diagnostics = Diagnostics::new();
        let imported = read(Path::new("x.txt"), EXPORT, &mut diagnostics);
        let document = &imported.documents[0];
        let warnings: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("x.txt:5:1: warning: header line not understood"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("x.txt:20:1: warning: header field `keywords`"),
            "{warnings:?}"
        );
        let yaml = serde_yaml::to_string(&document.meta).unwrap();
        assert_eq!(
            yaml,
            "title: Telegram from X to Y\ndate: 1956-09-21\ntype: telegram\nsummary: A summary.\noriginal_language: ru\narchive:\n  repository: Russian State Archive of Contemporary History (RGANI)\n  fond: '5'\n  opis: '30'\n  delo: '1'\n  listy: 3-4\nsource_url: https://example.org/document/9\ntranslators:\n  en: A. Translator\n"
        );
        assert_eq!(document.slug, "telegram-from-x-to-y");
        assert_eq!(
            document.texts,
            [
                (
                    "ru".to_string(),
                    "Секретно\n\n{pb 3}\n\nПервый {--лист--} {++текст++}.\n\nвторой 4\n"
                        .to_string()
                ),
                (
                    "en".to_string(),
                    "Secret\n\nThe first sheet, 1956.\n".to_string()
                )
            ]
        );
    }

    #[test]
    fn a_headerless_text_joins_the_document_sharing_its_numbers() {
        let document = |title: Option<&str>, lang: &str, text: &str| {
            let mut meta = Mapping::new();
            if let Some(title) = title {
                meta.insert("title".into(), title.into());
            }
            ImportedDocument {
                meta,
                texts: vec![(lang.into(), text.into())],
                from: vec![format!("{}.txt", title.unwrap_or("headerless")).into()],
                ..Default::default()
            }
        };
        let mut documents = vec![
            document(Some("first"), "ru", "Беседа 16 сентября, 12 часов"),
            document(None, "en", "Met on 18 September, flew on 19, N 1423-1427"),
            document(
                Some("second"),
                "ru",
                "Беседа 18 сентября; вылетаем 19-го. N1423-1427",
            ),
            document(Some("third"), "ru", "Текст"),
        ];
        let mut diagnostics = Diagnostics::new();
        attach_headerless(&mut documents, &mut diagnostics);
        assert_eq!(documents.len(), 3);
        assert_eq!(documents[1].texts.len(), 2, "{documents:?}");
        assert_eq!(documents[1].texts[1].0, "en");
        assert_eq!(diagnostics.len(), 1);
        assert!(!diagnostics.has_errors());
    }

    #[test]
    fn citation_parts() {
        let mut header = Header {
            title: Some("T".into()),
            date: Some("1956-09-21".into()),
            ..Default::default()
        };
        let text = Line {
            number: 5,
            text: "\"T\", September 21, 1956, Wilson Center Digital Archive, GARF, Fond 5446, Opis 98c, Delo 718, Listy 12-16. Translated by Gary Goldberg.".into(),
        };
        let url = Line {
            number: 6,
            text: "<https://example.org/document/1>".into(),
        };
        let mut warnings = Vec::new();
        read_citation(&[&text, &url], &mut header, &mut |l: &Line, m| {
            warnings.push((l.number, m))
        });
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(header.translator.as_deref(), Some("Gary Goldberg"));
        assert_eq!(
            header.source_url.as_deref(),
            Some("https://example.org/document/1")
        );
        assert_eq!(
            header.publisher.as_deref(),
            Some("Wilson Center Digital Archive")
        );
        let archive: Vec<(&str, &str)> = header
            .archive
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            archive,
            [
                (
                    "repository",
                    "State Archive of the Russian Federation (GARF)"
                ),
                ("fond", "5446"),
                ("opis", "98c"),
                ("delo", "718"),
                ("listy", "12-16")
            ]
        );

        // Abbreviated, with no publisher before the repository, and a part after
        // the reference that is not understood.
        let mut header = Header::default();
        let text = Line {
            number: 3,
            text: "\"T\", 1956, GARF, f. 5446, op. 98c, d. 718, ll. 12-16, box 3.".into(),
        };
        let mut warnings = Vec::new();
        read_citation(&[&text], &mut header, &mut |l: &Line, m| {
            warnings.push((l.number, m))
        });
        assert_eq!(header.title.as_deref(), Some("T"));
        assert_eq!(header.publisher, None);
        assert_eq!(header.archive.len(), 5, "{:?}", header.archive);
        assert_eq!(
            header.archive[4],
            ("listy".to_string(), "12-16".to_string())
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].1.contains("`box 3`"), "{warnings:?}");
    }
}
