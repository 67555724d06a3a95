//! The first report: self-contained, Dutch by default, and no suppressed value anywhere in it.

use crate::region::Region;

/// The page's text with tera's escapes undone, so a check cannot miss an escaped leak.
fn page(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("out/site/index.html"))
        .unwrap()
        .replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn suppressed_figures_show_a_marker_and_their_numbers_appear_nowhere() {
    // 1 of 7 direct to hbo (numerator below min_cell 5, denominator below 10): suppressed.
    let mut r = Region::new("2025-10-01");
    for p in ["A", "B", "C", "D", "E", "F", "G"] {
        r = r.alumnus(p, "97XA01", "havo", "2022-06-30");
    }
    let o = r
        .enrolled("A", "21HA", "hbo", "34402", "2022-09-01", "")
        .run();
    o.assert_ok();
    let raw = std::fs::read_to_string(o.dir.join("out/site/index.html")).unwrap();
    assert!(raw.contains("&lt;5"), "the marker is shown, escaped");
    let html = page(&o.dir);
    for leak in ["1/7", "14%", "0/7", "7/7"] {
        assert!(
            !html.contains(leak),
            "suppressed value {leak} in the report"
        );
    }
    assert!(html.contains("<html lang=\"nl\""));
    assert!(html.contains("Content-Security-Policy"));
    // The SVG namespace is a name, not a request; nothing else may point outside the page.
    let html = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for external in ["http://", "https://", "src=\"", "url("] {
        assert!(
            !html.contains(external),
            "{external} in a self-contained page"
        );
    }
}

#[test]
fn a_larger_unit_is_published_with_its_interval() {
    // 12 alumni, 6 direct: 6/12 = 50%, nothing in 1..4 on either side, denominator >= 10.
    let mut r = Region::new("2025-10-01");
    for i in 0..12 {
        r = r.alumnus(&format!("P{i}"), "97XA01", "havo", "2022-06-30");
    }
    for i in 0..6 {
        r = r.enrolled(&format!("P{i}"), "21HA", "hbo", "34402", "2022-09-01", "");
    }
    let o = r.run();
    o.assert_ok();
    let html = page(&o.dir);
    assert!(html.contains("50%") && html.contains("6/12") && html.contains("25%–75%"));
}

#[test]
fn hostile_school_names_are_inert() {
    let r = Region::new("2025-10-01").enrolled("A", "21HA", "hbo", "34402", "2022-09-01", "");
    let config = r.write();
    let names = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "</script><script>alert(2)</script>\u{2028}",
    ];
    let mut csv = String::from("persoon_id,brin,vestiging,schoolnaam,niveau,diplomadatum\n");
    for (i, name) in names.iter().enumerate() {
        csv.push_str(&format!(
            "P{i},97X{i},01,\"{}\",havo,2022-06-30\n",
            name.replace('"', "\"\"")
        ));
    }
    csv.push_str("A,97XA,01,Gewoon,havo,2022-06-30\n");
    std::fs::write(r.dir.path().join("gediplomeerden.csv"), csv).unwrap();
    let out = assert_cmd::Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every page: no tag and no attribute break-out (the text "onerror=alert" may stand on a page,
    // inert).
    let site = r.dir.path().join("out/site");
    let pages: Vec<(std::path::PathBuf, String)> = crate::region::site_texts(&site)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() >= 6, "{} pages", pages.len());
    for (path, raw) in &pages {
        for dangerous in ["<script", "<img", "<a href=\"javascript"] {
            assert!(
                !raw.contains(dangerous),
                "{dangerous} reached {} unescaped",
                path.display()
            );
        }
    }
    // The names are there, as text: in the overview's list and on their own pages.
    let all: String = pages.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        all.matches("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            .count()
            >= 2,
        "escaped name shown"
    );
}

/// `language = "en"`: every page in English, none of the Dutch page texts left (a source's own
/// title, such as DUO's "Bestemming vo-gediplomeerden", stays as the source wrote it).
#[test]
fn the_whole_site_speaks_english_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    crate::region::copy_demo(dir.path());
    let config = dir.path().join("doorstroom.toml");
    crate::region::edit_config(&config, "language = \"nl\"", "language = \"en\"");
    crate::region::assert_status(
        &crate::region::doorstroom_in(dir.path(), &["run", "doorstroom.toml"]),
        0,
    );
    let dutch = [
        "Overzicht",
        "Kwaliteitscyclus",
        "Ontvangende instellingen",
        "Bronnen naast elkaar",
        "Datakwaliteit",
        "Gegevens tot",
        "Diplomacohort",
        "niet gepubliceerd",
        "Verschil-in-verschillen",
        "Interventies",
        "Opleidingen",
        "Eerste jaar",
        "Gewisseld",
        "geen aantoonbaar",
    ];
    let mut pages = 0;
    for (path, text) in crate::region::site_texts(&dir.path().join("out/site")) {
        if path.extension().is_some_and(|e| e == "html") {
            pages += 1;
            assert!(text.contains("<html lang=\"en\""), "{}", path.display());
            for word in dutch {
                assert!(!text.contains(word), "{word:?} in {}", path.display());
            }
        }
    }
    assert!(pages > 60, "{pages} pages");
}
