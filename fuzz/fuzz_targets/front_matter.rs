//! A document's `index.md`: its front matter (metadata) and headnote.
//! See `site_tests::hostile` for what is checked.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    site_tests::hostile::Target::FrontMatter.run(data);
});
