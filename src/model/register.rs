//! The registers an editor keeps: people, events, places, glossary terms.
//!
//! Each register is a YAML mapping keyed by id. These types only hold what the files
//! say; recognising the entries in texts is `annotate`'s job.

use super::PartialDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// All registers of an edition, each keyed (and so ordered) by id.
#[derive(Debug, Clone, Default)]
pub struct Registers {
    pub people: BTreeMap<String, Person>,
    pub events: BTreeMap<String, Event>,
    pub places: BTreeMap<String, Place>,
    pub glossary: BTreeMap<String, GlossaryTerm>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
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
}

impl Person {
    pub fn sort_key(&self) -> &str {
        self.sort_name.as_deref().unwrap_or(&self.name)
    }
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
#[serde(deny_unknown_fields)]
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
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    pub term: String,
    /// The expansion per language code.
    #[serde(default)]
    pub expansion: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}
