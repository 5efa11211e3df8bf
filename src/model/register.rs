//! The registers an editor keeps: people, events, places, glossary terms.
//!
//! Each register is a YAML mapping keyed by id. These types only hold what the files
//! say; recognising the entries in texts is `annotate`'s job.

use super::{EntityKind, EntityRef, PartialDate};
use crate::diagnostics::Position;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

/// All registers of an edition, each keyed (and so ordered) by id.
#[derive(Debug, Clone, Default)]
pub struct Registers {
    pub people: BTreeMap<String, Person>,
    pub events: BTreeMap<String, Event>,
    pub places: BTreeMap<String, Place>,
    pub glossary: BTreeMap<String, GlossaryTerm>,
    /// Where each entry is defined (file and line of its id), for messages.
    pub positions: HashMap<EntityRef, (PathBuf, Position)>,
    /// Registers whose file could not be read: references to them are not checked,
    /// since every one would fail.
    pub unreadable: BTreeSet<EntityKind>,
    /// Every entry's card, made on first use: each page shows the card of every
    /// entry its texts name, and a large edition asked for the same few hundred
    /// cards hundreds of thousands of times. Registers are not changed once loaded.
    cards: OnceLock<HashMap<EntityRef, String>>,
    /// Each person's id, name, names and aliases (folded) → the person, made on
    /// first use; a form two people share is left out.
    people_by_name: OnceLock<HashMap<String, Option<String>>>,
    /// Each entry's fingerprint, and all of them together's ([`Registers::seal`]).
    versions: HashMap<EntityRef, u64>,
    version: u64,
}

impl Registers {
    /// Takes the fingerprints of the entries, once all are loaded: pages that show
    /// an entry are made again only when its fingerprint changed.
    pub fn seal(&mut self) {
        use crate::fingerprint::Fingerprinter;
        fn add<T: Serialize>(
            kind: EntityKind,
            entries: &BTreeMap<String, T>,
            versions: &mut HashMap<EntityRef, u64>,
            all: &mut Fingerprinter,
        ) {
            for (id, entry) in entries {
                let version = Fingerprinter::new().add_serialized(entry).finish();
                all.add(&(kind, id, version));
                versions.insert(
                    EntityRef {
                        kind,
                        id: id.as_str().into(),
                    },
                    version,
                );
            }
        }
        let mut versions = HashMap::new();
        let mut all = Fingerprinter::new();
        add(EntityKind::Person, &self.people, &mut versions, &mut all);
        add(EntityKind::Event, &self.events, &mut versions, &mut all);
        add(EntityKind::Place, &self.places, &mut versions, &mut all);
        add(EntityKind::Term, &self.glossary, &mut versions, &mut all);
        all.add(&self.unreadable);
        self.versions = versions;
        self.version = all.finish();
    }

    /// The fingerprint of all entries (not of where they are written).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The fingerprint of one entry; 0 if there is none.
    pub fn entry_version(&self, entity: &EntityRef) -> u64 {
        self.versions.get(entity).copied().unwrap_or(0)
    }

    /// The registers that have an entry `id` (normally one).
    pub fn kinds_of(&self, id: &str) -> Vec<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .filter(|&kind| self.contains(kind, id))
            .collect()
    }

    /// Whether a reference to `id` in the `kind` register can stand: the entry
    /// exists, or the register could not be read (its error is reported already, and
    /// one more per reference would only bury it).
    pub fn accepts(&self, kind: EntityKind, id: &str) -> bool {
        self.unreadable.contains(&kind) || self.contains(kind, id)
    }

    pub fn contains(&self, kind: EntityKind, id: &str) -> bool {
        match kind {
            EntityKind::Person => self.people.contains_key(id),
            EntityKind::Event => self.events.contains_key(id),
            EntityKind::Place => self.places.contains_key(id),
            EntityKind::Term => self.glossary.contains_key(id),
        }
    }

    /// The register's own spelling of an entry's id (borrowed from the register).
    pub fn key_of(&self, entity: &EntityRef) -> Option<&str> {
        let id = &*entity.id;
        let key = match entity.kind {
            EntityKind::Person => self.people.get_key_value(id)?.0,
            EntityKind::Event => self.events.get_key_value(id)?.0,
            EntityKind::Place => self.places.get_key_value(id)?.0,
            EntityKind::Term => self.glossary.get_key_value(id)?.0,
        };
        Some(key)
    }

    /// The entry's display name.
    pub fn name(&self, entity: &EntityRef) -> Option<&str> {
        let id = &*entity.id;
        match entity.kind {
            EntityKind::Person => self.people.get(id).map(|p| p.name.as_str()),
            EntityKind::Event => self.events.get(id).map(|e| e.name.as_str()),
            EntityKind::Place => self.places.get(id).map(|p| p.name.as_str()),
            EntityKind::Term => self.glossary.get(id).map(|t| t.term.as_str()),
        }
    }

    /// The person a name given in metadata stands for (a translator's): one whose
    /// id, name, name in a language or alias it is, ignoring case and spacing. None
    /// when no person, or more than one, has that name.
    pub fn person_named(&self, name: &str) -> Option<&str> {
        fn fold(name: &str) -> String {
            name.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        }
        let names = self.people_by_name.get_or_init(|| {
            let mut names: HashMap<String, Option<String>> = HashMap::new();
            for (id, person) in &self.people {
                let forms = [id, &person.name]
                    .into_iter()
                    .chain(person.names.values())
                    .chain(&person.aliases)
                    .map(|form| fold(form))
                    .collect::<BTreeSet<_>>();
                for form in forms {
                    names
                        .entry(form)
                        .and_modify(|other| *other = None)
                        .or_insert_with(|| Some(id.clone()));
                }
            }
            names
        });
        names.get(&fold(name))?.as_deref()
    }

    /// One line on the entry, for the card shown over a mention: "Kim Il Sung
    /// (1912–1994): Chairman of the KWP Central Committee".
    pub fn card(&self, entity: &EntityRef) -> Option<&str> {
        let cards = self.cards.get_or_init(|| {
            let entries = [
                (EntityKind::Person, self.people.keys().collect::<Vec<_>>()),
                (EntityKind::Event, self.events.keys().collect()),
                (EntityKind::Place, self.places.keys().collect()),
                (EntityKind::Term, self.glossary.keys().collect()),
            ];
            let mut cards = HashMap::new();
            for (kind, ids) in entries {
                for id in ids {
                    let entity = EntityRef {
                        kind,
                        id: id.as_str().into(),
                    };
                    if let Some(card) = self.make_card(&entity) {
                        cards.insert(entity, card);
                    }
                }
            }
            cards
        });
        cards.get(entity).map(String::as_str)
    }

    fn make_card(&self, entity: &EntityRef) -> Option<String> {
        let id = &*entity.id;
        let (name, dates, detail) = match entity.kind {
            EntityKind::Person => {
                let p = self.people.get(id)?;
                let dates = p.lifespan();
                let role = p.roles.first().map(|r| r.role.clone());
                (
                    p.name.as_str(),
                    dates,
                    role.or_else(|| first_sentence(&p.description)),
                )
            }
            EntityKind::Event => {
                let e = self.events.get(id)?;
                (e.name.as_str(), e.when(), first_sentence(&e.description))
            }
            EntityKind::Place => {
                let p = self.places.get(id)?;
                (p.name.as_str(), None, first_sentence(&p.description))
            }
            EntityKind::Term => {
                let t = self.glossary.get(id)?;
                (t.term.as_str(), None, t.expansion.values().next().cloned())
            }
        };
        let mut card = name.to_string();
        if let Some(dates) = dates {
            card.push_str(&format!(" ({dates})"));
        }
        if let Some(detail) = detail {
            card.push_str(": ");
            card.push_str(&detail);
        }
        Some(card)
    }
}

/// Words shortened with a full stop that rarely end a sentence, in the languages of
/// archival descriptions.
const ABBREVIATIONS: &[&str] = &[
    "cf", "ed", "eds", "vol", "no", "pp", "ca", "viz", "vs", "trans", "Cde", "Cdes", "печ", "тов",
    "Тов", "т", "см", "ср", "др", "гг", "им", "стр", "тт",
];

/// The first sentence of a description, for cards: it ends at a full stop followed by
/// a space and a capital letter (or a digit), at least 20 characters in, outside any
/// parentheses, brackets or quotation, and not after an initial ("V. Chistov") or an
/// abbreviation ("печ. Ситникова", "cf. Kim"). The whole text if no such stop.
fn first_sentence(text: &Option<String>) -> Option<String> {
    let text = text.as_deref()?.trim();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '«' | '“' => depth += 1,
            ')' | ']' | '»' | '”' => depth -= 1,
            // Between two letters, an apostrophe ("Mikoyan's"); else a quotation mark,
            // opening or closing.
            '\'' | '"'
                if !(text[..i].ends_with(char::is_alphanumeric)
                    && text[i + 1..].starts_with(char::is_alphanumeric)) =>
            {
                quoted = !quoted
            }
            '.' if i >= 20 && depth <= 0 && !quoted => {
                let after = &text[i + 1..];
                let next = after.strip_prefix(' ').and_then(|a| a.chars().next());
                let word = text[..i]
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                let initial = word.chars().count() == 1;
                let abbreviation = ABBREVIATIONS.contains(&word);
                if next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit())
                    && !initial
                    && !abbreviation
                {
                    end = i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    Some(text[..end].to_string())
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Person {
    /// Display name, standard English form.
    pub name: String,
    /// "Mikoyan, Anastas"; defaults to `name`.
    #[serde(default)]
    pub sort_name: Option<String>,
    /// Full name per language or script.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Every form that should be recognised in texts, in any script.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub born: Option<PartialDate>,
    #[serde(default)]
    pub died: Option<PartialDate>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub see_also: Vec<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
    #[serde(default)]
    pub viaf: Option<String>,
    /// Fields dossier does not know (another edition's ids, notes), kept for
    /// templates as `extra.<key>`. Filled by `load`.
    #[serde(
        skip_deserializing,
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

impl Person {
    pub fn sort_key(&self) -> &str {
        self.sort_name.as_deref().unwrap_or(&self.name)
    }

    /// "1895–1978"; a year the register does not give is a question mark ("1900–?",
    /// "?–1956": not known, which a bare "1900–" would not say); nothing if neither is
    /// given.
    /// The person's records in authority files (Wikidata, VIAF), with their
    /// addresses.
    pub fn authorities(&self) -> Vec<Authority> {
        let mut found = Vec::new();
        if let Some(q) = &self.wikidata {
            found.push(Authority {
                label: "Wikidata",
                id: q.clone(),
                url: format!("https://www.wikidata.org/wiki/{q}"),
            });
        }
        if let Some(v) = &self.viaf {
            found.push(Authority {
                label: "VIAF",
                id: v.clone(),
                url: format!("https://viaf.org/viaf/{v}/"),
            });
        }
        found
    }

    pub fn lifespan(&self) -> Option<String> {
        let year = |d: Option<PartialDate>| d.map_or("?".to_string(), |d| d.year.to_string());
        match (self.born, self.died) {
            (None, None) => None,
            (b, d) => Some(format!("{}–{}", year(b), year(d))),
        }
    }
}

/// A record of an authority file: which file, the id there, its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authority {
    pub label: &'static str,
    pub id: String,
    /// (`href` to templates, which link to it.)
    #[serde(rename = "href")]
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub role: String,
    #[serde(default)]
    pub from: Option<PartialDate>,
    #[serde(default)]
    pub to: Option<PartialDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Event {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A single day (or month, or year); or `start` and `end` for a span.
    #[serde(default)]
    pub date: Option<PartialDate>,
    #[serde(default)]
    pub start: Option<PartialDate>,
    #[serde(default)]
    pub end: Option<PartialDate>,
    /// A place id.
    #[serde(default)]
    pub place: Option<String>,
    /// Person ids.
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Fields dossier does not know (another edition's ids, notes), kept for
    /// templates as `extra.<key>`. Filled by `load`.
    #[serde(
        skip_deserializing,
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

impl Event {
    /// The first and last day (or month, or year) of the event, if it is dated.
    pub fn span(&self) -> Option<(PartialDate, PartialDate)> {
        match (self.date, self.start, self.end) {
            (Some(d), _, _) => Some((d, d)),
            (None, Some(s), Some(e)) => Some((s, e)),
            (None, Some(s), None) => Some((s, s)),
            (None, None, Some(e)) => Some((e, e)),
            (None, None, None) => None,
        }
    }

    /// "30–31 August 1956", "16 September 1956", or "June 1956 – July 1956".
    pub fn when(&self) -> Option<String> {
        let (start, end) = self.span()?;
        if start == end {
            return Some(start.human());
        }
        let (s, e) = (start.human(), end.human());
        // Share the month and year when both are full dates of one month.
        if start.year == end.year
            && start.month == end.month
            && start.day.is_some()
            && end.day.is_some()
        {
            let day = start.day.unwrap_or_default();
            return Some(format!("{day}–{e}"));
        }
        Some(format!("{s} – {e}"))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Fields dossier does not know (another edition's ids, notes), kept for
    /// templates as `extra.<key>`. Filled by `load`.
    #[serde(
        skip_deserializing,
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GlossaryTerm {
    pub term: String,
    /// The expansion per language code.
    #[serde(default)]
    pub expansion: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Fields dossier does not know (another edition's ids, notes), kept for
    /// templates as `extra.<key>`. Filled by `load`.
    #[serde(
        skip_deserializing,
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    fn first(text: &str) -> String {
        first_sentence(&Some(text.to_string())).unwrap()
    }

    #[test]
    fn first_sentences_end_at_a_sentence_not_at_an_initial_or_an_abbreviation() {
        assert_eq!(
            first("Leader of the Chinese Communist Party. In Beijing he met Mikoyan."),
            "Leader of the Chinese Communist Party."
        );
        let chistov = "Authenticated copies of Mikoyan's reports ('[handwritten: authenticated: V. Chistov]' in the translations). Second.";
        assert_eq!(
            first(chistov),
            "Authenticated copies of Mikoyan's reports ('[handwritten: authenticated: V. Chistov]' in the translations)."
        );
        let sitnikova = "Typist; typed Mikoyan's telegram of 21 September 1956 ('печ. Ситникова', 'typed by Sitnikova').";
        assert_eq!(first(sitnikova), sitnikova);
        assert_eq!(
            first("Worked with A. I. Mikoyan in 1956, cf. Kim. Then left."),
            "Worked with A. I. Mikoyan in 1956, cf. Kim."
        );
        assert_eq!(
            first("Short. Not cut before 20 characters."),
            "Short. Not cut before 20 characters."
        );
        assert_eq!(
            first("Arrested in 1953 and shot. Rehabilitated."),
            "Arrested in 1953 and shot."
        );
    }
}
