//! The site's sources page (`site/sources.html`, `site/data/sources.csv`): other sources beside
//! our published figures, with nothing of a suppressed cell, and a visible break where a source
//! changed its method.

use std::collections::BTreeMap;
use std::path::Path;

use crate::region::{assert_status, doorstroom_in, run_demo};

type Cells = BTreeMap<String, String>;

fn read(path: &Path) -> Vec<Cells> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Published rows of `site/data/indicators.csv` by (cohort, inflow basis, unit type, unit id,
/// indicator), diploma basis and single cohorts only.
fn site_rows(site: &Path) -> BTreeMap<(String, String, String, String, String), Cells> {
    read(&site.join("data/indicators.csv"))
        .into_iter()
        .filter(|r| r["cohort_basis"] == "diploma" && r["cohort_window"] == "1")
        .map(|r| {
            let key = (
                r["cohort"].clone(),
                r["inflow_basis"].clone(),
                r["unit_type"].clone(),
                r["unit_id"].clone(),
                r["indicator"].clone(),
            );
            (key, r)
        })
        .collect()
}

#[test]
fn the_sources_page_compares_published_figures_only_and_breaks_at_a_method_change() {
    let dir = run_demo();
    let site = dir.path().join("out/site");
    let shown = site_rows(&site);
    let rows = read(&site.join("data/sources.csv"));
    let figures: usize = ["duo_bestemming", "vensters", "nco", "regiomonitor"]
        .iter()
        .map(|f| {
            let path = dir.path().join(format!("data/demo/gepubliceerd/{f}.csv"));
            std::fs::read_to_string(path).unwrap().lines().count() - 1
        })
        .sum();
    // Every demo figure is for a school or an afdeling, which the site shows.
    assert_eq!(rows.len(), figures);
    let (mut compared, mut hidden) = (0, 0);
    for r in &rows {
        let what = format!(
            "{} {} {} {}",
            r["bron"], r["unit_id"], r["cohort"], r["indicator"]
        );
        let inflow = if r["indicator"].starts_with("instroom_")
            || r["indicator"].starts_with("bestemming_")
        {
            ""
        } else {
            "direct"
        };
        let key = (
            r["cohort"].clone(),
            inflow.to_string(),
            r["unit_type"].clone(),
            r["unit_id"].clone(),
            r["indicator"].clone(),
        );
        let site_row = shown
            .get(&key)
            .unwrap_or_else(|| panic!("{what}: not on the site"));
        let source = [
            "teller",
            "noemer",
            "percentage",
            "teller_masker",
            "noemer_masker",
            "percentage_masker",
            "published_value",
            "difference_points",
        ];
        let ours = ["numerator", "denominator", "value", "ci_low", "ci_high"];
        if site_row["suppressed"] == "true" {
            // Beside a suppressed figure: neither ours nor the source's, only the keys.
            assert_eq!(r["explanation"], "suppressed", "{what}");
            for c in source.iter().chain(&ours) {
                assert_eq!(r[*c], "", "{what}: {c} beside a suppressed figure");
            }
            hidden += 1;
            continue;
        }
        // Ours is the published row of the site's own table, unchanged.
        for c in ours {
            let (a, b): (f64, f64) = (r[c].parse().unwrap(), site_row[c].parse().unwrap());
            assert_eq!(a, b, "{what}: {c}");
        }
        if r["explanation"] == "source_small" {
            for c in source {
                assert_eq!(r[c], "", "{what}: {c} of a small source figure");
            }
        }
        compared += 1;
    }
    assert!(
        compared > 100 && hidden > 0,
        "compared {compared}, hidden {hidden}"
    );
    // NCO's method change: two versions, and the chart of a school shows the break.
    let versions: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| r["bron"] == "nco")
        .map(|r| r["definition_version"].as_str())
        .collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
    let html = std::fs::read_to_string(site.join("sources.html")).unwrap();
    assert!(html.contains("nco methode gewijzigd"), "no break marked");
    assert!(html.contains("class=\"version-change\""));
    assert!(html.contains("href=\"index.html\"") && html.contains("Bronnen naast elkaar"));

    // A partner's sources page holds that partner's units only.
    assert_status(
        &doorstroom_in(dir.path(), &["publish", "--partner", "90AA"]),
        0,
    );
    let partner = read(&dir.path().join("out/partners/90AA/site/data/sources.csv"));
    assert!(!partner.is_empty());
    for r in &partner {
        assert!(
            r["unit_type"] == "regio" || r["unit_id"].starts_with("90AA"),
            "{} in 90AA's bundle",
            r["unit_id"]
        );
    }
    let other =
        std::fs::read_to_string(dir.path().join("out/partners/90AA/site/sources.html")).unwrap();
    assert!(!other.contains("90AB00") && !other.contains("Stedelijk Lyceum"));
}
