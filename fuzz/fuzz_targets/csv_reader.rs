//! Fuzz target: any bytes as an exchange CSV, validated as alumni and as enrollments. The readers may
//! refuse the file (an input error) but never panic, and every accepted file keeps
//! rows read = loaded + rejected.
#![no_main]

mod common;

use doorstroom::ingest::persons::PersonNumbers;
use doorstroom::ingest::{ingest, spec, IngestOptions};
use doorstroom::privacy::pseudonym::Pseudonymiser;
use doorstroom::project::InputFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::as_file(data, "csv");
    let pseudonymiser = Pseudonymiser::new(None);
    let options = IngestOptions { pseudonymiser: &pseudonymiser, staging_dir: None };
    for table in [&spec::ALUMNI, &spec::ENROLLMENTS] {
        let mut persons = PersonNumbers::default();
        if let Ok(result) = ingest(table, &[InputFile::new(path.clone())], &options, &mut persons) {
            for f in &result.files {
                let a = &f.accounting;
                assert_eq!(a.rows_read, a.loaded + a.rejected);
                assert_eq!(a.rejected_by_rule.values().sum::<u64>(), a.rejected);
            }
        }
    }
});
