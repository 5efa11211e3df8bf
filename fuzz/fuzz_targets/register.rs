//! A register (`people.yaml`), which every text's mentions depend on.
//! See `site_tests::hostile` for what is checked.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    site_tests::hostile::Target::Register.run(data);
});
