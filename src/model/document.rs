//! Documents (bundles under `content/documents/<id>/`) and free pages.

use super::PartialDate;
use crate::diagnostics::Position;
use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Markdown read from a file, with where it is in the file, so that problems found in
/// it are reported at the right line and column of the file.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Relative to the edition root, as messages show it.
    pub path: PathBuf,
    pub text: String,
    #[serde(skip)]
    pub placement: Placement,
    /// Where the text's lines begin, found when a position is first asked for: a
    /// file with thousands of problems costs a search each instead of a count from
    /// its start each (which made the cost of a problem grow with the file).
    #[serde(skip)]
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// Where a [`Source`]'s text is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    /// Line n of the text is line n + `line_offset` of the file, and its columns are
    /// the file's after `indent` more: a whole file (0, 0), the body after front
    /// matter (the lines before it, 0), a YAML literal block (`key: |`: the key's
    /// line, the block's indentation).
    Lines { line_offset: usize, indent: usize },
    /// The text was rewritten on its way out of the file (a YAML value folded or in
    /// quotes): every position in it is the value's.
    At(Position),
}

impl Source {
    /// Lets go of the text (see [`Document::release_sources`]); positions in it can
    /// no longer be told.
    fn release(&mut self) {
        self.text = String::new();
        self.line_starts = std::sync::OnceLock::new();
    }

    /// A whole file's text.
    pub fn file(path: PathBuf, text: String) -> Self {
        Self::lines(path, text, 0)
    }

    /// Text that starts `line_offset` lines into its file.
    pub fn lines(path: PathBuf, text: String, line_offset: usize) -> Self {
        Self::placed(
            path,
            text,
            Placement::Lines {
                line_offset,
                indent: 0,
            },
        )
    }

    /// Text at `placement` in its file.
    pub fn placed(path: PathBuf, text: String, placement: Placement) -> Self {
        Self {
            path,
            text,
            placement,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The position in the file of byte `offset` of the text.
    pub fn position(&self, offset: usize) -> Position {
        match self.placement {
            Placement::Lines {
                line_offset,
                indent,
            } => {
                let starts = self
                    .line_starts
                    .get_or_init(|| crate::diagnostics::line_starts(&self.text));
                let at = crate::diagnostics::position_in(&self.text, starts, offset);
                Position::new(at.line + line_offset, at.column + indent)
            }
            Placement::At(at) => at,
        }
    }

    /// How many lines of the file come before the text's first.
    pub fn line_offset(&self) -> usize {
        match self.placement {
            Placement::Lines { line_offset, .. } => line_offset,
            Placement::At(at) => at.line - 1,
        }
    }
}

/// One text of a document in one language (`ru.md`, `en.md`).
#[derive(Debug, Clone)]
pub struct Text {
    /// Language code, from the file name (`ru`, `en`, `zh-hant`).
    pub lang: String,
    pub source: Source,
}

/// A document bundle: metadata, editorial headnote and its texts.
#[derive(Debug, Clone)]
pub struct Document {
    /// The folder name; also the document's address (`/documents/<id>/`).
    pub id: String,
    pub meta: DocumentMeta,
    pub headnote: Source,
    /// The whole `index.md` as written (front matter included), for the source view.
    pub metadata_source: String,
    /// The original first, then the translations in language-code order.
    pub texts: Vec<Text>,
    /// The bundle's other files (facsimile images), by name, sorted; published
    /// beside the document's page.
    pub files: Vec<BundleFile>,
    /// Tells this version of the bundle's files from any other.
    pub fingerprint: u64,
    /// Set once the Markdown as written was let go of ([`Document::release_sources`]):
    /// the fingerprint of each file's (`index.md`, then the texts'), by which the
    /// files are known to still hold it.
    pub released: Option<Box<[u64]>>,
}

/// A file of a document's bundle other than its Markdown (a facsimile).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BundleFile {
    pub name: String,
    pub file: super::StoredFile,
    /// What `load` read of it, if it is an image (JPEG, PNG, WebP).
    pub image: Option<Image>,
}

/// An image of a bundle as `load` read it: its size (from its header), so that
/// pages and the IIIF manifest can say it without opening the file again, and the
/// hash of its bytes, which names the copies made of it (see `render::facsimile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Image {
    pub size: ImageSize,
    /// BLAKE3 of the file's bytes.
    pub hash: [u8; 32],
}

impl Image {
    /// The first 12 hexadecimal digits of the hash (48 bits): enough to tell an
    /// image from the one it replaced, short enough for a file name.
    pub fn short_hash(&self) -> String {
        self.hash[..6].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The size of an image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl ImageSize {
    /// The size of the image made `width` pixels wide, never wider than it is (an
    /// image is never enlarged), the height in proportion.
    pub fn at_most(self, width: u32) -> ImageSize {
        if self.width <= width || self.width == 0 {
            return self;
        }
        let height = (u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width);
        ImageSize {
            width,
            height: (height as u32).max(1),
        }
    }
}

/// The extensions of the images dossier reads (facsimiles).
pub const IMAGE_EXTENSIONS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

impl BundleFile {
    /// Whether the file's name says it is an image dossier reads.
    pub fn is_image_name(name: &str) -> bool {
        name.rsplit_once('.').is_some_and(|(_, ext)| {
            IMAGE_EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
    }
}

/// A document's Markdown as written: `index.md` and each text, in the order of
/// `Document::texts` (what the source view shows).
pub struct Written<'d> {
    pub metadata: Cow<'d, str>,
    pub texts: Vec<Cow<'d, str>>,
}

impl Document {
    /// Lets go of the Markdown as written (`index.md`, the headnote, the texts) once
    /// annotation has read it, keeping its fingerprint: for a build that runs once,
    /// where nothing after annotation reads it but the source view, which reads the
    /// files again ([`Document::written`]). At 100,000 documents it is half a
    /// gigabyte, held through the whole render.
    pub fn release_sources(&mut self) {
        if self.released.is_some() {
            return;
        }
        let fingerprints = std::iter::once(self.metadata_source.as_str())
            .chain(self.texts.iter().map(|t| t.source.text.as_str()))
            .map(|text| crate::fingerprint::of_bytes(text.as_bytes()))
            .collect();
        self.released = Some(fingerprints);
        self.metadata_source = String::new();
        self.headnote.release();
        for text in &mut self.texts {
            text.source.release();
        }
    }

    /// The Markdown as written, read again from the files if it was let go of; an
    /// error (the file, and what to do) if a file cannot be read or no longer holds
    /// what the build read.
    pub fn written(&self) -> Result<Written<'_>, (PathBuf, String)> {
        let Some(fingerprints) = &self.released else {
            return Ok(Written {
                metadata: Cow::Borrowed(&self.metadata_source),
                texts: self
                    .texts
                    .iter()
                    .map(|t| Cow::Borrowed(t.source.text.as_str()))
                    .collect(),
            });
        };
        let paths =
            std::iter::once(&self.headnote.path).chain(self.texts.iter().map(|t| &t.source.path));
        let mut read = paths.zip(fingerprints.iter()).map(|(path, &fingerprint)| {
            let text = std::fs::read_to_string(path).map_err(|e| {
                (
                    path.clone(),
                    format!("cannot read it again for the source view: {e}"),
                )
            })?;
            if crate::fingerprint::of_bytes(text.as_bytes()) != fingerprint {
                return Err((
                    path.clone(),
                    "changed while the site was being built: build it again".to_string(),
                ));
            }
            Ok(text)
        });
        let metadata = read.next().expect("index.md is first")?;
        let texts = read.collect::<Result<Vec<_>, _>>()?;
        Ok(Written {
            metadata: Cow::Owned(metadata),
            texts: texts.into_iter().map(Cow::Owned).collect(),
        })
    }

    /// The facsimile of page `label`, as a file of the bundle (see [`Self::facsimile`]).
    pub fn facsimile_file(&self, label: &str) -> Option<&BundleFile> {
        let name = self.facsimile(label)?;
        self.files.iter().find(|f| f.name == name)
    }

    /// The facsimile of page `label`: the file the metadata names for it, else
    /// `<label>.jpg` (or `.jpeg`, `.png`, `.webp`) if the bundle has one.
    pub fn facsimile(&self, label: &str) -> Option<&str> {
        if let Some(file) = self.meta.facsimiles.get(label) {
            return Some(file);
        }
        IMAGE_EXTENSIONS.iter().find_map(|ext| {
            let name = format!("{label}.{ext}");
            self.files
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.name.as_str())
        })
    }
}

/// A person's part in a document other than being named in it: translator,
/// author, addressee, recorder. It links them to the document as firmly as a
/// mention does (SPEC, Registers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DocumentRole {
    /// The role in the editor's words ("author"), "translator" for `translators`.
    pub role: String,
    /// The language translated into, for a translator.
    pub lang: Option<String>,
}

impl Document {
    /// Who had a part in the document, by person id: `roles` of the front matter
    /// (ids the register has), and translators whose name is a person's of the
    /// register (see [`super::Registers::person_named`]). Translators the register
    /// does not know are not here: they stay names.
    pub fn roles(&self, registers: &super::Registers) -> BTreeMap<String, Vec<DocumentRole>> {
        let mut roles: BTreeMap<String, Vec<DocumentRole>> = BTreeMap::new();
        for (role, people) in &self.meta.roles {
            for id in people
                .iter()
                .filter(|id| registers.people.contains_key(*id))
            {
                roles.entry(id.clone()).or_default().push(DocumentRole {
                    role: role.clone(),
                    lang: None,
                });
            }
        }
        for (lang, name) in &self.meta.translators {
            if let Some(id) = registers.person_named(name) {
                roles.entry(id.to_string()).or_default().push(DocumentRole {
                    role: "translator".into(),
                    lang: Some(lang.clone()),
                });
            }
        }
        roles
    }

    /// The language of the original: as the metadata says, else the first text's.
    pub fn original_language(&self) -> &str {
        self.meta
            .original_language
            .as_deref()
            .or_else(|| self.texts.first().map(|t| t.lang.as_str()))
            .unwrap_or("")
    }
}

/// The front matter of a document's `index.md`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DocumentMeta {
    pub title: String,
    pub date: PartialDate,
    /// When the edition last changed the document (its texts, translation or
    /// apparatus): what the sitemap and the feed give as its last modification.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// Why the date is what it is when sources disagree.
    #[serde(default)]
    pub date_note: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The document's number in its series or volume ("225" of a FRUS volume),
    /// by which editions cite and cross-reference documents.
    #[serde(default, deserialize_with = "text_or_number")]
    pub number: Option<String>,
    /// The edition's note on the copy published: which file, its classification,
    /// who drafted it ("Source: Department of State, Central Files, ... Secret.").
    #[serde(default)]
    pub source_note: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub original_language: Option<String>,
    #[serde(default)]
    pub archive: Option<Archive>,
    #[serde(default)]
    pub source_url: Option<String>,
    /// Translator per language code: a name, or the id of a person of the register.
    #[serde(default)]
    pub translators: BTreeMap<String, String>,
    /// People of the register who had a part in the document, by role in the
    /// editor's words: `author: anastas-mikoyan`, `addressee: [a, b]`.
    #[serde(default, deserialize_with = "roles_to_people")]
    pub roles: BTreeMap<String, Vec<String>>,
    /// Where each language's text comes from and its state (e.g. "uncorrected OCR").
    #[serde(default)]
    pub transcription: BTreeMap<String, String>,
    /// Register ids, in addition to those found in the texts.
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub collection: Option<String>,
    /// Page label → image file in the bundle, where the file is not simply named
    /// `<label>.jpg` or `<label>.png`.
    #[serde(default, deserialize_with = "labels_to_files")]
    pub facsimiles: BTreeMap<String, String>,
    /// Keys the generator does not know, kept for templates. Filled by `load`, which
    /// reads them separately so that type errors in known keys keep their line numbers.
    #[serde(skip_deserializing, default)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

impl DocumentMeta {
    /// The keys `DocumentMeta` reads itself; anything else goes to `extra`.
    pub const KNOWN_KEYS: &'static [&'static str] = &[
        "title",
        "date",
        "updated",
        "date_note",
        "type",
        "number",
        "source_note",
        "summary",
        "original_language",
        "archive",
        "source_url",
        "translators",
        "roles",
        "transcription",
        "people",
        "events",
        "places",
        "tags",
        "collection",
        "facsimiles",
    ];
}

/// Where the original is kept. Archives cite by fond / opis / delo / listy (Russian
/// practice) or by a free reference string.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub fond: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub opis: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub delo: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub listy: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
}

impl Archive {
    /// "State Archive of the Russian Federation (GARF), f. 5446, op. 98c, d. 718, ll. 49-57".
    pub fn citation(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(r) = &self.repository {
            parts.push(r.clone());
        }
        for (abbr, value) in [
            ("f.", &self.fond),
            ("op.", &self.opis),
            ("d.", &self.delo),
            (self.folio_abbreviation(), &self.listy),
        ] {
            if let Some(v) = value {
                parts.push(format!("{abbr} {v}"));
            }
        }
        if let Some(r) = &self.reference {
            parts.push(r.clone());
        }
        parts.join(", ")
    }

    fn folio_abbreviation(&self) -> &'static str {
        match &self.listy {
            Some(l) if l.contains(['-', '–', ',']) => "ll.",
            _ => "l.",
        }
    }
}

/// Page labels are text ("12v"), but editors write `36: scan.jpg` unquoted.
fn labels_to_files<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    use serde_yaml::Value;
    let text = |v: Value| match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    serde_yaml::Mapping::deserialize(d)?
        .into_iter()
        .map(|(k, v)| match (text(k), v) {
            (Some(label), Value::String(file)) => Ok((label, file)),
            _ => Err(serde::de::Error::custom(
                "write each facsimile as `page: file`, such as `36: scan-036.jpg`",
            )),
        })
        .collect()
}

/// A role names one person (`author: anastas-mikoyan`) or several (a list).
fn roles_to_people<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let roles = BTreeMap::<String, OneOrMany>::deserialize(d).map_err(|_| {
        serde::de::Error::custom(
            "write each role as `role: person-id` or `role: [person-id, ...]`, such as `author: anastas-mikoyan`",
        )
    })?;
    Ok(roles
        .into_iter()
        .map(|(role, people)| match people {
            OneOrMany::One(id) => (role, vec![id]),
            OneOrMany::Many(ids) => (role, ids),
        })
        .collect())
}

/// Archive numbers are strings ("98c"), but editors write `fond: 5446` unquoted.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<serde_yaml::Value>::deserialize(d)? {
        None | Some(serde_yaml::Value::Null) => Ok(None),
        Some(serde_yaml::Value::String(s)) => Ok(Some(s)),
        Some(serde_yaml::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(serde::de::Error::custom(
            "expected a number or text such as \"98c\"",
        )),
    }
}

/// A free page (`content/pages/<slug>.md`): about, editorial principles.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    /// Position in the navigation (lower first), then slug.
    pub weight: i64,
    pub body: Source,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of `index.md` and `ru.md` in `dir`, as `load` makes it.
    fn document_in(dir: &std::path::Path) -> Document {
        let index = "---\ntitle: t\ndate: 1956\n---\nA headnote.\n";
        let ru = "Текст {++вставка++}.\n";
        std::fs::write(dir.join("index.md"), index).unwrap();
        std::fs::write(dir.join("ru.md"), ru).unwrap();
        Document {
            id: "d".into(),
            meta: serde_yaml::from_str("title: t\ndate: 1956\n").unwrap(),
            headnote: Source::lines(dir.join("index.md"), "A headnote.\n".into(), 4),
            metadata_source: index.into(),
            texts: vec![Text {
                lang: "ru".into(),
                source: Source::file(dir.join("ru.md"), ru.into()),
            }],
            files: Vec::new(),
            fingerprint: 0,
            released: None,
        }
    }

    #[test]
    fn released_sources_are_read_again_from_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut document = document_in(dir.path());
        let before = document.written().unwrap();
        let (metadata, texts) = (before.metadata.to_string(), before.texts[0].to_string());
        document.release_sources();
        assert!(document.metadata_source.is_empty() && document.texts[0].source.text.is_empty());
        assert!(document.headnote.text.is_empty());
        let again = document.written().unwrap();
        assert!(
            matches!(again.metadata, Cow::Owned(_)),
            "read from the file"
        );
        assert_eq!(
            (again.metadata.as_ref(), again.texts[0].as_ref()),
            (metadata.as_str(), texts.as_str())
        );
    }

    #[test]
    fn a_file_changed_or_gone_after_its_source_was_released_is_an_error_at_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut document = document_in(dir.path());
        document.release_sources();
        std::fs::write(dir.path().join("ru.md"), "Текст, исправленный.\n").unwrap();
        let (file, why) = document.written().err().expect("a changed file");
        assert_eq!(file, dir.path().join("ru.md"));
        assert!(
            why.contains("changed while the site was being built"),
            "{why}"
        );
        std::fs::remove_file(dir.path().join("ru.md")).unwrap();
        let (file, why) = document.written().err().expect("a file gone");
        assert_eq!(file, dir.path().join("ru.md"));
        assert!(why.starts_with("cannot read it again"), "{why}");
    }

    /// `KNOWN_KEYS` says which keys of front matter the struct reads (the rest are
    /// kept for templates); it must name exactly its fields, as serde names them.
    #[test]
    fn the_known_keys_are_the_fields_of_the_metadata() {
        let meta: DocumentMeta = serde_yaml::from_str("title: t\ndate: 1956\n").unwrap();
        let serde_yaml::Value::Mapping(fields) = serde_yaml::to_value(&meta).unwrap() else {
            panic!("metadata serialise as a mapping");
        };
        let mut fields: Vec<&str> = fields
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|k| *k != "extra")
            .collect();
        fields.sort_unstable();
        let mut known = DocumentMeta::KNOWN_KEYS.to_vec();
        known.sort_unstable();
        assert_eq!(fields, known);
    }
}
