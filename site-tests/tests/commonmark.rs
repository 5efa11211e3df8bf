//! What editors already write in Markdown means on the site what CommonMark says it
//! means: every example of the CommonMark spec, and of the GitHub extensions dossier
//! enables (tables, strikethrough; footnotes by hand), is built as a free page of a
//! new edition (the same text pipeline as headnotes and texts) and its body compared
//! with the spec's HTML, after both are read by an HTML parser and written out the
//! same way (see `canonical`).
//!
//! dossier's own additions are taken off before comparing: square brackets that are
//! no link are interpolations (`<span class="interp">[..]</span>`), which the
//! comparison unwraps. Raw HTML is shown as text, never passed to the page (texts are
//! transcriptions), and HTML comments are the editor's and not published: for the
//! examples holding raw HTML, the page is compared instead with what pulldown-cmark
//! makes of the example when each piece of raw HTML is words (`escaped_reference`).
//!
//! The examples are vendored in `tests/commonmark/` (see its README).

use scraper::node::Node;
use scraper::{ElementRef, Html};
use site_tests::{selector, BuiltSite};
use std::fmt::Write as _;
use std::path::Path;

struct Example {
    number: u64,
    section: String,
    markdown: String,
    html: String,
}

fn examples(file: &str) -> Vec<Example> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/commonmark")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Example {
            number: e["number"].as_u64().unwrap(),
            section: e["section"].as_str().unwrap().to_string(),
            markdown: e["markdown"].as_str().unwrap().to_string(),
            html: e["html"].as_str().unwrap().to_string(),
        })
        .collect()
}

/// Footnotes as GitHub renders them are not in a spec with examples: these are
/// written by hand, with the HTML dossier gives (a reference is a superscript link
/// to the note, numbered in order of first reference; notes are listed after the
/// text, each linking back).
fn footnote_examples() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        (
            "Here is a note.[^1] And [another][^x].\n\n[^1]: The first.\n\n[^x]: The second, *with emphasis*.\n",
            &["1", "2", "The first.", "The second, with emphasis."],
        ),
        (
            "Used twice[^a] and again[^a].\n\n[^a]: Once.\n",
            &["1", "Once."],
        ),
    ]
}

/// Builds one free page per example; the built site.
fn build(examples: &[Example], prefix: &str) -> BuiltSite {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    dossier::scaffold::new_edition(&root).unwrap();
    for e in examples {
        let page = format!("---\ntitle: \"Example {}\"\n---\n{}", e.number, e.markdown);
        std::fs::write(
            root.join(format!("content/pages/{prefix}-{}.md", e.number)),
            page,
        )
        .unwrap();
    }
    let site = BuiltSite::build(&root);
    drop(dir);
    site
}

/// The body of a free page: what the text's segments made, without the title.
fn body(site: &BuiltSite, address: &str) -> String {
    let page = site.page(address);
    let article = page
        .select(&selector("article.free-page"))
        .next()
        .unwrap_or_else(|| panic!("{address}: no article"));
    let mut html = String::new();
    let mut title = true;
    for child in article.children() {
        match ElementRef::wrap(child) {
            Some(e) if title && e.value().name() == "h1" => title = false,
            Some(e) => html.push_str(&e.html()),
            None => {
                if let Node::Text(t) = child.value() {
                    html.push_str(&escape(t));
                }
            }
        }
    }
    html
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const BLOCKS: &[&str] = &[
    "p",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "section",
];

/// `html` read by an HTML5 parser and written out canonically: attributes sorted,
/// runs of spaces as one outside `pre`, none at the edges of blocks; interpolation
/// spans unwrapped.
fn canonical(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    for child in fragment.root_element().children() {
        write_node(child, &mut out, false);
    }
    // Spaces at the edges of blocks do not show.
    let mut result = out;
    for block in BLOCKS {
        for tag in [format!("<{block}"), format!("</{block}>")] {
            result = result.replace(&format!(" {tag}"), &tag);
        }
        let end = format!("</{block}>");
        result = result.replace(&format!("{end} "), &end);
        // After an opening tag's `>`.
        let mut fixed = String::new();
        let mut rest = result.as_str();
        let open = format!("<{block}");
        while let Some(at) = rest.find(&open) {
            let after = &rest[at..];
            let Some(close) = after.find('>') else { break };
            let next = after[open.len()..].chars().next();
            if !matches!(next, Some('>' | ' ')) {
                fixed.push_str(&rest[..at + open.len()]);
                rest = &rest[at + open.len()..];
                continue;
            }
            fixed.push_str(&rest[..at + close + 1]);
            rest = &rest[at + close + 1..];
            if !block.starts_with("pre") {
                rest = rest.strip_prefix(' ').unwrap_or(rest);
            }
        }
        fixed.push_str(rest);
        result = fixed;
    }
    result.trim().to_string()
}

fn write_node(node: ego_tree::NodeRef<'_, Node>, out: &mut String, in_pre: bool) {
    match node.value() {
        Node::Text(t) => {
            let text = escape(t);
            if in_pre {
                out.push_str(&text);
            } else {
                let mut last_space = out.ends_with(' ');
                for c in text.chars() {
                    if c.is_whitespace() {
                        if !last_space {
                            out.push(' ');
                        }
                        last_space = true;
                    } else {
                        out.push(c);
                        last_space = false;
                    }
                }
            }
        }
        Node::Element(e) => {
            let name = e.name();
            let interpolation = name == "span" && e.attr("class") == Some("interp");
            if !interpolation {
                let mut attrs: Vec<(String, String)> = e
                    .attrs()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                attrs.sort();
                out.push('<');
                out.push_str(name);
                for (k, v) in &attrs {
                    let _ = write!(out, " {k}=\"{}\"", escape(v).replace('"', "&quot;"));
                }
                out.push('>');
            }
            for child in node.children() {
                write_node(child, out, in_pre || name == "pre");
            }
            let void = matches!(name, "br" | "hr" | "img" | "input");
            if !interpolation && !void {
                let _ = write!(out, "</{name}>");
            }
        }
        _ => {}
    }
}

/// What pulldown-cmark makes of `markdown` with raw HTML as words and HTML comments
/// left out: what dossier must show for the examples holding raw HTML. A block of raw
/// HTML is a paragraph of words.
fn escaped_reference(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut events: Vec<Event> = Vec::new();
    let mut block = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::HtmlBlock) => block.clear(),
            Event::Html(t) => block.push_str(&t),
            Event::End(TagEnd::HtmlBlock) => {
                let shown = strip_comments(&block);
                if !shown.trim().is_empty() {
                    events.push(Event::Start(Tag::Paragraph));
                    events.push(Event::Text(shown.into()));
                    events.push(Event::End(TagEnd::Paragraph));
                }
            }
            Event::InlineHtml(t) => {
                let shown = strip_comments(&t);
                if !shown.is_empty() {
                    events.push(Event::Text(shown.into()));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn strip_comments(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let skip = if after.starts_with('>') {
            1
        } else if after.starts_with("->") {
            2
        } else {
            after.find("-->").map_or(after.len(), |e| e + 3)
        };
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// Whether pulldown-cmark reads raw HTML in `markdown`.
fn holds_raw_html(markdown: &str) -> bool {
    use pulldown_cmark::{Event, Options, Parser};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    Parser::new_ext(markdown, options).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
}

/// Compares every example; the failures, described.
fn failures(examples: &[Example], prefix: &str) -> (Vec<String>, Vec<u64>) {
    let site = build(examples, prefix);
    let mut failed = site.badly_nested_pages();
    let mut raw = Vec::new();
    for e in examples {
        let ours = canonical(&body(&site, &format!("{prefix}-{}", e.number)));
        let (expected, kind) = if holds_raw_html(&e.markdown) {
            raw.push(e.number);
            (
                canonical(&escaped_reference(&e.markdown)),
                "raw HTML as words",
            )
        } else {
            (canonical(&e.html), "the spec")
        };
        if ours != expected {
            failed.push(format!(
                "example {} ({}), compared with {kind}:\n  markdown: {:?}\n  expected: {expected}\n  dossier:  {ours}",
                e.number, e.section, e.markdown
            ));
        }
    }
    (failed, raw)
}

/// Fails with every example that differs; the examples holding raw HTML.
fn all_as_the_spec_says(examples: &[Example], prefix: &str) -> Vec<u64> {
    let (failed, raw) = failures(examples, prefix);
    assert!(
        failed.is_empty(),
        "{} of {} examples differ:\n\n{}",
        failed.len(),
        examples.len(),
        failed.join("\n\n")
    );
    raw
}

/// The CommonMark examples holding raw HTML (or HTML comments): shown as words, not
/// passed to the page.
const RAW_HTML: &[u64] = &[
    // Backslash escapes, entities, HTML blocks (all of 148-191), links, raw HTML.
    21, 31, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164,
    165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183,
    184, 185, 186, 187, 188, 189, 190, 191, 201, 308, 309, 344, 475, 476, 477, 491, 494, 524, 536,
    613, 614, 615, 616, 617, 623, 625, 626, 627, 628, 629, 630, 631, 642, 643,
];

/// The CommonMark examples of autolinks with a scheme other than http, https and
/// mailto (`irc:`, `a+b+c:`, `made-up-scheme:`, `localhost:5001`): dossier
/// publishes no such link (a browser could run or open it), and says so where it is.
const OTHER_SCHEMES: &[(u64, &str)] = &[
    (596, "irc"),
    (598, "a+b+c"),
    (599, "made-up-scheme"),
    (601, "localhost"),
];

#[test]
fn every_commonmark_example_means_on_the_page_what_the_spec_says() {
    let examples = examples("spec.json");
    assert_eq!(examples.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let (refused, published): (Vec<Example>, Vec<Example>) = examples
        .into_iter()
        .partition(|e| OTHER_SCHEMES.iter().any(|(n, _)| *n == e.number));
    let raw = all_as_the_spec_says(&published, "cm");
    // The examples compared with their HTML as words are those listed, no more.
    assert_eq!(raw, RAW_HTML.to_vec(), "the examples holding raw HTML");
    // The others are each an error at their link.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    dossier::scaffold::new_edition(&root).unwrap();
    for e in &refused {
        let page = format!("---\ntitle: \"Example {}\"\n---\n{}", e.number, e.markdown);
        std::fs::write(root.join(format!("content/pages/cm-{}.md", e.number)), page).unwrap();
    }
    let error = BuiltSite::try_build(&root, false)
        .err()
        .expect("other schemes are errors")
        .to_string();
    for (number, scheme) in OTHER_SCHEMES {
        assert!(
            error.contains(&format!(
                "content/pages/cm-{number}.md:4:1: error: `{scheme}:` addresses are not published as links"
            )),
            "{error}"
        );
    }
}

#[test]
fn every_gfm_table_and_strikethrough_example_means_what_the_spec_says() {
    let examples = examples("gfm.json");
    let raw = all_as_the_spec_says(&examples, "gfm");
    assert!(raw.is_empty(), "{raw:?}");
}

#[test]
fn footnotes_are_numbered_links_to_notes_listed_after_the_text() {
    let examples: Vec<Example> = footnote_examples()
        .iter()
        .enumerate()
        .map(|(i, (markdown, _))| Example {
            number: i as u64 + 1,
            section: "Footnotes".into(),
            markdown: markdown.to_string(),
            html: String::new(),
        })
        .collect();
    let site = build(&examples, "fn");
    for (i, (_, expected)) in footnote_examples().iter().enumerate() {
        let page = site.page(&format!("fn-{}", i + 1));
        let references: Vec<String> = page
            .select(&selector("article sup a"))
            .map(|a| a.text().collect())
            .collect();
        let notes: Vec<String> = page
            .select(&selector("section.footnotes li"))
            .map(|li| li.text().collect::<String>().trim().to_string())
            .collect();
        let numbers = expected.iter().filter(|s| s.parse::<u32>().is_ok()).count();
        let mut seen: Vec<String> = references.clone();
        seen.dedup();
        assert_eq!(
            seen,
            expected[..numbers].to_vec(),
            "example {}: the references",
            i + 1
        );
        for (note, text) in notes.iter().zip(&expected[numbers..]) {
            assert!(note.starts_with(text), "example {}: {note:?}", i + 1);
        }
        assert_eq!(notes.len(), expected.len() - numbers, "example {}", i + 1);
        // Each reference links to its note, which is on the page.
        for a in page.select(&selector("article sup a")) {
            let target = a.value().attr("href").unwrap().trim_start_matches('#');
            assert!(
                page.select(&selector(&format!("[id=\"{target}\"]")))
                    .next()
                    .is_some(),
                "example {}: no note `{target}`",
                i + 1
            );
        }
    }
}
