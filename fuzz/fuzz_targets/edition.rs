//! A whole small edition: the input is its files (`dossier_fuzz::FILES`, in order),
//! separated by NUL bytes; files the input does not reach keep the base's content.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let files: Vec<(&str, &[u8])> = dossier_fuzz::FILES
        .iter()
        .zip(data.split(|&b| b == 0))
        .map(|(file, bytes)| (*file, bytes))
        .collect();
    dossier_fuzz::build_with(&files);
});
