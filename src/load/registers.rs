//! Loading and checking the registers (people, events, places, glossary).
//!
//! serde reads each file into the typed model; what serde cannot see is checked here,
//! each problem at its line: duplicate ids (YAML keeps the last silently), ids used in
//! two registers (which would make `[x](@id)` ambiguous), impossible date orders, and
//! references to entries that do not exist.

use super::{is_valid_id, Files, WithExtra};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{EntityKind, EntityRef, PartialDate, Registers};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub(super) fn load_registers(files: &Files, diagnostics: &mut Diagnostics) -> Registers {
    let mut registers = Registers::default();
    let mut sources: HashMap<EntityKind, (PathBuf, String)> = HashMap::new();
    let r = &mut registers;
    r.people = load_register(files, EntityKind::Person, r, &mut sources, diagnostics);
    r.events = load_register(files, EntityKind::Event, r, &mut sources, diagnostics);
    r.places = load_register(files, EntityKind::Place, r, &mut sources, diagnostics);
    r.glossary = load_register(files, EntityKind::Term, r, &mut sources, diagnostics);
    check_ids_across_registers(&registers, diagnostics);
    check_entries(&registers, &sources, diagnostics);
    registers
}

/// A register file is a mapping from id to entry; a missing file is an empty register.
fn load_register<T: DeserializeOwned + WithExtra>(
    files: &Files,
    kind: EntityKind,
    registers: &mut Registers,
    sources: &mut HashMap<EntityKind, (PathBuf, String)>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, T> {
    let relative = Path::new(kind.register_file());
    if !files.exists(relative) {
        return BTreeMap::new();
    }
    let shown = files.shown(relative);
    let source = match files.read(relative) {
        Ok(source) => source,
        Err(problem) => {
            diagnostics.push(problem);
            registers.unreadable.insert(kind);
            return BTreeMap::new();
        }
    };
    let keys = top_level_keys(&source);
    let mut entries = match super::yaml::parse::<Option<BTreeMap<String, T>>>(&source, &shown, 0) {
        Ok(entries) => entries.unwrap_or_default(),
        Err(problem) => {
            // serde stops at the first problem; an editor fixing a register wants all.
            let others = problems_entry_by_entry::<T>(&source, &keys, &shown);
            if others.is_empty() {
                diagnostics.push(problem);
            }
            diagnostics.extend(others);
            registers.unreadable.insert(kind);
            return BTreeMap::new();
        }
    };
    keep_unknown_fields(&mut entries, &source, &keys, &shown, diagnostics);
    let mut seen: HashMap<String, Position> = HashMap::new();
    for (id, pos) in keys {
        if let Some(first) = seen.get(&id) {
            diagnostics.error(
                &shown,
                pos,
                format!(
                    "duplicate id `{id}`: it is already defined at line {}; give each entry its own id",
                    first.line
                ),
            );
            continue;
        }
        if !is_valid_id(&id) {
            diagnostics.error(
                &shown,
                pos,
                format!("`{id}` is not a valid id: use lowercase letters, digits and hyphens only, at most 100 of them"),
            );
        }
        seen.insert(id.clone(), pos);
        registers.positions.insert(
            EntityRef {
                kind,
                id: id.into(),
            },
            (shown.clone(), pos),
        );
    }
    sources.insert(kind, (shown, source));
    entries
}

/// The lines of each entry: from its key to the next top-level key.
fn entry_lines<'s>(
    source: &'s str,
    keys: &'s [(String, Position)],
) -> impl Iterator<Item = (&'s str, Position, &'s str)> {
    let starts = crate::diagnostics::line_starts(source);
    let offset = move |line: usize| starts.get(line - 1).copied().unwrap_or(source.len());
    keys.iter().enumerate().map(move |(i, (id, at))| {
        let end = keys
            .get(i + 1)
            .map_or(source.len(), |(_, next)| offset(next.line));
        (id.as_str(), *at, &source[offset(at.line)..end])
    })
}

/// The problems of each entry read on its own, at their lines in the file. Nothing
/// if the entries are fine alone (what is wrong is between them: a YAML alias to an
/// anchor of another entry, say), and the whole file's first problem stands.
fn problems_entry_by_entry<T: DeserializeOwned>(
    source: &str,
    keys: &[(String, Position)],
    shown: &Path,
) -> Vec<Diagnostic> {
    entry_lines(source, keys)
        .filter_map(|(_, at, text)| {
            super::yaml::parse::<Option<BTreeMap<String, T>>>(text, shown, at.line - 1).err()
        })
        .collect()
}

/// Puts each entry's fields that dossier does not read into its `extra`, for
/// templates; a field that looks like a slip for a known one is a warning there.
fn keep_unknown_fields<T: DeserializeOwned + WithExtra>(
    entries: &mut BTreeMap<String, T>,
    source: &str,
    keys: &[(String, Position)],
    shown: &Path,
    diagnostics: &mut Diagnostics,
) {
    let known = super::yaml::fields_of::<T>();
    let Ok(Some(all)) = serde_yaml::from_str::<Option<BTreeMap<String, serde_yaml::Value>>>(source)
    else {
        return;
    };
    let lines: HashMap<&str, (Position, &str)> = entry_lines(source, keys)
        .map(|(id, at, text)| (id, (at, text)))
        .collect();
    for (id, fields) in all {
        let (Some(entry), serde_yaml::Value::Mapping(fields)) = (entries.get_mut(&id), fields)
        else {
            continue;
        };
        if fields
            .keys()
            .all(|k| k.as_str().is_some_and(|k| known.contains(&k)))
        {
            continue;
        }
        let (at, text) = lines
            .get(id.as_str())
            .copied()
            .unwrap_or((Position::START, ""));
        let position_of = |field: &str| {
            field_position(text, Position::START, field).map_or(at, |p| p.below(at.line - 1))
        };
        let extra = super::unknown_keys(fields, known, shown, position_of, diagnostics);
        entry.set_extra(extra);
    }
}

/// The top-level keys of a YAML mapping with their positions, in file order.
pub(super) fn top_level_keys(source: &str) -> Vec<(String, Position)> {
    let mut keys = Vec::new();
    // A key starts its line: its position is the line's number, column 1 (counted
    // here, not from the file's start for each key, which grew with the square of a
    // register's length).
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let starts_key = line.starts_with(|c: char| !c.is_whitespace() && c != '#' && c != '-');
        if starts_key && line.trim() != "---" {
            let key = line.split(':').next().unwrap_or("").trim();
            let key = key.trim_matches(|c| c == '"' || c == '\'');
            if !key.is_empty() && line.contains(':') {
                keys.push((key.to_string(), Position::new(index + 1, 1)));
            }
        }
    }
    keys
}

/// `[x](@id)` names an entry by id alone, so an id may stand in one register only.
fn check_ids_across_registers(registers: &Registers, diagnostics: &mut Diagnostics) {
    let mut first_kind: BTreeMap<&str, EntityKind> = BTreeMap::new();
    let mut entries: Vec<(&EntityRef, &(PathBuf, Position))> = registers.positions.iter().collect();
    entries.sort_by_key(|(entity, _)| (entity.kind, entity.id.clone()));
    for (entity, (path, pos)) in entries {
        match first_kind.get(&*entity.id) {
            // Positions are keyed by kind and id: an id seen before is another kind's.
            Some(&kind) => diagnostics.error(
                path,
                *pos,
                format!(
                    "id `{}` is used by a {kind} too: ids must be unique across registers so that [..](@{}) names one entry",
                    entity.id, entity.id
                ),
            ),
            _ => {
                first_kind.insert(&entity.id, entity.kind);
            }
        }
    }
}

/// Date orders and references between entries.
fn check_entries(
    registers: &Registers,
    sources: &HashMap<EntityKind, (PathBuf, String)>,
    diagnostics: &mut Diagnostics,
) {
    let at = |kind: EntityKind, id: &str, field: &str| -> (PathBuf, Position) {
        let entity = EntityRef {
            kind,
            id: id.into(),
        };
        let (path, entry) = registers
            .positions
            .get(&entity)
            .cloned()
            .unwrap_or_else(|| (PathBuf::from(kind.register_file()), Position::START));
        let pos = sources
            .get(&kind)
            .and_then(|(_, source)| field_position(source, entry, field))
            .unwrap_or(entry);
        (path, pos)
    };
    for (id, person) in &registers.people {
        if let (Some(born), Some(died)) = (person.born, person.died) {
            if !could_precede(born, died) {
                let (path, pos) = at(EntityKind::Person, id, "died");
                diagnostics.error(
                    &path,
                    pos,
                    format!("`{id}` died ({died}) before being born ({born})"),
                );
            }
        }
        for other in &person.see_also {
            if !registers.accepts(EntityKind::Person, other) {
                let (path, pos) = at(EntityKind::Person, id, "see_also");
                diagnostics.error(
                    &path,
                    pos,
                    format!("see_also of `{id}`: no person `{other}` in content/people.yaml"),
                );
            }
        }
    }
    for (id, event) in &registers.events {
        if let (Some(start), Some(end)) = (event.start, event.end) {
            if !could_precede(start, end) {
                let (path, pos) = at(EntityKind::Event, id, "end");
                diagnostics.error(
                    &path,
                    pos,
                    format!("event `{id}` ends ({end}) before it starts ({start})"),
                );
            }
        }
        if event.date.is_some() && (event.start.is_some() || event.end.is_some()) {
            let (path, pos) = at(EntityKind::Event, id, "date");
            diagnostics.error(&path, pos, format!("event `{id}` has both `date` and `start`/`end`: give one day as `date`, or a span as `start` and `end`"));
        }
        for person in &event.participants {
            if !registers.accepts(EntityKind::Person, person) {
                let (path, pos) = at(EntityKind::Event, id, "participants");
                diagnostics.error(
                    &path,
                    pos,
                    format!("participant of `{id}`: no person `{person}` in content/people.yaml"),
                );
            }
        }
        if let Some(place) = &event.place {
            if !registers.accepts(EntityKind::Place, place) {
                let (path, pos) = at(EntityKind::Event, id, "place");
                diagnostics.error(
                    &path,
                    pos,
                    format!("place of `{id}`: no place `{place}` in content/places.yaml"),
                );
            }
        }
    }
}

/// Whether `a` can be on or before `b`: partial dates compare on what both know.
pub(super) fn could_precede(a: PartialDate, b: PartialDate) -> bool {
    let a_key = (a.year, a.month.unwrap_or(1), a.day.unwrap_or(1));
    let b_key = (b.year, b.month.unwrap_or(12), b.day.unwrap_or(31));
    a_key <= b_key
}

/// The position of `field:` within the entry starting at `entry` (the next lines
/// indented below it).
fn field_position(source: &str, entry: Position, field: &str) -> Option<Position> {
    let mut offset = 0;
    for (number, line) in source.split_inclusive('\n').enumerate() {
        let line_number = number + 1;
        if line_number > entry.line {
            if line.starts_with(|c: char| !c.is_whitespace()) {
                return None; // the next entry
            }
            let trimmed = line.trim_start();
            if trimmed
                .strip_prefix(field)
                .is_some_and(|r| r.starts_with(':'))
            {
                let indent = line.len() - trimmed.len();
                return Some(Position::of_offset(source, offset + indent));
            }
        }
        offset += line.len();
    }
    None
}

/// The position of the value `id` in front matter, under `key:` (in a flow list
/// `[a, b]` or a block list `- a`), or of the key itself.
pub(super) fn id_position(yaml: &str, key: &str, id: &str) -> Position {
    let keys = top_level_keys(yaml);
    let Some((_, key_pos)) = keys.iter().find(|(k, _)| k == key) else {
        return Position::START;
    };
    let mut offset = 0;
    for (number, line) in yaml.split_inclusive('\n').enumerate() {
        if number + 1 >= key_pos.line {
            if number + 1 > key_pos.line && line.starts_with(|c: char| !c.is_whitespace()) {
                break;
            }
            let mut search = 0;
            while let Some(found) = line[search..].find(id) {
                let start = search + found;
                let end = start + id.len();
                let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
                let bounded =
                    !line[..start].ends_with(is_word) && !line[end..].starts_with(is_word);
                if bounded {
                    return Position::of_offset(yaml, offset + start);
                }
                search = end;
            }
        }
        offset += line.len();
    }
    *key_pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_keys_and_duplicates() {
        let src = "# people\nkim-il-sung:\n  name: x\n\"mao-zedong\":\n  name: y\nkim-il-sung:\n  name: z\n";
        let keys: Vec<(String, usize)> = top_level_keys(src)
            .into_iter()
            .map(|(k, p)| (k, p.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("kim-il-sung".into(), 2),
                ("mao-zedong".into(), 4),
                ("kim-il-sung".into(), 6)
            ]
        );
    }

    #[test]
    fn finds_ids_in_flow_and_block_lists() {
        let yaml = "title: x\npeople: [kim-il-sung, mao-zedong]\nevents:\n  - august-plenum\n";
        assert_eq!(
            id_position(yaml, "people", "mao-zedong"),
            Position::new(2, 23)
        );
        assert_eq!(
            id_position(yaml, "events", "august-plenum"),
            Position::new(4, 5)
        );
        assert_eq!(
            id_position(yaml, "people", "kim"),
            Position::new(2, 1),
            "whole ids only"
        );
        // Not found under its key: the key, even if a later key lists the id.
        let yaml = "people: [mao-zedong]\nplaces: [kim]\nevents: [kim]\n";
        assert_eq!(id_position(yaml, "people", "kim"), Position::new(1, 1));
    }

    #[test]
    fn finds_a_field_of_an_entry() {
        let src = "a:\n  name: x\n  died: 1900\nb:\n  died: 1800\n";
        assert_eq!(
            field_position(src, Position::new(1, 1), "died"),
            Some(Position::new(3, 3))
        );
        assert_eq!(
            field_position(src, Position::new(4, 1), "died"),
            Some(Position::new(5, 3))
        );
        assert_eq!(field_position(src, Position::new(1, 1), "born"), None);
        // A blank line stays within the entry.
        let src = "a:\n  name: x\n\n  died: 1900\n";
        assert_eq!(
            field_position(src, Position::new(1, 1), "died"),
            Some(Position::new(4, 3))
        );
    }

    #[test]
    fn partial_dates_may_overlap() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert!(could_precede(d("1956-09"), d("1956-09-01")));
        assert!(could_precede(d("1956"), d("1956-01-01")));
        assert!(!could_precede(d("1956-09-02"), d("1956-09-01")));
    }
}
