//! Problems found in an edition, with the place an editor has to look.
//!
//! Every stage of the pipeline reports through [`Diagnostic`]: a file (relative to the
//! edition root), a 1-based line and column, a level and a message that says what to
//! do. Stages collect all problems of a build into [`Diagnostics`] instead of stopping
//! at the first, so that an editor fixes a whole batch per build.
//!
//! This module does not decide what is a problem; it only carries and prints them.
//! Public because the binary and the benchmarks print and count them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
        })
    }
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub level: Level,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, pos: Position, message: impl Into<String>) -> Self {
        Self::new(Level::Error, path, pos, message)
    }

    pub fn warning(path: impl Into<PathBuf>, pos: Position, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, path, pos, message)
    }

    fn new(
        level: Level,
        path: impl Into<PathBuf>,
        pos: Position,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            line: pos.line,
            column: pos.column,
            level,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.level,
            self.message
        )
    }
}

/// A 1-based line and column (columns count characters, not bytes, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The start of a file: where whole-file problems are reported.
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// The position of byte `offset` in `source`. For many offsets in one source, a
    /// [`Lines`] finds each without reading the source from its start every time.
    pub fn of_offset(source: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self::in_line(source, before.matches('\n').count() + 1, line_start, offset)
    }

    fn in_line(source: &str, line: usize, line_start: usize, offset: usize) -> Self {
        Self {
            line,
            column: source[line_start..offset].chars().count() + 1,
        }
    }

    /// This position moved down by `lines` (for text embedded at a known line, such as
    /// front matter inside a Markdown file).
    pub fn below(self, lines: usize) -> Self {
        Self {
            line: self.line + lines,
            column: self.column,
        }
    }
}

/// Where the lines of one source begin, found once: the positions of a page's
/// thousands of links cost a search each instead of a count from the page's start.
pub struct Lines<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Self {
        Self {
            source,
            starts: line_starts(source),
        }
    }

    /// The position of byte `offset`, as [`Position::of_offset`] gives it.
    pub fn position(&self, offset: usize) -> Position {
        position_in(self.source, &self.starts, offset)
    }
}

/// Where each line of `source` begins (see [`position_in`]).
pub fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
        .collect()
}

/// The position of byte `offset` of `source`, whose lines begin at `starts`
/// ([`line_starts`]): as [`Position::of_offset`] gives it, without counting the
/// lines before it again.
pub fn position_in(source: &str, starts: &[usize], offset: usize) -> Position {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    // The last line that starts at or before `offset`.
    let line = starts.partition_point(|&start| start <= offset);
    Position::in_line(source, line, starts[line - 1], offset)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All problems of a build, errors and warnings together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn error(&mut self, path: &Path, pos: Position, message: impl Into<String>) {
        self.push(Diagnostic::error(path, pos, message));
    }

    pub fn warning(&mut self, path: &Path, pos: Position, message: impl Into<String>) {
        self.push(Diagnostic::warning(path, pos, message));
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.level == Level::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, then place, so output is the same from run to run whatever order
    /// parallel stages finished in.
    pub fn sorted(mut self) -> Self {
        self.items.sort();
        self.items.dedup();
        self
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Self {
            items: iter.into_iter().collect(),
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters() {
        let src = "first\nвторая строка\nthird";
        assert_eq!(Position::of_offset(src, 0), Position::new(1, 1));
        let i = src.find("строка").unwrap();
        assert_eq!(Position::of_offset(src, i), Position::new(2, 8));
        assert_eq!(Position::of_offset(src, src.len()), Position::new(3, 6));
    }

    #[test]
    fn lines_give_every_offset_the_position_of_offset_gives() {
        for src in ["", "\n", "first\nвторая строка\nthird", "a\n\nb\n"] {
            let lines = Lines::new(src);
            for offset in 0..=src.len() + 1 {
                assert_eq!(
                    lines.position(offset),
                    Position::of_offset(src, offset),
                    "{src:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn display_is_path_line_col_level_message() {
        let d = Diagnostic::error("content/site.yaml", Position::new(3, 7), "bad");
        assert_eq!(d.to_string(), "content/site.yaml:3:7: error: bad");
    }
}
