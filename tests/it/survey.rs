//! The alumni survey (`[inputs] survey`, docs/formats.md §7): read and validated per respondent,
//! counted per cohort and unit by SQL into `warehouse/indicators_enquete.*`, published through the
//! disclosure control and shown beside the outcomes. Expected values are counted by hand or from
//! the raw file.

use std::collections::BTreeMap;

use crate::region::{assert_status, edit_config, read_indicators, read_table, run_demo, Region};

/// One alumnus at 97XA01, its files written, the configuration naming `enquete.csv` with `survey`.
fn region_with_survey(survey: &str) -> Region {
    let region = Region::new("2023-12-31")
        .alumnus("P1", "97XA01", "havo", "2022-07-01")
        .enrolled("P1", "21HB", "hbo", "34001", "2022-09-01", "");
    let config = region.write();
    edit_config(
        &config,
        "[privacy]",
        "survey = \"enquete.csv\"\n\n[privacy]",
    );
    std::fs::write(config.parent().unwrap().join("enquete.csv"), survey).unwrap();
    region
}

#[test]
fn survey_answers_are_counted_per_unit_and_bad_rows_rejected() {
    // Cohort 2022: three havo respondents and one without afdeling at 97XA01; line 6 has a score
    // of 7 and is rejected whole.
    let region = region_with_survey(
        "cohort,school,afdeling,respondent,voorbereid,tevreden\n\
         2022,97XA01,havo,1,4,2\n\
         2022,97XA01,havo,2,5,\n\
         2022,97XA01,havo,3,1,4\n\
         2022,97XA01,,4,2,5\n\
         2022,97XA01,havo,5,7,5\n",
    );
    let out = region.run();
    assert_eq!(out.status, 0, "{}", out.stderr);
    let rows = read_indicators(&out.dir.join("out/warehouse/indicators_enquete.csv"));
    let got: BTreeMap<(String, String), (i64, i64)> = rows
        .iter()
        .filter(|(k, _)| k.0 == 2022 && k.1 == "enquete" && k.3 == 1)
        .map(|(k, r)| ((k.5.clone(), k.6.clone()), (r.numerator, r.denominator)))
        .collect();
    let expected: BTreeMap<(String, String), (i64, i64)> = [
        // voorbereid: 4, 5, 1 (havo) and 2 (none); tevreden: 2, 4 (havo) and 5 (none).
        (("regio", "enquete:voorbereid"), (2, 4)),
        (("regio", "enquete:tevreden"), (2, 3)),
        (("97XA01", "enquete:voorbereid"), (2, 4)),
        (("97XA01", "enquete:tevreden"), (2, 3)),
        (("97XA01:havo", "enquete:voorbereid"), (2, 3)),
        (("97XA01:havo", "enquete:tevreden"), (1, 2)),
        (("97XA01:", "enquete:voorbereid"), (0, 1)),
        (("97XA01:", "enquete:tevreden"), (1, 1)),
    ]
    .into_iter()
    .map(|((u, i), v)| ((u.to_string(), i.to_string()), v))
    .collect();
    assert_eq!(got, expected);
    assert!(out.rows.keys().all(|k| k.1 != "enquete"));

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.dir.join("out/manifest.json")).unwrap()).unwrap();
    let entry = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "survey")
        .expect("the survey in the manifest");
    assert_eq!(
        (&entry["rows_read"], &entry["loaded"], &entry["rejected"]),
        (&5.into(), &4.into(), &1.into())
    );
    let rejects = read_table(&out.dir.join("out/rejects/survey.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], "6");
    assert_eq!(rejects[0]["column"], "voorbereid");
    assert_eq!(rejects[0]["rule"], "value.likert");
}

#[test]
fn a_survey_missing_its_school_column_stops_the_run() {
    let out = region_with_survey("cohort,voorbereid\n2022,4\n").run();
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("enquete.csv") && out.stderr.contains("school"));
    assert!(out.stderr.contains("file.missing_column"));
    assert!(!out.dir.join("out/site").exists());
}

#[test]
fn the_demo_survey_is_published_as_counted_from_the_raw_file() {
    let dir = run_demo();
    let demo = dir.path().join("data/demo");
    // Agreeing (4 or 5) and answering, per (cohort, school, item), from the raw file; the demo's
    // one bad row (a 7) is left out whole.
    let raw = std::fs::read_to_string(demo.join("enquete.csv")).unwrap();
    let mut lines = raw.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let mut counted: BTreeMap<(String, String, String), (i64, i64)> = BTreeMap::new();
    for line in lines {
        let f: Vec<&str> = line.split(';').collect();
        if f[4..]
            .iter()
            .any(|s| !s.is_empty() && !("1"..="5").contains(s))
        {
            continue;
        }
        for (item, score) in header[4..].iter().zip(&f[4..]) {
            if score.is_empty() {
                continue;
            }
            let key = (
                f[0].to_string(),
                f[1].to_string(),
                format!("enquete:{item}"),
            );
            let c = counted.entry(key).or_default();
            c.0 += i64::from(*score >= "4");
            c.1 += 1;
        }
    }
    let site = read_table(&dir.path().join("out/site/data/indicators.csv"));
    let schools: Vec<_> = site
        .iter()
        .filter(|r| r["cohort_basis"] == "enquete" && r["unit_type"] == "school")
        .collect();
    assert!(!schools.is_empty());
    let mut published = 0;
    for r in schools {
        let key = (
            r["cohort"].clone(),
            r["unit_id"].clone(),
            r["indicator"].clone(),
        );
        let (agree, answered) = counted.get(&key).copied().unwrap_or_default();
        if r["suppressed"] == "false" {
            published += 1;
            assert_eq!(
                (r["numerator"].as_str(), r["denominator"].as_str()),
                (agree.to_string().as_str(), answered.to_string().as_str()),
                "{key:?}"
            );
        } else {
            assert!(r["numerator"].is_empty() && r["value"].is_empty());
        }
    }
    assert!(published > 0);
    let page = std::fs::read_to_string(dir.path().join("out/site/schools/90AA00.html")).unwrap();
    assert!(page.contains("Alumni-enquête") && page.contains("goed voorbereid op studiekeuze"));
    assert_status(
        &crate::region::doorstroom_in(dir.path(), &["audit", "out/site"]),
        0,
    );
}
