//! Every preset reads its template in data/templates/ (hand-written from the source's documentation),
//! with the numbers and masks written there.

use std::collections::BTreeMap;
use std::path::Path;

use doorstroom::ingest::published::numbers::Figure;
use doorstroom::ingest::published::{presets, read, PublishedRow};

fn template(preset: &str) -> Vec<PublishedRow> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/templates")
        .join(format!("{preset}.csv"));
    let adapted = read(&path, None, preset, &BTreeMap::new()).unwrap();
    assert_eq!(
        adapted.accounting.rejected, 0,
        "{preset}: {:?}",
        adapted.findings
    );
    adapted.rows
}

fn n(v: f64) -> Figure {
    Figure::Exact(v)
}

#[test]
fn every_mapped_preset_has_a_template_that_loads() {
    for p in presets::PRESETS
        .iter()
        .filter(|p| !matches!(p.name, "long" | "duo-examens"))
    {
        assert!(!template(p.name).is_empty(), "{}", p.name);
        assert!(!p.definition.is_empty());
    }
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/presets.md"))
            .unwrap();
    for p in presets::PRESETS {
        assert!(
            docs.contains(&format!("`{}`", p.name)),
            "docs/presets.md documents {}",
            p.name
        );
    }
}

#[test]
fn duo_bestemming_keeps_both_mask_styles() {
    let rows = template("duo-bestemming");
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| r.bron == "duo" && r.cohort == 2023 && r.eenheid_type == "school"));
    assert_eq!(rows[0].eenheid_id, "90AA00");
    assert_eq!(
        rows[0].kenmerken,
        "bestemming=HBO;brin_bestemming=21HA;onderwijstype=HAVO"
    );
    assert_eq!(rows[0].teller, n(61.0));
    assert_eq!(
        rows[1].teller,
        Figure::Masked("4+J".into()),
        "value 4 with INDICATIEAVG = J"
    );
    assert_eq!(rows[2].teller, Figure::Masked("<5".into()));
    assert_eq!(rows[3].teller, n(1045.0), "thousands separator");
}

#[test]
fn other_presets_read_their_numbers() {
    let vsv = template("duo-vsv");
    assert_eq!(
        (
            vsv[0].teller.clone(),
            vsv[0].noemer.clone(),
            vsv[0].percentage.clone()
        ),
        (n(7.0), n(412.0), n(1.7))
    );
    assert_eq!(vsv[1].teller, Figure::Masked("<5".into()));
    assert_eq!(vsv[1].percentage, Figure::Absent);
    let nco = template("nco");
    assert_eq!(nco[0].eenheid_type, "afdeling");
    assert_eq!(nco[1].kenmerken, "vergelijking=landelijk");
    assert_eq!(nco[2].percentage, Figure::Masked("<5".into()));
    assert_eq!(template("vensters")[0].percentage, n(92.3));
    let vh = template("vh");
    assert_eq!(
        (
            vh[0].cohort,
            vh[0].eenheid_id.as_str(),
            vh[0].noemer.clone()
        ),
        (2022, "21HA:34402", n(212.0))
    );
    let insp = template("inspectie-mbo");
    assert_eq!(
        (
            insp[0].indicator.as_str(),
            insp[0].teller.clone(),
            insp[0].noemer.clone()
        ),
        ("startersresultaat", n(1712.0), n(2004.0))
    );
}

#[test]
fn a_column_mapping_reads_an_export_with_other_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nco-export.csv");
    std::fs::write(
        &path,
        "Examenjaar,Afd,N,Totaal\n2022,90AA00:havo,40,50\nBron: NCO,,,\n",
    )
    .unwrap();
    let columns: BTreeMap<String, String> = [
        ("cohort", "Examenjaar"),
        ("eenheid_id", "Afd"),
        ("teller", "N"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let adapted = read(&path, None, "nco", &columns).unwrap();
    assert_eq!(adapted.rows.len(), 1);
    assert_eq!(
        (
            adapted.rows[0].teller.clone(),
            adapted.rows[0].noemer.clone()
        ),
        (n(40.0), n(50.0))
    );
    assert_eq!(
        adapted.accounting.rejected_by_rule.get("row.footer"),
        Some(&1)
    );
    // Without the mapping the preset cannot find the cohort and says how to map it.
    let err = read(&path, None, "nco", &BTreeMap::new()).err().unwrap();
    assert!(format!("{err:#}").contains("columns = {"), "{err:#}");
}
