//! The report stage: a tera context from the published (suppressed) indicators, rendered with the
//! templates in `reports/` into self-contained pages with inline SVG charts: `site/index.html`
//! (the overview), `site/sources.html` (other sources beside ours), `site/definitions.html` and
//! `site/quality.html` (inputs, censoring, coverage).

pub mod definitions;
pub mod download;
pub mod labels;
mod quality;
mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine as _;
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{Float64Type, Int32Type, Int64Type};
use datafusion::prelude::SessionContext;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::charts::trend::{self, Point, Series};
use crate::engine::{self, SITE_MODELS};
use crate::project::Project;
use crate::warehouse::write_atomic;

/// The templates, by name; every name ends in `.html`, so tera autoescapes all of them.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../reports/base.html")),
    ("index.html", include_str!("../../reports/index.html")),
    ("sources.html", include_str!("../../reports/sources.html")),
    (
        "definitions.html",
        include_str!("../../reports/definitions.html"),
    ),
    ("quality.html", include_str!("../../reports/quality.html")),
];
const CSS: &str = include_str!("../../reports/style.css");

/// The site's pages: file name and its label in the navigation.
fn pages(lang: crate::project::Language) -> [(&'static str, &'static str); 4] {
    let t = labels::texts(lang);
    [
        ("index.html", t.overview),
        ("sources.html", t.sources_title),
        ("definitions.html", t.definitions_title),
        ("quality.html", t.quality_title),
    ]
}

/// A link in the navigation.
#[derive(Debug, Serialize)]
struct PageLink {
    href: &'static str,
    label: &'static str,
    current: bool,
}

/// The context every page shares (base.html): language, texts, project, navigation, style, and
/// the downloads of the page's tables (written by the page under `data/`).
fn base_context(project: &Project, current: &str, downloads: &[&str]) -> tera::Context {
    let css_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CSS.as_bytes()));
    let mut context = tera::Context::new();
    context.insert("lang", project.language.code());
    context.insert("t", &labels::texts(project.language));
    context.insert("project", &project.name);
    context.insert("data_until", &project.data_until.to_string());
    context.insert("css", CSS);
    context.insert("css_hash", &css_hash);
    context.insert("marker", &format!("<{}", project.privacy.min_cell));
    let nav: Vec<PageLink> = pages(project.language)
        .iter()
        .map(|&(href, label)| PageLink {
            href,
            label,
            current: href == current,
        })
        .collect();
    context.insert("pages", &nav);
    context.insert("downloads", downloads);
    context
}

/// Renders one page with its context into `site/<name>`.
fn write_page(site: &Path, name: &str, context: &tera::Context) -> Result<PathBuf> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .context("reports/: cannot read the templates")?;
    let html = tera
        .render(name, context)
        .with_context(|| format!("reports/{name}: cannot render"))?;
    let path = site.join(name);
    write_atomic(&path, html.as_bytes())?;
    Ok(path)
}

/// Indicators in the tables, in this order; the first two are the inflow chart, the next three the
/// year-one chart.
const TABLE_INDICATORS: &[&str] = &[
    "instroom_direct",
    "instroom_binnen_1_jaar",
    "nog_in_sector",
    "switch_binnen_sector",
    "uitval_onderwijs",
    "bestemming_mbo",
    "bestemming_hbo",
    "bestemming_wo",
    "diploma_binnen_5_jaar",
];
const INFLOW_CHART: &[&str] = &["instroom_direct", "instroom_binnen_1_jaar"];
const YEAR_ONE_CHART: &[&str] = &["nog_in_sector", "switch_binnen_sector", "uitval_onderwijs"];

/// A published row as the report gets it: no number when suppressed.
#[derive(Debug, Clone)]
struct Published {
    cohort: i32,
    unit_type: String,
    unit_id: String,
    indicator: String,
    numerator: Option<i64>,
    denominator: Option<i64>,
    value: Option<(f64, f64, f64)>,
}

#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    interval: String,
    n: String,
    suppressed: bool,
}

#[derive(Debug, Serialize)]
struct Row {
    label: &'static str,
    indicator: String,
    cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
struct UnitSection {
    anchor: String,
    kind: String,
    heading: String,
    code: String,
    charts: Vec<String>,
    rows: Vec<Row>,
}

async fn published_rows(ctx: &SessionContext) -> Result<Vec<Published>> {
    let batches = engine::query(ctx, SITE_MODELS, "report_trends").await?;
    let mut rows = Vec::new();
    for b in &batches {
        let (cohort, unit_type, unit_id, indicator) = (
            b.column(0).as_primitive::<Int32Type>(),
            b.column(1).as_string::<i32>(),
            b.column(2).as_string::<i32>(),
            b.column(3).as_string::<i32>(),
        );
        let (num, den) = (
            b.column(4).as_primitive::<Int64Type>(),
            b.column(5).as_primitive::<Int64Type>(),
        );
        let (value, low, high) = (
            b.column(6).as_primitive::<Float64Type>(),
            b.column(7).as_primitive::<Float64Type>(),
            b.column(8).as_primitive::<Float64Type>(),
        );
        for i in 0..b.num_rows() {
            rows.push(Published {
                cohort: cohort.value(i),
                unit_type: unit_type.value(i).to_string(),
                unit_id: unit_id.value(i).to_string(),
                indicator: indicator.value(i).to_string(),
                numerator: (!num.is_null(i)).then(|| num.value(i)),
                denominator: (!den.is_null(i)).then(|| den.value(i)),
                value: (!value.is_null(i)).then(|| (value.value(i), low.value(i), high.value(i))),
            });
        }
    }
    Ok(rows)
}

async fn school_names(ctx: &SessionContext) -> Result<BTreeMap<String, String>> {
    let batches = engine::query(ctx, SITE_MODELS, "report_units").await?;
    let mut names = BTreeMap::new();
    for b in &batches {
        let (ids, ns) = (
            b.column(0).as_string::<i32>(),
            b.column(1).as_string::<i32>(),
        );
        for i in 0..b.num_rows() {
            names.insert(ids.value(i).to_string(), ns.value(i).to_string());
        }
    }
    Ok(names)
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn section(
    project: &Project,
    marker: &str,
    (unit_type, unit_id): (&str, &str),
    heading: String,
    rows: &[&Published],
    cohorts: (i32, i32),
) -> Result<UnitSection> {
    let lang = project.language;
    let texts = labels::texts(lang);
    let find = |ind: &str, cohort: i32| {
        rows.iter()
            .find(|r| r.indicator == ind && r.cohort == cohort)
    };
    let table_rows = TABLE_INDICATORS
        .iter()
        .filter(|ind| rows.iter().any(|r| r.indicator == **ind))
        .map(|ind| Row {
            label: labels::indicator(ind, lang),
            indicator: ind.to_string(),
            cells: (cohorts.0..=cohorts.1)
                .map(|c| match find(ind, c) {
                    None => Cell {
                        text: String::new(),
                        interval: String::new(),
                        n: String::new(),
                        suppressed: false,
                    },
                    Some(r) => match (r.value, r.numerator, r.denominator) {
                        (Some((v, lo, hi)), Some(num), Some(den)) => Cell {
                            text: percent(v),
                            interval: format!("{}–{}", percent(lo), percent(hi)),
                            n: format!("{num}/{den}"),
                            suppressed: false,
                        },
                        _ => Cell {
                            text: marker.to_string(),
                            interval: String::new(),
                            n: String::new(),
                            suppressed: true,
                        },
                    },
                })
                .collect(),
        })
        .collect();
    let series_of = |inds: &[&str]| -> Vec<Series> {
        inds.iter()
            .map(|ind| Series {
                label: labels::indicator(ind, lang).to_string(),
                points: rows
                    .iter()
                    .filter(|r| r.indicator == *ind)
                    .filter_map(|r| {
                        r.value.map(|(value, low, high)| Point {
                            cohort: r.cohort,
                            value,
                            low,
                            high,
                        })
                    })
                    .collect(),
            })
            .collect()
    };
    let charts = vec![
        trend::svg(texts.chart_inflow, cohorts, &series_of(INFLOW_CHART))?,
        trend::svg(texts.chart_year_one, cohorts, &series_of(YEAR_ONE_CHART))?,
    ];
    Ok(UnitSection {
        anchor: format!("{unit_type}-{unit_id}"),
        kind: if unit_type == "regio" {
            texts.region.to_string()
        } else {
            String::new()
        },
        heading,
        code: if unit_type == "regio" {
            String::new()
        } else {
            unit_id.to_string()
        },
        charts,
        rows: table_rows,
    })
}

/// Renders the site's pages; `inputs` is the manifest's list of input entries (for the data
/// quality page). Returns the path of the overview.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    inputs: &serde_json::Value,
) -> Result<PathBuf> {
    let names = school_names(ctx).await?;
    let index = render_overview(ctx, project, site, &names).await?;
    sources::render(ctx, project, site, &names).await?;
    definitions::render(project, site)?;
    quality::render(ctx, project, site, &names, inputs).await?;
    Ok(index)
}

/// `<site>/index.html`: the region and every school, trends and tables.
async fn render_overview(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
) -> Result<PathBuf> {
    let rows = published_rows(ctx).await?;
    let marker = format!("<{}", project.privacy.min_cell);
    let first = rows.iter().map(|r| r.cohort).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.cohort).max().unwrap_or(0);
    let mut units: BTreeMap<(String, String), Vec<&Published>> = BTreeMap::new();
    for r in &rows {
        units
            .entry((r.unit_type.clone(), r.unit_id.clone()))
            .or_default()
            .push(r);
    }
    let mut sections = Vec::new();
    for ((unit_type, unit_id), unit_rows) in &units {
        if unit_type == "regio" {
            sections.insert(
                0,
                section(
                    project,
                    &marker,
                    (unit_type, unit_id),
                    project.name.clone(),
                    unit_rows,
                    (first, last),
                )?,
            );
        } else {
            let heading = names
                .get(unit_id)
                .cloned()
                .unwrap_or_else(|| unit_id.clone());
            sections.push(section(
                project,
                &marker,
                (unit_type, unit_id),
                heading,
                unit_rows,
                (first, last),
            )?);
        }
    }
    let trends = engine::query_text(ctx, SITE_MODELS, "report_trends").await?;
    download::write(
        site,
        "overview",
        &download::from_text(&trends),
        project.data_until,
    )?;
    let mut context = base_context(project, "index.html", &["overview"]);
    context.insert("cohorts", &(first..=last).collect::<Vec<_>>());
    context.insert(
        "schools",
        &sections
            .iter()
            .filter(|s| s.kind.is_empty())
            .collect::<Vec<_>>(),
    );
    context.insert("sections", &sections);
    write_page(site, "index.html", &context)
}
