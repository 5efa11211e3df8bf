//! YAML parsing that reports problems at their line and column in the editor's file.

use crate::diagnostics::{Diagnostic, Position};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `source` (which starts `line_offset` lines into the file at `path`) as `T`.
pub(super) fn parse<T: DeserializeOwned>(
    source: &str,
    path: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    if let Some(at) = too_deep(source) {
        return Err(Diagnostic::error(
            path,
            crate::diagnostics::Position::of_offset(source, at).below(line_offset),
            format!(
                "lists and mappings nested more than {MAX_DEPTH} deep: no setting needs that; \
                 check the brackets"
            ),
        ));
    }
    serde_yaml::from_str(source).map_err(|e| to_diagnostic(&e, source, path, line_offset))
}

/// How deep brackets may nest in YAML. The parser's time grew with the square of
/// the depth (100,000 levels: 70 s), and nothing an editor writes goes past a few.
const MAX_DEPTH: usize = 64;

/// Where flow collections (`[`, `{`) in `yaml` first nest deeper than [`MAX_DEPTH`],
/// if they do; brackets in quotes and comments do not count. (Block collections
/// nest by indentation, which costs the editor a line a level.)
fn too_deep(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    if bytes.iter().filter(|&&b| b == b'[' || b == b'{').count() <= MAX_DEPTH {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut escaped = false;
    let mut previous = b'\n';
    for (at, &b) in bytes.iter().enumerate() {
        // A quoted scalar starts where a value can (not at an apostrophe in a word).
        let may_start = matches!(
            previous,
            b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':' | b'-'
        );
        match (quote, b) {
            _ if comment => comment = b != b'\n',
            _ if escaped => escaped = false,
            (Some(b'"'), b'\\') => escaped = true,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'#') if matches!(previous, b' ' | b'\t' | b'\n') => comment = true,
            (None, b'"' | b'\'') if may_start => quote = Some(b),
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(at);
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = b;
    }
    None
}

/// The keys the derived `Deserialize` of `T` reads, as the editor writes them
/// (renames applied, skipped fields left out): asked of the struct itself, so the
/// list cannot drift from it. Empty for a type that is not a struct.
pub(crate) fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    use serde::forward_to_deserialize_any;

    /// A deserializer that reads nothing: it only notes the fields a struct asks for.
    struct FieldNames(&'static [&'static str]);

    impl<'de> de::Deserializer<'de> for &mut FieldNames {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("fields noted"))
        }

        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }

    let mut names = FieldNames(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

/// The known key `key` is most likely a slip for: one or two letters away (a
/// letter missing, doubled, swapped or of another case), and not a short word that
/// is as close to many keys.
pub(super) fn slip_for(key: &str, known: &[&'static str]) -> Option<&'static str> {
    if key.chars().count() < 4 {
        return None;
    }
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(distance, k)| *distance <= 2 && k.len() >= 4)
        .min()
        .map(|(_, k)| k)
}

/// The first key of a mapping inside `value` that templates cannot be given, as the
/// editor wrote it: template values take text, whole numbers and true/false as keys,
/// not lists, maps, fractions or nothing (`? [a, b] : c`, `1.5: x`, `~: x`).
pub(super) fn key_templates_cannot_take(value: &serde_yaml::Value) -> Option<String> {
    use serde_yaml::Value;
    match value {
        Value::Mapping(map) => map.iter().find_map(|(key, value)| match key {
            Value::String(_) | Value::Bool(_) => key_templates_cannot_take(value),
            Value::Number(n) if n.is_i64() || n.is_u64() => key_templates_cannot_take(value),
            other => Some(flow(other)),
        }),
        Value::Sequence(items) => items.iter().find_map(key_templates_cannot_take),
        Value::Tagged(tagged) => key_templates_cannot_take(&tagged.value),
        _ => None,
    }
}

/// `value` on one line, in YAML's flow style (`[box, 4]`, `{a: b}`).
fn flow(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    let join = |items: Vec<String>| items.join(", ");
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items) => format!("[{}]", join(items.iter().map(flow).collect())),
        Value::Mapping(map) => format!(
            "{{{}}}",
            join(
                map.iter()
                    .map(|(k, v)| format!("{}: {}", flow(k), flow(v)))
                    .collect()
            )
        ),
        Value::Tagged(tagged) => format!("{} {}", tagged.tag, flow(&tagged.value)),
    }
}

fn to_diagnostic(
    error: &serde_yaml::Error,
    source: &str,
    path: &Path,
    line_offset: usize,
) -> Diagnostic {
    // From the byte offset, not from YAML's line and column: YAML also breaks lines at
    // `\r`, U+0085, U+2028 and U+2029, and counts a line past the end of a file that
    // ends without a newline, where the editor's file has no such line.
    let full = error.to_string();
    // A list or map in brackets left open: the problem is where it opens, not where
    // YAML gave up (the next line).
    for (context, opening, closing, what) in [
        ("while parsing a flow sequence at line ", '[', ']', "list"),
        ("while parsing a flow mapping at line ", '{', '}', "map"),
    ] {
        // YAML counts lines its own way (see above): a place past the file's lines
        // is not taken.
        let in_file = |&(line, column): &(usize, usize)| {
            source
                .split('\n')
                .nth(line.wrapping_sub(1))
                .is_some_and(|l| column >= 1 && column <= l.chars().count() + 1)
        };
        if let Some(at) = full
            .find(context)
            .and_then(|i| line_and_column(&full[i + context.len() - 5..]))
            .filter(in_file)
        {
            return Diagnostic::error(
                path,
                Position::new(at.0, at.1).below(line_offset),
                format!("this `{opening}` opens a {what} that is not closed: close it with `{closing}` (or put the value in quotes if the `{opening}` is part of it)"),
            );
        }
    }
    let pos = error
        .location()
        .map(|l| Position::of_offset(source, l.index()))
        .unwrap_or(Position::START)
        .below(line_offset);
    Diagnostic::error(path, pos, describe(&full))
}

/// `line N column M` at the start of `text`.
fn line_and_column(text: &str) -> Option<(usize, usize)> {
    let rest = text.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// serde_yaml's message without the positions it writes into it (we print our own),
/// and with a hint where the raw message is obscure to an editor.
fn describe(full: &str) -> String {
    let mut message = String::new();
    let mut rest = full;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + " at ".len()..];
        let skip = after.find(',').unwrap_or(after.len());
        rest = &after[skip..];
    }
    message.push_str(rest);
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        format!("{message} (malformed YAML: check indentation, and quote values containing `: ` or starting with a special character)")
    } else {
        message
    }
}

#[cfg(test)]
mod depth {
    #[test]
    fn brackets_nested_deeper_than_the_limit_are_found_where_they_go_too_deep() {
        let deep = format!("a: {}1{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(super::too_deep(&deep), Some(3 + 64));
        let fine = format!("a: {}1{}", "[".repeat(64), "]".repeat(64));
        assert_eq!(super::too_deep(&fine), None);
        // In quotes or comments, brackets are words.
        let quoted = format!("a: \"{}\" # {}", "[".repeat(100), "{".repeat(100));
        assert_eq!(super::too_deep(&quoted), None);
        // An apostrophe in a word starts no quotation; an escaped quote ends none.
        let word = format!("a: don't {}1{}", "[".repeat(65), "]".repeat(65));
        assert!(super::too_deep(&word).is_some());
        let escaped = format!("a: \"\\\" {}\"", "[".repeat(100));
        assert_eq!(super::too_deep(&escaped), None);
        // Many lists side by side are not deep.
        assert_eq!(super::too_deep(&"[a] ".repeat(1000)), None);
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
    fn positions_are_the_editors_lines_and_columns() {
        // A carriage return and a line separator are no line breaks in the file.
        let src = "title: \"a\rb\u{2028}c\"\ntags: 12\n";
        let d = parse::<Meta>(src, Path::new("x/index.md"), 0).unwrap_err();
        assert_eq!((d.line, d.column), (2, 7));
        // An error at the end of a file without a final newline is on its last line.
        let src = "title: \"a\"\ntags: [b";
        let d = parse::<Meta>(src, Path::new("x/index.md"), 0).unwrap_err();
        assert_eq!(d.line, 2, "{d}");
        assert!(d.column <= "tags: [b".len() + 1, "{d}");
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens_once() {
        let src = "title: x\ntags: [\"a\", \"b\"\nborn: 1900\nother: y\n";
        let d = parse::<serde_yaml::Value>(src, Path::new("x/index.md"), 1).unwrap_err();
        assert_eq!((d.line, d.column), (3, 7), "{d}");
        assert!(
            d.message
                .starts_with("this `[` opens a list that is not closed"),
            "{d}"
        );
        assert!(!d.message.contains("line"), "{d}");
        // Other messages lose every position written into them, and the obscure ones
        // get a hint.
        let src = "a: b\n  c: d\n";
        let d = parse::<serde_yaml::Value>(src, Path::new("x"), 0).unwrap_err();
        assert!(!d.message.contains(" at line "), "{d}");
        for (src, raw) in [
            ("a: b: c\n", "mapping values are not allowed"),
            ("a:\n  - b\n c: d\n", "did not find expected"),
        ] {
            let d = parse::<serde_yaml::Value>(src, Path::new("x"), 0).unwrap_err();
            assert!(d.message.contains(raw), "{d}");
            assert!(
                d.message.contains("(malformed YAML: check indentation"),
                "{d}"
            );
        }
        let d = parse::<Meta>("title: x\ntags: 12\n", Path::new("x"), 0).unwrap_err();
        assert!(!d.message.contains("malformed YAML"), "{d}");
    }

    #[test]
    fn keys_templates_cannot_take_are_found_at_any_depth() {
        let value = |yaml: &str| serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap();
        for fine in [
            "a: 1",
            "{1: x, true: y, -2: z}",
            "[{a: {b: [c]}}]",
            "!tag {a: b}",
        ] {
            assert_eq!(key_templates_cannot_take(&value(fine)), None, "{fine}");
        }
        for (bad, key) in [
            ("? [a, b]\n: c", "[a, b]"),
            ("a: [{b: {1.5: x}}]", "1.5"),
            ("{~: x}", "null"),
            ("a: {? {b: c} : d}", "{b: c}"),
            ("a: !tag {1.5: x}", "1.5"),
        ] {
            assert_eq!(
                key_templates_cannot_take(&value(bad)).as_deref(),
                Some(key),
                "{bad}"
            );
        }
    }

    #[test]
    fn malformed_yaml_names_the_place_and_the_fix() {
        let src = "title: \"A\"\ntags: [a, b\n";
        let d = parse::<Meta>(src, Path::new("x.yaml"), 0).unwrap_err();
        assert!(d.line >= 2, "{d}");
        assert!(d.to_string().starts_with("x.yaml:"), "{d}");
    }

    #[test]
    fn the_fields_of_a_struct_are_read_from_its_deserialize() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Entry {
            name: String,
            #[serde(rename = "type")]
            kind: String,
            #[serde(skip_deserializing)]
            extra: u8,
        }
        assert_eq!(fields_of::<Entry>(), &["name", "type"]);
        assert!(fields_of::<String>().is_empty());
    }

    #[test]
    fn a_slip_is_a_letter_or_two_from_a_known_key() {
        let known = &["aliases", "name", "description", "see_also"];
        assert_eq!(slip_for("aliasses", known), Some("aliases"));
        assert_eq!(slip_for("Aliases", known), Some("aliases"));
        assert_eq!(slip_for("descripton", known), Some("description"));
        assert_eq!(slip_for("see-also", known), Some("see_also"));
        assert_eq!(slip_for("frus_id", known), None);
        assert_eq!(slip_for("notes", known), None);
        assert_eq!(slip_for("nam", known), None, "too short to guess");
    }
}
