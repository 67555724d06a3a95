//! The flows page (`site/flows.html`, `data/flows.csv`): where each unit's alumni went on 1 October,
//! as a Sankey diagram per region and school. Its counts are checked against the warehouse's
//! unsuppressed indicator rows (bestemming_*, and alumni minus instroom_direct), its suppressed
//! destinations against the published bundle.

use std::collections::BTreeMap;

use crate::region::{read_indicators, read_table, run_demo};

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
    let mut units_seen = BTreeMap::new();
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
