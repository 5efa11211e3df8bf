//! A document's `index.md`: its front matter (metadata) and headnote.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::build_with(&[("content/documents/telegram/index.md", data)]);
});
