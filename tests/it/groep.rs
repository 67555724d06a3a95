//! The school's own `groep` (formats.md §1) as a breakdown: `warehouse/indicators_groep.*` beside
//! the §7 table (which keeps its units), groepen only in the cohorts a school grouped, the bundle's
//! groep rows protected like every other, and the school page showing them. Expected values are
//! counted by hand or from the raw input file, not from the code's grouping.

use std::collections::BTreeMap;

use crate::region::{read_indicators, read_table, run_demo, Region};

#[test]
fn groepen_split_a_school_in_the_cohorts_it_grouped() {
    let region = Region::new("2023-12-31")
        .enrolled("P1", "21HB", "hbo", "34001", "2021-09-01", "")
        .enrolled("P3", "25MB", "mbo", "25001", "2021-09-01", "")
        .enrolled("P4", "21WO", "wo", "56001", "2021-09-01", "")
        .enrolled("P5", "21HB", "hbo", "34001", "2022-09-01", "");
    let config = region.write();
    let dir = config.parent().unwrap();
    // Cohort 2021 is grouped (P4 has no groep: "zonder groep"); cohort 2022 is not.
    std::fs::write(
        dir.join("gediplomeerden.csv"),
        "persoon_id,brin,vestiging,niveau,diplomadatum,groep\n\
         P1,97XA,01,havo,2021-07-01,A\n\
         P2,97XA,01,havo,2021-07-01, A \n\
         P3,97XA,01,havo,2021-07-01,B\n\
         P4,97XA,01,havo,2021-07-01,\n\
         P5,97XA,01,havo,2022-07-01,\n\
         P6,97XA,01,havo,2022-07-01,\n",
    )
    .unwrap();
    let out = region.run();
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.rows.keys().all(|k| k.4 != "groep"),
        "indicators.csv keeps the units of definitions.md §7"
    );
    let groep = read_indicators(&out.dir.join("out/warehouse/indicators_groep.csv"));
    assert!(out
        .dir
        .join("out/warehouse/indicators_groep.parquet")
        .exists());
    let direct: BTreeMap<(i32, String), (i64, i64)> = groep
        .iter()
        .filter(|(k, _)| k.6 == "instroom_direct" && k.3 == 1)
        .map(|(k, r)| ((k.0, k.5.clone()), (r.numerator, r.denominator)))
        .collect();
    // By hand: A = {P1 enters hbo, P2 (trimmed " A ") enters nothing}, B = {P3 mbo}, none = {P4 wo}.
    let expected: BTreeMap<(i32, String), (i64, i64)> = [
        ((2021, "97XA01:".to_string()), (1, 1)),
        ((2021, "97XA01:A".to_string()), (1, 2)),
        ((2021, "97XA01:B".to_string()), (1, 1)),
    ]
    .into();
    assert_eq!(direct, expected);
    assert!(groep.keys().all(|k| k.0 == 2021), "2022 was not grouped");
    let mbo = &groep[&(
        2021,
        "diploma".to_string(),
        String::new(),
        1,
        "groep".to_string(),
        "97XA01:B".to_string(),
        "bestemming_mbo".to_string(),
    )];
    assert_eq!((mbo.numerator, mbo.denominator), (1, 1));
}

#[test]
fn the_demo_groepen_count_the_input_and_are_protected_like_their_school() {
    let dir = run_demo();
    let out = dir.path().join("out");

    // LOB-plus alumni of Het Baken per diploma cohort, from the raw file (definitions.md §1: the
    // diploma year, plus one from October on).
    let mut lob: BTreeMap<i32, i64> = BTreeMap::new();
    for row in read_table(&dir.path().join("data/demo/gediplomeerden.csv")) {
        if row["groep"] != "LOB-plus" || row["persoon_id"].is_empty() {
            continue;
        }
        let date = &row["diplomadatum"];
        let (year, month): (i32, u32) = (date[..4].parse().unwrap(), date[5..7].parse().unwrap());
        *lob.entry(year + i32::from(month >= 10)).or_default() += 1;
    }
    assert!(
        lob.len() >= 3,
        "the demo's LOB programme runs several cohorts"
    );
    let groep = read_indicators(&out.join("warehouse/indicators_groep.csv"));
    let alumni: BTreeMap<i32, i64> = groep
        .iter()
        .filter(|(k, _)| k.5 == "90AA00:LOB-plus" && k.6 == "instroom_direct" && k.3 == 1)
        .map(|(k, r)| (k.0, r.denominator))
        .collect();
    assert_eq!(alumni, lob);

    // In every grouped cohort the groepen sum to the school, per indicator.
    let units = read_indicators(&out.join("warehouse/indicators.csv"));
    let mut sums: BTreeMap<_, (i64, i64)> = BTreeMap::new();
    for (k, r) in &groep {
        let mut school = k.clone();
        school.4 = "school".into();
        school.5 = k.5.split(':').next().unwrap().into();
        let s = sums.entry(school).or_default();
        s.0 += r.numerator;
        s.1 += r.denominator;
    }
    for (school, (num, den)) in &sums {
        let row = &units[school];
        if school.3 == 1 {
            assert_eq!((row.numerator, row.denominator), (*num, *den), "{school:?}");
        }
    }

    // Published: where one groep of a published school cell is hidden, another is too (else the
    // school minus the shown groepen gives it away); the page shows the groepen.
    let site = read_table(&out.join("site/data/indicators.csv"));
    let suppressed = |unit_type: &str, id: &str, r: &BTreeMap<String, String>| {
        site.iter()
            .find(|s| {
                s["unit_type"] == unit_type
                    && s["unit_id"] == id
                    && ["cohort", "inflow_basis", "cohort_window", "indicator"]
                        .iter()
                        .all(|c| s[*c] == r[*c])
            })
            .map(|s| s["suppressed"] == "true")
    };
    let groep_rows: Vec<_> = site.iter().filter(|r| r["unit_type"] == "groep").collect();
    assert!(groep_rows.iter().any(|r| r["suppressed"] == "false"));
    for r in &groep_rows {
        if r["suppressed"] != "true" {
            assert!(!r["numerator"].is_empty());
            continue;
        }
        assert!(r["numerator"].is_empty() && r["value"].is_empty());
        if suppressed("school", "90AA00", r) == Some(false) {
            let others = ["90AA00:", "90AA00:LOB-plus"]
                .iter()
                .filter(|id| **id != r["unit_id"])
                .filter(|id| suppressed("groep", id, r) == Some(true))
                .count();
            assert!(
                others > 0,
                "a lone hidden groep under a shown school: {r:?}"
            );
        }
    }
    let page = std::fs::read_to_string(out.join("site/schools/90AA00.html")).unwrap();
    assert!(page.contains("Per groep") && page.contains("Groep LOB-plus"));
    assert!(page.contains("zonder groep"));
    assert!(!out.join("site/afdelingen/90AA00-LOB-plus.html").exists());
}
