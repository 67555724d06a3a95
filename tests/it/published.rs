//! Published figures: the real DUO extract through preset `duo-examens`, and the `long` table; every
//! exact number and every mask must come through, compared with the test's own reading of the file.

use std::collections::BTreeMap;
use std::path::Path;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{Float64Type, Int32Type, Int64Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::region::{edit_config, Region};

const DUO: &str = "examenkandidaten_geslaagden_2019-2024_subset.csv";

/// (eenheid_id, cohort, kenmerken) → (teller, noemer, percentage) as text: a number or `mask:<token>`.
type Figures = BTreeMap<(String, i32, String), [String; 3]>;

fn read_published(path: &Path) -> Figures {
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut out = Figures::new();
    for batch in reader {
        let b = batch.unwrap();
        let col = |name: &str| b.column(b.schema().index_of(name).unwrap()).clone();
        let (id, cohort, kenm) = (col("eenheid_id"), col("cohort"), col("kenmerken"));
        let (t, n, p) = (col("teller"), col("noemer"), col("percentage"));
        let (tm, nm, pm) = (
            col("teller_masker"),
            col("noemer_masker"),
            col("percentage_masker"),
        );
        for i in 0..b.num_rows() {
            let count = |a: &dyn Array, m: &dyn Array| {
                if a.is_null(i) {
                    format!("mask:{}", m.as_string::<i32>().value(i))
                } else {
                    a.as_primitive::<Int64Type>().value(i).to_string()
                }
            };
            let pct = if p.is_null(i) {
                format!("mask:{}", pm.as_string::<i32>().value(i))
            } else {
                format!("{}", p.as_primitive::<Float64Type>().value(i))
            };
            let key = (
                id.as_string::<i32>().value(i).to_string(),
                cohort.as_primitive::<Int32Type>().value(i),
                kenm.as_string::<i32>().value(i).to_string(),
            );
            let value = [
                count(t.as_ref(), tm.as_ref()),
                count(n.as_ref(), nm.as_ref()),
                pct,
            ];
            assert!(out.insert(key, value).is_none(), "duplicate figure");
        }
    }
    out
}

/// The test's own reading of DUO's wide layout.
fn expected_duo(path: &Path) -> Figures {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut out = Figures::new();
    for rec in reader.records() {
        let r = rec.unwrap();
        for (i, h) in header.iter().enumerate() {
            let Some(rest) = h.strip_prefix("EXAMENKANDIDATEN SCHOOLJAAR ") else {
                continue;
            };
            let (years, gender) = rest.split_once(" - ").unwrap();
            let cohort: i32 = years[5..].parse().unwrap();
            let cell = |v: &str, pct: bool| {
                if v.starts_with('<') {
                    format!("mask:{v}")
                } else if pct {
                    format!("{}", v.replace(',', ".").parse::<f64>().unwrap())
                } else {
                    v.replace('.', "")
                }
            };
            let key = (
                r[1].to_string(),
                cohort,
                format!("geslacht={};opleiding={}", gender.to_lowercase(), &r[6]),
            );
            out.insert(
                key,
                [
                    cell(&r[i + 1], false),
                    cell(&r[i], false),
                    cell(&r[i + 2], true),
                ],
            );
        }
    }
    out
}

fn with_published(entry: &str, files: &[(&str, &Path)]) -> crate::region::Outcome {
    let r = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-06-30")
        .enrolled("A", "21HA", "hbo", "1", "2022-09-01", "");
    let config = r.write();
    for (name, src) in files {
        std::fs::copy(src, r.dir.path().join(name)).unwrap();
    }
    edit_config(
        &config,
        "enrollments = \"inschrijvingen.csv\"\n",
        &format!("enrollments = \"inschrijvingen.csv\"\npublished = [{entry}]\n"),
    );
    r.run()
}

#[test]
fn real_duo_extract_keeps_every_number_and_mask() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/duo")
        .join(DUO);
    let o = with_published(
        &format!("{{ path = \"{DUO}\", preset = \"duo-examens\" }}"),
        &[(DUO, &src)],
    );
    o.assert_ok();
    let got = read_published(&o.dir.join("out/warehouse/published.parquet"));
    let want = expected_duo(&src);
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    // Every `<5` in the file is a masked cell, counted in the manifest; none became a number.
    let masks_in_file = std::fs::read_to_string(&src)
        .unwrap()
        .matches("\"<5\"")
        .count() as u64;
    let manifest = crate::region::manifest(&o.dir);
    let entry = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "published")
        .unwrap();
    assert_eq!(
        entry["published"]["masked_cells"].as_u64(),
        Some(masks_in_file)
    );
    assert_eq!(entry["rows_read"].as_u64(), Some(53));
    assert_eq!(entry["rejected"].as_u64(), Some(0));
    assert_eq!(entry["published"]["figures"].as_u64(), Some(53 * 5 * 3));
    assert_eq!(
        got[&(
            "00WD00".to_string(),
            2020,
            "geslacht=man;opleiding=VMBO B - techniek".to_string()
        )],
        ["20", "20", "100"]
    );
}

#[test]
fn long_table_with_masks_thousands_and_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gepubliceerd.csv");
    std::fs::write(
        &path,
        "bron;bron_indicator;indicator;cohort;eenheid_type;eenheid_id;kenmerken;teller;noemer;percentage;teller_masker;noemer_masker;percentage_masker\n\
         nco;nog in hbo na 1 jaar;nog_in_sector;2021-2022;afdeling;97XA01:havo;;;12.345;85,5;<5;;\n\
         duo;direct hbo;bestemming_hbo;2022;school;97XA01;;40;50;80;;;\n\
         duo;x;;twintig;school;97XA01;;1;2;50;;;\n\
         duo;x;;2022;school;97XA01;;4;10;;4+J;;\n",
    )
    .unwrap();
    let o = with_published("\"gepubliceerd.csv\"", &[("gepubliceerd.csv", &path)]);
    o.assert_ok();
    let got = read_published(&o.dir.join("out/warehouse/published.parquet"));
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[&("97XA01:havo".to_string(), 2022, String::new())],
        ["mask:<5", "12345", "85.5"]
    );
    assert_eq!(
        got[&("97XA01".to_string(), 2022, String::new())],
        ["40", "50", "80"]
    );
    let rejects =
        std::fs::read_to_string(o.dir.join("out/rejects/published-gepubliceerd.csv")).unwrap();
    assert!(rejects.contains(",4,cohort,value.number,"), "{rejects}");
    assert!(
        rejects.contains(",5,teller,value.mask_and_value,"),
        "{rejects}"
    );
}

#[test]
fn unknown_preset_fails_the_input() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/duo")
        .join(DUO);
    let o = with_published(
        &format!("{{ path = \"{DUO}\", preset = \"nco-pdf\" }}"),
        &[(DUO, &src)],
    );
    assert_eq!(o.status, 1);
    assert!(o.stderr.contains("unknown preset"));
}
