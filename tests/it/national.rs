//! National figures (`eenheid_type = land` in the published figures, formats.md §2) beside the
//! region's, a school's and an afdeling's own: the overall figure on the region and school pages,
//! the niveau's figure on an afdeling page, nothing of a masked or small-count figure anywhere.

use crate::region::{edit_config, read_table, site_texts, Region};

const HEADER: &str = "bron,bron_indicator,indicator,cohort,eenheid_type,eenheid_id,kenmerken,\
                      teller,noemer,percentage,teller_masker,noemer_masker,percentage_masker";

/// 20 havo alumni of one school in cohort 2020, 14 of them in hbo on 1 October: instroom_direct
/// 14/20 = 70% for the region, the school and the afdeling alike (complement 6, published).
fn region_with_national_figures() -> crate::region::Outcome {
    let mut r = Region::new("2021-10-01");
    for i in 0..20 {
        let person = format!("P{i:02}");
        r = r.alumnus(&person, "97XA01", "havo", "2020-06-30");
        if i < 14 {
            r = r.enrolled(&person, "21HA", "hbo", "34567", "2020-09-01", "");
        }
    }
    let config = r.write();
    let rows = [
        // Overall: the region and school pages.
        "vensters,doorstroom landelijk,instroom_direct,2020,land,NL,,,,81,,,",
        // Per onderwijssoort, any case: the havo afdeling's page.
        "vensters,doorstroom landelijk,instroom_direct,2020,land,NL,niveau=HAVO,,,77,,,",
        // A niveau the region does not have: in the download only.
        "nco,ingestroomd landelijk,instroom_direct,2020,land,NL,niveau=vwo,,,90,,,",
        // Counts under the primary rules (3 of 50): never shown.
        "handwerk,eigen telling,instroom_direct,2020,land,NL,,3,50,,,,",
        // Another breakdown: not set beside anything.
        "duo,doorstroom vrouwen,instroom_direct,2020,land,NL,geslacht=vrouw,,,66,,,",
        // Masked by the source: no value.
        "bron2,gemaskeerd,instroom_direct,2020,land,NL,,,,,<5,,",
        // No indicator of ours: nothing to set it beside.
        "duo,iets anders,,2020,land,NL,,,,55,,,",
    ];
    std::fs::write(
        r.dir.path().join("gepubliceerd.csv"),
        format!("{HEADER}\n{}\n", rows.join("\n")),
    )
    .unwrap();
    edit_config(
        &config,
        "enrollments = \"inschrijvingen.csv\"\n",
        "enrollments = \"inschrijvingen.csv\"\npublished = [\"gepubliceerd.csv\"]\n",
    );
    let o = r.run();
    o.assert_ok();
    o
}

#[test]
fn national_figures_stand_beside_the_region_school_and_afdeling_of_their_niveau() {
    let o = region_with_national_figures();
    let site = o.dir.join("out/site");
    let page = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    // Our own figure is published (else nothing would be set beside it).
    assert!(page("schools/97XA01.html").contains("70%"));

    let overall = "landelijk 81% (vensters)";
    let havo = "landelijk 77% (vensters)";
    for p in ["index.html", "schools/97XA01.html"] {
        let html = page(p);
        assert_eq!(html.matches(overall).count(), 1, "{p}");
        assert!(!html.contains(havo), "{p}");
        assert!(
            html.contains("Landelijk: het cijfer van de genoemde bron"),
            "{p}"
        );
    }
    let afdeling = page("afdelingen/97XA01-havo.html");
    assert_eq!(afdeling.matches(havo).count(), 1);
    assert!(!afdeling.contains(overall));

    // The download holds every figure that may be set beside ours, and no other.
    let mut got: Vec<(String, String, String, String)> =
        read_table(&site.join("data/national.csv"))
            .into_iter()
            .map(|r| {
                let value: f64 = r["value"].parse().unwrap();
                (
                    r["cohort"].clone(),
                    r["niveau"].clone(),
                    r["bron"].clone(),
                    format!("{:.2}", value),
                )
            })
            .collect();
    got.sort();
    let want = [
        ("2020", "", "vensters", "0.81"),
        ("2020", "havo", "vensters", "0.77"),
        ("2020", "vwo", "nco", "0.90"),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);

    // Nothing of the small, masked, other-breakdown or unmatched figures on any page or file.
    for (path, text) in site_texts(&site) {
        for never in [
            "handwerk",
            "eigen telling",
            "doorstroom vrouwen",
            "(duo)",
            "(bron2)",
        ] {
            assert!(!text.contains(never), "{never} in {}", path.display());
        }
    }
}

#[test]
fn english_pages_name_the_national_figure_in_english() {
    let o = region_with_national_figures();
    let config = o.dir.join("doorstroom.toml");
    edit_config(
        &config,
        "name = \"Toets\"\n",
        "name = \"Toets\"\nlanguage = \"en\"\n",
    );
    let out = crate::region::run_config(&config);
    crate::region::assert_status(&out, 0);
    let html = std::fs::read_to_string(o.dir.join("out/site/schools/97XA01.html")).unwrap();
    assert!(html.contains("national 81% (vensters)"));
    assert!(html.contains("National: the named source"));
}
