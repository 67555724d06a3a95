//! Property: one malformed row anywhere in an enrollments file changes `loaded` by 0 and `rejected` by
//! 1, and leaves every other row's stored values identical. Runs ingest alone (no engine).

use std::path::Path;

use doorstroom::ingest::persons::PersonNumbers;
use doorstroom::ingest::{ingest, spec::ENROLLMENTS, IngestOptions};
use doorstroom::privacy::key::Key;
use doorstroom::privacy::pseudonym::Pseudonymiser;
use doorstroom::project::InputFile;
use proptest::prelude::*;

const HEADER: &str = "persoon_id,brin,sector,opleidingscode,startdatum,einddatum,diploma";

fn valid_row() -> impl Strategy<Value = String> {
    (
        "[A-Z][0-9]{3}",
        prop::sample::select(vec!["21HA", "21HB", "25MA", "21WA"]),
        prop::sample::select(vec!["hbo", "wo", "mbo", "vo", "vavo", "HBO"]),
        "[0-9]{5}",
        (2015i32..2025, 1u32..13, 1u32..29),
        prop::option::of(0i64..2000),
        prop::sample::select(vec!["ja", "nee", "", "J", "n"]),
    )
        .prop_map(|(id, brin, sector, code, (y, m, d), length, diploma)| {
            let start = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let end = length
                .map(|l| {
                    (start + chrono::Duration::days(l))
                        .format("%d-%m-%Y")
                        .to_string()
                })
                .unwrap_or_default();
            format!("{id},{brin},{sector},{code},{start},{end},{diploma}")
        })
}

/// Ways a partner's row goes wrong; each must be rejected.
fn malformed_row() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "P001,21HA,hbo,34402,2021-13-01,,nee",
        "P001,21HA,hogeschool,34402,2021-09-01,,nee",
        ",21HA,hbo,34402,2021-09-01,,nee",
        "P001,21HA,hbo,34402,2021-09-01,,nee,extra",
        "P001,21HA,hbo,34402",
        "P001,21HA,hbo,34402,2021-09-01,2021-08-01,nee",
        "P001,21HA,hbo,34402,2021-09-01,,misschien",
        "P001,2HA,hbo,34402,2021-09-01,,nee",
        "P001,21HA,hbo,,2021-09-01,,nee",
    ])
    .prop_map(String::from)
}

/// Stored rows as text, without record_id and the provenance columns (which follow the position).
fn stored(dir: &Path, rows: &[String]) -> (Vec<Vec<String>>, u64, u64) {
    let path = dir.join(format!("in-{}.csv", rows.len()));
    std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let key = Key::from_bytes(vec![3u8; 32]).unwrap();
    let pseudonymiser = Pseudonymiser::new(Some(&key));
    let staging = dir.join("staging");
    std::fs::create_dir_all(&staging).unwrap();
    let result = ingest(
        &ENROLLMENTS,
        &[InputFile::new(path)],
        &IngestOptions {
            pseudonymiser: &pseudonymiser,
            staging_dir: Some(&staging),
        },
        &mut PersonNumbers::default(),
    )
    .unwrap();
    let staged = result.parquet.as_ref().unwrap().path().to_path_buf();
    let values: Vec<Vec<String>> = crate::region::parquet_rows(&staged)
        .into_iter()
        .map(|mut row| {
            for provenance in ["record_id", "source_file", "source_line", "persoon_nr"] {
                row.remove(provenance);
            }
            row.into_values().collect()
        })
        .collect();
    let a = &result.files[0].accounting;
    assert_eq!(a.rows_read, a.loaded + a.rejected);
    (values, a.loaded, a.rejected)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn one_malformed_row_is_rejected_and_touches_nothing_else(
        rows in prop::collection::vec(valid_row(), 1..25),
        bad in malformed_row(),
        at in 0usize..25,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (clean, loaded, rejected) = stored(dir.path(), &rows);
        prop_assert_eq!(rejected, 0);
        prop_assert_eq!(loaded, rows.len() as u64);
        let mut with_bad = rows.clone();
        with_bad.insert(at.min(rows.len()), bad);
        let (dirty, loaded2, rejected2) = stored(dir.path(), &with_bad);
        prop_assert_eq!(loaded2, loaded);
        prop_assert_eq!(rejected2, 1);
        prop_assert_eq!(dirty, clean);
    }
}
