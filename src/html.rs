//! Escaping text for HTML, where Rust writes markup itself (mentions, citations, the
//! timeline, the source view) rather than through a template.

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for element content and attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(&mut *out, text).expect("writing to a String");
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<a href=\"x\">A & B</a>"),
            "&lt;a href=&quot;x&quot;&gt;A &amp; B&lt;/a&gt;"
        );
    }
}
