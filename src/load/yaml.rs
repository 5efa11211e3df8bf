//! YAML parsing that reports problems at their line and column in the editor's file.

use crate::diagnostics::{Diagnostic, Position};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `source` (which starts `line_offset` lines into the file at `path`) as `T`.
pub fn parse<T: DeserializeOwned>(
    source: &str,
    path: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(source).map_err(|e| to_diagnostic(&e, path, line_offset))
}

fn to_diagnostic(error: &serde_yaml::Error, path: &Path, line_offset: usize) -> Diagnostic {
    let pos = error
        .location()
        .map(|l| Position::new(l.line(), l.column()))
        .unwrap_or(Position::START)
        .below(line_offset);
    Diagnostic::error(path, pos, describe(error))
}

/// serde_yaml's message without the position it appends (we print our own), and with
/// a hint where the raw message is obscure to an editor.
fn describe(error: &serde_yaml::Error) -> String {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        format!("{message} (malformed YAML: check indentation, and quote values containing `: ` or starting with a special character)")
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        tags: Vec<String>,
    }

    #[test]
    fn wrong_type_is_reported_at_its_line_below_the_offset() {
        let src = "title: \"A\"\ntags: 12\n";
        let d = parse::<Meta>(src, Path::new("x/index.md"), 1).unwrap_err();
        assert_eq!((d.line, d.column), (3, 7));
        assert!(d.message.contains("invalid type"), "{}", d.message);
        assert!(!d.message.contains("at line"), "{}", d.message);
    }

    #[test]
    fn malformed_yaml_names_the_place_and_the_fix() {
        let src = "title: \"A\"\ntags: [a, b\n";
        let d = parse::<Meta>(src, Path::new("x.yaml"), 0).unwrap_err();
        assert!(d.line >= 2, "{d}");
        assert!(d.to_string().starts_with("x.yaml:"), "{d}");
    }
}
