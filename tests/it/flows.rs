//! The flows page (`site/flows.html`, `data/flows.csv`): where each unit's alumni went on 1 October,
//! as a Sankey diagram per region and school, and per school on to the institutions. On the demo its
//! counts are checked against the warehouse's unsuppressed indicator rows (bestemming_*, and alumni
//! minus instroom_direct), its suppressed destinations against the published bundle; on a
//! hand-counted region the destinations per institution and programme are checked against counts
//! made by hand.

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
    let mut programmes_seen = 0;
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
            // An institution or programme: its count as the warehouse has it, or suppressed as in
            // the bundle.
            let indicator = match r["opleiding"].as_str() {
                "" => format!("bestemming_{destination}:{}", r["instelling"]),
                code => format!("bestemming_{destination}:{}:{code}", r["instelling"]),
            };
            programmes_seen += usize::from(!r["opleiding"].is_empty());
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
    assert!(institutions_seen > programmes_seen && programmes_seen > 0);

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
/// in mbo: hbo ranks first, definitions.md §2; programmes 34567 7, 34999 3, 35000 2), 8 at 21HB,
/// 2 at 21HC, 6 at 25MA (mbo, 25181), 5 nowhere; school 97XB01 (vwo), 20 alumni — 15 at 21WA (wo,
/// 50206), 5 at 21HA (34567 2, 34999 3). `settings` go under `[privacy]`.
fn hand_counted_region(settings: &str) -> crate::region::Outcome {
    let mut r = Region::new("2021-10-01");
    let mut n = 0;
    let mut add = |r: Region, school: &str, niveau: &str, at: Option<(&str, &str, &str)>| {
        n += 1;
        let person = format!("P{n:03}");
        let r = r.alumnus(&person, school, niveau, "2020-06-30");
        match at {
            Some((brin, sector, code)) => r.enrolled(&person, brin, sector, code, "2020-09-01", ""),
            None => r,
        }
    };
    // (school, niveau, where on 1 October 2020: brin, sector, programme; how many).
    type Group<'a> = (&'a str, &'a str, Option<(&'a str, &'a str, &'a str)>, usize);
    let groups: [Group; 10] = [
        ("97XA01", "havo", Some(("21HA", "hbo", "34567")), 7),
        ("97XA01", "havo", Some(("21HA", "hbo", "34999")), 3),
        ("97XA01", "havo", Some(("21HA", "hbo", "35000")), 2),
        ("97XA01", "havo", Some(("21HB", "hbo", "100")), 8),
        ("97XA01", "havo", Some(("21HC", "hbo", "100")), 2),
        ("97XA01", "havo", Some(("25MA", "mbo", "25181")), 6),
        ("97XA01", "havo", None, 5),
        ("97XB01", "vwo", Some(("21WA", "wo", "50206")), 15),
        ("97XB01", "vwo", Some(("21HA", "hbo", "34567")), 2),
        ("97XB01", "vwo", Some(("21HA", "hbo", "34999")), 3),
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
        &format!("key_file = \"sleutel.bin\"\n{settings}\n"),
    );
    r.run()
}

/// The hand-counted region with `[privacy] institution_flows` set, run to the end.
fn hand_counted_flows(flows: &str) -> crate::region::Outcome {
    let o = hand_counted_region(&format!("institution_flows = \"{flows}\""));
    o.assert_ok();
    o
}

/// Warehouse flow rows (unit id, indicator) → (numerator, denominator), as counted by hand.
fn warehouse_rows(rows: &[(&str, &str, i64, i64)]) -> BTreeMap<(String, String), (i64, i64)> {
    rows.iter()
        .map(|(s, i, n, d)| ((s.to_string(), i.to_string()), (*n, *d)))
        .collect()
}

/// The warehouse's flow rows (unit id, indicator) → (numerator, denominator); all of cohort 2020.
fn warehouse_flows(o: &crate::region::Outcome) -> BTreeMap<(String, String), (i64, i64)> {
    let truth = read_indicators(&o.dir.join("out/warehouse/indicators_flows.csv"));
    assert!(truth.keys().all(|k| k.0 == 2020));
    truth
        .iter()
        .map(|(k, r)| ((k.5.clone(), k.6.clone()), (r.numerator, r.denominator)))
        .collect()
}

/// The site's flows.csv rows below a destination: (unit id, destination, instelling, opleiding) →
/// count, empty where suppressed.
type Shown = BTreeMap<(String, String, String, String), String>;

fn shown_parts(o: &crate::region::Outcome) -> Shown {
    read_table(&o.dir.join("out/site/data/flows.csv"))
        .iter()
        .filter(|r| !r["instelling"].is_empty())
        .map(|r| {
            assert_eq!(r["alumni_count"].is_empty(), r["suppressed"] == "true");
            let key = (
                r["unit_id"].clone(),
                r["destination"].clone(),
                r["instelling"].clone(),
                r["opleiding"].clone(),
            );
            (key, r["alumni_count"].clone())
        })
        .collect()
}

/// Expected site rows (unit id, destination, instelling, opleiding, count), as counted by hand.
fn part_rows(rows: &[(&str, &str, &str, &str, &str)]) -> Shown {
    rows.iter()
        .map(|(u, d, i, p, n)| {
            let key = (u.to_string(), d.to_string(), i.to_string(), p.to_string());
            (key, n.to_string())
        })
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

/// The region's rows of the hand-counted region, each unit naming its own parts: 53 alumni, hbo
/// 21HA 12 + 5 = 17, 21HB 8, 21HC 2; mbo 25MA 6; wo 21WA 15. 21HC (2) is below 5, so it is counted
/// together; 2 alone is still a small count, so the next smallest, 21HB (8), joins it: `overig`
/// 10. 21HA's programmes: 34567 7 + 2 = 9, 34999 3 + 3 = 6, 35000 2: 35000 together, then 34999
/// joins it (`overig` 8). 25MA and 21WA have one programme each. `overig` is not split.
const REGION_ROWS: [(&str, &str, i64, i64); 8] = [
    ("regio", "bestemming_hbo:21HA", 17, 53),
    ("regio", "bestemming_hbo:21HA:34567", 9, 53),
    ("regio", "bestemming_hbo:21HA:overig", 8, 53),
    ("regio", "bestemming_hbo:overig", 10, 53),
    ("regio", "bestemming_mbo:25MA", 6, 53),
    ("regio", "bestemming_mbo:25MA:25181", 6, 53),
    ("regio", "bestemming_wo:21WA", 15, 53),
    ("regio", "bestemming_wo:21WA:50206", 15, 53),
];

/// The region's rows as the site shows them (none is small, so each has its count).
const REGION_SHOWN: [(&str, &str, &str, &str, &str); 8] = [
    ("regio", "hbo", "21HA", "", "17"),
    ("regio", "hbo", "21HA", "34567", "9"),
    ("regio", "hbo", "21HA", "overig", "8"),
    ("regio", "hbo", "overig", "", "10"),
    ("regio", "mbo", "25MA", "", "6"),
    ("regio", "mbo", "25MA", "25181", "6"),
    ("regio", "wo", "21WA", "", "15"),
    ("regio", "wo", "21WA", "50206", "15"),
];

#[test]
fn destinations_per_institution_are_counted_for_the_region_with_the_small_ones_together() {
    let o = hand_counted_flows("region");
    // The same per school, each on its own: 97XA01's hbo is 21HA 12 (34567 7; 34999 3 and 35000
    // 2 together, 5) and `overig` 10 (21HC 2 + 21HB 8) of 33; 97XB01's institutions are all 5 or
    // more, but its 21HA programmes (2 and 3) are all counted together, so 21HA is not split.
    // indicators.parquet keeps definitions.md's indicators.
    let mut want = warehouse_rows(&REGION_ROWS);
    want.extend(warehouse_rows(&[
        ("97XA01", "bestemming_hbo:21HA", 12, 33),
        ("97XA01", "bestemming_hbo:21HA:34567", 7, 33),
        ("97XA01", "bestemming_hbo:21HA:overig", 5, 33),
        ("97XA01", "bestemming_hbo:overig", 10, 33),
        ("97XA01", "bestemming_mbo:25MA", 6, 33),
        ("97XA01", "bestemming_mbo:25MA:25181", 6, 33),
        ("97XB01", "bestemming_hbo:21HA", 5, 20),
        ("97XB01", "bestemming_wo:21WA", 15, 20),
        ("97XB01", "bestemming_wo:21WA:50206", 15, 20),
    ]));
    assert_eq!(warehouse_flows(&o), want);
    assert!(o.rows.keys().all(|k| !k.6.contains(':')));

    // The site shows the region's (by default, `[privacy] institution_flows` and
    // `programme_flows`) with their counts (none is small), under their destination.
    let site = o.dir.join("out/site");
    assert_eq!(shown_parts(&o), part_rows(&REGION_SHOWN));
    let page = std::fs::read_to_string(site.join("flows.html")).unwrap();
    assert!(page.contains("21HA 17 (32%)"), "17 of 53 drawn");
    assert!(page.contains("andere instellingen (samen) 10 (19%)"));
    assert!(
        page.contains("<tr class=\"institution\"><td>andere instellingen (samen)</td><td>10</td>")
    );
    // The programmes: a fourth column (34567 drawn; the 8 together in the grey rest) and rows.
    assert!(page.contains("34567 9 (17%)"), "9 of 53 drawn");
    assert!(page.contains("<tr class=\"programme\"><td>34567</td><td>9</td>"));
    assert!(page.contains("<tr class=\"programme\"><td>andere opleidingen (samen)</td><td>8</td>"));
    assert!(page.contains("in welke opleidingen"));
    // 21HB and 21HC have no destination row of their own anywhere on the site (they do have their
    // own instroom cohorts on the receiving partners' pages), nor do 34999 and 35000.
    for (path, text) in crate::region::site_texts(&site) {
        for part in ["hbo:21HB", "hbo:21HC", "hbo:21HA:34999", "hbo:21HA:35000"] {
            assert!(!text.contains(part), "{part} in {}", path.display());
        }
    }
    assert!(!page.contains("21HB") && !page.contains("21HC") && !page.contains("34999"));
}

#[test]
fn with_institution_flows_per_school_each_school_goes_on_to_its_institutions() {
    let o = hand_counted_flows("schools");
    // The counts of the warehouse test above, per school; none for the region. The programmes
    // follow the institutions by default.
    let want = part_rows(&[
        ("97XA01", "hbo", "21HA", "", "12"),
        ("97XA01", "hbo", "21HA", "34567", "7"),
        ("97XA01", "hbo", "21HA", "overig", "5"),
        ("97XA01", "hbo", "overig", "", "10"),
        ("97XA01", "mbo", "25MA", "", "6"),
        ("97XA01", "mbo", "25MA", "25181", "6"),
        ("97XB01", "hbo", "21HA", "", "5"),
        ("97XB01", "wo", "21WA", "", "15"),
        ("97XB01", "wo", "21WA", "50206", "15"),
    ]);
    assert_eq!(shown_parts(&o), want);
    let page = std::fs::read_to_string(o.dir.join("out/site/flows.html")).unwrap();
    assert!(page.contains("21HA 12 (36%)"), "12 of 33 drawn");
    assert!(page.contains("per school (de drie"));
    assert!(page.contains("staat per school ook in welke opleidingen"));
}

#[test]
fn programme_flows_must_follow_published_institutions() {
    let o = hand_counted_region("institution_flows = \"region\"\nprogramme_flows = \"schools\"");
    assert_eq!(o.status, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("programme_flows = \"schools\"")
            && o.stderr.contains("institution_flows = \"region\""),
        "{}",
        o.stderr
    );
    assert!(!o.dir.join("out/site").exists());
    // `none` leaves the programmes out of the bundle (the warehouse keeps them).
    let o = hand_counted_region("programme_flows = \"none\"");
    o.assert_ok();
    assert!(shown_parts(&o).keys().all(|k| k.3.is_empty()));
    assert!(warehouse_flows(&o).contains_key(&("regio".into(), "bestemming_hbo:21HA:34567".into())));
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
    let o = hand_counted_flows("both");
    // The region's rows as counted above. Each school takes exactly these institutions and
    // programmes, with a 0 where it sent nobody: 97XA01 (33) 21HA 12 (34567 7, overig 3 + 2),
    // overig 10, 25MA 6 (25181 6), 21WA 0 (50206 0); 97XB01 (20) 21HA 5 (34567 2, overig 3),
    // overig 0, 25MA 0 (25181 0), 21WA 15 (50206 15).
    let mut want = warehouse_rows(&REGION_ROWS);
    want.extend(warehouse_rows(&[
        ("97XA01", "bestemming_hbo:21HA", 12, 33),
        ("97XA01", "bestemming_hbo:21HA:34567", 7, 33),
        ("97XA01", "bestemming_hbo:21HA:overig", 5, 33),
        ("97XA01", "bestemming_hbo:overig", 10, 33),
        ("97XA01", "bestemming_mbo:25MA", 6, 33),
        ("97XA01", "bestemming_mbo:25MA:25181", 6, 33),
        ("97XA01", "bestemming_wo:21WA", 0, 33),
        ("97XA01", "bestemming_wo:21WA:50206", 0, 33),
        ("97XB01", "bestemming_hbo:21HA", 5, 20),
        ("97XB01", "bestemming_hbo:21HA:34567", 2, 20),
        ("97XB01", "bestemming_hbo:21HA:overig", 3, 20),
        ("97XB01", "bestemming_hbo:overig", 0, 20),
        ("97XB01", "bestemming_mbo:25MA", 0, 20),
        ("97XB01", "bestemming_mbo:25MA:25181", 0, 20),
        ("97XB01", "bestemming_wo:21WA", 15, 20),
        ("97XB01", "bestemming_wo:21WA:50206", 15, 20),
    ]));
    assert_eq!(warehouse_flows(&o), want);

    // The site: the region's and both schools' institutions, those a school sent nobody to left
    // out of the page's table; the programmes by default of the region only.
    let mut want = part_rows(&REGION_SHOWN);
    want.extend(part_rows(&[
        ("97XA01", "hbo", "21HA", "", "12"),
        ("97XA01", "hbo", "overig", "", "10"),
        ("97XA01", "mbo", "25MA", "", "6"),
        ("97XB01", "hbo", "21HA", "", "5"),
        ("97XB01", "wo", "21WA", "", "15"),
    ]));
    assert_eq!(shown_parts(&o), want);
    let page = std::fs::read_to_string(o.dir.join("out/site/flows.html")).unwrap();
    assert!(page.contains("voor de regio en per school"));
    assert!(page.contains("21HA 17 (32%)") && page.contains("21HA 12 (36%)"));
}

#[test]
fn with_programme_flows_both_a_schools_small_programme_is_hidden_with_a_partner() {
    let o = hand_counted_region("institution_flows = \"both\"\nprogramme_flows = \"both\"");
    o.assert_ok();
    let shown = shown_parts(&o);
    let count = |unit: &str, brin: &str, code: &str| {
        shown[&(unit.into(), "hbo".into(), brin.into(), code.into())].clone()
    };
    // 97XB01's 21HA programmes are 2 and 3: suppressed. The region's 34567 (9) and 97XA01's (7)
    // would give 97XB01's 2 back; so one of them is hidden too, and likewise for `overig`
    // (8 = 5 + 3).
    assert_eq!(count("97XB01", "21HA", "34567"), "");
    assert_eq!(count("97XB01", "21HA", "overig"), "");
    assert!(
        count("regio", "21HA", "34567").is_empty() || count("97XA01", "21HA", "34567").is_empty()
    );
    assert!(
        count("regio", "21HA", "overig").is_empty() || count("97XA01", "21HA", "overig").is_empty()
    );
    // No shown count is small.
    assert!(shown
        .values()
        .all(|n| n.is_empty() || n.parse::<i64>().unwrap() >= 5));
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
