//! `dossier new` and `dossier init`: a new document bundle, a new edition. Both write
//! only new files and refuse to overwrite anything. Public for the binary.

use crate::diagnostics::Diagnostics;
use crate::load::{self, is_valid_id};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why nothing was created.
#[derive(Debug)]
pub struct ScaffoldError(pub String);

impl fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Creates `content/documents/<slug>/` with commented front matter and one empty text
/// per language of `site.yaml`. Returns the files written.
pub fn new_document(root: &Path, slug: &str, today: &str) -> Result<Vec<PathBuf>, ScaffoldError> {
    if !is_valid_id(slug) {
        let suggestion = match id_like(slug) {
            Some(id) => format!(": `{id}`, say"),
            None => " (e.g. mikoyan-cable-1956-09-16)".to_string(),
        };
        return Err(ScaffoldError(format!(
            "`{slug}` cannot be a document id: use lowercase letters, digits and hyphens{suggestion}"
        )));
    }
    let settings = root.join("content/site.yaml");
    if !settings.is_file() {
        return Err(ScaffoldError(format!(
            "no edition here: {} does not exist (run dossier new in an edition's folder or give it with --root, or start an edition with dossier init)",
            settings.display()
        )));
    }
    let mut diagnostics = Diagnostics::new();
    let config = load::load_site_settings(root, &mut diagnostics).ok_or_else(|| {
        ScaffoldError(format!(
            "the site settings cannot be read; fix them first:\n{}",
            diagnostics.to_string().trim_end()
        ))
    })?;
    let bundle = root.join("content/documents").join(slug);
    if bundle.exists() {
        return Err(ScaffoldError(format!(
            "{} exists already: choose another id, or edit that document",
            bundle.display()
        )));
    }
    let languages = if config.languages.is_empty() {
        vec![config.language.clone()]
    } else {
        config.languages.clone()
    };
    let original = &languages[0];
    let translators: String = languages[1..]
        .iter()
        .map(|l| format!("#   {l}: \"\"\n"))
        .collect();
    let title = slug.replace('-', " ");
    let index = format!(
        "---\n\
         # The document's title, as the archive gives it.\n\
         title: \"{title}\"\n\
         # The document's own date: 1956-09-16, or 1956-09, or 1956.\n\
         date: {today}\n\
         # Where sources disagree about the date, say why this one.\n\
         # date_note: \"\"\n\
         # type: \"cable\"\n\
         # summary: \"\"\n\
         original_language: \"{original}\"\n\
         # archive:\n\
         #   repository: \"\"\n\
         #   fond: \"\"\n\
         #   opis: \"\"\n\
         #   delo: \"\"\n\
         #   listy: \"\"\n\
         # source_url: \"\"\n\
         # translators:\n{translators}\
         # People of the register with a part in the document, by role.\n\
         # roles:\n\
         #   author: person-id\n\
         # transcription:\n\
         #   {original}: \"Where the text comes from and its state (e.g. uncorrected OCR).\"\n\
         # Register ids named by the document besides those found in its texts.\n\
         # people: []\n\
         # events: []\n\
         # tags: []\n\
         ---\n\
         {headnote}\n",
        headnote = load::PLACEHOLDER_HEADNOTE,
    );
    let mut files = vec![(bundle.join("index.md"), index)];
    for lang in &languages {
        files.push((bundle.join(format!("{lang}.md")), String::new()));
    }
    write_new(&files)
}

/// `name` made into an id (`My Doc` → `my-doc`), if anything of it is left.
fn id_like(name: &str) -> Option<String> {
    let mut id = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    (!id.is_empty()).then_some(id)
}

/// Creates a new edition in `dir` that builds as it is.
pub fn new_edition(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let content = dir.join("content");
    if content.exists() {
        return Err(ScaffoldError(format!(
            "{} exists already: an edition is there; dossier init only starts new ones",
            content.display()
        )));
    }
    let files = vec![
        (
            content.join("site.yaml"),
            "# Site settings.\n\
             title: \"A documentary edition\"\n\
             # subtitle: \"\"\n\
             # Markdown shown on the home page.\n\
             introduction: |\n  The documents of this edition, with their original texts and translations side by side.\n\
             # Where the site will be published (for citations).\n\
             base_url: \"https://example.org/edition\"\n\
             editors: []\n\
             # licence: \"\"\n\
             # The language of the site's own words.\n\
             language: \"en\"\n\
             # The languages of the texts, the original's first (dossier new uses them).\n\
             languages: [\"ru\", \"en\"]\n"
                .to_string(),
        ),
        (content.join("people.yaml"), register_header("persons", "kim-il-sung:\n#   name: \"Kim Il Sung\"\n#   aliases: [\"Ким Ир Сен\"]")),
        (content.join("events.yaml"), register_header("events", "august-plenum:\n#   name: \"August Plenum\"\n#   start: 1956-08-30\n#   end: 1956-08-31")),
        (content.join("places.yaml"), register_header("places", "pyongyang:\n#   name: \"Pyongyang\"\n#   aliases: [\"Пхеньян\"]")),
        (content.join("glossary.yaml"), register_header("abbreviations and organisations", "kwp:\n#   term: \"KWP\"\n#   expansion: { en: \"Korean Workers' Party\" }")),
        (
            content.join("pages/about.md"),
            "---\ntitle: \"About this edition\"\n---\nWho made this edition, from which sources, and how the texts were transcribed and translated.\n".to_string(),
        ),
        (
            content.join("documents/.keep"),
            "Each document is a folder here: run `dossier new <id>` to start one.\n".to_string(),
        ),
    ];
    write_new(&files)
}

fn register_header(what: &str, example: &str) -> String {
    format!("# Register of {what}, keyed by id. For example:\n# {example}\n{{}}\n")
}

/// Writes files that must not exist yet.
fn write_new(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, ScaffoldError> {
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(ScaffoldError(format!(
            "{} exists already: nothing was written",
            existing.display()
        )));
    }
    for (path, contents) in files {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| ScaffoldError(format!("{}: cannot create: {e}", folder.display())))?;
        }
        std::fs::write(path, contents)
            .map_err(|e| ScaffoldError(format!("{}: cannot write: {e}", path.display())))?;
    }
    Ok(files.iter().map(|(p, _)| p.clone()).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_made_into_ids() {
        assert_eq!(super::id_like("My Doc").as_deref(), Some("my-doc"));
        assert_eq!(
            super::id_like("Cable, 16.IX.1956 ").as_deref(),
            Some("cable-16-ix-1956")
        );
        assert_eq!(super::id_like("Телеграмма"), None);
    }
}
