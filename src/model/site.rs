//! Site settings (`content/site.yaml`).

use super::Source;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Markdown shown on the home page.
    #[serde(default)]
    pub introduction: Option<String>,
    /// The introduction with its place in `site.yaml` (set by the loader).
    #[serde(skip)]
    pub introduction_source: Option<Source>,
    /// Where the site will be published; used for absolute addresses (citations,
    /// feeds). Internal links are relative and do not depend on it.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Where `base_url` is set, or the settings file when it is not (set by the
    /// loader, for `check`'s warning about an edition without a public address).
    #[serde(skip)]
    pub base_url_at: Option<(std::path::PathBuf, crate::diagnostics::Position)>,
    #[serde(default)]
    pub editors: Vec<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
    /// The language of the site's own words and of headnotes and free pages.
    #[serde(default = "default_language")]
    pub language: String,
    /// The text languages of the edition, original first (used by `dossier new`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Display names of language codes the built-in table does not know, or overrides.
    #[serde(default)]
    pub language_names: BTreeMap<String, String>,
    /// The names tags are shown by (`kwp-cc-presidium: "KWP CC Presidium"`), where
    /// the register entry of the same id does not give one.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Whether the site has a search page and its index (yes unless `search: false`:
    /// an edition searched by other means spares the build and the files).
    #[serde(default = "yes")]
    pub search: bool,
    /// Free-form settings for templates.
    #[serde(default)]
    pub options: BTreeMap<String, serde_yaml::Value>,
    /// Settings dossier does not know, kept for templates as `site.extra.<key>`
    /// (filled by `load`).
    #[serde(
        skip_deserializing,
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

fn default_base_url() -> String {
    "/".to_string()
}

fn yes() -> bool {
    true
}

fn default_language() -> String {
    "en".to_string()
}

/// `base_url` without its last slash if it is a real, public address: `None` when
/// it is unset or relative, or is a name reserved for examples, tests or this
/// machine (`example.org`, `example.com`, `example.net`, `*.example`, `*.test`,
/// `*.invalid`, `localhost`; RFC 2606), so that no citation sends a reader to a
/// placeholder.
pub fn public_base(base_url: &str) -> Option<&str> {
    let url = base_url.trim_end_matches('/');
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or_default();
    let host = host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let placeholder = [
        "example.org",
        "example.com",
        "example.net",
        "example",
        "test",
        "invalid",
        "localhost",
    ]
    .iter()
    .any(|reserved| host == *reserved || host.ends_with(&format!(".{reserved}")));
    let web = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    (web && !host.is_empty() && !placeholder).then_some(url)
}

impl SiteConfig {
    /// The editors as a phrase: "A", "A and B", "A, B and C"; None without editors.
    pub fn editors_in_words(&self) -> Option<String> {
        match self.editors.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
        }
    }

    /// The address the edition is published at, if it has a real one (see
    /// [`public_base`]).
    pub fn public_url(&self) -> Option<&str> {
        public_base(&self.base_url)
    }

    /// "Russian" for `ru`: the site's table first, then a built-in one, else the code.
    pub fn language_name<'a>(&'a self, code: &'a str) -> &'a str {
        if let Some(name) = self.language_names.get(code) {
            return name;
        }
        match code {
            "ru" => "Russian",
            "en" => "English",
            "zh" | "zh-hans" | "zh-hant" => "Chinese",
            "ko" => "Korean",
            "de" => "German",
            "fr" => "French",
            "es" => "Spanish",
            "it" => "Italian",
            "pl" => "Polish",
            "uk" => "Ukrainian",
            "cs" => "Czech",
            "hu" => "Hungarian",
            "ja" => "Japanese",
            "vi" => "Vietnamese",
            "mn" => "Mongolian",
            "ro" => "Romanian",
            "bg" => "Bulgarian",
            "sr" => "Serbian",
            "de-ddr" => "German",
            _ => code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SiteConfig;

    #[test]
    fn only_a_real_web_address_is_public() {
        let public = |base_url: &str| {
            let config: SiteConfig =
                serde_yaml::from_str(&format!("title: t\nbase_url: \"{base_url}\"")).unwrap();
            config.public_url().map(str::to_string)
        };
        assert_eq!(
            public("https://archive.example.edu/x/").as_deref(),
            Some("https://archive.example.edu/x")
        );
        assert_eq!(
            public("http://history.state.gov").as_deref(),
            Some("http://history.state.gov")
        );
        for placeholder in [
            "/",
            "",
            "/pyongyang/",
            "https://example.org/pyongyang-1956",
            "https://www.Example.COM",
            "https://example.net:8080/x",
            "https://edition.example/",
            "https://archive.test/x",
            "http://localhost:1111/",
            "ftp://archive.org/x",
            "https://",
        ] {
            assert_eq!(public(placeholder), None, "{placeholder}");
        }
    }

    #[test]
    fn editors_are_named_as_a_phrase() {
        let with = |editors: &str| {
            let config: SiteConfig =
                serde_yaml::from_str(&format!("title: t\neditors: {editors}")).unwrap();
            config.editors_in_words()
        };
        assert_eq!(with("[]"), None);
        assert_eq!(with("[A]").as_deref(), Some("A"));
        assert_eq!(with("[A, B]").as_deref(), Some("A and B"));
        assert_eq!(with("[A, B, C]").as_deref(), Some("A, B and C"));
    }
}
