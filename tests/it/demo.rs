//! The demo region: reproducible from its seed, runs end to end, and looks like the Netherlands.

use std::path::Path;

use assert_cmd::Command;

use crate::region::{copy_demo, read_indicators, DEMO_FILES};

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn committed_demo_is_what_the_generator_gives() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("doorstroom")
        .unwrap()
        .args(["demo", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for f in DEMO_FILES {
        let committed = std::fs::read(repo("data/demo").join(f)).unwrap();
        let generated = std::fs::read(dir.path().join(f)).unwrap();
        assert!(
            committed == generated,
            "data/demo/{f} differs from `doorstroom demo`: regenerate it"
        );
    }
    let size: u64 = ["gediplomeerden.csv", "inschrijvingen.csv"]
        .iter()
        .map(|f| std::fs::metadata(dir.path().join(f)).unwrap().len())
        .sum();
    assert!(size < 2_000_000, "demo files are {size} bytes");
}

#[test]
fn demo_runs_without_a_config_from_the_checkout() {
    let dir = tempfile::tempdir().unwrap();
    // `run` without CONFIG in a directory with data/demo/ uses the demo and writes ./out.
    copy_demo(&dir.path().join("data/demo"));
    let out = Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with("out/site/index.html"),
        "ends with the report path: {stdout}"
    );
    let rows = read_indicators(&dir.path().join("out/warehouse/indicators.csv"));
    let rate = |cohort: i32, inflow: &str, unit_type: &str, unit_id: &str, ind: &str| {
        let r = &rows[&(
            cohort,
            "diploma".to_string(),
            inflow.to_string(),
            1u8,
            unit_type.to_string(),
            unit_id.to_string(),
            ind.to_string(),
        )];
        r.numerator as f64 / r.denominator as f64
    };
    // The targets for a Dutch-looking region, with room for chance.
    for c in 2018..=2023 {
        for vmbo in ["vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl"] {
            // gl and tl lose about 4% to stapelen (vo), so the band is wider than the ~95% target.
            assert!(
                (0.86..=0.995).contains(&rate(c, "", "niveau", vmbo, "bestemming_mbo")),
                "{vmbo} {c}"
            );
        }
        assert!(
            (0.62..=0.78).contains(&rate(c, "", "niveau", "havo", "bestemming_hbo")),
            "havo {c}"
        );
        let later = rate(c, "", "niveau", "havo", "instroom_binnen_1_jaar")
            - rate(c, "", "niveau", "havo", "instroom_direct");
        assert!((0.10..=0.20).contains(&later), "havo gap year {c}: {later}");
        assert!(
            (0.68..=0.82).contains(&rate(c, "", "niveau", "vwo", "bestemming_wo")),
            "vwo {c}"
        );
        assert!(
            (0.80..=0.92).contains(&rate(c, "direct", "sector", "MBO", "startersresultaat")),
            "mbo {c}"
        );
    }
    // Het Baken's havo alumni leave hbo less often after its LOB programme (cohort 2021 on): the
    // three cohorts before against the three after, pooled (about 210 entrants each; the
    // generator's rates differ by ~0.15, one pooled rate varies by ~0.03).
    let pooled = |cohorts: std::ops::RangeInclusive<i32>| {
        let (mut n, mut d) = (0, 0);
        for c in cohorts {
            let r = &rows[&(
                c,
                "diploma".to_string(),
                "direct".to_string(),
                1u8,
                "afdeling".to_string(),
                "90AA00:havo".to_string(),
                "uitval_sector".to_string(),
            )];
            n += r.numerator;
            d += r.denominator;
        }
        n as f64 / d as f64
    };
    let (before, after) = (pooled(2018..=2020), pooled(2021..=2023));
    assert!(before > after + 0.05, "before {before}, after {after}");
    let html = std::fs::read_to_string(dir.path().join("out/site/index.html")).unwrap();
    assert!(html.contains("Het Baken") && html.contains("<svg"));
}

/// Some alumni study on after a diploma, at the generator's rates with room for chance: read from
/// the committed exchange file, as a partner would see it.
#[test]
fn alumni_study_on_after_a_diploma() {
    let text = std::fs::read_to_string(repo("data/demo/inschrijvingen.csv")).unwrap();
    let mut people: std::collections::BTreeMap<&str, Vec<Vec<&str>>> = Default::default();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        people.entry(f[0]).or_default().push(f);
    }
    // For each diploma of `sector` whose code starts with `code`: is there a later enrollment
    // (starting after the diploma) in `to` whose code starts with `next`?
    let share = |sector: &str, code: char, to: &str, next: char| {
        let (mut diplomas, mut on) = (0, 0);
        for rows in people.values() {
            for r in rows {
                if r[2] == sector && r[3].starts_with(code) && r[6] == "ja" && r[5] < "2025-08-01" {
                    diplomas += 1;
                    let later = rows
                        .iter()
                        .any(|n| n[2] == to && n[3].starts_with(next) && n[4] > r[5]);
                    on += usize::from(later);
                }
            }
        }
        assert!(diplomas > 300, "{sector} {code}: {diplomas} diplomas");
        on as f64 / diplomas as f64
    };
    // wo bachelor (5xxxx) on to a wo master's (6xxxx): 85 %.
    let wo = share("wo", '5', "wo", '6');
    assert!((0.80..=0.90).contains(&wo), "wo bachelor to master: {wo}");
    // hbo bachelor (3xxxx) on to a master's: 15 %, 60 % of them in hbo (4xxxx), 40 % in wo.
    let hbo = share("hbo", '3', "hbo", '4');
    let hbo_wo = share("hbo", '3', "wo", '6');
    assert!(
        (0.06..=0.12).contains(&hbo),
        "hbo bachelor to hbo master: {hbo}"
    );
    assert!(
        (0.03..=0.09).contains(&hbo_wo),
        "hbo bachelor to wo master: {hbo_wo}"
    );
    // mbo (2xxxx) on to hbo: 35 % of the longer programmes' diplomas, so fewer of all mbo
    // diplomas (mbo-2 goes on in mbo).
    let mbo = share("mbo", '2', "hbo", '3');
    assert!((0.15..=0.40).contains(&mbo), "mbo to hbo: {mbo}");
}
