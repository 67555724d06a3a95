//! Fuzz target: any bytes as a published-figures file, read with presets `duo-examens`, `long` and
//! `duo-bestemming`. Never a panic; accepted files keep rows read = loaded + rejected.
#![no_main]

mod common;

use std::collections::BTreeMap;

use doorstroom::ingest::published::read;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::as_file(data, "csv");
    for preset in ["duo-examens", "long", "duo-bestemming"] {
        if let Ok(adapted) = read(&path, None, preset, &BTreeMap::new()) {
            let a = &adapted.accounting;
            assert_eq!(a.rows_read, a.loaded + a.rejected);
        }
    }
});
