//! The receiving partners' view: the instroom cohort basis (definitions.md §6) per sector,
//! instelling and opleiding in the shared bundle, a page per institution whose programme table
//! shows the published numbers, and a partner bundle for a receiving institution that holds
//! nothing of another.

use std::collections::BTreeSet;

use crate::region::{assert_status, doorstroom_in, read_table as read, run_demo, site_texts};

#[test]
fn institutions_get_their_instroom_cohorts_and_a_partner_bundle_of_their_own() {
    let dir = run_demo();
    let site = dir.path().join("out/site");
    let bundle = read(&site.join("data/indicators.csv"));
    let instroom: Vec<_> = bundle
        .iter()
        .filter(|r| r["cohort_basis"] == "instroom")
        .collect();
    let types: BTreeSet<&str> = instroom.iter().map(|r| r["unit_type"].as_str()).collect();
    assert_eq!(types, BTreeSet::from(["instelling", "opleiding", "sector"]));
    let institutions: BTreeSet<&str> = instroom
        .iter()
        .filter(|r| r["unit_type"] == "instelling")
        .map(|r| r["unit_id"].as_str())
        .collect();
    let overview = std::fs::read_to_string(site.join("receiving.html")).unwrap();
    for brin in &institutions {
        assert!(
            overview.contains(&format!("instellingen&#x2F;{brin}.html")),
            "{brin}"
        );
        assert!(site.join(format!("instellingen/{brin}.html")).is_file());
    }

    // 21HA's programmes: one row each, and each cell is the bundle's jaar1_uitval for that
    // programme and cohort (uitval_onderwijs is that one outcome): its rate and the cohort's size,
    // or the marker where suppressed.
    let page = std::fs::read_to_string(site.join("instellingen/21HA.html")).unwrap();
    let table = page
        .split("<h2>Opleidingen</h2>")
        .nth(1)
        .expect("programmes");
    let programmes: BTreeSet<&str> = instroom
        .iter()
        .filter(|r| r["unit_type"] == "opleiding" && r["unit_id"].starts_with("21HA:"))
        .map(|r| r["unit_id"].as_str())
        .collect();
    assert!(programmes.len() >= 3);
    assert_eq!(table.matches("<tr><td>").count(), programmes.len());
    for programme in &programmes {
        let line = table
            .split("<tr><td>")
            .find(|l| l.starts_with(programme))
            .and_then(|l| l.split("</tr>").next())
            .unwrap_or_else(|| panic!("{programme} not in the table"));
        let mut cells: Vec<String> = Vec::new();
        for r in instroom.iter().filter(|r| {
            r["unit_id"] == *programme
                && r["indicator"] == "jaar1_uitval"
                && r["cohort_window"] == "1"
        }) {
            cells.push(if r["suppressed"] == "true" {
                "&lt;5".to_string()
            } else {
                let (n, d): (f64, f64) = (
                    r["numerator"].parse().unwrap(),
                    r["denominator"].parse().unwrap(),
                );
                format!("{:.0}%<small>n = {d}</small>", 100.0 * n / d)
            });
        }
        let shown: Vec<String> = line
            .split("</td>")
            .skip(1)
            .filter_map(|c| c.split_once('>').map(|(_, text)| text.to_string()))
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(shown, cells, "{programme}");
    }

    // A receiving institution's own bundle: the region's totals, the sectors, itself and its
    // programmes; no other institution, no school.
    assert_status(
        &doorstroom_in(dir.path(), &["publish", "--partner", "21ha"]),
        0,
    );
    let partner = dir.path().join("out/partners/21HA/site");
    let rows = read(&partner.join("data/indicators.csv"));
    let units: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["unit_type"].clone(),
                r["unit_id"].split(':').next().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("regio", "regio"),
        ("sector", "HO"),
        ("sector", "MBO"),
        ("sector", "VO"),
        ("instelling", "21HA"),
        ("opleiding", "21HA"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(units, expected);
    for (path, text) in site_texts(&partner) {
        for other in institutions.iter().filter(|b| **b != "21HA") {
            assert!(!text.contains(other), "{other} in {}", path.display());
        }
        assert!(!text.contains("90AA00"), "a school in {}", path.display());
    }
    assert_status(
        &doorstroom_in(dir.path(), &["audit", "out/partners/21HA/site"]),
        0,
    );
}
