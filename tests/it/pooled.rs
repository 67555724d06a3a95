//! Three-cohort pooled figures for small units (`[privacy] pool_below`, formats.md §3): which units
//! get them, that they are the sums of their single cohorts, and that their pages show them. The
//! expectations come from the warehouse's single-cohort rows and the windows as formats.md lists
//! them (2019–2021, 2022–2024), not from the pooling code.

use std::collections::{BTreeMap, BTreeSet};

use crate::region::{edit_config, read_indicators, read_table, run_config, run_demo};

/// The demo's complete windows, by last cohort, written out by hand.
const WINDOWS: [(i32, [i32; 3]); 2] = [(2021, [2019, 2020, 2021]), (2024, [2022, 2023, 2024])];

#[test]
fn small_units_get_pooled_windows_that_sum_their_single_cohorts() {
    let dir = run_demo();
    let out = dir.path().join("out");
    let warehouse = read_indicators(&out.join("warehouse/indicators.csv"));
    let single = |cohort: i32, inflow: &str, unit_type: &str, unit_id: &str, indicator: &str| {
        warehouse.get(&(
            cohort,
            "diploma".to_string(),
            inflow.to_string(),
            1,
            unit_type.to_string(),
            unit_id.to_string(),
            indicator.to_string(),
        ))
    };

    // Expected: every school and afdeling with fewer than 3 × 20 alumni in a window.
    let units: BTreeSet<(String, String)> = warehouse
        .keys()
        .filter(|k| k.1 == "diploma" && (k.4 == "school" || k.4 == "afdeling"))
        .map(|k| (k.4.clone(), k.5.clone()))
        .collect();
    let mut expected = BTreeSet::new();
    for (unit_type, unit_id) in &units {
        for (end, cohorts) in WINDOWS {
            let alumni: i64 = cohorts
                .iter()
                .filter_map(|&c| single(c, "", unit_type, unit_id, "instroom_direct"))
                .map(|r| r.denominator)
                .sum();
            if alumni < 60 {
                expected.insert((unit_type.clone(), unit_id.clone(), end));
            }
        }
    }
    assert!(!expected.is_empty(), "the demo has small afdelingen");

    let site = read_table(&out.join("site/data/indicators.csv"));
    let pooled: Vec<_> = site.iter().filter(|r| r["cohort_window"] == "3").collect();
    let got: BTreeSet<(String, String, i32)> = pooled
        .iter()
        .map(|r| {
            (
                r["unit_type"].clone(),
                r["unit_id"].clone(),
                r["cohort"].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);

    // Every published pooled count is the sum of the unit's three single cohorts.
    let mut shown = 0;
    for r in pooled.iter().filter(|r| r["suppressed"] == "false") {
        let end: i32 = r["cohort"].parse().unwrap();
        let (mut n, mut d) = (0, 0);
        for c in end - 2..=end {
            if let Some(s) = single(
                c,
                &r["inflow_basis"],
                &r["unit_type"],
                &r["unit_id"],
                &r["indicator"],
            ) {
                n += s.numerator;
                d += s.denominator;
            }
        }
        assert_eq!(
            (
                r["numerator"].parse::<i64>().unwrap(),
                r["denominator"].parse::<i64>().unwrap()
            ),
            (n, d),
            "{r:?}"
        );
        shown += 1;
    }
    assert!(shown > 0, "some pooled figures are published");

    // The page of a pooled afdeling shows the window's table with a published pooled count.
    let by_unit: BTreeMap<&str, Vec<&&BTreeMap<String, String>>> =
        pooled.iter().fold(BTreeMap::new(), |mut m, r| {
            m.entry(r["unit_id"].as_str()).or_default().push(r);
            m
        });
    let (unit_id, rows) = by_unit
        .iter()
        .find(|(_, rows)| {
            rows.iter().any(|r| {
                r["suppressed"] == "false"
                    && r["indicator"] == "bestemming_mbo"
                    && r["unit_type"] == "afdeling"
            })
        })
        .expect("a pooled afdeling with a published bestemming_mbo");
    let page = std::fs::read_to_string(
        out.join("site/afdelingen")
            .join(format!("{}.html", unit_id.replace(':', "-"))),
    )
    .unwrap()
    .replace("&#x2F;", "/");
    assert!(page.contains("Drie cohorten samen"), "{unit_id}");
    let r = rows
        .iter()
        .find(|r| r["suppressed"] == "false" && r["indicator"] == "bestemming_mbo")
        .unwrap();
    let end: i32 = r["cohort"].parse().unwrap();
    assert!(page.contains(&format!("<th>{}–{end}</th>", end - 2)));
    assert!(page.contains(&format!("{}/{}", r["numerator"], r["denominator"])));
}

#[test]
fn pool_below_zero_publishes_no_pooled_rows() {
    let dir = tempfile::tempdir().unwrap();
    crate::region::copy_demo(dir.path());
    let config = dir.path().join("doorstroom.toml");
    edit_config(&config, "[privacy]", "[privacy]\npool_below = 0");
    crate::region::assert_status(&run_config(&config), 0);
    let site = read_table(&dir.path().join("out/site/data/indicators.csv"));
    assert!(!site.is_empty());
    assert!(site.iter().all(|r| r["cohort_window"] == "1"));
}
