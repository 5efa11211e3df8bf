//! Splitting a Markdown file into YAML front matter and body.

/// A file's front matter and body, with where the body starts.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Split<'a> {
    /// The YAML between the `---` lines, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// Lines before the YAML (1 for the opening `---`).
    pub yaml_line_offset: usize,
    pub body: &'a str,
    /// Lines before the body.
    pub body_line_offset: usize,
}

/// Splits `---\n<yaml>\n---\n<body>`. A file that does not start with `---` is all
/// body. An opening `---` without a closing one is reported by the caller as an
/// error (`Err` with the line count of the file).
pub(super) fn split(source: &str) -> Result<Split<'_>, ()> {
    let source_start = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Some(rest) = source_start
        .strip_prefix("---\n")
        .or_else(|| source_start.strip_prefix("---\r\n"))
    else {
        return Ok(Split {
            yaml: None,
            yaml_line_offset: 0,
            body: source_start,
            body_line_offset: 0,
        });
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                yaml: Some(yaml),
                yaml_line_offset: 1,
                body,
                body_line_offset: 2 + yaml.matches('\n').count(),
            });
        }
        offset += line.len();
    }
    Err(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: x\ndate: 1956\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, Some("title: x\ndate: 1956\n"));
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line_offset, 4);
        // The body's first line is the line after the closing `---`.
        let s = split("---\ntitle: x\ndate: 1956\npeople: []\n---\nBody\n").unwrap();
        assert_eq!(s.body_line_offset, 5);
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let s = split("Just text\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "Just text\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
    }
}
