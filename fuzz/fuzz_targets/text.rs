//! A text (`ru.md`): Markdown with every extension (the seeds hold them all).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::build_with(&[("content/documents/telegram/ru.md", data)]);
});
