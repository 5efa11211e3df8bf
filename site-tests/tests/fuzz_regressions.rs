//! Every input the fuzz targets found a problem with (`fuzz/regressions/<target>/`)
//! is built again and checked as the fuzzer checks it (`site_tests::hostile`).

use site_tests::hostile::Target;
use site_tests::repository_root;

#[test]
fn inputs_the_fuzzers_found_build_or_fail_cleanly() {
    let mut replayed = 0;
    for target in Target::ALL {
        let folder = repository_root()
            .join("fuzz/regressions")
            .join(target.name());
        let mut inputs: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        for input in inputs {
            eprintln!("{}", input.display());
            target.run(&std::fs::read(&input).unwrap());
            replayed += 1;
        }
    }
    assert!(replayed >= 4, "{replayed} inputs");
}
