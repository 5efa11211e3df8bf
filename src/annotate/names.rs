//! Hints for the editor: capitalised words that no register knows but that look like
//! an alias (a small edit distance away, same script, same first letter), such as
//! the OCR forms "Микодю" for Микоян. `dossier check` reports them so the editor can
//! add an alias, link the word explicitly, or mark it `[..](@-)`.
//!
//! Not here: recognising known names (that is `recognize`).

use super::recognize::{normalise, words_of, Recognizer};
use crate::diagnostics::Diagnostic;
use crate::model::{EntityRef, Registers, Source};
use std::collections::HashMap;

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
    /// register writes it.
    fn closest(&self, candidate: &str, word_count: usize) -> Option<(&str, &EntityRef)> {
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
            })
            .filter_map(|alias| {
                let alias_length = alias.normalised.chars().count();
                let shorter = length.min(alias_length);
                let allowed = (shorter as f64 * 0.4).floor().max(1.0) as usize;
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

/// Hints for one text: runs of capitalised words (not already a mention, not inside
/// a link) close to an alias.
pub(super) fn unknown_names(
    source: &Source,
    recognizer: &Recognizer,
    names: &NameIndex,
    registers: &Registers,
) -> Vec<Diagnostic> {
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
        let run = &words[i..j];
        let candidate: Vec<String> = run.iter().map(|(w, _)| normalise(w)).collect();
        let letters: usize = candidate.iter().map(|w| w.chars().count()).sum();
        if letters >= 4 {
            if let Some((alias, entity)) = names.closest(&candidate.join(" "), run.len()) {
                let surface = &text[run[0].1..run[run.len() - 1].1 + run[run.len() - 1].0.len()];
                let name = registers.name(entity).unwrap_or(&entity.id);
                hints.push(Diagnostic::warning(
                    &source.path,
                    source.position(run[0].1),
                    format!(
                        "\"{surface}\" is in no register but looks like \"{alias}\" ({name}): \
                         add it to the aliases of `{}`, link it as [{surface}](@{}), or mark it [{surface}](@-)",
                        entity.id, entity.id
                    ),
                ));
            }
        }
        i = j;
    }
    hints
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

    fn hints(text: &str) -> Vec<String> {
        let registers = registers();
        let (recognizer, _) = Recognizer::new(&registers);
        let names = NameIndex::new(&registers);
        let source = Source::file(PathBuf::from("ru.md"), text.into());
        unknown_names(&source, &recognizer, &names, &registers)
            .into_iter()
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.line,
                    d.column,
                    d.message.split(" is in").next().unwrap()
                )
            })
            .collect()
    }

    #[test]
    fn flags_ocr_forms_close_to_an_alias() {
        assert_eq!(hints("Тов. Микодю - Как себя"), ["1:6 \"Микодю\""]);
        assert_eq!(hints("тов.\nЧань Эн Ген - Мы"), ["2:1 \"Чань Эн Ген\""]);
    }

    #[test]
    fn known_names_links_and_unrelated_words_are_not_flagged() {
        assert!(hints("Тов. Микоян сказал. Mikoyan's view.").is_empty());
        assert!(hints("[Микодю](@anastas-mikoyan) и [Микодю](@-)").is_empty());
        assert!(hints("Когда Мы Корея").is_empty());
        assert!(hints("Мико").is_empty(), "too far from any alias");
        assert!(hints("Mikoyans").is_empty(), "derived from an alias");
    }
}
