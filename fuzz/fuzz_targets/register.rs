//! A register (`people.yaml`), which every text's mentions depend on.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::build_with(&[("content/people.yaml", data)]);
});
