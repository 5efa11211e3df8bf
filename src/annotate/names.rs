//! Hints for the editor: capitalised words that no register knows but that look like
//! an alias (a small edit distance away, same script, same first letter), such as
//! the OCR forms "Микодю" for Микоян. `dossier check` reports them so the editor can
//! add an alias, link the word explicitly, or mark it `[..](@-)`.
//!
//! Not here: recognising known names (that is `recognize`).

use super::recognize::{normalise, words_of, Recognizer};
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{EntityRef, Registers, Source};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// Aliases by their first letter, for comparing candidates.
pub(super) struct NameIndex {
    by_initial: HashMap<char, Vec<Alias>>,
}

/// A name of a register entry, normalised for comparing and as the register writes it.
struct Alias {
    normalised: String,
    words: usize,
    written: String,
    entity: EntityRef,
}

impl NameIndex {
    pub(super) fn new(registers: &Registers) -> Self {
        let mut by_initial: HashMap<char, Vec<Alias>> = HashMap::new();
        for (entity, names) in super::recognize::names_of_entries(registers) {
            for name in names {
                let words: Vec<String> =
                    words_of(&name).iter().map(|(w, _)| normalise(w)).collect();
                let normalised = words.join(" ");
                if let Some(initial) = normalised.chars().next() {
                    by_initial.entry(initial).or_default().push(Alias {
                        normalised,
                        words: words.len(),
                        written: name.to_string(),
                        entity: entity.clone(),
                    });
                }
            }
        }
        Self { by_initial }
    }

    /// The closest alias to `candidate` (normalised words), if close enough, as the
    /// register writes it. An abbreviation ("SEATO", "NOTAL") is only ever the
    /// closest to a word in capitals: "State" and "Noted" are ordinary words.
    fn closest(
        &self,
        candidate: &str,
        word_count: usize,
        in_capitals: bool,
    ) -> Option<(&str, &EntityRef)> {
        let initial = candidate.chars().next()?;
        let length = candidate.chars().count();
        self.by_initial
            .get(&initial)?
            .iter()
            .filter(|alias| {
                // A word made from the alias ("Korean", "Koreans") is not a misspelling.
                alias.words == word_count
                    && !candidate.starts_with(alias.normalised.as_str())
                    && !alias.normalised.starts_with(candidate)
                    && (in_capitals || !is_in_capitals(&alias.written))
            })
            .filter_map(|alias| {
                let alias_length = alias.normalised.chars().count();
                let shorter = length.min(alias_length);
                // Two letters in a short word make another word ("China" and
                // "Chang"): one is allowed there, two from six letters on (OCR's
                // "Микодю" for "Микоян").
                let allowed = match shorter {
                    0..=5 => 1,
                    _ => (shorter as f64 * 0.4).floor() as usize,
                };
                // The distance is at least the difference in length: most aliases
                // are ruled out without computing it (`check` compares every
                // capitalised word of the edition).
                if length.abs_diff(alias_length) > allowed {
                    return None;
                }
                let distance = strsim::levenshtein(candidate, &alias.normalised);
                (distance > 0 && distance <= allowed).then_some((distance, alias))
            })
            .min_by_key(|(distance, alias)| (*distance, alias.normalised.len()))
            .map(|(_, alias)| (alias.written.as_str(), &alias.entity))
    }
}

/// A run of capitalised words that looks like a name no register knows.
pub(super) struct Hint<'n> {
    /// As written.
    surface: String,
    /// Its words normalised, by which hints are told apart.
    words: Vec<String>,
    path: PathBuf,
    position: Position,
    alias: &'n str,
    entity: &'n EntityRef,
}

/// Candidate hints for one text: runs of capitalised words (not already a
/// mention, not inside a link) close to an alias. [`report`] decides which are
/// worth the editor's time.
pub(super) fn unknown_names<'n>(
    source: &Source,
    recognizer: &Recognizer,
    names: &'n NameIndex,
) -> Vec<Hint<'n>> {
    let text = &source.text;
    let covered = covered_ranges(text, recognizer);
    let words = words_of(text);
    let mut hints = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A run of capitalised words separated by spaces only.
        let mut j = i;
        while j < words.len() && is_capitalised(words[j].0) && !is_covered(&covered, &words[j]) {
            let next = j + 1;
            let joined = next < words.len()
                && text[words[j].1 + words[j].0.len()..words[next].1]
                    .chars()
                    .all(|c| c == ' ');
            j = next;
            if !joined {
                break;
            }
        }
        if j == i {
            i += 1;
            continue;
        }
        // The whole run, else without its first words ("Secretary Dulls", "И
        // Микодю": a title or a sentence's first word before the name).
        for start in i..j {
            let run = &words[start..j];
            if run.len() == 1 && !is_in_capitals(run[0].0) && opens_sentence(text, &words[..start])
            {
                // Capitalised because it begins a sentence ("Both MND and..."),
                // which says nothing of whether it is a name.
                break;
            }
            let candidate: Vec<String> = run.iter().map(|(w, _)| normalise(w)).collect();
            let letters: usize = candidate.iter().map(|w| w.chars().count()).sum();
            if letters < 4 {
                break;
            }
            let surface = &text[run[0].1..run[run.len() - 1].1 + run[run.len() - 1].0.len()];
            let in_capitals = is_in_capitals(surface);
            if let Some((alias, entity)) =
                names.closest(&candidate.join(" "), run.len(), in_capitals)
            {
                hints.push(Hint {
                    surface: surface.to_string(),
                    words: candidate,
                    path: source.path.clone(),
                    position: source.position(run[0].1),
                    alias,
                    entity,
                });
                break;
            }
        }
        i = j;
    }
    hints
}

/// Whether the word after `before` (the words of the text before it) begins a
/// sentence: it begins the text or a line, or follows a full stop, question or
/// exclamation mark that does not end a short abbreviation ("Mr.", "Тов.", "т."
/// stand before names).
fn opens_sentence(text: &str, before: &[(&str, usize)]) -> bool {
    let Some(&(previous, at)) = before.last() else {
        return true;
    };
    let between = &text[at + previous.len()..];
    let between = &between[..between
        .find(|c: char| c.is_alphanumeric())
        .unwrap_or(between.len())];
    if between.contains('\n') {
        return true;
    }
    let ends_sentence = between.trim_start().starts_with(['.', '!', '?', '…']);
    let abbreviation = between.trim_start().starts_with('.')
        && (previous.chars().count() == 1 || TITLES.contains(&previous.to_lowercase().as_str()));
    ends_sentence && !abbreviation
}

/// Abbreviated titles that stand before names, in English and Russian, written
/// with a full stop that does not end a sentence ("Mr. Dulles", "тов. Микоян").
/// (An initial, "A. Mikoyan", is one letter: not listed.)
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "capt",
    "adm",
    "lt",
    "maj",
    "sgt",
    "prof",
    "sen",
    "rep",
    "amb",
    "gov",
    "hon",
    "rev",
    "st",
    "cde",
    "com",
    "тов",
    "гр",
    "ген",
    "проф",
    "акад",
    "полк",
    "маршал",
];

/// The words of `text` written in small letters, normalised: words the edition
/// uses as ordinary words. "Hover" is not a misspelt "Hoover" when the edition
/// also writes "hover".
pub(super) fn ordinary_words(text: &str) -> impl Iterator<Item = String> + '_ {
    words_of(text)
        .into_iter()
        .filter(|(w, _)| w.chars().next().is_some_and(char::is_lowercase))
        .map(|(w, _)| normalise(w))
}

/// One warning per distinct word, at its first place, with how often and where
/// it occurs (an OCR misreading recurs: the editor fixes it once, as an alias);
/// none for words the edition also writes in small letters.
pub(super) fn report(
    hints: Vec<Hint>,
    ordinary: &HashSet<String>,
    registers: &Registers,
    diagnostics: &mut crate::diagnostics::Diagnostics,
) {
    let mut by_words: BTreeMap<Vec<String>, Vec<Hint>> = BTreeMap::new();
    for hint in hints {
        if hint.words.iter().all(|w| ordinary.contains(w)) {
            continue;
        }
        by_words.entry(hint.words.clone()).or_default().push(hint);
    }
    let mut reports: Vec<Diagnostic> = by_words
        .into_values()
        .map(|mut places| {
            places.sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
            let first = &places[0];
            let mut files: Vec<String> = places.iter().map(|h| h.path.display().to_string()).collect();
            files.dedup();
            let count = places.len();
            let where_else = match (count, files.len()) {
                (1, _) => String::new(),
                (_, 1) => format!(" ({count} times in this file)"),
                (_, n) if n <= 3 => format!(" ({count} times, in {})", files.join(", ")),
                (_, 4) => format!(
                    " ({count} times, in {} and one other file)",
                    files[..3].join(", ")
                ),
                (_, n) => format!(
                    " ({count} times, in {} and {} other files)",
                    files[..3].join(", "),
                    n - 3
                ),
            };
            let (surface, entity) = (&first.surface, first.entity);
            let name = registers.name(entity).unwrap_or(&entity.id);
            Diagnostic::warning(
                &first.path,
                first.position,
                format!(
                    "\"{surface}\"{where_else} is in no register but looks like \"{}\" ({name}): \
                     add it to the aliases of `{}`, link it as [{surface}](@{}), or mark it [{surface}](@-)",
                    first.alias, entity.id, entity.id
                ),
            )
        })
        .collect();
    reports.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    diagnostics.extend(reports);
}

/// Written in capitals only ("SEATO", "CC"): an abbreviation.
fn is_in_capitals(written: &str) -> bool {
    written.chars().any(char::is_uppercase) && !written.chars().any(char::is_lowercase)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_covered(covered: &[(usize, usize)], word: &(&str, usize)) -> bool {
    covered
        .iter()
        .any(|&(s, e)| word.1 < e && word.1 + word.0.len() > s)
}

/// Byte ranges of the text that are already accounted for: recognised names, and the
/// text of links (`[x](@id)`, `[x](@-)`, `[x](url)`).
fn covered_ranges(text: &str, recognizer: &Recognizer) -> Vec<(usize, usize)> {
    let mut covered: Vec<(usize, usize)> = recognizer
        .find(text)
        .iter()
        .map(|f| (f.start, f.end))
        .collect();
    let mut search = 0;
    while let Some(found) = text[search..].find("](") {
        let close = search + found;
        let line_start = text[..close].rfind('\n').map_or(0, |n| n + 1);
        if let Some(open) = text[line_start..close].rfind('[') {
            covered.push((line_start + open, close));
        }
        search = close + 2;
    }
    covered
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn registers() -> Registers {
        let mut r = Registers::default();
        r.people.insert(
            "anastas-mikoyan".into(),
            serde_yaml::from_str("name: \"Anastas Mikoyan\"\naliases: [\"Микоян\", \"Mikoyan\"]")
                .unwrap(),
        );
        r.people.insert(
            "choe-yong-geon".into(),
            serde_yaml::from_str("name: \"Choe Yong-geon\"\naliases: [\"Чой Ен Ген\"]").unwrap(),
        );
        r
    }

    /// The hints `check` gives for texts (file name, text), as "file:line:col
    /// \"words\" (how often)".
    fn hints_of(texts: &[(&str, &str)]) -> Vec<String> {
        let registers = registers();
        let (recognizer, _) = Recognizer::new(&registers);
        let names = NameIndex::new(&registers);
        let sources: Vec<Source> = texts
            .iter()
            .map(|(file, text)| Source::file(PathBuf::from(file), text.to_string()))
            .collect();
        let hints = sources
            .iter()
            .flat_map(|s| unknown_names(s, &recognizer, &names))
            .collect();
        let ordinary = sources
            .iter()
            .flat_map(|s| ordinary_words(&s.text))
            .collect();
        let mut diagnostics = crate::diagnostics::Diagnostics::new();
        report(hints, &ordinary, &registers, &mut diagnostics);
        diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {}",
                    d.path.display(),
                    d.line,
                    d.column,
                    d.message.split(" is in").next().unwrap()
                )
            })
            .collect()
    }

    fn hints(text: &str) -> Vec<String> {
        hints_of(&[("ru.md", text)])
            .into_iter()
            .map(|h| h.trim_start_matches("ru.md:").to_string())
            .collect()
    }

    #[test]
    fn abbreviations_are_hinted_from_capitals_and_ordinary_words_never() {
        let mut registers = registers();
        registers.glossary.insert(
            "seato".into(),
            serde_yaml::from_str("term: \"SEATO\"").unwrap(),
        );
        registers.people.insert(
            "herbert-hoover".into(),
            serde_yaml::from_str("name: \"Herbert Hoover\"\naliases: [\"Hoover\"]").unwrap(),
        );
        let (recognizer, _) = Recognizer::new(&registers);
        let names = NameIndex::new(&registers);
        let source = Source::file(
            PathBuf::from("en.md"),
            "State said. However, it was noted. SEETO met. Mr. Hoovre came.".into(),
        );
        let hints = unknown_names(&source, &recognizer, &names);
        let ordinary = ordinary_words(&source.text).collect();
        let mut diagnostics = crate::diagnostics::Diagnostics::new();
        report(hints, &ordinary, &registers, &mut diagnostics);
        let surfaces: Vec<&str> = diagnostics
            .iter()
            .map(|d| d.message.split('"').nth(1).unwrap())
            .collect();
        // "State" is not SEATO (an abbreviation is hinted from capitals only);
        // SEETO and Hoovre are misspellings.
        assert!(!surfaces.contains(&"State"), "{surfaces:?}");
        assert!(
            surfaces.contains(&"SEETO") && surfaces.contains(&"Hoovre"),
            "{surfaces:?}"
        );
        // "Hover" is close to "Hoover", but the edition writes "hover" too: an
        // ordinary word, capitalised for some reason of its own.
        let reported = |text: &str| {
            let source = Source::file(PathBuf::from("en.md"), text.into());
            let hints = unknown_names(&source, &recognizer, &names);
            let ordinary = ordinary_words(&source.text).collect();
            let mut diagnostics = crate::diagnostics::Diagnostics::new();
            report(hints, &ordinary, &registers, &mut diagnostics);
            diagnostics.len()
        };
        assert_eq!(reported("It came by Hover craft, at Hoover's."), 1);
        assert_eq!(reported("It came by Hover craft; they hover."), 0);
    }

    #[test]
    fn a_word_is_hinted_once_with_how_often_and_where() {
        assert_eq!(
            hints_of(&[
                ("b/ru.md", "Тов. Микодю. И Микодю."),
                ("a/ru.md", "Сказал Микодю."),
            ]),
            ["a/ru.md:1:8 \"Микодю\" (3 times, in a/ru.md, b/ru.md)"]
        );
        let texts = ["a", "b", "c", "d", "e"].map(|f| (format!("{f}/ru.md"), "Тов. Микодю."));
        let texts: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (f.as_str(), *t)).collect();
        assert_eq!(
            hints_of(&texts[..4]),
            ["a/ru.md:1:6 \"Микодю\" (4 times, in a/ru.md, b/ru.md, c/ru.md and one other file)"]
        );
        assert_eq!(
            hints_of(&texts),
            ["a/ru.md:1:6 \"Микодю\" (5 times, in a/ru.md, b/ru.md, c/ru.md and 2 other files)"]
        );
        assert_eq!(
            hints("Тов. Микодю и Микодю"),
            ["1:6 \"Микодю\" (2 times in this file)"]
        );
        // A sentence's first word is capitalised whatever it is.
        assert!(hints("Все так. Микодю и мы.").is_empty());
        assert!(hints("Микодю и мы.").is_empty());
    }

    #[test]
    fn flags_ocr_forms_close_to_an_alias() {
        assert_eq!(hints("Тов. Микодю - Как себя"), ["1:6 \"Микодю\""]);
        assert_eq!(hints("тов.\nЧань Эн Ген - Мы"), ["2:1 \"Чань Эн Ген\""]);
    }

    #[test]
    fn known_names_links_and_unrelated_words_are_not_flagged() {
        // After a title, so that no word is a sentence's first.
        assert!(hints("Тов. Микоян сказал. Mikoyan's view.").is_empty());
        assert!(hints("[Микодю](@anastas-mikoyan) и [Микодю](@-)").is_empty());
        assert!(hints("тов. Когда Мы Корея").is_empty());
        assert!(hints("тов. Мико").is_empty(), "too far from any alias");
        assert!(hints("Mr. Mikoyans").is_empty(), "derived from an alias");
        // A run is compared with the aliases of as many words.
        assert!(hints("тов. Чойен Ген").is_empty());
        assert_eq!(hints("тов. Чой Ен Гэн"), ["1:6 \"Чой Ен Гэн\""]);
    }

    /// The words `unknown_names` offers as hints in `text`, given `registers`.
    fn surfaces_hinted(registers: &Registers, text: &str) -> Vec<String> {
        let (recognizer, _) = Recognizer::new(registers);
        let names = NameIndex::new(registers);
        let source = Source::file(PathBuf::from("en.md"), text.into());
        unknown_names(&source, &recognizer, &names)
            .into_iter()
            .map(|h| h.surface)
            .collect()
    }

    /// What the rules of `closest` let through, each with a case on either side.
    #[test]
    fn a_word_against_a_link_is_hinted_and_a_link_on_a_later_line_is_read() {
        // The link's text is accounted for; the word that touches its bracket is not.
        assert_eq!(
            hints("тов. Микодю[Микоян](@anastas-mikoyan)"),
            ["1:6 \"Микодю\""]
        );
        // A text that opens with an empty line, a link on the next.
        assert_eq!(
            hints("\n[Микодю](@anastas-mikoyan) и тов. Микодю"),
            ["2:35 \"Микодю\""]
        );
    }

    #[test]
    fn short_words_may_differ_by_a_letter_and_abbreviations_only_from_capitals() {
        let mut registers = registers();
        for (id, name, alias) in [
            ("john-foster-dulles", "John Foster Dulles", "Dulles"),
            ("chang-myon", "Chang Myon", "Chang"),
            ("syngman-rhee", "Syngman Rhee", "Rhee"),
            ("mao-zedong", "Mao Zedong", "Mao"),
        ] {
            let yaml = format!("name: \"{name}\"\naliases: [\"{alias}\"]");
            registers
                .people
                .insert(id.into(), serde_yaml::from_str(&yaml).unwrap());
        }
        registers.glossary.insert(
            "seato".into(),
            serde_yaml::from_str("term: \"SEATO\"").unwrap(),
        );
        let hinted = |text: &str| surfaces_hinted(&registers, text);
        // A letter short of a six-letter name, or a letter changed in a five-letter
        // one: a misspelling.
        assert_eq!(hinted("Then Mr. Dules said"), ["Dules"]);
        assert_eq!(hinted("Then Mr. Chanh said"), ["Chanh"]);
        // Two letters changed in a five-letter word: another word.
        assert!(hinted("Then the China policy").is_empty());
        // An abbreviation is hinted from capitals only.
        assert!(hinted("It was the State that said").is_empty());
        assert_eq!(hinted("It was the SEETO that said"), ["SEETO"]);
        // Four letters are enough to tell a misspelling; three are not.
        assert_eq!(hinted("Then Mr. Rhea said"), ["Rhea"]);
        assert!(hinted("Then Mr. Moa said").is_empty());
        // A name two entries share is never linked, but it is no misspelling.
        registers.people.insert(
            "chang-lee-wook".into(),
            serde_yaml::from_str("name: \"Chang Lee Wook\"\naliases: [\"Chang\"]").unwrap(),
        );
        assert!(surfaces_hinted(&registers, "Then Mr. Chang said").is_empty());
    }
}
