//! Writing an [`Imported`] edition into a folder: document bundles, register entries
//! and, for a folder that is not an edition yet, a `site.yaml` it builds with.
//!
//! Everything is planned and checked before the first byte is written, so that a
//! refused import leaves the folder as it was: a file that exists is overwritten only
//! with `force`, and so is a register entry whose id the register has already.
//! Not a merger: a document that exists is replaced whole, never combined with the
//! files the editor has.

use super::{ImportError, Imported};
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

/// Writes `imported` into the edition at `into` (the folder holding `content/`).
/// Returns the files written, in the order written.
pub fn write(imported: &Imported, into: &Path, force: bool) -> Result<Vec<PathBuf>, ImportError> {
    let content = into.join("content");
    let mut plan: Vec<(PathBuf, String)> = Vec::new();
    let mut existing = Vec::new();

    let mut slugs = std::collections::HashSet::new();
    for document in &imported.documents {
        // Ids are folder names: one that is not an id could write outside the
        // edition (`../x`), and two equal ones would write over each other.
        if !crate::load::is_valid_id(&document.slug) || !slugs.insert(&document.slug) {
            return Err(ImportError::BadSlug(document.slug.clone()));
        }
        let bundle = content.join("documents").join(&document.slug);
        plan.push((
            bundle.join("index.md"),
            index_md(&document.meta, &document.headnote)?,
        ));
        for (lang, text) in &document.texts {
            let mut text = text.trim_end().to_string();
            text.push('\n');
            plan.push((bundle.join(format!("{lang}.md")), text));
        }
    }
    for (path, _) in &plan {
        if path.exists() {
            existing.push(path.clone());
        }
    }

    let settings = content.join("site.yaml");
    if !settings.exists() {
        plan.push((settings, site_yaml(imported)?));
    }

    let mut taken = Vec::new();
    let registers = [
        ("people.yaml", &imported.people),
        ("places.yaml", &imported.places),
        ("events.yaml", &imported.events),
        ("glossary.yaml", &imported.glossary),
    ];
    for (file, entries) in registers {
        if entries.is_empty() {
            continue;
        }
        let path = content.join(file);
        let (text, ids_taken) = register_with(&path, entries, force)?;
        taken.extend(ids_taken.into_iter().map(|id| (path.clone(), id)));
        plan.push((path, text));
    }

    if !force {
        if !existing.is_empty() {
            return Err(ImportError::WouldOverwrite(existing));
        }
        if !taken.is_empty() {
            return Err(ImportError::IdsTaken(taken));
        }
    }

    // The checks are done; from here on only the disk can fail.
    let mut written = Vec::with_capacity(plan.len());
    for (path, text) in plan {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|error| ImportError::Write {
                path: folder.to_path_buf(),
                error,
            })?;
        }
        std::fs::write(&path, text).map_err(|error| ImportError::Write {
            path: path.clone(),
            error,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `index.md`: the front matter as YAML between `---` lines, then the headnote.
fn index_md(meta: &Mapping, headnote: &str) -> Result<String, ImportError> {
    let yaml = serde_yaml::to_string(meta).map_err(|e| ImportError::Yaml(e.to_string()))?;
    let mut text = format!("---\n{yaml}---\n");
    let headnote = headnote.trim();
    if !headnote.is_empty() {
        text.push_str(headnote);
        text.push('\n');
    }
    Ok(text)
}

/// A minimal `site.yaml` for a folder that had none: the edition's title from the
/// first document's collection, the text languages from the documents (originals
/// first), so that the result builds as it is.
fn site_yaml(imported: &Imported) -> Result<String, ImportError> {
    let title = imported
        .documents
        .iter()
        .find_map(|d| d.meta.get("collection").and_then(Value::as_str))
        .unwrap_or("Imported edition");
    let mut languages: Vec<&str> = Vec::new();
    // Originals first: `languages` lists the original's language first.
    for document in &imported.documents {
        if let Some((lang, _)) = document.texts.first() {
            if !languages.contains(&lang.as_str()) {
                languages.push(lang);
            }
        }
    }
    for document in &imported.documents {
        for (lang, _) in &document.texts {
            if !languages.contains(&lang.as_str()) {
                languages.push(lang);
            }
        }
    }
    let mut settings = Mapping::new();
    settings.insert("title".into(), title.into());
    settings.insert(
        "languages".into(),
        Value::Sequence(languages.iter().map(|&l| l.into()).collect()),
    );
    let yaml = serde_yaml::to_string(&settings).map_err(|e| ImportError::Yaml(e.to_string()))?;
    Ok(format!(
        "# Site settings, written by dossier import: see the README for the others\n\
         # (base_url, introduction, editors, language of the site's own words).\n{yaml}"
    ))
}

/// The text of register file `path` with `entries` added, and the ids it had already.
/// An existing file keeps its text and comments: new entries are appended, and an
/// entry whose id is taken replaces the old one's lines (used only with `force`).
fn register_with(
    path: &Path,
    entries: &[(String, Mapping)],
    force: bool,
) -> Result<(String, Vec<String>), ImportError> {
    let old = if path.exists() {
        std::fs::read_to_string(path).map_err(|e| ImportError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?
    } else {
        String::new()
    };
    let parsed: Option<Mapping> =
        serde_yaml::from_str(&old).map_err(|e| ImportError::Unreadable {
            path: path.to_path_buf(),
            reason: format!("not a register (a mapping from id to entry): {e}"),
        })?;
    let parsed = parsed.unwrap_or_default();
    let mut text = if parsed.is_empty() {
        // An empty register is often written `{}` (as `dossier init` does): keep its
        // comments, drop the empty mapping, or the entries appended would not parse.
        old.lines()
            .filter(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect()
    } else {
        old
    };
    let mut taken = Vec::new();
    for (id, _) in entries {
        if parsed.contains_key(id.as_str()) {
            taken.push(id.clone());
            if force {
                text = without_entry(&text, id);
            }
        }
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for (id, entry) in entries {
        let mut one = Mapping::new();
        one.insert(id.as_str().into(), Value::Mapping(entry.clone()));
        let yaml = serde_yaml::to_string(&one).map_err(|e| ImportError::Yaml(e.to_string()))?;
        if !text.is_empty() && !text.ends_with("\n\n") {
            text.push('\n');
        }
        text.push_str(&yaml);
    }
    Ok((text, taken))
}

/// `yaml` without the top-level entry `id`: its key line and the lines indented
/// below it (a register's entries are block mappings, one key at column 0 each).
fn without_entry(yaml: &str, id: &str) -> String {
    let keys = [format!("{id}:"), format!("\"{id}\":"), format!("'{id}':")];
    let mut out = String::with_capacity(yaml.len());
    let mut skipping = false;
    for line in yaml.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '#', '\n', '\r']);
        if top_level {
            skipping = keys.iter().any(|k| line.starts_with(k.as_str()));
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportedDocument;

    fn document(slug: &str) -> ImportedDocument {
        let mut meta = Mapping::new();
        meta.insert("title".into(), "A \"quoted\" title: with colon".into());
        meta.insert("date".into(), "1956-09-16".into());
        ImportedDocument {
            slug: slug.into(),
            meta,
            headnote: String::new(),
            texts: vec![("ru".into(), "Текст".into()), ("en".into(), "Text".into())],
            from: vec![],
        }
    }

    fn entry(name: &str) -> Mapping {
        let mut m = Mapping::new();
        m.insert("name".into(), name.into());
        m
    }

    #[test]
    fn writes_bundles_and_settings_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let imported = Imported {
            documents: vec![document("a-doc")],
            people: vec![("kim-il-sung".into(), entry("Kim Il Sung"))],
            ..Default::default()
        };
        let written = write(&imported, dir.path(), false).unwrap();
        assert_eq!(written.len(), 5, "{written:?}");
        let index =
            std::fs::read_to_string(dir.path().join("content/documents/a-doc/index.md")).unwrap();
        assert!(index.starts_with("---\n"), "{index}");
        let front: Mapping = serde_yaml::from_str(
            index
                .trim_start_matches("---\n")
                .split("---\n")
                .next()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            front.get("title").and_then(Value::as_str),
            Some("A \"quoted\" title: with colon")
        );
        let site = std::fs::read_to_string(dir.path().join("content/site.yaml")).unwrap();
        let site: Mapping = serde_yaml::from_str(&site).unwrap();
        let languages: Vec<&str> = site["languages"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(languages, ["ru", "en"]);
        assert_eq!(site["title"].as_str(), Some("Imported edition"));

        let before = std::fs::read_to_string(dir.path().join("content/people.yaml")).unwrap();
        match write(&imported, dir.path(), false) {
            Err(ImportError::WouldOverwrite(paths)) => assert_eq!(paths.len(), 3),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/people.yaml")).unwrap(),
            before
        );
        write(&imported, dir.path(), true).unwrap();
        let after = std::fs::read_to_string(dir.path().join("content/people.yaml")).unwrap();
        assert_eq!(after.matches("kim-il-sung:").count(), 1, "{after}");
    }

    #[test]
    fn register_entries_are_appended_keeping_comments_and_taken_ids_refused() {
        let dir = tempfile::tempdir().unwrap();
        let people = dir.path().join("content/people.yaml");
        std::fs::create_dir_all(people.parent().unwrap()).unwrap();
        std::fs::write(&people, "# Persons.\n{}\n").unwrap();
        let mut imported = Imported {
            people: vec![("mao-zedong".into(), entry("Mao Zedong"))],
            ..Default::default()
        };
        write(&imported, dir.path(), false).unwrap();
        let text = std::fs::read_to_string(&people).unwrap();
        assert!(text.starts_with("# Persons.\n"), "{text}");
        imported.people = vec![("kim-il-sung".into(), entry("Kim"))];
        write(&imported, dir.path(), false).unwrap();
        let parsed: Mapping =
            serde_yaml::from_str(&std::fs::read_to_string(&people).unwrap()).unwrap();
        assert_eq!(parsed.len(), 2);
        match write(&imported, dir.path(), false) {
            Err(ImportError::IdsTaken(ids)) => assert_eq!(ids[0].1, "kim-il-sung"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_slug_that_is_not_an_id_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let imported = Imported {
            documents: vec![document("../escape")],
            ..Default::default()
        };
        assert!(matches!(
            write(&imported, dir.path(), true),
            Err(ImportError::BadSlug(_))
        ));
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}
