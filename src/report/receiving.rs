//! The receiving partners' view (definitions.md §6, the instroom cohort basis): `site/receiving.html`
//! with a section per sector and links to `site/instellingen/<brin>.html`, one page per
//! institution with its own section and a table of its programmes. What became of everyone who
//! entered the unit in a year, whatever school they came from; published rows only
//! (queries/report_receiving.sql), names from queries/report_institutions.sql.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use super::units::{percent, published_rows, section, Around, Layout, Published};
use super::{base_context, download, labels, write_page_as, Link};
use crate::engine::{self, SITE_MODELS};
use crate::project::{Language, Project};

/// The instroom basis: the year-one outcomes and the diploma within n years.
const RECEIVING: Layout = Layout {
    table: &[
        "nog_in_sector",
        "switch_binnen_sector",
        "jaar1_switch_sector",
        "uitval_onderwijs",
        "diploma_binnen_3_jaar",
        "diploma_binnen_4_jaar",
        "diploma_binnen_5_jaar",
    ],
    charts: &[
        (
            |t| t.chart_receiving_year_one,
            &["nog_in_sector", "switch_binnen_sector", "uitval_onderwijs"],
        ),
        (
            |t| t.chart_diploma,
            &[
                "diploma_binnen_3_jaar",
                "diploma_binnen_4_jaar",
                "diploma_binnen_5_jaar",
            ],
        ),
    ],
};

/// The programmes' table shows this indicator per cohort, with the cohort's size.
const PROGRAMME_INDICATOR: &str = "uitval_onderwijs";

#[derive(Debug, Serialize)]
struct ProgrammeCell {
    text: String,
    n: String,
    suppressed: bool,
}

#[derive(Debug, Serialize)]
struct Programme {
    heading: String,
    code: String,
    cells: Vec<ProgrammeCell>,
}

/// A sector group's name.
fn sector_name(id: &str, lang: Language) -> String {
    let (nl, en) = match id {
        "HO" => (
            "Hoger onderwijs (hbo en wo)",
            "Higher education (hbo and wo)",
        ),
        "MBO" => ("Mbo", "Mbo"),
        "VO" => (
            "Voortgezet onderwijs (vo en vavo)",
            "Secondary education (vo and vavo)",
        ),
        other => (other, other),
    };
    labels::choose(lang, nl, en).to_string()
}

/// Renders `<site>/receiving.html` and a page per institution.
pub async fn render(ctx: &SessionContext, project: &Project, site: &Path) -> Result<PathBuf> {
    let lang = project.language;
    let rows = published_rows(ctx, "report_receiving").await?;
    download::write(
        site,
        "receiving",
        &download::from_text(&engine::query_text(ctx, SITE_MODELS, "report_receiving").await?),
        project.data_until,
    )?;
    let names_table = engine::query_text(ctx, SITE_MODELS, "report_institutions").await?;
    let names: BTreeMap<(String, String), String> = names_table
        .rows
        .iter()
        .map(|r| {
            (
                (
                    names_table.get(r, "unit_type").to_string(),
                    names_table.get(r, "unit_id").to_string(),
                ),
                names_table.get(r, "name").to_string(),
            )
        })
        .collect();
    let name = |unit_type: &str, unit_id: &str| -> String {
        names
            .get(&(unit_type.to_string(), unit_id.to_string()))
            .cloned()
            .unwrap_or_else(|| match unit_type {
                "sector" => sector_name(unit_id, lang),
                _ => unit_id.to_string(),
            })
    };
    let marker = format!("<{}", project.privacy.min_cell);
    let around = Around {
        cohorts: (
            rows.iter().map(|r| r.cohort).min().unwrap_or(0),
            rows.iter().map(|r| r.cohort).max().unwrap_or(0),
        ),
        ..Around::default()
    };
    let cohorts: Vec<i32> = (around.cohorts.0..=around.cohorts.1).collect();
    let mut units: BTreeMap<(String, String), Vec<&Published>> = BTreeMap::new();
    for r in &rows {
        units
            .entry((r.unit_type.clone(), r.unit_id.clone()))
            .or_default()
            .push(r);
    }
    let page = "receiving.html";
    let mut sectors = Vec::new();
    let mut institutions = Vec::new();
    for ((unit_type, unit_id), unit_rows) in &units {
        match unit_type.as_str() {
            "sector" => sectors.push(section(
                &RECEIVING,
                project,
                (unit_type, unit_id),
                name(unit_type, unit_id),
                unit_rows,
                &around,
                (site, page, 2 * sectors.len() + 1),
            )?),
            "instelling" => {
                let own_page = format!("instellingen/{unit_id}.html");
                let own = section(
                    &RECEIVING,
                    project,
                    (unit_type, unit_id),
                    name(unit_type, unit_id),
                    unit_rows,
                    &around,
                    (site, &own_page, 1),
                )?;
                let programmes: Vec<Programme> = units
                    .iter()
                    .filter(|((t, id), _)| {
                        t == "opleiding" && id.split(':').next() == Some(unit_id)
                    })
                    .map(|((t, id), rows)| Programme {
                        heading: name(t, id),
                        code: id.clone(),
                        cells: cohorts
                            .iter()
                            .map(|&c| programme_cell(rows, c, &marker))
                            .collect(),
                    })
                    .collect();
                let mut context = base_context(project, &own_page, &[]);
                context.insert("cohorts", &cohorts);
                context.insert("unit", &own);
                context.insert("programmes", &programmes);
                context.insert(
                    "programme_indicator",
                    labels::indicator_or_id(PROGRAMME_INDICATOR, lang),
                );
                write_page_as(site, "institution.html", &own_page, &context)?;
                institutions.push(Link {
                    href: own_page,
                    heading: name(unit_type, unit_id),
                    code: unit_id.clone(),
                });
            }
            _ => {}
        }
    }
    let mut context = base_context(project, page, &["receiving"]);
    context.insert("sectors", &sectors);
    context.insert("institutions", &institutions);
    write_page_as(site, "receiving.html", page, &context)
}

/// A programme's cell for one cohort: the share that left education after one year and the
/// cohort's size, or the marker where suppressed; empty where the programme had no cohort.
fn programme_cell(rows: &[&Published], cohort: i32, marker: &str) -> ProgrammeCell {
    let row = rows
        .iter()
        .find(|r| r.cohort == cohort && r.indicator == PROGRAMME_INDICATOR);
    match row {
        None => ProgrammeCell {
            text: String::new(),
            n: String::new(),
            suppressed: false,
        },
        Some(r) => match (r.value, r.denominator) {
            (Some((v, _, _)), Some(d)) => ProgrammeCell {
                text: percent(v),
                n: format!("n = {d}"),
                suppressed: false,
            },
            _ => ProgrammeCell {
                text: marker.to_string(),
                n: String::new(),
                suppressed: true,
            },
        },
    }
}
