//! The golden region (tests/fixtures/golden, provenance in its README): every indicator row must
//! equal the independent implementation's, and the row accounting its counts.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use assert_cmd::Command;

use crate::region::{read_indicators, Key, Row};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden")
        .join(name)
}

fn expected() -> BTreeMap<Key, Row> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(fixture("indicators.csv.gz")).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("expected.csv");
    std::fs::write(&path, text).unwrap();
    read_indicators(&path)
}

#[test]
fn golden_region_gives_every_expected_row() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "gediplomeerden.csv",
        "inschrijvingen.csv",
        "doorstroom.toml",
        "sleutel.bin",
    ] {
        std::fs::copy(fixture(f), dir.path().join(f)).unwrap();
    }
    Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .arg(dir.path().join("doorstroom.toml"))
        .assert()
        .success();
    let got = read_indicators(&dir.path().join("out/warehouse/indicators.csv"));
    let want = expected();
    let missing: Vec<_> = want
        .keys()
        .filter(|k| !got.contains_key(*k))
        .take(5)
        .collect();
    let extra: Vec<_> = got
        .keys()
        .filter(|k| !want.contains_key(*k))
        .take(5)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    assert_eq!(got.len(), want.len());
    let mut wrong = Vec::new();
    for (key, w) in &want {
        let g = &got[key];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6;
        if g.numerator != w.numerator
            || g.denominator != w.denominator
            || !close(g.value, w.value)
            || !close(g.ci_low, w.ci_low)
            || !close(g.ci_high, w.ci_high)
        {
            wrong.push((key.clone(), g.clone(), w.clone()));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} rows differ, first: {:?}",
        wrong.len(),
        wrong.first()
    );

    // Row accounting: read and rejected per file as the independent implementation counted them.
    let counts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("counts.json")).unwrap()).unwrap();
    let manifest = crate::region::manifest(dir.path());
    for input in manifest["inputs"].as_array().unwrap() {
        let table = input["table"].as_str().unwrap();
        assert_eq!(input["rows_read"], counts[table]["read"], "{table}");
        assert_eq!(input["rejected"], counts[table]["rejected"], "{table}");
        assert_eq!(
            input["rows_read"].as_u64().unwrap(),
            input["loaded"].as_u64().unwrap() + input["rejected"].as_u64().unwrap()
        );
    }
}
