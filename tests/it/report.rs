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
