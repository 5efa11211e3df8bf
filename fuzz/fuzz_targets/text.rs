//! A text (`ru.md`): Markdown with every extension (the seeds hold them all).
//! See `site_tests::hostile` for what is checked.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    site_tests::hostile::Target::Text.run(data);
});
