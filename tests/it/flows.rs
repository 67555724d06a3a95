//! The flows page (`site/flows.html`, `data/flows.csv`): where each unit's alumni went on 1 October,
//! as a Sankey diagram per region and school, and per school on to the institutions. On the demo its
//! counts are checked against the warehouse's unsuppressed indicator rows (bestemming_*, and alumni
//! minus instroom_direct), its suppressed destinations against the published bundle; on a
//! hand-counted region the destinations per institution are checked against counts made by hand.

use std::collections::BTreeMap;

use crate::region::{
    assert_status, copy_demo, doorstroom_in, edit_config, read_indicators, read_table, run_demo,
    Region,
};

#[test]
fn the_flows_show_published_destinations_and_hide_the_rest() {
    let dir = run_demo();
    let out = dir.path().join("out");
    let truth = read_indicators(&out.join("warehouse/indicators.csv"));
    let bundle = read_table(&out.join("site/data/indicators.csv"));
    let published = |cohort: &str, unit_type: &str, unit_id: &str, indicator: &str| {
        bundle
            .iter()
            .find(|r| {
                r["cohort"] == cohort
                    && r["cohort_basis"] == "diploma"
                    && r["inflow_basis"].is_empty()
                    && r["cohort_window"] == "1"
                    && r["unit_type"] == unit_type
                    && r["unit_id"] == unit_id
                    && r["indicator"] == indicator
            })
            .map(|r| r["suppressed"] == "false")
    };
    let flows = read_table(&out.join("site/data/flows.csv"));
    assert!(flows.iter().any(|r| r["unit_type"] == "regio"));
    assert!(flows.iter().any(|r| r["unit_type"] == "school"));
    let flows_truth = read_indicators(&out.join("warehouse/indicators_flows.csv"));
    let mut units_seen = BTreeMap::new();
    let mut institutions_seen = 0;
    for r in &flows {
        let (cohort, unit_type, unit_id) = (&r["cohort"], &r["unit_type"], &r["unit_id"]);
        let key = |indicator: &str| {
            (
                cohort.parse::<i32>().unwrap(),
                "diploma".to_string(),
                String::new(),
                1u8,
                unit_type.clone(),
                unit_id.clone(),
                indicator.to_string(),
            )
        };
        let direct = &truth[&key("instroom_direct")];
        // Only unit-cohorts whose direct inflow is published.
        assert_eq!(
            published(cohort, unit_type, unit_id, "instroom_direct"),
            Some(true)
        );
        assert_eq!(r["alumni"], direct.denominator.to_string());
        assert_eq!(r["direct"], direct.numerator.to_string());
        let destination = r["destination"].as_str();
        if !r["instelling"].is_empty() {
            // An institution: its count as the warehouse has it, or suppressed as in the bundle.
            let indicator = format!("bestemming_{destination}:{}", r["instelling"]);
            assert_eq!(unit_type, "regio", "{r:?}");
            let truth = flows_truth[&key(&indicator)].numerator;
            assert!(truth > 0, "{r:?}");
            match published(cohort, unit_type, unit_id, &indicator) {
                Some(true) => assert_eq!(r["alumni_count"], truth.to_string(), "{r:?}"),
                Some(false) => assert!(r["alumni_count"].is_empty(), "{r:?}"),
                None => panic!("{r:?} not in the bundle"),
            }
            institutions_seen += 1;
            continue;
        }
        let expected = if destination == "geen" {
            Some(direct.denominator - direct.numerator)
        } else {
            let indicator = format!("bestemming_{destination}");
            match published(cohort, unit_type, unit_id, &indicator) {
                Some(true) => Some(truth.get(&key(&indicator)).map_or(0, |t| t.numerator)),
                _ => None,
            }
        };
        match expected {
            Some(n) => {
                assert_eq!(r["alumni_count"], n.to_string(), "{r:?}");
                assert_eq!(r["suppressed"], "false");
            }
            None => {
                assert!(r["alumni_count"].is_empty(), "{r:?}");
                assert_eq!(r["suppressed"], "true");
            }
        }
        *units_seen
            .entry((unit_type.clone(), unit_id.clone()))
            .or_insert(0) += 1;
    }
    // Six destinations per unit-cohort: wo, hbo, mbo, vo, vavo and none.
    assert!(units_seen.values().all(|n| n % 6 == 0));
    assert!(institutions_seen > 0);

    // One diagram (inline SVG with its PNG) per unit with a published cohort.
    let page = std::fs::read_to_string(out.join("site/flows.html")).unwrap();
    assert_eq!(page.matches("<svg").count(), units_seen.len());
    for i in 1..=units_seen.len() {
        let png = out.join(format!("site/charts/flows-{i}.png"));
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    }
    // The region's latest cohort, drawn with its published counts.
    let latest = flows
        .iter()
        .filter(|r| r["unit_type"] == "regio")
        .map(|r| r["cohort"].clone())
        .max()
        .unwrap();
    let mbo = flows
        .iter()
        .find(|r| r["unit_type"] == "regio" && r["cohort"] == latest && r["destination"] == "mbo")
        .unwrap();
    assert!(page.contains(&format!("mbo {} (", mbo["alumni_count"])));
}

/// Region: school 97XA01 (havo), 33 alumni of cohort 2020 — 12 at 21HA (one of them also at 25MA
/// in mbo: hbo ranks first, definitions.md §2), 8 at 21HB, 2 at 21HC, 6 at 25MA (mbo), 5 nowhere;
/// school 97XB01 (vwo), 20 alumni — 15 at 21WA (wo), 5 at 21HA.
fn hand_counted_region(flows: &str) -> crate::region::Outcome {
    let mut r = Region::new("2021-10-01");
    let mut n = 0;
    let mut add = |r: Region, school: &str, niveau: &str, at: Option<(&str, &str)>| {
        n += 1;
        let person = format!("P{n:03}");
        let r = r.alumnus(&person, school, niveau, "2020-06-30");
        match at {
            Some((brin, sector)) => r.enrolled(&person, brin, sector, "100", "2020-09-01", ""),
            None => r,
        }
    };
    // (school, niveau, where on 1 October 2020, how many).
    type Group<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>, usize);
    let groups: [Group; 7] = [
        ("97XA01", "havo", Some(("21HA", "hbo")), 12),
        ("97XA01", "havo", Some(("21HB", "hbo")), 8),
        ("97XA01", "havo", Some(("21HC", "hbo")), 2),
        ("97XA01", "havo", Some(("25MA", "mbo")), 6),
        ("97XA01", "havo", None, 5),
        ("97XB01", "vwo", Some(("21WA", "wo")), 15),
        ("97XB01", "vwo", Some(("21HA", "hbo")), 5),
    ];
    for (school, niveau, at, count) in groups {
        for _ in 0..count {
            r = add(r, school, niveau, at);
        }
    }
    // P001 (at 21HA) is also enrolled in mbo at 25MA on the same peildatum.
    r = r.enrolled("P001", "25MA", "mbo", "200", "2020-08-15", "");
    let config = r.write();
    edit_config(
        &config,
        "key_file = \"sleutel.bin\"\n",
        &format!("key_file = \"sleutel.bin\"\ninstitution_flows = \"{flows}\"\n"),
    );
    let o = r.run();
    o.assert_ok();
    o
}

/// Warehouse flow rows (unit id, indicator) → (numerator, denominator), as counted by hand.
fn warehouse_rows(rows: &[(&str, &str, i64, i64)]) -> BTreeMap<(String, String), (i64, i64)> {
    rows.iter()
        .map(|(s, i, n, d)| ((s.to_string(), i.to_string()), (*n, *d)))
        .collect()
}

/// The institution rows of the site's flows.csv, (unit id, destination, instelling) → count; every
/// one of them published.
fn shown_institutions(o: &crate::region::Outcome) -> BTreeMap<(String, String, String), String> {
    read_table(&o.dir.join("out/site/data/flows.csv"))
        .iter()
        .filter(|r| !r["instelling"].is_empty())
        .map(|r| {
            assert_eq!(r["suppressed"], "false", "{r:?}");
            let key = (
                r["unit_id"].clone(),
                r["destination"].clone(),
                r["instelling"].clone(),
            );
            (key, r["alumni_count"].clone())
        })
        .collect()
}

/// Expected site rows (unit id, destination, instelling, count), as counted by hand.
fn institution_rows(
    rows: &[(&str, &str, &str, &str)],
) -> BTreeMap<(String, String, String), String> {
    rows.iter()
        .map(|(u, d, i, n)| ((u.to_string(), d.to_string(), i.to_string()), n.to_string()))
        .collect()
}

/// The demo run with `[privacy] institution_flows` set; the run audits its bundle before it
/// writes anything (exit 1 if the audit refuses).
fn run_demo_with_flows(setting: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_demo(&dir.path().join("data/demo"));
    edit_config(
        &dir.path().join("data/demo/doorstroom.toml"),
        "[privacy]\n",
        &format!("[privacy]\ninstitution_flows = \"{setting}\"\n"),
    );
    assert_status(&doorstroom_in(dir.path(), &["run"]), 0);
    dir
}

#[test]
fn destinations_per_institution_are_counted_for_the_region_with_the_small_ones_together() {
    let o = hand_counted_region("region");
    // The region's 53 alumni: hbo 21HA 12 + 5 = 17, 21HB 8, 21HC 2; mbo 25MA 6; wo 21WA 15.
    // 21HC (2) is below 5, so it is counted together; 2 alone is still a small count, so the next
    // smallest, 21HB (8), joins it: `overig` 10. The same per school, each on its own: 97XA01's
    // hbo is 21HA 12 and `overig` 10 (21HC 2 + 21HB 8) of 33; 97XB01's are all 5 or more.
    // indicators.parquet keeps definitions.md's indicators.
    let truth = read_indicators(&o.dir.join("out/warehouse/indicators_flows.csv"));
    let got: BTreeMap<(String, String), (i64, i64)> = truth
        .iter()
        .map(|(k, r)| ((k.5.clone(), k.6.clone()), (r.numerator, r.denominator)))
        .collect();
    let want = warehouse_rows(&[
        ("regio", "bestemming_hbo:21HA", 17, 53),
        ("regio", "bestemming_hbo:overig", 10, 53),
        ("regio", "bestemming_mbo:25MA", 6, 53),
        ("regio", "bestemming_wo:21WA", 15, 53),
        ("97XA01", "bestemming_hbo:21HA", 12, 33),
        ("97XA01", "bestemming_hbo:overig", 10, 33),
        ("97XA01", "bestemming_mbo:25MA", 6, 33),
        ("97XB01", "bestemming_hbo:21HA", 5, 20),
        ("97XB01", "bestemming_wo:21WA", 15, 20),
    ]);
    assert_eq!(got, want);
    assert!(truth.keys().all(|k| k.0 == 2020));
    assert!(o.rows.keys().all(|k| !k.6.contains(':')));

    // The site shows each of them with its count (none is small), under its destination.
    let site = o.dir.join("out/site");
    let flows = read_table(&site.join("data/flows.csv"));
    let institutions: BTreeMap<(String, String), String> = flows
        .iter()
        .filter(|r| !r["instelling"].is_empty())
        .map(|r| {
            // By default the region's only (`[privacy] institution_flows`).
            assert_eq!(r["unit_type"], "regio", "{r:?}");
            assert_eq!(r["suppressed"], "false", "{r:?}");
            (
                (r["destination"].clone(), r["instelling"].clone()),
                r["alumni_count"].clone(),
            )
        })
        .collect();
    let shown: BTreeMap<(String, String), String> = [
        ("hbo", "21HA", "17"),
        ("hbo", "overig", "10"),
        ("mbo", "25MA", "6"),
        ("wo", "21WA", "15"),
    ]
    .iter()
    .map(|(d, i, n)| ((d.to_string(), i.to_string()), n.to_string()))
    .collect();
    assert_eq!(institutions, shown);
    let page = std::fs::read_to_string(site.join("flows.html")).unwrap();
    assert!(page.contains("21HA 17 (32%)"), "17 of 53 drawn");
    assert!(page.contains("andere instellingen (samen) 10 (19%)"));
    assert!(
        page.contains("<tr class=\"institution\"><td>andere instellingen (samen)</td><td>10</td>")
    );
    // 21HB and 21HC have no destination row of their own anywhere on the site (they do have their
    // own instroom cohorts on the receiving partners' pages).
    for (path, text) in crate::region::site_texts(&site) {
        assert!(
            !text.contains(":21HB") && !text.contains(":21HC"),
            "{}",
            path.display()
        );
    }
    assert!(!page.contains("21HB") && !page.contains("21HC"));
}

#[test]
fn with_institution_flows_per_school_each_school_goes_on_to_its_institutions() {
    let o = hand_counted_region("schools");
    let got = shown_institutions(&o);
    // The counts of the warehouse test above, per school; none for the region.
    let want = institution_rows(&[
        ("97XA01", "hbo", "21HA", "12"),
        ("97XA01", "hbo", "overig", "10"),
        ("97XA01", "mbo", "25MA", "6"),
        ("97XB01", "hbo", "21HA", "5"),
        ("97XB01", "wo", "21WA", "15"),
    ]);
    assert_eq!(got, want);
    let page = std::fs::read_to_string(o.dir.join("out/site/flows.html")).unwrap();
    assert!(page.contains("21HA 12 (36%)"), "12 of 33 drawn");
    assert!(page.contains("per school (de drie"));
}

#[test]
fn the_demo_publishes_institution_flows_per_school_when_asked() {
    let dir = run_demo_with_flows("schools");
    let flows = read_table(&dir.path().join("out/site/data/flows.csv"));
    let institutions: Vec<_> = flows
        .iter()
        .filter(|r| !r["instelling"].is_empty())
        .collect();
    assert!(institutions.iter().all(|r| r["unit_type"] == "school"));
    assert!(institutions.iter().any(|r| r["suppressed"] == "false"));
}

#[test]
fn with_institution_flows_both_the_schools_take_the_regions_institutions_and_sum_to_it() {
    let o = hand_counted_region("both");
    // The region's rows as counted above (21HA 17, `overig` 10 = 21HB 8 + 21HC 2, 25MA 6, 21WA 15).
    // Each school takes exactly these institutions, with a 0 where it sent nobody: 97XA01 (33)
    // 21HA 12, overig 10, 25MA 6, 21WA 0; 97XB01 (20) 21HA 5, overig 0, 25MA 0, 21WA 15.
    let truth = read_indicators(&o.dir.join("out/warehouse/indicators_flows.csv"));
    let got: BTreeMap<(String, String), (i64, i64)> = truth
        .iter()
        .map(|(k, r)| ((k.5.clone(), k.6.clone()), (r.numerator, r.denominator)))
        .collect();
    let want = warehouse_rows(&[
        ("regio", "bestemming_hbo:21HA", 17, 53),
        ("regio", "bestemming_hbo:overig", 10, 53),
        ("regio", "bestemming_mbo:25MA", 6, 53),
        ("regio", "bestemming_wo:21WA", 15, 53),
        ("97XA01", "bestemming_hbo:21HA", 12, 33),
        ("97XA01", "bestemming_hbo:overig", 10, 33),
        ("97XA01", "bestemming_mbo:25MA", 6, 33),
        ("97XA01", "bestemming_wo:21WA", 0, 33),
        ("97XB01", "bestemming_hbo:21HA", 5, 20),
        ("97XB01", "bestemming_hbo:overig", 0, 20),
        ("97XB01", "bestemming_mbo:25MA", 0, 20),
        ("97XB01", "bestemming_wo:21WA", 15, 20),
    ]);
    assert_eq!(got, want);

    // The site: the region's and both schools' institutions, those a school sent nobody to left
    // out of the page's table.
    let got = shown_institutions(&o);
    let want = institution_rows(&[
        ("regio", "hbo", "21HA", "17"),
        ("regio", "hbo", "overig", "10"),
        ("regio", "mbo", "25MA", "6"),
        ("regio", "wo", "21WA", "15"),
        ("97XA01", "hbo", "21HA", "12"),
        ("97XA01", "hbo", "overig", "10"),
        ("97XA01", "mbo", "25MA", "6"),
        ("97XB01", "hbo", "21HA", "5"),
        ("97XB01", "wo", "21WA", "15"),
    ]);
    assert_eq!(got, want);
    let page = std::fs::read_to_string(o.dir.join("out/site/flows.html")).unwrap();
    assert!(page.contains("voor de regio en per school"));
    assert!(page.contains("21HA 17 (32%)") && page.contains("21HA 12 (36%)"));
}

#[test]
fn the_demo_publishes_institution_flows_for_the_region_and_the_schools_when_asked() {
    let dir = run_demo_with_flows("both");
    // In the warehouse (true counts): every school with alumni in a cohort has a row for each of
    // the region's institution rows of that cohort, and the schools' rows sum to the region's.
    let truth = read_indicators(&dir.path().join("out/warehouse/indicators_flows.csv"));
    let region: BTreeMap<(i32, String), i64> = truth
        .iter()
        .filter(|(k, _)| k.4 == "regio")
        .map(|(k, r)| ((k.0, k.6.clone()), r.numerator))
        .collect();
    let mut schools: BTreeMap<(i32, String), (i64, usize)> = BTreeMap::new();
    for (k, r) in truth.iter().filter(|(k, _)| k.4 == "school") {
        let sum = schools.entry((k.0, k.6.clone())).or_default();
        sum.0 += r.numerator;
        sum.1 += 1;
    }
    let alumni = read_indicators(&dir.path().join("out/warehouse/indicators.csv"));
    for (key, n) in &region {
        let per_cohort = alumni
            .keys()
            .filter(|k| k.0 == key.0 && k.4 == "school" && k.6 == "bestemming_hbo")
            .filter(|k| k.1 == "diploma" && k.2.is_empty() && k.3 == 1)
            .count();
        assert_eq!(schools.get(key), Some(&(*n, per_cohort)), "{key:?}");
    }
    assert_eq!(schools.len(), region.len());
    let flows = read_table(&dir.path().join("out/site/data/flows.csv"));
    for unit_type in ["regio", "school"] {
        assert!(flows
            .iter()
            .any(|r| !r["instelling"].is_empty() && r["unit_type"] == unit_type));
    }
}
