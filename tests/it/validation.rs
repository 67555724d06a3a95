//! Validation rules, row accounting, input formats and exit statuses, through the binary.

use std::path::Path;

use assert_cmd::Command;

use crate::region::{edit_config, manifest, run_config, Region, ALUMNI_HEADER, ENROLLMENT_HEADER};

/// The rejects file of a table as (line, column, rule) triples.
fn rejects(dir: &Path, table: &str) -> Vec<(u64, String, String)> {
    let mut reader = csv::Reader::from_path(dir.join(format!("out/rejects/{table}.csv"))).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["file", "line", "column", "rule", "reason"]
    );
    reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[1].parse().unwrap(), r[2].to_string(), r[3].to_string()))
        .collect()
}

fn counts(dir: &Path, table: &str) -> (u64, u64, u64) {
    let m = manifest(dir);
    let input = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == table)
        .unwrap()
        .clone();
    let n = |k: &str| input[k].as_u64().unwrap();
    (n("rows_read"), n("loaded"), n("rejected"))
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A valid small region whose files the test then overwrites.
fn base() -> Region {
    Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-06-30")
        .enrolled("A", "21HA", "hbo", "34402", "2022-09-01", "")
}

#[test]
fn every_row_rule_rejects_with_file_line_column_and_rule() {
    let r = base();
    let config = r.write();
    let d = r.dir.path();
    write(
        d,
        "gediplomeerden.csv",
        &format!(
            "{ALUMNI_HEADER}\n\
             A,97XA,01,havo,2022-06-30\n\
             B,97XA,01,havo\n\
             C,97XA,01,havo,2022-06-30,extra\n\
             D,,01,havo,2022-06-30\n\
             E,97XA,01,havo,2022-13-45\n\
             F,97XA,01,atheneum,2022-06-30\n\
             G,97XAB,01,havo,2022-06-30\n\
             H,97XA,123,havo,2022-06-30\n\
             A,97XA,1,HAVO,01-07-2022\n\
             123456789,97XA,01,havo,2022-06-30\n"
        ),
    );
    write(
        d,
        "inschrijvingen.csv",
        &format!(
            "{ENROLLMENT_HEADER}\n\
             A,21HA,hbo,34402,2022-09-01,,nee,\n\
             A,21HA,hbo,34402,2022-09-01,2022-08-01,nee,\n\
             A,21HA,hogeschool,34402,2022-09-01,,nee,\n\
             A,21HA,hbo,34402,2022-09-01,,misschien,\n\
             A,21HA,hbo,,2022-09-01,,nee,\n"
        ),
    );
    let out = run_config(&config);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let alumni = rejects(d, "gediplomeerden");
    let expect = [
        (3, "", "row.fields"),
        (4, "", "row.fields"),
        (5, "brin", "value.required"),
        (6, "diplomadatum", "value.date"),
        (7, "niveau", "value.code"),
        (8, "brin", "value.format"),
        (9, "vestiging", "value.format"),
        (10, "", "alumni.duplicate"),
        // 123456789 fails the 11-proef (9·1+8·2+…+2·8−9 = 147, not a multiple of 11).
        (11, "persoon_id", "pgn.invalid"),
    ];
    let got: Vec<(u64, &str, &str)> = alumni
        .iter()
        .map(|(l, c, r)| (*l, c.as_str(), r.as_str()))
        .collect();
    assert_eq!(got, expect);
    assert_eq!(counts(d, "gediplomeerden"), (10, 1, 9));
    // The reasons users read, pinned as a snapshot (file names only, no directories, no identifiers).
    insta::assert_snapshot!(
        std::fs::read_to_string(d.join("out/rejects/gediplomeerden.csv")).unwrap()
    );

    let enrollments = rejects(d, "inschrijvingen");
    let got: Vec<(u64, &str, &str)> = enrollments
        .iter()
        .map(|(l, c, r)| (*l, c.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "einddatum", "dates.end_before_start"),
            (4, "sector", "value.code"),
            (5, "diploma", "value.code"),
            (6, "opleidingscode", "value.required")
        ]
    );
    assert_eq!(counts(d, "inschrijvingen"), (5, 1, 4));
    let m = manifest(d);
    assert_eq!(m["inputs"][0]["rejected_by_rule"]["row.fields"], 2);
    assert_eq!(m["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn formats_as_partners_export_them() {
    // Windows-1252, `;`, CRLF, quotes with the delimiter and a line break inside, English aliases,
    // DD-MM-YYYY and d/m/yyyy dates, upper-case codes, a blank line (not counted), a BOM on the other.
    let r = base();
    let config = r.write();
    let d = r.dir.path();
    let mut alumni: Vec<u8> = b"Person_ID;BRIN;Branch;School_Name;Level;Diploma_Date\r\n".to_vec();
    alumni.extend_from_slice(
        b"A;97xa;1;\"Lyc\xe9e \"\"Noord\"\"; locatie\r\nOost\";HAVO;30-06-2022\r\n",
    );
    alumni.extend_from_slice(b"\r\n");
    alumni.extend_from_slice(b"B;97XA;01;Lyc\xe9e;vwo;1/7/2022\r\n");
    alumni.extend_from_slice(b"C;97XA;01;Lyc\xe9e;vwo;gisteren\r\n");
    std::fs::write(d.join("gediplomeerden.csv"), alumni).unwrap();
    write(
        d,
        "inschrijvingen.csv",
        "\u{feff}person_id,brin,sector,program_code,start_date,end_date,diploma,main_enrollment\n\
         A,21HA,HBO,34402,01-09-2022,,N,J\n\
         B,21WA,wo,50206,2022/9/1,,no,\n",
    );
    let out = run_config(&config);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(d, "gediplomeerden"), (3, 2, 1));
    // The bad date is on line 5: the quoted record spanning lines 2-3 is reported where it starts.
    assert_eq!(
        rejects(d, "gediplomeerden"),
        [(5, "Diploma_Date".to_string(), "value.date".to_string())]
    );
    assert_eq!(counts(d, "inschrijvingen"), (2, 2, 0));
    let rows = crate::region::read_indicators(&d.join("out/warehouse/indicators.csv"));
    let key = |ind: &str| {
        (
            2022,
            "diploma".to_string(),
            String::new(),
            1u8,
            "school".to_string(),
            "97XA01".to_string(),
            ind.to_string(),
        )
    };
    assert_eq!(rows[&key("instroom_direct")].numerator, 2);
    assert_eq!(rows[&key("bestemming_wo")].numerator, 1);
    // The Windows-1252 name is decoded, not mangled, in the report.
    let html = std::fs::read_to_string(d.join("out/site/index.html")).unwrap();
    assert!(
        html.contains("Lycée &quot;Noord&quot;; locatie") || html.contains("Lycée"),
        "decoded name in the report"
    );
}

#[test]
fn xlsx_input_with_date_cells_and_numbers() {
    let r = base();
    let config_text_dir = r.dir.path().to_path_buf();
    r.write();
    let mut book = rust_xlsxwriter::Workbook::new();
    // The data is on the second sheet, named in the configuration; the first is a cover sheet.
    book.add_worksheet()
        .set_name("Uitleg")
        .unwrap()
        .write_string(0, 0, "Export van de leerlingadministratie")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Diplomas").unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("dd-mm-yyyy");
    for (c, h) in ["persoon_id", "brin", "vestiging", "niveau", "diplomadatum"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "A").unwrap();
    sheet.write_string(1, 1, "97XA").unwrap();
    sheet.write_number(1, 2, 1.0).unwrap();
    sheet.write_string(1, 3, "havo").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2022, 6, 30).unwrap();
    sheet
        .write_datetime_with_format(1, 4, &date, &format)
        .unwrap();
    sheet.write_string(2, 0, "B").unwrap();
    sheet.write_string(2, 1, "97XA").unwrap();
    sheet.write_number(2, 2, 1.0).unwrap();
    sheet.write_string(2, 3, "havo").unwrap();
    sheet.write_string(2, 4, "30-06-2022").unwrap();
    book.save(config_text_dir.join("alumni.xlsx")).unwrap();
    edit_config(
        &config_text_dir.join("doorstroom.toml"),
        "\"gediplomeerden.csv\"",
        "{ path = \"alumni.xlsx\", sheet = \"Diplomas\" }",
    );
    let out = run_config(&config_text_dir.join("doorstroom.toml"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&config_text_dir, "gediplomeerden"), (2, 2, 0));
    let rows =
        crate::region::read_indicators(&config_text_dir.join("out/warehouse/indicators.csv"));
    let key = (
        2022,
        "diploma".to_string(),
        String::new(),
        1u8,
        "school".to_string(),
        "97XA01".to_string(),
        "instroom_direct".to_string(),
    );
    assert_eq!((rows[&key].numerator, rows[&key].denominator), (1, 2));
}

/// Runs with a broken input and checks exit status 1, the message, and that nothing was published.
fn fails_as_a_whole(prepare: impl FnOnce(&Path), message: &str) {
    let r = base();
    let config = r.write();
    prepare(r.dir.path());
    let out = run_config(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(message),
        "expected {message:?} in: {stderr}"
    );
    assert!(
        !r.dir.path().join("out").exists(),
        "nothing may be published"
    );
    let leftovers: Vec<_> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".doorstroom-staging")
        })
        .collect();
    assert!(leftovers.is_empty(), "staging is cleaned up");
}

#[test]
fn missing_required_column_fails_the_input() {
    fails_as_a_whole(
        |d| {
            write(
                d,
                "gediplomeerden.csv",
                "persoon_id,brin,niveau,diplomadatum\nA,97XA,havo,2022-06-30\n",
            )
        },
        "vestiging",
    );
}

#[test]
fn utf16_file_is_unreadable() {
    fails_as_a_whole(
        |d| std::fs::write(d.join("inschrijvingen.csv"), [0xFF, 0xFE, b'p', 0, b'e', 0]).unwrap(),
        "file.unreadable",
    );
}

#[test]
fn binary_file_is_unreadable() {
    fails_as_a_whole(
        |d| std::fs::write(d.join("gediplomeerden.csv"), b"persoon_id\0\x01\x02").unwrap(),
        "file.unreadable",
    );
}

#[test]
fn no_valid_row_left_fails_the_input() {
    fails_as_a_whole(
        |d| {
            write(
                d,
                "inschrijvingen.csv",
                &format!("{ENROLLMENT_HEADER}\nA,21HA,hbo,34402,gisteren,,nee,\n"),
            )
        },
        "file.no_valid_rows",
    );
}

#[test]
fn missing_input_file_fails_the_input() {
    fails_as_a_whole(
        |d| std::fs::remove_file(d.join("inschrijvingen.csv")).unwrap(),
        "inschrijvingen.csv",
    );
}

#[test]
fn both_files_are_checked_before_failing() {
    let r = base();
    let config = r.write();
    write(r.dir.path(), "gediplomeerden.csv", "persoon_id\nA\n");
    write(r.dir.path(), "inschrijvingen.csv", "persoon_id\nA\n");
    let out = run_config(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("gediplomeerden.csv") && stderr.contains("inschrijvingen.csv"),
        "{stderr}"
    );
}

#[test]
fn check_validates_and_writes_nothing() {
    let r = base();
    let config = r.write();
    let out = Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("check")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 rows read, 1 loaded, 0 rejected"));
    assert!(!r.dir.path().join("out").exists());
}

#[test]
fn a_rerun_gives_byte_identical_output() {
    let r = base();
    let config = r.write();
    let files = [
        "out/warehouse/indicators.csv",
        "out/site/index.html",
        "out/manifest.json",
    ];
    let read = |f: &str| std::fs::read(r.dir.path().join(f)).unwrap();
    assert_eq!(run_config(&config).status.code(), Some(0));
    let first: Vec<Vec<u8>> = files.iter().map(|f| read(f)).collect();
    assert_eq!(run_config(&config).status.code(), Some(0));
    for (f, before) in files.iter().zip(&first) {
        assert!(
            *before == read(f),
            "{f}: identical input gives byte-identical output"
        );
    }
}

#[test]
fn several_files_of_one_table_load_together_with_accounting_per_file() {
    let r = base();
    let config = r.write();
    let d = r.dir.path();
    write(
        d,
        "school_b.csv",
        &format!("{ALUMNI_HEADER}\nB,97XB,00,vwo,2022-06-30\nA,97XB,00,havo,2022-07-01\n"),
    );
    edit_config(
        &config,
        "alumni = \"gediplomeerden.csv\"",
        "alumni = [\"gediplomeerden.csv\", \"school_b.csv\"]",
    );
    let out = run_config(&config);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(d);
    let alumni: Vec<&serde_json::Value> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["table"] == "gediplomeerden")
        .collect();
    assert_eq!(alumni.len(), 2);
    assert_eq!(
        (
            alumni[0]["rows_read"].as_u64(),
            alumni[0]["loaded"].as_u64()
        ),
        (Some(1), Some(1))
    );
    // A's havo diploma of cohort 2022 is already in the first file: a duplicate across files.
    assert_eq!(
        (
            alumni[1]["rows_read"].as_u64(),
            alumni[1]["loaded"].as_u64(),
            alumni[1]["rejected"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        rejects(d, "gediplomeerden"),
        [(3, String::new(), "alumni.duplicate".to_string())]
    );
    let rows = crate::region::read_indicators(&d.join("out/warehouse/indicators.csv"));
    let key = (
        2022,
        "diploma".to_string(),
        String::new(),
        1u8,
        "regio".to_string(),
        "regio".to_string(),
        "instroom_direct".to_string(),
    );
    assert_eq!(rows[&key].denominator, 2);
}

#[test]
fn the_same_file_twice_changes_nothing() {
    let r = base();
    let config = r.write();
    let d = r.dir.path();
    assert_eq!(run_config(&config).status.code(), Some(0));
    let once = std::fs::read(d.join("out/warehouse/indicators.csv")).unwrap();
    std::fs::copy(d.join("gediplomeerden.csv"), d.join("kopie.csv")).unwrap();
    edit_config(
        &config,
        "alumni = \"gediplomeerden.csv\"",
        "alumni = [\"gediplomeerden.csv\", \"kopie.csv\"]",
    );
    let out = run_config(&config);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not loaded twice"));
    assert_eq!(
        std::fs::read(d.join("out/warehouse/indicators.csv")).unwrap(),
        once
    );
    let m = manifest(d);
    let copy = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == "kopie.csv")
        .unwrap()
        .clone();
    assert_eq!(copy["same_as"], "gediplomeerden.csv");
    assert_eq!(copy["loaded"], 0);
}

#[test]
fn a_corrected_file_replaces_exactly_its_own_rows() {
    let r = base();
    let config = r.write();
    let d = r.dir.path();
    write(
        d,
        "school_b.csv",
        &format!("{ALUMNI_HEADER}\nB,97XB,00,vwo,2022-06-30\nC,97XB,00,havo,2022-06-30\n"),
    );
    edit_config(
        &config,
        "alumni = \"gediplomeerden.csv\"",
        "alumni = [\"gediplomeerden.csv\", \"school_b.csv\"]",
    );
    assert_eq!(run_config(&config).status.code(), Some(0));
    let parquet = d.join("out/warehouse/gediplomeerden.parquet");
    let before = crate::region::parquet_rows(&parquet);
    // School B corrects C's niveau.
    write(
        d,
        "school_b.csv",
        &format!("{ALUMNI_HEADER}\nB,97XB,00,vwo,2022-06-30\nC,97XB,00,vwo,2022-06-30\n"),
    );
    assert_eq!(run_config(&config).status.code(), Some(0));
    let after = crate::region::parquet_rows(&parquet);
    let of = |rows: &[std::collections::BTreeMap<String, String>],
              file: &str|
     -> Vec<std::collections::BTreeMap<String, String>> {
        rows.iter()
            .filter(|r| r["source_file"] == file)
            .cloned()
            .collect()
    };
    assert_eq!(
        of(&after, "gediplomeerden.csv"),
        of(&before, "gediplomeerden.csv"),
        "the other file's rows are untouched"
    );
    let niveaus = |rows: &[std::collections::BTreeMap<String, String>]| -> Vec<String> {
        of(rows, "school_b.csv")
            .iter()
            .map(|r| r["niveau"].clone())
            .collect()
    };
    assert_eq!(niveaus(&before), ["vwo", "havo"]);
    assert_eq!(niveaus(&after), ["vwo", "vwo"]);
    assert_eq!(after.len(), before.len());
}
