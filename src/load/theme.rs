//! The theme an edition is rendered with: the built-in one, compiled into the
//! binary, with the edition's `templates/` and `static/` laid over it file by file (a
//! file with a built-in one's name replaces it; any other is added).
//!
//! Templates are read here (they are text, and small); assets are only listed, and
//! copied by `write`.

use super::Files;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{Asset, AssetContents, Template, Theme, BUILT_IN};
use std::path::Path;

macro_rules! embed {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../", $dir, "/", $name)))),*]
    };
}

/// Built-in templates, by name.
pub(super) const TEMPLATES: &[(&str, &str)] = embed!("templates":
    "404.html",
    "search.html",
    "base.html",
    "home.html",
    "document.html",
    "documents.html",
    "page.html",
    "entry.html",
    "entries.html",
    "glossary.html",
    "source.html",
    "partials/facsimile.html",
    "partials/occurrences.html",
    "partials/rows.html",
    "partials/pager.html",
);

/// Built-in assets, by path in the output.
pub(super) const ASSETS: &[(&str, &str)] = embed!("static":
    "style.css",
    "dossier.js",
    "favicon.svg",
    "search/search.js",
    "search/snowball.js",
);

/// The built-in theme with the edition's files laid over it.
pub(super) fn load(files: &Files, problems: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::default();
    for (name, text) in TEMPLATES {
        theme.templates.insert(
            name.to_string(),
            Template {
                origin: format!("{BUILT_IN}templates/{name}"),
                text: text.to_string(),
            },
        );
    }
    for (name, text) in ASSETS {
        theme.assets.insert(
            name.to_string(),
            Asset {
                origin: format!("{BUILT_IN}static/{name}"),
                contents: AssetContents::BuiltIn(text),
            },
        );
    }
    for (folder, is_templates) in [("templates", true), ("static", false)] {
        let folder = Path::new(folder);
        for (path, entry) in files.files.below(folder) {
            if entry.is_folder {
                continue;
            }
            let relative = path.strip_prefix(folder).expect("listed below the folder");
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let origin = format!("{}/{name}", folder.display());
            if is_templates {
                match files.read(path) {
                    Ok(text) => {
                        theme.templates.insert(name, Template { origin, text });
                    }
                    Err(mut problem) => {
                        if problem.message.contains("not UTF-8") {
                            problem.message = "the template is not UTF-8: save it as UTF-8".into();
                            problem.line = Position::START.line;
                            problem.column = Position::START.column;
                        }
                        problems.push(problem);
                    }
                }
            } else if let Some(file) = files.stored(path) {
                theme.assets.insert(
                    name,
                    Asset {
                        origin,
                        contents: AssetContents::File(file),
                    },
                );
            }
        }
    }
    theme
}
