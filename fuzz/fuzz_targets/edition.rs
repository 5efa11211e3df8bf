//! A whole small edition: its files, separated by NUL bytes.
//! See `site_tests::hostile` for what is checked.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    site_tests::hostile::Target::Edition.run(data);
});
