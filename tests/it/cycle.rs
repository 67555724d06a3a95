//! The quality cycle page (`site/cycle.html`): every intervention of the demo's register compared
//! before and after, and against the rest of the region — recomputed here from the register file
//! and the published table alone — and "what changed since the last run" recomputed from the two
//! runs' published tables.

use std::collections::BTreeMap;
use std::path::Path;

use crate::pages::{published, Series};
use crate::region::{
    assert_status, copy_demo, doorstroom_in, edit_config, manifest, read_table as read,
};

/// The indicators a register row without `indicatoren` compares (documented in
/// src/ingest/interventions.rs).
const DEFAULTS: [&str; 3] = [
    "instroom_direct",
    "instroom_binnen_1_jaar",
    "uitval_onderwijs",
];
const Z: f64 = 1.959964;

/// The pooled numbers before and after an intervention, and how many cohorts were left out.
type Comparison = (Option<[f64; 4]>, Option<[f64; 4]>, usize);

/// Pooled numbers of one period: (unit numerator, unit denominator, rest numerator, rest
/// denominator) summed over the cohorts where the unit's and the region's rows are published and
/// the rest is not empty.
fn period(
    series: &Series,
    unit: (&str, &str),
    indicator: &str,
    cohorts: std::ops::RangeInclusive<i32>,
) -> (Option<[f64; 4]>, usize) {
    let get =
        |t: &str, id: &str| series.get(&(t.to_string(), id.to_string(), indicator.to_string()));
    let (Some(own), Some(region)) = (get(unit.0, unit.1), get("regio", "regio")) else {
        return (None, 0);
    };
    let mut sum = [0.0; 4];
    let (mut used, mut left_out) = (0, 0);
    for c in cohorts {
        let Some(own_row) = own.get(&c) else { continue };
        match (own_row, region.get(&c).copied().flatten()) {
            (Some((n, d)), Some((rn, rd))) if rd > *d => {
                sum[0] += n;
                sum[1] += d;
                sum[2] += rn - n;
                sum[3] += rd - d;
                used += 1;
            }
            _ => left_out += 1,
        }
    }
    ((used > 0 && sum[1] > 0.0).then_some(sum), left_out)
}

fn close(ours: &str, expected: f64, what: &str) {
    let value: f64 = ours.parse().unwrap_or_else(|_| panic!("{what}: {ours:?}"));
    assert!(
        (value - expected).abs() < 1e-9,
        "{what}: {value} vs {expected}"
    );
}

#[test]
fn interventions_are_compared_before_and_after_and_against_the_rest_of_the_region() {
    let dir = tempfile::tempdir().unwrap();
    copy_demo(dir.path());
    // A register row naming a school the input does not have: warned about, not shown.
    let register_file = dir.path().join("interventies.csv");
    let mut text = std::fs::read_to_string(&register_file).unwrap();
    text.push_str("Onbekend;99ZZ00;;;2021;;\n");
    std::fs::write(&register_file, text).unwrap();
    let run = doorstroom_in(dir.path(), &["run", "doorstroom.toml"]);
    assert_status(&run, 0);
    assert!(String::from_utf8_lossy(&run.stderr).contains("\"Onbekend\" names 99ZZ00"));
    let site = dir.path().join("out/site");
    let series = published(&site);

    // The register as the school wrote it.
    let mut register = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(dir.path().join("interventies.csv"))
        .unwrap();
    let mut expected: BTreeMap<(String, String), Comparison> = BTreeMap::new();
    let mut verdicts = Vec::new();
    for row in register.records() {
        let row = row.unwrap();
        if &row[1] == "99ZZ00" {
            continue;
        }
        let (name, school, afdeling, first) =
            (&row[0], &row[1], &row[2], row[4].parse::<i32>().unwrap());
        let unit = if afdeling.is_empty() {
            ("school", school.to_string())
        } else {
            ("afdeling", format!("{school}:{afdeling}"))
        };
        let listed: Vec<&str> = row[6].split([',', ';']).filter(|s| !s.is_empty()).collect();
        let indicators = if listed.is_empty() {
            DEFAULTS.to_vec()
        } else {
            listed
        };
        for ind in indicators {
            let (before, out_before) =
                period(&series, (unit.0, &unit.1), ind, first - 3..=first - 1);
            let (after, out_after) = period(&series, (unit.0, &unit.1), ind, first..=first + 2);
            expected.insert(
                (name.to_string(), ind.to_string()),
                (before, after, out_before + out_after),
            );
        }
    }
    assert_eq!(
        expected.len(),
        8,
        "three interventions, 3 + 3 + 2 indicators"
    );

    let rows = read(&site.join("data/interventions.csv"));
    assert_eq!(rows.len(), expected.len());
    let mut computed = 0;
    for r in &rows {
        let key = (r["naam"].clone(), r["indicator"].clone());
        let (before, after, left_out) = expected.get(&key).unwrap_or_else(|| panic!("{key:?}"));
        assert_eq!(r["cohorts_left_out"], left_out.to_string(), "{key:?}");
        let (Some(b), Some(a)) = (before, after) else {
            assert_eq!(
                r["did"], "",
                "{key:?}: no period on one side, no comparison"
            );
            continue;
        };
        computed += 1;
        let p = |x: &[f64; 4], own: bool| if own { x[0] / x[1] } else { x[2] / x[3] };
        let var = |x: &[f64; 4], own: bool| {
            let (v, n) = if own {
                (x[0] / x[1], x[1])
            } else {
                (x[2] / x[3], x[3])
            };
            v * (1.0 - v) / n
        };
        let change = p(a, true) - p(b, true);
        let did = change - (p(a, false) - p(b, false));
        let change_margin = Z * (var(a, true) + var(b, true)).sqrt();
        let did_margin = Z * (var(a, true) + var(b, true) + var(a, false) + var(b, false)).sqrt();
        close(&r["voor_value"], p(b, true), "voor");
        close(&r["na_value"], p(a, true), "na");
        close(&r["voor_rest_value"], p(b, false), "rest voor");
        close(&r["na_rest_value"], p(a, false), "rest na");
        close(&r["change"], change, "change");
        close(&r["change_low"], change - change_margin, "change low");
        close(&r["did"], did, "did");
        close(&r["did_low"], did - did_margin, "did low");
        close(&r["did_high"], did + did_margin, "did high");
        verdicts.push(if did - did_margin > 0.0 {
            "steeg meer dan in de rest van de regio"
        } else if did + did_margin < 0.0 {
            "daalde meer dan in de rest van de regio"
        } else {
            "geen aantoonbaar verschil met de rest van de regio"
        });
    }
    assert!(computed >= 4, "only {computed} comparisons could be made");

    let page = std::fs::read_to_string(site.join("cycle.html")).unwrap();
    for name in [
        "LOB-plus havo",
        "Mentoraat vmbo-tl",
        "Alumnidag",
        "Loopbaanbegeleiding",
    ] {
        assert!(page.contains(name), "{name} not on the page");
    }
    for v in &verdicts {
        assert!(page.contains(v), "verdict {v:?} not on the page");
    }
    // A chart per intervention and indicator, each with its PNG.
    assert_eq!(page.matches("<svg").count(), expected.len());
    for i in 1..=expected.len() {
        assert!(site.join(format!("charts/cycle-{i}.png")).is_file());
    }
    // The register is an input like the others: in the manifest and with its rejects file.
    let m = manifest(dir.path());
    let entry = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "interventions")
        .expect("manifest entry");
    assert_eq!(
        (entry["rows_read"].as_u64(), entry["loaded"].as_u64()),
        (Some(4), Some(4))
    );
    assert!(dir.path().join("out/rejects/interventions.csv").is_file());
    assert!(!page.contains("Onbekend") && !page.contains("99ZZ"));
}

/// Published rows keyed without their numbers: key → numbers (None when suppressed).
fn bundle(path: &Path) -> BTreeMap<Vec<String>, Option<(String, String)>> {
    read(path)
        .into_iter()
        .map(|r| {
            let key = [
                "cohort",
                "cohort_basis",
                "inflow_basis",
                "cohort_window",
                "unit_type",
                "unit_id",
                "indicator",
            ]
            .iter()
            .map(|k| r[*k].clone())
            .collect();
            let numbers = (r["suppressed"] == "false")
                .then(|| (r["numerator"].clone(), r["denominator"].clone()));
            (key, numbers)
        })
        .collect()
}

#[test]
fn what_changed_since_the_last_run_is_every_key_that_differs_between_the_two_sites() {
    let dir = tempfile::tempdir().unwrap();
    copy_demo(dir.path());
    // The first run has no 2024 cohort yet.
    let alumni = dir.path().join("gediplomeerden.csv");
    let full = std::fs::read_to_string(&alumni).unwrap();
    let without_2024: String = full
        .lines()
        .filter(|l| !l.contains(",2024-"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(without_2024.len() < full.len());
    std::fs::write(&alumni, without_2024).unwrap();
    // previous_site must be an earlier run's site: before there is one, the run stops at once.
    let config = dir.path().join("doorstroom.toml");
    edit_config(
        &config,
        "interventions = ",
        "previous_site = \"vorige-site\"\ninterventions = ",
    );
    let refused = doorstroom_in(dir.path(), &["run", "doorstroom.toml"]);
    assert_status(&refused, 1);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("previous_site"));
    edit_config(&config, "previous_site = \"vorige-site\"\n", "");
    assert_status(&doorstroom_in(dir.path(), &["run", "doorstroom.toml"]), 0);
    std::fs::rename(dir.path().join("out/site"), dir.path().join("vorige-site")).unwrap();
    // The second run has every cohort and compares itself with the first.
    std::fs::write(&alumni, &full).unwrap();
    edit_config(
        &config,
        "interventions = ",
        "previous_site = \"vorige-site\"\ninterventions = ",
    );
    assert_status(&doorstroom_in(dir.path(), &["run", "doorstroom.toml"]), 0);

    let before = bundle(&dir.path().join("vorige-site/data/indicators.csv"));
    let now = bundle(&dir.path().join("out/site/data/indicators.csv"));
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    let mut new_2024 = 0;
    for key in before
        .keys()
        .chain(now.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let status = match (before.get(key), now.get(key)) {
            (None, Some(_)) => {
                new_2024 += usize::from(key[0] == "2024" && key[1] == "diploma");
                "nieuw"
            }
            (Some(_), None) => "vervallen",
            (Some(Some(_)), Some(None)) => "nu_onderdrukt",
            (Some(None), Some(Some(_))) => "nu_gepubliceerd",
            (Some(Some(a)), Some(Some(b))) if a != b => "gewijzigd",
            _ => continue,
        };
        *expected.entry(status.to_string()).or_default() += 1;
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for r in read(&dir.path().join("out/site/data/run_changes.csv")) {
        *seen.entry(r["status"].clone()).or_default() += 1;
    }
    assert_eq!(seen, expected);
    // Every row of the 2024 diploma cohort is new (the first run had no such alumni; the
    // instroom cohorts of 2024 were there, from the enrollments).
    let rows_2024 = now
        .keys()
        .filter(|k| k[0] == "2024" && k[1] == "diploma")
        .count();
    assert!(rows_2024 > 0);
    assert_eq!(new_2024, rows_2024);
    let page = std::fs::read_to_string(dir.path().join("out/site/cycle.html")).unwrap();
    assert!(page.contains("Wat is er veranderd sinds de vorige run"));
    assert!(page.contains(&format!("<td>{}</td>", expected["nieuw"])));
}
