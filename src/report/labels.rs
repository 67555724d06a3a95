//! Words the report uses, in Dutch (default) and English. Indicator ids stay as in definitions.md.

use crate::project::Language;

/// The label of an indicator id in the report language.
pub fn indicator(id: &str, lang: Language) -> &'static str {
    let (nl, en) = match id {
        "instroom_direct" => (
            "Direct ingestroomd (1 oktober na diploma)",
            "Direct inflow (1 October after diploma)",
        ),
        "instroom_binnen_1_jaar" => ("Ingestroomd binnen 1 jaar", "Inflow within 1 year"),
        "bestemming_mbo" => ("Bestemming mbo", "Destination mbo"),
        "bestemming_hbo" => ("Bestemming hbo", "Destination hbo"),
        "bestemming_wo" => ("Bestemming wo", "Destination wo"),
        "nog_in_sector" => (
            "Na één jaar nog in de sector",
            "Still in the sector after one year",
        ),
        "switch_binnen_sector" => ("Gewisseld binnen de sector", "Switched within the sector"),
        "uitval_onderwijs" => (
            "Uit het onderwijs na één jaar",
            "Left education after one year",
        ),
        "diploma_binnen_5_jaar" => ("Diploma binnen 5 jaar", "Diploma within 5 years"),
        _ => ("", ""),
    };
    choose(lang, nl, en)
}

/// The Dutch or the English of a text.
pub fn choose<'a>(lang: Language, nl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Language::Nl => nl,
        Language::En => en,
    }
}

/// Fixed texts of the page.
#[derive(Debug, serde::Serialize)]
pub struct Texts {
    pub title: &'static str,
    pub data_until: &'static str,
    pub region: &'static str,
    pub schools: &'static str,
    pub cohort: &'static str,
    pub indicator: &'static str,
    pub chart_inflow: &'static str,
    pub chart_year_one: &'static str,
    pub legend: &'static str,
    pub intro: &'static str,
    pub interval: &'static str,
}

pub fn texts(lang: Language) -> Texts {
    match lang {
        Language::Nl => Texts {
            title: "Doorstroom van oud-leerlingen",
            data_until: "Gegevens tot",
            region: "Regio",
            schools: "Scholen",
            cohort: "Diplomacohort",
            indicator: "Indicator",
            chart_inflow: "Instroom in vervolgonderwijs",
            chart_year_one: "Eerste jaar na directe instroom",
            legend: "niet gepubliceerd: te weinig leerlingen, of anders uit de andere cijfers \
                     terug te rekenen",
            intro: "Hoe doen oud-leerlingen het na hun diploma? Percentages per diplomacohort, met het \
                    95%-betrouwbaarheidsinterval als band in de grafiek en tussen haakjes in de tabel. \
                    Het eerste jaar en het diploma gaan over wie direct instroomde.",
            interval: "95%-interval",
        },
        Language::En => Texts {
            title: "Transition of former students",
            data_until: "Data until",
            region: "Region",
            schools: "Schools",
            cohort: "Diploma cohort",
            indicator: "Indicator",
            chart_inflow: "Inflow into further education",
            chart_year_one: "First year after direct inflow",
            legend: "not published: too few students, or it could otherwise be recomputed from \
                     the other figures",
            intro: "How do former students do after their diploma? Rates per diploma cohort, with the 95% \
                    interval as a band in the chart and in brackets in the table. The first year and the \
                    diploma concern those who entered directly.",
            interval: "95% interval",
        },
    }
}
