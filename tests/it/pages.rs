//! The unit pages: a page per school and per afdeling with the region's figure beside, the
//! significant changes of definitions.md §8 and the schools' own norms — each checked against a
//! computation here from the published table (`site/data/indicators.csv`) and the configuration.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::region::{read_table as read, run_demo};

/// (unit type, unit id, indicator) → cohort → (numerator, denominator), published rows only, as
/// the report shows them: diploma basis, single cohorts, inflow basis empty or direct.
pub type Series = BTreeMap<(String, String, String), BTreeMap<i32, Option<(f64, f64)>>>;

pub fn published(site: &Path) -> Series {
    let mut out: Series = BTreeMap::new();
    for r in read(&site.join("data/indicators.csv")) {
        if r["cohort_basis"] != "diploma"
            || r["cohort_window"] != "1"
            || !matches!(r["inflow_basis"].as_str(), "" | "direct")
        {
            continue;
        }
        let numbers = (r["suppressed"] == "false").then(|| {
            (
                r["numerator"].parse().unwrap(),
                r["denominator"].parse().unwrap(),
            )
        });
        out.entry((
            r["unit_type"].clone(),
            r["unit_id"].clone(),
            r["indicator"].clone(),
        ))
        .or_default()
        .insert(r["cohort"].parse().unwrap(), numbers);
    }
    // The sums of year-one outcomes the report shows (definitions.md §4), published where every
    // part is.
    let sums: [(&str, &[&str]); 3] = [
        ("uitval_onderwijs", &["jaar1_uitval"]),
        (
            "switch_binnen_sector",
            &["jaar1_switch_intern", "jaar1_switch_extern"],
        ),
        (
            "nog_in_sector",
            &[
                "jaar1_zelfde_opleiding",
                "jaar1_diploma",
                "jaar1_switch_intern",
                "jaar1_switch_extern",
            ],
        ),
    ];
    let units: BTreeSet<(String, String)> = out
        .keys()
        .map(|(t, id, _)| (t.clone(), id.clone()))
        .collect();
    for (unit_type, unit_id) in units {
        for (sum, parts) in sums {
            let part = |p: &str| out.get(&(unit_type.clone(), unit_id.clone(), p.to_string()));
            let Some(first) = part(parts[0]) else {
                continue;
            };
            let mut series = BTreeMap::new();
            for &cohort in first.keys() {
                let numbers: Option<Vec<(f64, f64)>> = parts
                    .iter()
                    .map(|p| part(p).and_then(|s| s.get(&cohort).copied().flatten()))
                    .collect();
                let total = numbers.map(|ns| (ns.iter().map(|n| n.0).sum(), ns[0].1));
                series.insert(cohort, total);
            }
            out.insert(
                (unit_type.clone(), unit_id.clone(), sum.to_string()),
                series,
            );
        }
    }
    out
}

#[test]
fn unit_pages_changes_and_norms_follow_the_published_table() {
    let dir = run_demo();
    let site = dir.path().join("out/site");
    let table = published(&site);

    // §8, computed here: cohort Y against Y-3..Y-1 pooled, all published, |z| > 1.959964 and at
    // least 5 points.
    let mut expected = BTreeSet::new();
    for ((unit_type, unit_id, indicator), cohorts) in &table {
        for (&y, numbers) in cohorts {
            let Some((n1, d1)) = *numbers else { continue };
            let before: Vec<&Option<(f64, f64)>> =
                (y - 3..y).filter_map(|c| cohorts.get(&c)).collect();
            if before.is_empty() || before.iter().any(|b| b.is_none()) {
                continue;
            }
            let (n0, d0) = before
                .iter()
                .map(|b| b.unwrap())
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            if d0 == 0.0 || d1 == 0.0 {
                continue;
            }
            let (p1, p0) = (n1 / d1, n0 / d0);
            let p = (n1 + n0) / (d1 + d0);
            if p <= 0.0 || p >= 1.0 || (p1 - p0).abs() < 0.05 {
                continue;
            }
            let z = (p1 - p0) / (p * (1.0 - p) * (1.0 / d1 + 1.0 / d0)).sqrt();
            if z.abs() > 1.959964 {
                let direction = if p1 > p0 { "up" } else { "down" };
                expected.insert((
                    unit_type.clone(),
                    unit_id.clone(),
                    indicator.clone(),
                    y,
                    direction.to_string(),
                ));
            }
        }
    }
    let shown: BTreeSet<(String, String, String, i32, String)> =
        read(&site.join("data/changes.csv"))
            .into_iter()
            .map(|r| {
                (
                    r["unit_type"].clone(),
                    r["unit_id"].clone(),
                    r["indicator"].clone(),
                    r["cohort"].parse().unwrap(),
                    r["direction"].clone(),
                )
            })
            .collect();
    assert!(!expected.is_empty());
    assert_eq!(shown, expected);

    // The demo's norms: instroom_direct at least 85 % (region and schools), uitval_onderwijs at
    // most 10 % for havo afdelingen.
    let mut below = BTreeSet::new();
    let mut checked = 0;
    for ((unit_type, unit_id, indicator), cohorts) in &table {
        let rule = match (unit_type.as_str(), indicator.as_str()) {
            ("regio" | "school", "instroom_direct") => Some((0.85, f64::INFINITY)),
            ("afdeling", "uitval_onderwijs") if unit_id.ends_with(":havo") => {
                Some((f64::NEG_INFINITY, 0.1))
            }
            _ => None,
        };
        let Some((lo, hi)) = rule else { continue };
        for (&y, numbers) in cohorts {
            if let Some((n, d)) = numbers {
                checked += 1;
                let v = n / d;
                if v < lo || v > hi {
                    below.insert((unit_type.clone(), unit_id.clone(), indicator.clone(), y));
                }
            }
        }
    }
    let norms = read(&site.join("data/norms.csv"));
    assert_eq!(norms.len(), checked);
    let flagged: BTreeSet<(String, String, String, i32)> = norms
        .iter()
        .filter(|r| r["below_norm"] == "true")
        .map(|r| {
            (
                r["unit_type"].clone(),
                r["unit_id"].clone(),
                r["indicator"].clone(),
                r["cohort"].parse().unwrap(),
            )
        })
        .collect();
    assert!(!below.is_empty());
    assert_eq!(flagged, below);

    // A page per school and per afdeling; a school page marks its cells below the norm and
    // links each of its afdelingen.
    for (unit_type, unit_id, _) in table.keys() {
        let page = match unit_type.as_str() {
            "school" => site.join(format!("schools/{unit_id}.html")),
            "afdeling" => site.join(format!("afdelingen/{}.html", unit_id.replace(':', "-"))),
            _ => continue,
        };
        let html =
            std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("{} missing", page.display()));
        assert!(html.contains(unit_id.as_str()), "{}", page.display());
        if unit_type == "afdeling" {
            let school = unit_id.split(':').next().unwrap();
            // (Tera escapes '/' in attributes; a browser reads the entity back.)
            let school_page = std::fs::read_to_string(site.join(format!("schools/{school}.html")))
                .unwrap()
                .replace("&#x2F;", "/");
            let link = format!("../afdelingen/{}.html", unit_id.replace(':', "-"));
            assert!(school_page.contains(&link), "{school} does not link {link}");
        }
    }
    // Every chart has its PNG (drawn with the shipped font), linked from the page.
    let pngs: Vec<std::path::PathBuf> = std::fs::read_dir(site.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let svgs: usize = [
        "index.html",
        "flows.html",
        "sources.html",
        "cycle.html",
        "receiving.html",
    ]
    .iter()
    .map(|p| site.join(p))
    .chain(
        ["schools", "afdelingen", "instellingen", "sources"]
            .iter()
            .flat_map(|d| {
                std::fs::read_dir(site.join(d))
                    .unwrap()
                    .map(|e| e.unwrap().path())
            }),
    )
    .map(|p| std::fs::read_to_string(p).unwrap().matches("<svg").count())
    .sum();
    assert_eq!(pngs.len(), svgs);
    for png_path in pngs.iter().take(5) {
        let decoder = png::Decoder::new(std::fs::File::open(png_path).unwrap());
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (520, 280));
        let colours: BTreeSet<&[u8]> = pixels.chunks(3).collect();
        assert!(colours.len() > 20, "{} looks blank", png_path.display());
    }
    let index = std::fs::read_to_string(site.join("index.html"))
        .unwrap()
        .replace("&#x2F;", "/");
    assert!(index.contains("href=\"charts/index-1.png\""));

    for school in ["90AA00", "90AF00"] {
        let html = std::fs::read_to_string(site.join(format!("schools/{school}.html"))).unwrap();
        let marked = html.matches("below-norm\"").count();
        let expected = below.iter().filter(|k| k.1 == school).count();
        assert_eq!(marked, expected, "{school}");
        // The region's figure stands under the school's own.
        assert!(html.contains("<small class=\"region\">regio "), "{school}");
    }
}

/// A page as a snapshot: each inline chart replaced by a short hash of its SVG, so the snapshot
/// stays readable and still changes when a chart does.
fn snapshot_text(html: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").map(|e| start + e + 6).unwrap();
        out.push_str(&rest[..start]);
        let hash = hex::encode(Sha256::digest(&rest.as_bytes()[start..end]));
        out.push_str(&format!("[svg {}]", &hash[..12]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    // One element per line, for a diff a reviewer can read.
    out.replace("><", ">\n<")
}

/// Snapshots of the demo's overview, one school page, the definitions and the flows page: a change to the
/// rendered report shows up as a diff to review (`cargo insta review`).
#[test]
fn the_demo_pages_match_their_snapshots() {
    let dir = run_demo();
    let site = dir.path().join("out/site");
    for (name, page) in [
        ("overview", "index.html"),
        ("school_90AA00", "schools/90AA00.html"),
        ("definitions", "definitions.html"),
        ("flows", "flows.html"),
    ] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        insta::assert_snapshot!(name, snapshot_text(&html));
    }
}
