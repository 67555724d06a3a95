//! The site's sources pages (`site/sources.html`, `site/sources/<school>.html`,
//! `site/data/sources.csv`): other sources beside
//! our published figures, with nothing of a suppressed cell, and a visible break where a source
//! changed its method; and the definitions page, generated from the SQL files' metadata.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::region::{
    assert_status, doorstroom_in, edit_config, read_table as read, run_demo, Cells, Region,
};

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
            let text = std::fs::read_to_string(path).unwrap();
            // National figures (`land`) stand beside the unit pages' figures, not here.
            text.lines()
                .skip(1)
                .filter(|l| !l.contains(",land,"))
                .count()
        })
        .sum();
    // Every other demo figure is for a school or an afdeling, which the site shows.
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
    // Each school's page lists its own sources' figures (the shown ones) and counts the hidden.
    for school in ["90AA00", "90AF00", "90AL00"] {
        let page = std::fs::read_to_string(site.join(format!("schools/{school}.html"))).unwrap();
        let section = page
            .split("class=\"unit-sources\"")
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .unwrap_or_else(|| panic!("{school}: no sources section"));
        let own: Vec<&Cells> = rows
            .iter()
            .filter(|r| r["unit_type"] == "school" && r["unit_id"] == school)
            .collect();
        let hidden = own
            .iter()
            .filter(|r| matches!(r["explanation"].as_str(), "suppressed" | "source_small"))
            .count();
        assert_eq!(
            section.matches("<tr><td>").count(),
            own.len() - hidden,
            "{school}"
        );
        if hidden > 0 {
            assert!(section.contains(&format!("{hidden} cijfer(s) van bronnen niet getoond")));
        }
        // The link goes to the school's own sources page, to the school's section there.
        let href = format!("../sources/{school}.html#school-{school}");
        // (tera writes `/` in an attribute as `&#x2F;`; a browser reads it as `/`)
        let links = section.replace("&#x2F;", "/");
        assert!(links.contains(&href), "{school}: no link to {href}");
        let target = std::fs::read_to_string(site.join(format!("sources/{school}.html"))).unwrap();
        assert!(
            target.contains(&format!("id=\"school-{school}\"")),
            "{school}"
        );
    }
    // The overview page holds the region and links to a page per school, which holds the school
    // and its afdelingen and nothing of another school.
    let overview = std::fs::read_to_string(site.join("sources.html")).unwrap();
    for r in rows
        .iter()
        .filter(|r| !matches!(r["unit_type"].as_str(), "school" | "afdeling"))
    {
        let id = format!("id=\"{}-{}\"", r["unit_type"], r["unit_id"]);
        assert!(overview.contains(&id), "{id}");
    }
    assert!(!overview.contains("id=\"school-") && !overview.contains("id=\"afdeling-"));
    let school_pages: Vec<String> = std::fs::read_dir(site.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let with_rows: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| matches!(r["unit_type"].as_str(), "school" | "afdeling"))
        .map(|r| &r["unit_id"][..6])
        .collect();
    assert_eq!(school_pages.len(), with_rows.len(), "{school_pages:?}");
    let mut pages = overview.clone();
    for name in &school_pages {
        let school = name.trim_end_matches(".html");
        assert!(with_rows.contains(school), "{name}");
        let link = format!("href=\"sources&#x2F;{name}\"");
        assert!(overview.contains(&link), "{name}: no {link}");
        let page = std::fs::read_to_string(site.join("sources").join(name)).unwrap();
        for section in page.split("<section class=\"unit\" id=\"").skip(1) {
            let id = section.split('"').next().unwrap();
            assert!(
                id == format!("school-{school}") || id.starts_with(&format!("afdeling-{school}-")),
                "{id} on {name}"
            );
        }
        pages.push_str(&page);
    }
    // NCO's method change: two versions, and the chart of a school shows the break.
    let versions: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| r["bron"] == "nco")
        .map(|r| r["definition_version"].as_str())
        .collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert!(pages.contains("nco methode gewijzigd"), "no break marked");
    assert!(pages.contains("class=\"version-change\""));
    assert!(overview.contains("href=\"index.html\"") && overview.contains("Bronnen naast elkaar"));

    // The definitions page has an entry for every indicator computed, and no other; the survey's
    // items (`enquete:<item>`, named by the survey file) share one entry, and so do the
    // destinations per institution and those per programme.
    let warehouse = dir.path().join("out/warehouse");
    let mut computed: std::collections::BTreeSet<String> = read(&warehouse.join("indicators.csv"))
        .into_iter()
        .map(|r| r["indicator"].clone())
        .collect();
    if !read(&warehouse.join("indicators_enquete.csv")).is_empty() {
        computed.insert("enquete:&lt;item&gt;".to_string());
    }
    // The destinations per institution likewise (`bestemming_<sector>:<brin>`), and per programme
    // (`bestemming_<sector>:<brin>:<opleidingscode>`).
    let flows = read(&warehouse.join("indicators_flows.csv"));
    if !flows.is_empty() {
        computed.insert("bestemming_&lt;sector&gt;:&lt;brin&gt;".to_string());
    }
    if flows
        .iter()
        .any(|r| r["indicator"].matches(':').count() == 2)
    {
        computed
            .insert("bestemming_&lt;sector&gt;:&lt;brin&gt;:&lt;opleidingscode&gt;".to_string());
    }
    let page = std::fs::read_to_string(site.join("definitions.html")).unwrap();
    let listed: std::collections::BTreeSet<String> = page
        .split("<tr id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(listed, computed);

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
    let bundle = dir.path().join("out/partners/90AA/site");
    let mut other = std::fs::read_to_string(bundle.join("sources.html")).unwrap();
    for page in std::fs::read_dir(bundle.join("sources")).unwrap() {
        let page = page.unwrap();
        let name = page.file_name().to_string_lossy().into_owned();
        assert!(name.starts_with("90AA"), "{name} in 90AA's bundle");
        other.push_str(&std::fs::read_to_string(page.path()).unwrap());
    }
    assert!(other.contains("90AA00"));
    assert!(!other.contains("90AB00") && !other.contains("Stedelijk Lyceum"));
}

/// Downloads keep text as text and numbers as numbers, and a text cell a spreadsheet would run is
/// guarded with a leading `'`, in the CSV and in the workbook alike.
#[test]
fn downloads_guard_formulas_and_keep_numbers() {
    let r = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-06-30")
        .enrolled("A", "21HA", "hbo", "34402", "2022-09-01", "");
    let config = r.write();
    std::fs::write(
        r.dir.path().join("bron.csv"),
        "bron,bron_indicator,indicator,cohort,eenheid_type,eenheid_id,kenmerken,teller,noemer,percentage,teller_masker,noemer_masker,percentage_masker\n\
         nco,\"=HYPERLINK(\"\"x\"\";\"\"y\"\")\",instroom_direct,2022,school,97XA01,,,,80,,,\n\
         nco,  +SUM(A1),instroom_direct,2021,school,97XA01,,,,70,,,\n",
    )
    .unwrap();
    edit_config(
        &config,
        "enrollments = \"inschrijvingen.csv\"",
        "enrollments = \"inschrijvingen.csv\"\npublished = [\"bron.csv\"]",
    );
    assert_status(&doorstroom_in(r.dir.path(), &["run"]), 0);
    let data = r.dir.path().join("out/site/data");
    let csv = std::fs::read_to_string(data.join("sources.csv")).unwrap();
    assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");
    // (The reader trims the spaces around a field; the guard also looks past them.)
    assert!(csv.contains(",'+SUM(A1),"), "{csv}");
    let mut book: Xlsx<_> = calamine::open_workbook(data.join("sources.xlsx")).unwrap();
    let range = book.worksheet_range("sources").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<&[Data]> = range.rows().skip(1).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .any(|r| matches!(r[col("percentage")], Data::Float(p) if p == 70.0)));
    for row in rows {
        assert!(
            matches!(row[col("cohort")], Data::Float(_)),
            "{:?}",
            row[col("cohort")]
        );
        // Beside our suppressed figure (2022) the source's percentage is left out.
        assert!(matches!(
            row[col("percentage")],
            Data::Float(_) | Data::Empty
        ));
        let Data::String(name) = &row[col("bron_indicator")] else {
            panic!("{:?}", row[col("bron_indicator")]);
        };
        assert!(name.starts_with('\''), "{name}");
    }
}

/// The data quality page's coverage: the share of alumni without any enrollment, counted here
/// from the demo's own files (valid rows, cohorts followed two years), rounded as shown.
#[test]
fn coverage_on_the_quality_page_is_the_share_without_any_enrollment() {
    let dir = run_demo();
    let demo = dir.path().join("data/demo");
    let enrolled: std::collections::BTreeSet<String> = read(&demo.join("inschrijvingen.csv"))
        .into_iter()
        .map(|r| r["persoon_id"].clone())
        .collect();
    let mut per_school: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for r in read(&demo.join("gediplomeerden.csv")) {
        // The three rows the demo adds for validation to reject.
        if r["persoon_id"].is_empty() || r["persoon_id"].starts_with("D9999") {
            continue;
        }
        let year: i32 = r["diplomadatum"][..4].parse().unwrap();
        // Diplomas in June and July: cohort = year; followed two years when P(Y+2) <= 2025-10-01.
        if year + 2 > 2025 {
            continue;
        }
        let school = format!("{}{:0>2}", r["brin"], r["vestiging"]);
        for unit in [school, "regio".to_string()] {
            let e = per_school.entry(unit).or_default();
            e.0 += 1;
            if !enrolled.contains(&r["persoon_id"]) {
                e.1 += 1;
            }
        }
    }
    let shown = read(&dir.path().join("out/site/data/coverage.csv"));
    assert_eq!(shown.len(), per_school.len());
    for row in shown {
        let (records, without) = per_school[&row["unit_id"]];
        let expected = (100.0 * f64::from(without) / f64::from(records)).round();
        let passes = records >= 10 && without >= 5 && records - without >= 5;
        match row["percent_without_enrollment"].as_str() {
            "" => assert!(!passes, "{} hidden", row["unit_id"]),
            p => {
                assert!(passes, "{} shown", row["unit_id"]);
                assert_eq!(p.parse::<f64>().unwrap(), expected, "{}", row["unit_id"]);
            }
        }
    }
    let page = std::fs::read_to_string(dir.path().join("out/site/quality.html")).unwrap();
    assert!(page.contains("gediplomeerden.csv") && page.contains("dates.end_before_start"));
}
