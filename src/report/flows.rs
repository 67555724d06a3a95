//! The flows page (`site/flows.html`): for the region and every school, a Sankey diagram of where
//! its latest cohort with a published direct inflow was on 1 October after the diploma — funded education by sector,
//! or none — with its table and a PNG; all cohorts in the `flows` download. The numbers come from
//! report_flows.sql (published rows only); suppressed destinations are drawn together as one grey
//! band without a number (the part of the published direct inflow that the published destinations
//! leave unexplained).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use super::{base_context, chart_out, download, write_page, ChartOut};
use crate::charts::sankey::{self, Band};
use crate::engine::{self, SITE_MODELS};
use crate::project::{Language, Project};

/// The page's own words.
#[derive(Debug, Serialize)]
struct Texts {
    intro: &'static str,
    chart_title: &'static str,
    alumni: &'static str,
    destination: &'static str,
    count: &'static str,
    share: &'static str,
    hidden: &'static str,
    none_shown: &'static str,
    not_shown: &'static str,
    not_yet: &'static str,
}

fn texts(lang: Language) -> Texts {
    match lang {
        Language::Nl => Texts {
            intro: "Waar de oud-leerlingen van het laatste cohort op 1 oktober na hun diploma stonden \
                    ingeschreven (per eenheid het laatste cohort waarvan de instroom gepubliceerd is): per sector van het bekostigde vervolgonderwijs (bij twee inschrijvingen \
                    telt de hoogste sector), of nergens. Kleine aantallen zijn afgeschermd en staan samen \
                    als grijze band, zonder aantal. Alle cohorten staan in de download.",
            chart_title: "Bestemming op 1 oktober",
            alumni: "Gediplomeerden",
            destination: "Bestemming",
            count: "Aantal",
            share: "Aandeel",
            hidden: "afgeschermd (samen)",
            none_shown: "Geen cohort met gepubliceerde instroom.",
            not_shown: "Niet getekend (de directe instroom is in geen cohort gepubliceerd)",
            not_yet: "Per instelling en opleiding: nog niet (de gedeelde bundel heeft geen cijfers per \
                      school en instelling).",
        },
        Language::En => Texts {
            intro: "Where the latest cohort's former students were enrolled on 1 October after their \
                    diploma (per unit the latest cohort whose inflow is published): by sector of funded further education (with two enrollments the highest \
                    sector counts), or nowhere. Small counts are hidden and drawn together as one grey \
                    band, without a number. Every cohort is in the download.",
            chart_title: "Destination on 1 October",
            alumni: "Graduates",
            destination: "Destination",
            count: "Count",
            share: "Share",
            hidden: "hidden (together)",
            none_shown: "No cohort with published inflow.",
            not_shown: "Not drawn (the direct inflow is published for no cohort)",
            not_yet: "By institution and programme: not yet (the shared bundle has no figures per \
                      school and institution).",
        },
    }
}

/// A destination's name on the page.
fn destination_label(id: &str, lang: Language) -> &'static str {
    match (id, lang) {
        ("wo", _) => "wo",
        ("hbo", _) => "hbo",
        ("mbo", _) => "mbo",
        ("vo", Language::Nl) => "vo (stapelen)",
        ("vo", Language::En) => "vo (stacking)",
        ("vavo", _) => "vavo",
        (_, Language::Nl) => "geen bekostigd onderwijs",
        (_, Language::En) => "no funded education",
    }
}

#[derive(Debug, Serialize)]
struct FlowRow {
    label: &'static str,
    count: String,
    share: String,
    suppressed: bool,
}

#[derive(Debug, Serialize)]
struct FlowUnit {
    anchor: String,
    heading: String,
    cohort: i32,
    chart: ChartOut,
    rows: Vec<FlowRow>,
}

/// One destination of a unit: id, count (none when suppressed).
type Part = (String, Option<i64>);
/// A unit's cohort, alumni, direct inflow and destinations.
type Latest = (i32, i64, i64, Vec<Part>);

/// Renders `site/flows.html` and the `flows` download.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
) -> Result<()> {
    let lang = project.language;
    let t = texts(lang);
    let table = engine::query_text(ctx, SITE_MODELS, "report_flows").await?;
    download::write(
        site,
        "flows",
        &download::from_text(&table),
        project.data_until,
    )?;
    // (unit type, unit id) → its latest cohort with a published direct inflow: (cohort, alumni,
    // direct inflow, destinations in order). The rows come by unit and cohort.
    let mut units: BTreeMap<(String, String), Latest> = BTreeMap::new();
    for r in &table.rows {
        let cohort: i32 = table.get(r, "cohort").parse()?;
        let key = (
            table.get(r, "unit_type").to_string(),
            table.get(r, "unit_id").to_string(),
        );
        let entry = units.entry(key).or_insert((cohort, 0, 0, Vec::new()));
        if entry.0 != cohort {
            *entry = (cohort, 0, 0, Vec::new());
        }
        entry.1 = table.get(r, "alumni").parse()?;
        entry.2 = table.get(r, "direct").parse()?;
        let count = match table.get(r, "suppressed") {
            "true" => None,
            _ => Some(table.get(r, "alumni_count").parse()?),
        };
        entry
            .3
            .push((table.get(r, "destination").to_string(), count));
    }

    let marker = format!("<{}", project.privacy.min_cell);
    let mut shown = Vec::new();
    for (i, ((unit_type, unit_id), (cohort, alumni, direct, parts))) in units.iter().enumerate() {
        let heading = super::units::heading_of(project, names, unit_type, unit_id);
        let chart = sankey::render(
            &format!("{} {cohort}", t.chart_title),
            &format!("{heading} — {}", t.alumni),
            *alumni,
            &bands(parts, *direct, lang, t.hidden),
        )?;
        shown.push(FlowUnit {
            anchor: format!("{unit_type}-{unit_id}"),
            heading,
            cohort: *cohort,
            chart: chart_out(site, "flows.html", i + 1, chart)?,
            rows: parts
                .iter()
                .map(|(id, count)| FlowRow {
                    label: destination_label(id, lang),
                    count: count.map_or(marker.clone(), |n| n.to_string()),
                    share: count.map_or(String::new(), |n| {
                        super::units::percent(n as f64 / *alumni as f64)
                    }),
                    suppressed: count.is_none(),
                })
                .collect(),
        });
    }
    let missing: Vec<String> = names
        .keys()
        .filter(|id| !units.contains_key(&("school".to_string(), id.to_string())))
        .map(|id| super::units::heading_of(project, names, "school", id))
        .collect();
    let mut context = base_context(project, "flows.html", &["flows"]);
    context.insert("f", &t);
    context.insert("units", &shown);
    context.insert("missing", &missing);
    write_page(site, "flows.html", &context)?;
    Ok(())
}

/// The bands of one diagram: the published destinations, one grey band for what the suppressed
/// ones hold together (the direct inflow minus the published destinations: a sum the published
/// rows already give away, drawn without a number), and those without funded education last.
fn bands(parts: &[Part], direct: i64, lang: Language, hidden: &str) -> Vec<Band> {
    let order = ["wo", "hbo", "mbo", "vo", "vavo", "geen"];
    let band = |id: &str, n: i64| Band {
        label: destination_label(id, lang).to_string(),
        count: Some(n),
        width: n,
        color: order.iter().position(|o| *o == id).unwrap_or(order.len()),
    };
    let mut out: Vec<Band> = parts
        .iter()
        .filter(|(id, _)| id != "geen")
        .filter_map(|(id, count)| count.map(|n| band(id, n)))
        .collect();
    let known: i64 = out.iter().map(|b| b.width).sum();
    if parts.iter().any(|(_, c)| c.is_none()) && direct > known {
        out.push(Band {
            label: hidden.to_string(),
            count: None,
            width: direct - known,
            color: 0,
        });
    }
    out.extend(
        parts
            .iter()
            .filter(|(id, _)| id == "geen")
            .filter_map(|(id, count)| count.map(|n| band(id, n))),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_destinations_become_one_band_without_a_number() {
        let parts: Vec<Part> = vec![
            ("wo".into(), Some(20)),
            ("hbo".into(), None),
            ("mbo".into(), Some(50)),
            ("vo".into(), None),
            ("vavo".into(), Some(0)),
            ("geen".into(), Some(12)),
        ];
        // 90 direct entrants, 70 of them in published sectors: 20 in the two hidden ones.
        let b = bands(&parts, 90, Language::Nl, "afgeschermd");
        let got: Vec<(&str, Option<i64>, i64)> = b
            .iter()
            .map(|b| (b.label.as_str(), b.count, b.width))
            .collect();
        assert_eq!(
            got,
            vec![
                ("wo", Some(20), 20),
                ("mbo", Some(50), 50),
                ("vavo", Some(0), 0),
                ("afgeschermd", None, 20),
                ("geen bekostigd onderwijs", Some(12), 12),
            ]
        );
    }
}
