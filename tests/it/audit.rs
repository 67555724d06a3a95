//! The published bundle and `doorstroom audit`: the demo site passes, every suppressed row keeps
//! its keys and loses its numbers, the primary rules hold row by row, and a site where one more
//! cell is shown — or a hand-made table where "region minus two schools" gives the third — fails
//! with the recomputable cell named.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

use crate::region::{
    assert_status, doorstroom_in, files_under, read_indicators, run_demo, site_texts,
    INDICATOR_HEADER,
};

fn audit(site: &Path) -> std::process::Output {
    Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("audit")
        .arg(site)
        .output()
        .unwrap()
}

/// The published table as plain records (header included), read with the csv crate alone.
fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn write_records(path: &Path, rows: &[Vec<String>]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut w = csv::Writer::from_path(path).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn the_demo_site_passes_the_audit_and_one_more_shown_cell_fails_it() {
    let dir = run_demo();
    let site = dir.path().join("out/site");
    let csv_path = site.join("data/indicators.csv");
    let ok = audit(&site);
    assert_status(&ok, 0);

    // Nothing in the site points outside it (the SVG namespace is a name, not a request): no
    // page, no download.
    let files = site_texts(&site);
    assert!(files.len() >= 10, "{} files", files.len());
    for (f, text) in &files {
        let text = text.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for external in ["http://", "https://", "ftp://", "//cdn", "src=\"//", "url("] {
            assert!(!text.contains(external), "{external} in {}", f.display());
        }
    }

    let rows = records(&csv_path);
    assert_eq!(rows[0], header());
    // The primary rules of definitions.md §9 (min_cell 5, min_denominator 10 in the demo), checked
    // against the unsuppressed warehouse tables (the §7 units, the groepen, the survey, the
    // destinations per institution) row by row.
    let warehouse = dir.path().join("out/warehouse");
    let mut truth = read_indicators(&warehouse.join("indicators.csv"));
    truth.extend(read_indicators(&warehouse.join("indicators_groep.csv")));
    truth.extend(read_indicators(&warehouse.join("indicators_enquete.csv")));
    truth.extend(read_indicators(&warehouse.join("indicators_flows.csv")));
    let mut suppressed = 0;
    for r in &rows[1..] {
        let key = (
            r[0].parse::<i32>().unwrap(),
            r[1].clone(),
            r[2].clone(),
            r[3].parse::<u8>().unwrap(),
            r[4].clone(),
            r[5].clone(),
            r[6].clone(),
        );
        // A bundle row the indicator stage has no row for is a unit without anyone in that slot
        // (denominator 0, e.g. a programme before its first intake): suppressed.
        let Some(t) = truth.get(&key) else {
            assert_eq!(
                r[12], "true",
                "a row without indicator row is published: {r:?}"
            );
            suppressed += 1;
            continue;
        };
        let small = |n: i64| (1..5).contains(&n);
        let primary =
            t.denominator < 10 || small(t.numerator) || small(t.denominator - t.numerator);
        match r[12].as_str() {
            "true" => {
                suppressed += 1;
                assert!(r[7..12].iter().all(String::is_empty), "numbers kept: {r:?}");
            }
            "false" => {
                assert!(!primary, "published against the primary rules: {r:?}");
                assert_eq!(r[7], t.numerator.to_string());
                assert_eq!(r[8], t.denominator.to_string());
            }
            other => panic!("suppressed = {other:?}"),
        }
    }
    assert!(suppressed > 0 && suppressed < rows.len() - 1);
    // The region's direct inflow is large in every cohort and stays published.
    assert!(rows[1..]
        .iter()
        .filter(|r| r[4] == "regio" && r[6] == "instroom_direct")
        .all(|r| r[12] == "false"));

    // Find a school row that is published whose afdelingen of one indicator have exactly two
    // suppressed rows, and show one of them with its true numbers: school minus the published
    // afdelingen now gives the other.
    let mut families: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate().skip(1) {
        if r[4] == "afdeling" {
            let school = r[5].split(':').next().unwrap().to_string();
            families
                .entry((r[0].clone(), school, r[6].clone()))
                .or_default()
                .push(i);
        }
    }
    let school_published = |(cohort, school, indicator): &(String, String, String)| {
        rows.iter().any(|r| {
            &r[0] == cohort
                && r[4] == "school"
                && &r[5] == school
                && &r[6] == indicator
                && r[12] == "false"
        })
    };
    let (family, members) = families
        .iter()
        .find(|(f, m)| {
            school_published(f) && m.iter().filter(|&&i| rows[i][12] == "true").count() == 2
        })
        .expect("a school with exactly two suppressed afdelingen in one indicator");
    let hidden: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| rows[i][12] == "true")
        .collect();
    let (shown, other) = (hidden[0], hidden[1]);
    let mut leaked = rows.clone();
    let k = &rows[shown];
    let t = &truth[&(
        k[0].parse().unwrap(),
        k[1].clone(),
        k[2].clone(),
        k[3].parse().unwrap(),
        k[4].clone(),
        k[5].clone(),
        k[6].clone(),
    )];
    leaked[shown][7] = t.numerator.to_string();
    leaked[shown][8] = t.denominator.to_string();
    leaked[shown][9] = t.value.to_string();
    leaked[shown][10] = t.ci_low.to_string();
    leaked[shown][11] = t.ci_high.to_string();
    leaked[shown][12] = "false".into();
    let tampered = dir.path().join("tampered");
    write_records(&tampered.join("data/indicators.csv"), &leaked);
    let refused = audit(&tampered);
    assert_eq!(refused.status.code(), Some(1), "{family:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    let named = format!(
        "numerator of {} afdeling {} cohort {}",
        rows[other][6], rows[other][5], rows[other][0]
    );
    assert!(stderr.contains(&named), "{named} not in: {stderr}");
}

fn row(cohort: &str, unit_type: &str, unit_id: &str, numbers: Option<(i64, i64)>) -> Vec<String> {
    let mut r: Vec<String> = [
        cohort,
        "diploma",
        "",
        "1",
        unit_type,
        unit_id,
        "instroom_direct",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    match numbers {
        Some((n, d)) => {
            let v = n as f64 / d as f64;
            r.extend([
                n.to_string(),
                d.to_string(),
                v.to_string(),
                v.to_string(),
                v.to_string(),
            ]);
            r.push("false".into());
        }
        None => {
            r.extend(std::iter::repeat_n(String::new(), 5));
            r.push("true".into());
        }
    }
    r
}

/// The published table's columns: the warehouse's plus `suppressed` (formats.md §5).
fn header() -> Vec<String> {
    INDICATOR_HEADER
        .iter()
        .chain(&["suppressed"])
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn region_minus_two_schools_reveals_the_third_and_the_audit_says_so() {
    // Region 30/60; school A hidden, B 10/20, C 12/22: A = 30 − 10 − 12 = 8 of 60 − 20 − 22 = 18.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let rows = vec![
        header(),
        row("2022", "regio", "regio", Some((30, 60))),
        row("2022", "school", "01AA00", None),
        row("2022", "school", "02BB00", Some((10, 20))),
        row("2022", "school", "03CC00", Some((12, 22))),
    ];
    write_records(&site.join("data/indicators.csv"), &rows);
    let out = audit(&site);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("numerator of instroom_direct school 01AA00 cohort 2022"),
        "{stderr}"
    );
    assert!(
        stderr.contains("denominator of instroom_direct school 01AA00 cohort 2022"),
        "{stderr}"
    );

    // B hidden as well: A + B = 18 of 38, which many tables fit.
    let mut protected = rows.clone();
    protected[3] = row("2022", "school", "02BB00", None);
    write_records(&site.join("data/indicators.csv"), &protected);
    let out = audit(&site);
    assert_status(&out, 0);
}

#[test]
fn a_suppressed_row_with_a_number_is_refused_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut bad = row("2022", "school", "01AA00", None);
    bad[8] = "18".into();
    write_records(
        &site.join("data/indicators.csv"),
        &[header(), row("2022", "regio", "regio", Some((30, 60))), bad],
    );
    let out = audit(&site);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("indicators.csv:3: column denominator: a suppressed row has a number"),
        "{stderr}"
    );
    let missing = audit(&dir.path().join("nowhere"));
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn a_partner_bundle_holds_the_region_and_that_partner_only_and_passes_the_audit() {
    let dir = run_demo();
    let out = doorstroom_in(dir.path(), &["publish", "--partner", "90ac"]);
    assert_status(&out, 0);
    let site = dir.path().join("out/partners/90AC/site");
    let rows = records(&site.join("data/indicators.csv"));
    let units: std::collections::BTreeSet<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[4].clone(), r[5].split(':').next().unwrap().to_string()))
        .collect();
    let expected: std::collections::BTreeSet<(String, String)> = [
        ("regio", "regio"),
        ("sector", "HO"),
        ("sector", "MBO"),
        ("sector", "VO"),
        ("school", "90AC01"),
        ("school", "90AC02"),
        ("afdeling", "90AC01"),
        ("afdeling", "90AC02"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(units, expected);
    // Every partner row is the region bundle's row, unchanged.
    let full = records(&dir.path().join("out/site/data/indicators.csv"));
    for r in &rows[1..] {
        assert!(full.contains(r), "not in the region bundle: {r:?}");
    }
    // No other school's name or code anywhere in the bundle.
    let others = [
        ("90AA00", "Het Baken"),
        ("90AB00", "Stedelijk Lyceum"),
        ("90AD00", "Zuiderpark"),
        ("90AE00", "Maerlant"),
        ("90AF00", "Technova"),
        ("90AG00", "Dijkzicht"),
        ("90AH00", "Erasmus"),
        ("90AJ00", "Groenhove"),
        ("90AK00", "Kompas"),
        ("90AL00", "Polderland"),
    ];
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(html.contains("De Vaart Noord"));
    for (path, text) in site_texts(&site) {
        for (code, name) in others {
            assert!(
                !text.contains(code) && !text.contains(name),
                "{code} {name} in {}",
                path.display()
            );
        }
    }
    for (code, name) in others {
        assert!(
            !html.contains(code) && !html.contains(name),
            "{code} {name} in the page"
        );
    }
    let audited = audit(&site);
    assert_status(&audited, 0);
    assert!(String::from_utf8_lossy(&audited.stdout).contains("partner bundle of 90AC"));

    let unknown = doorstroom_in(dir.path(), &["publish", "--partner", "99ZZ"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("no school (brin or brin + vestiging) or receiving institution"));
}

#[test]
fn earlier_runs_are_registered_and_their_pattern_is_kept() {
    let dir = run_demo();
    let site_csv = dir.path().join("out/site/data/indicators.csv");
    let register = dir.path().join("out/register/published.csv");
    let first = std::fs::read(&site_csv).unwrap();
    // The register holds what was published: the same rows as the site.
    let mut published = records(&site_csv);
    let mut registered = records(&register);
    published.sort();
    registered.sort();
    assert_eq!(published, registered);

    // An earlier run that had hidden the region's direct inflow of the first cohort, and one that
    // published another number for its bestemming_hbo: both rows are hidden now, and the new
    // pattern still passes the audit.
    let mut rows = records(&register);
    let find = |rows: &[Vec<String>], indicator: &str| {
        let first_cohort = rows[1..].iter().map(|r| r[0].clone()).min().unwrap();
        rows.iter()
            .position(|r| r[0] == first_cohort && r[4] == "regio" && r[6] == indicator)
            .unwrap()
    };
    let hidden = find(&rows, "instroom_direct");
    let changed = find(&rows, "bestemming_hbo");
    assert_eq!(rows[hidden][12], "false");
    assert_eq!(rows[changed][12], "false");
    let mut earlier = rows[hidden].clone();
    for cell in &mut earlier[7..12] {
        cell.clear();
    }
    earlier[12] = "true".into();
    rows.push(earlier);
    let mut other = rows[changed].clone();
    other[7] = (other[7].parse::<i64>().unwrap() + 1).to_string();
    rows.push(other);
    write_records(&register, &rows);

    let out = doorstroom_in(dir.path(), &["run"]);
    assert_status(&out, 0);
    let now = records(&site_csv);
    let key = |r: &Vec<String>| r[..7].to_vec();
    for i in [hidden, changed] {
        let row = now.iter().find(|r| key(r) == key(&rows[i])).unwrap();
        assert_eq!(row[12], "true", "{row:?}");
    }
    assert_ne!(std::fs::read(&site_csv).unwrap(), first);
    let audited = audit(&dir.path().join("out/site"));
    assert_status(&audited, 0);
}

#[test]
fn the_same_input_gives_the_same_site_on_a_second_run() {
    let dir = run_demo();
    let site = dir.path().join("out/site");
    let before = files_under(&site);
    let out = doorstroom_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0));
    let after = files_under(&site);
    assert!(before.len() >= 10, "{} files", before.len());
    assert!(
        before == after,
        "a second run with the register changed the site"
    );
}

#[test]
fn nco_extremes_suppress_rates_below_5_or_above_95_percent() {
    // 200 havo alumni of one school: 5 direct to hbo (2.5 %), 100 to mbo (50 %), 95 nowhere.
    // Exact: 5/200 passes the primary rules (5 is not below min_cell, nor is 195). NCO: 2.5 % < 5 %.
    let build = || {
        let mut r = crate::region::Region::new("2025-10-01");
        for i in 0..200 {
            let p = format!("P{i}");
            r = r.alumnus(&p, "97XA01", "havo", "2022-06-30");
            if i < 5 {
                r = r.enrolled(&p, "21HA", "hbo", "34402", "2022-09-01", "");
            } else if i < 105 {
                r = r.enrolled(&p, "25MA", "mbo", "25181", "2022-09-01", "");
            }
        }
        r
    };
    let row = |dir: &Path, indicator: &str| -> Vec<String> {
        records(&dir.join("out/site/data/indicators.csv"))
            .into_iter()
            .find(|r| r[0] == "2022" && r[4] == "regio" && r[6] == indicator)
            .unwrap()
    };
    let exact = build();
    let config = exact.write();
    let out = crate::region::run_config(&config);
    assert_status(&out, 0);
    assert_eq!(row(exact.dir.path(), "bestemming_hbo")[7..9], ["5", "200"]);

    let nco = build();
    let config = nco.write();
    crate::region::edit_config(
        &config,
        "key_file = \"sleutel.bin\"",
        "key_file = \"sleutel.bin\"\nextremes = \"nco\"",
    );
    let out = crate::region::run_config(&config);
    assert_status(&out, 0);
    assert_eq!(row(nco.dir.path(), "bestemming_hbo")[12], "true");
    // Not every rate is hidden: 105 of 200 entered within a year (52.5 %).
    assert_eq!(
        row(nco.dir.path(), "instroom_binnen_1_jaar")[7..9],
        ["105", "200"]
    );
    assert!(audit(&nco.dir.path().join("out/site")).status.success());
}
