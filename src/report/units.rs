//! The unit pages: `site/index.html` (the region: trends, table, significant changes and units
//! outside their norms in the latest cohort, links to every school), `site/schools/<id>.html` (a
//! school, with the region's figure under each of its own and links to its afdelingen) and
//! `site/afdelingen/<id>.html`. All from published rows: report_trends.sql, report_changes.sql
//! (definitions.md §8) and report_norms.sql (`[[norms]]`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{Float64Type, Int32Type, Int64Type};
use datafusion::prelude::SessionContext;
use rayon::prelude::*;
use serde::Serialize;

use super::{base_context, chart_out, download, labels, write_page_as, ChartOut, Link};
use crate::charts::trend::{self, Point, Series};
use crate::engine::{self, TextTable, SITE_MODELS};
use crate::project::Project;

/// (unit type, unit id, indicator, cohort).
type UnitKey = (String, String, String, i32);

/// What a unit's section is set beside: the cohorts, the region's figures, the norms
/// (min, max, below) and the significant changes.
#[derive(Default)]
pub(super) struct Around {
    pub cohorts: (i32, i32),
    /// The columns are three-cohort windows (report_pooled.sql), named by their last cohort: only
    /// the windows the rows have are shown, headed `2022–2024`.
    pub windows: bool,
    pub region: BTreeMap<(String, i32), f64>,
    /// What `region` is, under each figure: the region (`None`) or, for a groep, its school.
    pub beside: Option<&'static str>,
    pub norms: BTreeMap<UnitKey, (Option<f64>, Option<f64>, bool)>,
    pub changes: BTreeMap<UnitKey, String>,
    /// National figures by (niveau, indicator, cohort), as text (`47% (vensters)`):
    /// report_national.sql; niveau empty for the region and schools.
    pub national: BTreeMap<(String, String, i32), String>,
}

fn norm_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("{}–{}", percent(lo), percent(hi)),
        (Some(lo), None) => format!("≥ {}", percent(lo)),
        (None, Some(hi)) => format!("≤ {}", percent(hi)),
        (None, None) => String::new(),
    }
}

fn key_of(t: &TextTable, r: &[String]) -> Result<UnitKey> {
    Ok((
        t.get(r, "unit_type").to_string(),
        t.get(r, "unit_id").to_string(),
        t.get(r, "indicator").to_string(),
        t.get(r, "cohort").parse()?,
    ))
}

/// What a unit section shows: the table's indicators in order (every indicator of the rows, in
/// their order, when empty), and two charts (a title picked from the texts, and their indicators).
pub(super) struct Layout {
    pub table: &'static [&'static str],
    pub charts: &'static [Chart],
}

/// A chart of a unit section: its title among the texts, and its indicators.
pub(super) type Chart = (fn(&labels::Texts) -> &'static str, &'static [&'static str]);

/// The alumni survey: one row per item, no charts.
const SURVEY: Layout = Layout {
    table: &[],
    charts: &[],
};

/// The diploma cohort basis: inflow, destinations, year one and diploma of the alumni.
const ALUMNI: Layout = Layout {
    table: TABLE_INDICATORS,
    charts: &[
        (|t| t.chart_inflow, INFLOW_CHART),
        (|t| t.chart_year_one, YEAR_ONE_CHART),
    ],
};

/// A small unit's pooled windows and a school's groepen: the same table, no charts (a trend of two
/// or three windows says little; a school page with a pair of charts per groep says too much).
const TABLE_ONLY: Layout = Layout {
    table: TABLE_INDICATORS,
    charts: &[],
};

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
pub(super) struct Published {
    pub cohort: i32,
    pub unit_type: String,
    pub unit_id: String,
    pub indicator: String,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub value: Option<(f64, f64, f64)>,
}

#[derive(Debug, Default, Serialize)]
struct Cell {
    text: String,
    interval: String,
    n: String,
    suppressed: bool,
    /// The region's figure for the same indicator and cohort (unit pages).
    region: String,
    /// The national figures of other sources for the same indicator and cohort.
    national: String,
    below_norm: bool,
    /// ▲ or ▼ for a significant change (report_changes.sql).
    change: String,
    change_title: String,
}

#[derive(Debug, Serialize)]
struct Row {
    label: String,
    indicator: String,
    /// The norm that applies, as text (`≥ 80%`), empty when none.
    norm: String,
    cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
pub(super) struct UnitSection {
    anchor: String,
    kind: String,
    heading: String,
    code: String,
    /// The table's column heads: cohorts, or windows (`2022–2024`).
    columns: Vec<String>,
    /// What the small figure under each cell is (`regio`, or `school` under a groep).
    beside: &'static str,
    /// Whether any cell has a national figure under it (the legend says what it is).
    has_national: bool,
    charts: Vec<ChartOut>,
    rows: Vec<Row>,
    has_norms: bool,
}

/// The rows of a model with report_trends.sql's columns.
pub(super) async fn published_rows(ctx: &SessionContext, model: &str) -> Result<Vec<Published>> {
    let batches = engine::query(ctx, SITE_MODELS, model).await?;
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

/// A rate as a whole percentage, as every page table shows it.
pub(super) fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

pub(super) fn section(
    layout: &Layout,
    project: &Project,
    (unit_type, unit_id): (&str, &str),
    heading: String,
    rows: &[&Published],
    around: &Around,
    (site, page, first_chart): (&Path, &str, usize),
) -> Result<UnitSection> {
    let cohorts = around.cohorts;
    let columns: Vec<i32> = if around.windows {
        let ends: std::collections::BTreeSet<i32> = rows.iter().map(|r| r.cohort).collect();
        ends.into_iter().collect()
    } else {
        (cohorts.0..=cohorts.1).collect()
    };
    let marker = format!("<{}", project.privacy.min_cell);
    let marker = marker.as_str();
    let lang = project.language;
    let texts = labels::texts(lang);
    let find = |ind: &str, cohort: i32| {
        rows.iter()
            .find(|r| r.indicator == ind && r.cohort == cohort)
    };
    let unit_key = |ind: &str, cohort: i32| {
        (
            unit_type.to_string(),
            unit_id.to_string(),
            ind.to_string(),
            cohort,
        )
    };
    // An afdeling is compared with the national figure of its niveau, the region and a school
    // with the national figure over every niveau.
    let niveau = match unit_type {
        "afdeling" => unit_id.split_once(':').map_or("", |(_, n)| n),
        _ => "",
    };
    let decorate = |mut cell: Cell, ind: &str, cohort: i32| -> Cell {
        if unit_type != "regio" {
            if let Some(v) = around.region.get(&(ind.to_string(), cohort)) {
                cell.region = percent(*v);
            }
        }
        if let Some(text) = around
            .national
            .get(&(niveau.to_string(), ind.to_string(), cohort))
        {
            cell.national = text.clone();
        }
        let key = unit_key(ind, cohort);
        cell.below_norm = around.norms.get(&key).is_some_and(|n| n.2);
        match around.changes.get(&key).map(String::as_str) {
            Some("up") => (cell.change, cell.change_title) = ("▲".into(), texts.higher.into()),
            Some("down") => (cell.change, cell.change_title) = ("▼".into(), texts.lower.into()),
            _ => {}
        }
        cell
    };
    let norm_text = |ind: &str| -> String {
        around
            .norms
            .iter()
            .find(|(k, _)| k.0 == unit_type && k.1 == unit_id && k.2 == ind)
            .map(|(_, (lo, hi, _))| norm_text(*lo, *hi))
            .unwrap_or_default()
    };
    let mut indicators: Vec<&str> = layout.table.to_vec();
    if indicators.is_empty() {
        for r in rows {
            if !indicators.contains(&r.indicator.as_str()) {
                indicators.push(&r.indicator);
            }
        }
    }
    let table_rows = indicators
        .iter()
        .filter(|ind| rows.iter().any(|r| r.indicator == **ind))
        .map(|ind| Row {
            label: labels::indicator_or_id(ind, lang)
                .trim_start_matches("enquete:")
                .to_string(),
            indicator: ind.to_string(),
            norm: norm_text(ind),
            cells: columns
                .iter()
                .map(|&c| {
                    let cell = match find(ind, c) {
                        None => Cell::default(),
                        Some(r) => match (r.value, r.numerator, r.denominator) {
                            (Some((v, lo, hi)), Some(num), Some(den)) => Cell {
                                text: percent(v),
                                interval: format!("{}–{}", percent(lo), percent(hi)),
                                n: format!("{num}/{den}"),
                                ..Cell::default()
                            },
                            _ => Cell {
                                text: marker.to_string(),
                                suppressed: true,
                                ..Cell::default()
                            },
                        },
                    };
                    decorate(cell, ind, c)
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
    let table_rows: Vec<Row> = table_rows;
    let charts = layout
        .charts
        .iter()
        .enumerate()
        .map(|(i, (title, inds))| {
            let chart = trend::render(title(&texts), cohorts, &series_of(inds), &[])?;
            chart_out(site, page, first_chart + i, chart)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(UnitSection {
        anchor: anchor_of(unit_type, unit_id),
        beside: around.beside.unwrap_or(texts.region_short),
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
        has_norms: table_rows.iter().any(|r: &Row| !r.norm.is_empty()),
        has_national: table_rows
            .iter()
            .any(|r| r.cells.iter().any(|c| !c.national.is_empty())),
        columns: columns
            .iter()
            .map(|&c| match around.windows {
                true => format!("{}–{c}", c - 2),
                false => c.to_string(),
            })
            .collect(),
        charts,
        rows: table_rows,
    })
}

/// A line of the overview's lists (changes, norms).
#[derive(Debug, Serialize)]
struct Notice {
    href: String,
    unit: String,
    indicator: String,
    cohort: i32,
    change: String,
    text: String,
    norm: String,
}

/// A section's HTML id. A groep's name is the school's free text, so everything but letters and
/// digits becomes `-` (an id has no spaces).
fn anchor_of(unit_type: &str, unit_id: &str) -> String {
    match unit_type {
        "groep" => {
            let safe: String = unit_id
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect();
            format!("groep-{safe}")
        }
        _ => format!("{unit_type}-{unit_id}"),
    }
}

fn page_of(unit_type: &str, unit_id: &str) -> String {
    match unit_type {
        "regio" => "index.html".into(),
        "school" => format!("schools/{unit_id}.html"),
        "groep" => format!(
            "schools/{}.html#{}",
            unit_id.split(':').next().unwrap_or(unit_id),
            anchor_of(unit_type, unit_id)
        ),
        _ => format!("afdelingen/{}.html", unit_id.replace(':', "-")),
    }
}

pub(super) fn heading_of(
    project: &Project,
    names: &BTreeMap<String, String>,
    unit_type: &str,
    unit_id: &str,
) -> String {
    let school = unit_id.split(':').next().unwrap_or(unit_id);
    let name = names.get(school).map_or(school, String::as_str);
    match unit_type {
        "regio" => project.name.clone(),
        "school" => name.to_string(),
        "groep" => format!("{name} — {}", groep_label(project, unit_id)),
        _ => format!("{name} — {}", unit_id.split(':').nth(1).unwrap_or("")),
    }
}

/// "Groep LOB-plus", or "zonder groep" for the school's alumni without one.
fn groep_label(project: &Project, unit_id: &str) -> String {
    let texts = labels::texts(project.language);
    match unit_id.split_once(':').map_or("", |(_, g)| g) {
        "" => texts.no_groep.to_string(),
        groep => format!("{} {groep}", texts.groep),
    }
}

/// Runs a site model and writes its table as the download `name` (CSV and XLSX).
async fn table_download(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    model: &str,
    name: &str,
) -> Result<TextTable> {
    let table = engine::query_text(ctx, SITE_MODELS, model).await?;
    download::write(site, name, &download::from_text(&table), project.data_until)?;
    Ok(table)
}

/// The region's published values by (indicator, cohort), to set beside a unit's.
fn region_values(rows: &[Published]) -> BTreeMap<(String, i32), f64> {
    let region: Vec<&Published> = rows.iter().filter(|r| r.unit_type == "regio").collect();
    values_of(&region)
}

/// The published values of `rows` by (indicator, cohort).
fn values_of(rows: &[&Published]) -> BTreeMap<(String, i32), f64> {
    rows.iter()
        .filter_map(|r| {
            r.value
                .map(|(v, _, _)| ((r.indicator.clone(), r.cohort), v))
        })
        .collect()
}

/// The national figures (report_national.sql) by (niveau, indicator, cohort), each source's as
/// `47% (vensters)`, several joined by `; `; also written as the download `national`.
async fn national_figures(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
) -> Result<BTreeMap<(String, String, i32), String>> {
    let table = table_download(ctx, project, site, "report_national", "national").await?;
    let mut figures: BTreeMap<(String, String, i32), Vec<String>> = BTreeMap::new();
    for r in &table.rows {
        let value: f64 = table.get(r, "value").parse()?;
        let text = format!("{} ({})", percent(value), table.get(r, "bron"));
        let list = figures
            .entry((
                table.get(r, "niveau").to_string(),
                table.get(r, "indicator").to_string(),
                table.get(r, "cohort").parse()?,
            ))
            .or_default();
        if !list.contains(&text) {
            list.push(text);
        }
    }
    Ok(figures
        .into_iter()
        .map(|(k, v)| (k, v.join("; ")))
        .collect())
}

/// A school's groepen, each a table with the school's figure under every cell.
fn groep_sections(
    project: &Project,
    school: &str,
    units: &BTreeMap<(String, String), Vec<&Published>>,
    around: &Around,
    (site, page): (&Path, &str),
) -> Result<Vec<UnitSection>> {
    let texts = labels::texts(project.language);
    let of_school = |id: &str| id.split(':').next() == Some(school);
    let school_rows = units
        .get(&("school".to_string(), school.to_string()))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let beside = Around {
        cohorts: around.cohorts,
        region: values_of(school_rows),
        beside: Some(texts.school_short),
        changes: around
            .changes
            .iter()
            .filter(|(k, _)| k.0 == "groep" && of_school(&k.1))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ..Around::default()
    };
    units
        .iter()
        .filter(|((t, id), _)| t == "groep" && of_school(id))
        .map(|((t, id), rows)| {
            let mut s = section(
                &TABLE_ONLY,
                project,
                (t, id),
                groep_label(project, id),
                rows,
                &beside,
                (site, page, 0),
            )?;
            s.code = String::new();
            Ok(s)
        })
        .collect()
}

/// Renders the overview and every school and afdeling page; returns the overview's path.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
) -> Result<PathBuf> {
    let lang = project.language;
    let texts = labels::texts(lang);
    let rows = published_rows(ctx, "report_trends").await?;
    // Every published row of the site (a million nationally): streamed, not held as text.
    download::write_query(ctx, "report_trends", site, "overview", project.data_until).await?;
    let first = rows.iter().map(|r| r.cohort).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.cohort).max().unwrap_or(0);

    let changes_table = table_download(ctx, project, site, "report_changes", "changes").await?;
    let mut changes = BTreeMap::new();
    for r in &changes_table.rows {
        changes.insert(
            key_of(&changes_table, r)?,
            changes_table.get(r, "direction").to_string(),
        );
    }
    let norms_table = table_download(ctx, project, site, "report_norms", "norms").await?;
    let mut norms = BTreeMap::new();
    for r in &norms_table.rows {
        let bound = |c: &str| norms_table.get(r, c).parse::<f64>().ok();
        norms.insert(
            key_of(&norms_table, r)?,
            (
                bound("min_value"),
                bound("max_value"),
                norms_table.get(r, "below_norm") == "true",
            ),
        );
    }
    let around = Around {
        cohorts: (first, last),
        region: region_values(&rows),
        norms,
        changes,
        windows: false,
        beside: None,
        national: national_figures(ctx, project, site).await?,
    };

    // Small units' pooled windows, with the region over the same windows.
    let pooled_rows = published_rows(ctx, "report_pooled").await?;
    table_download(ctx, project, site, "report_pooled", "pooled").await?;
    let pooled_around = Around {
        cohorts: (first, last),
        region: region_values(&pooled_rows),
        windows: true,
        ..Around::default()
    };
    let mut pooled: BTreeMap<(String, String), Vec<&Published>> = BTreeMap::new();
    for r in pooled_rows.iter().filter(|r| r.unit_type != "regio") {
        pooled
            .entry((r.unit_type.clone(), r.unit_id.clone()))
            .or_default()
            .push(r);
    }

    // The alumni survey beside the outcomes, with the region's share under each unit's.
    let survey_rows = published_rows(ctx, "report_survey").await?;
    table_download(ctx, project, site, "report_survey", "survey").await?;
    let survey_around = Around {
        cohorts: (first, last),
        region: region_values(&survey_rows),
        ..Around::default()
    };
    let mut survey: BTreeMap<(String, String), Vec<&Published>> = BTreeMap::new();
    for r in &survey_rows {
        survey
            .entry((r.unit_type.clone(), r.unit_id.clone()))
            .or_default()
            .push(r);
    }
    let survey_section = |unit_type: &str, unit_id: &str, page: &str| {
        survey
            .get(&(unit_type.to_string(), unit_id.to_string()))
            .map(|rows| {
                let mut s = self::section(
                    &SURVEY,
                    project,
                    (unit_type, unit_id),
                    texts.survey_title.to_string(),
                    rows,
                    &survey_around,
                    (site, page, 0),
                )?;
                s.anchor.push_str("-survey");
                (s.code, s.kind) = (String::new(), String::new());
                Ok::<_, anyhow::Error>(s)
            })
            .transpose()
    };

    let mut units: BTreeMap<(String, String), Vec<&Published>> = BTreeMap::new();
    for r in &rows {
        units
            .entry((r.unit_type.clone(), r.unit_id.clone()))
            .or_default()
            .push(r);
    }
    let sources = super::sources::by_unit(ctx, project).await?;
    let region_section = match units.get(&("regio".to_string(), "regio".to_string())) {
        Some(rows) => Some(section(
            &ALUMNI,
            project,
            ("regio", "regio"),
            heading_of(project, names, "regio", "regio"),
            rows,
            &around,
            (site, &page_of("regio", "regio"), 1),
        )?),
        None => None,
    };
    // A page per school and afdeling, each on its own (the national site has about 6,000): on
    // every core, in the units' order.
    let unit_page = |(unit_type, unit_id): &(String, String),
                     unit_rows: &Vec<&Published>|
     -> Result<Option<Link>> {
        let heading = heading_of(project, names, unit_type, unit_id);
        let page = page_of(unit_type, unit_id);
        let section = section(
            &ALUMNI,
            project,
            (unit_type, unit_id),
            heading.clone(),
            unit_rows,
            &around,
            (site, &page, 1),
        )?;
        let mut context = base_context(project, &page, &[]);
        context.insert("unit", &section);
        context.insert("survey", &survey_section(unit_type, unit_id, &page)?);
        if let Some(windows) = pooled.get(&(unit_type.clone(), unit_id.clone())) {
            let mut p = self::section(
                &TABLE_ONLY,
                project,
                (unit_type, unit_id),
                texts.pooled_title.to_string(),
                windows,
                &pooled_around,
                (site, &page, 3),
            )?;
            p.anchor.push_str("-pooled");
            p.code = String::new();
            context.insert("pooled", &p);
        }
        // Other sources' figures for this unit, as on the sources page (published rows only).
        if let Some((href, rows)) = sources.get(&(unit_type.clone(), unit_id.clone())) {
            let (hidden, shown): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r.hidden);
            context.insert("sources", &shown);
            context.insert("sources_hidden", &hidden.len());
            context.insert("sources_href", &format!("../{href}"));
        }
        let mut link = None;
        if unit_type == "school" {
            let afdelingen: Vec<Link> = units
                .keys()
                .filter(|(t, id)| t == "afdeling" && id.split(':').next() == Some(unit_id))
                .map(|(t, id)| Link {
                    href: format!("../{}", page_of(t, id)),
                    heading: heading_of(project, names, t, id),
                    code: id.clone(),
                })
                .collect();
            context.insert("afdelingen", &afdelingen);
            let groepen = groep_sections(project, unit_id, &units, &around, (site, &page))?;
            context.insert("groepen", &groepen);
            link = Some(Link {
                href: page.clone(),
                heading,
                code: unit_id.clone(),
            });
        }
        write_page_as(site, "unit.html", &page, &context)?;
        Ok(link)
    };
    // A groep is shown on its school's page, the region on the overview.
    let on_pages: Vec<_> = units
        .iter()
        .filter(|((unit_type, _), _)| unit_type != "groep" && unit_type != "regio")
        .collect();
    let schools: Vec<Link> = on_pages
        .par_iter()
        .map(|&(unit, unit_rows)| unit_page(unit, unit_rows))
        .collect::<Result<Vec<Option<Link>>>>()?
        .into_iter()
        .flatten()
        .collect();

    // The latest cohort's significant changes and figures outside their norm, every unit.
    let notice = |key: &UnitKey, text: String, change: String, norm: String| Notice {
        href: page_of(&key.0, &key.1),
        unit: heading_of(project, names, &key.0, &key.1),
        indicator: labels::indicator_or_id(&key.2, lang).to_string(),
        cohort: key.3,
        change,
        text,
        norm,
    };
    let value_of = |key: &UnitKey| {
        units
            .get(&(key.0.clone(), key.1.clone()))
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r.indicator == key.2 && r.cohort == key.3)
            })
            .and_then(|r| r.value)
            .map(|(v, _, _)| percent(v))
            .unwrap_or_default()
    };
    let latest = |key: &UnitKey| {
        units
            .get(&(key.0.clone(), key.1.clone()))
            .into_iter()
            .flatten()
            .filter(|r| r.indicator == key.2 && r.value.is_some())
            .map(|r| r.cohort)
            .max()
            == Some(key.3)
    };
    let change_list: Vec<Notice> = around
        .changes
        .iter()
        .filter(|(k, _)| latest(k))
        .map(|(k, d)| {
            let (arrow, words) = if d == "up" {
                ("▲", texts.higher)
            } else {
                ("▼", texts.lower)
            };
            notice(
                k,
                format!("{} ({words})", value_of(k)),
                arrow.into(),
                String::new(),
            )
        })
        .collect();
    let below: Vec<Notice> = around
        .norms
        .iter()
        .filter(|(k, n)| n.2 && latest(k))
        .map(|(k, n)| notice(k, value_of(k), String::new(), norm_text(n.0, n.1)))
        .collect();
    let mut context = base_context(
        project,
        "index.html",
        &[
            "overview", "pooled", "survey", "changes", "norms", "national",
        ],
    );
    context.insert("region", &region_section);
    context.insert("survey", &survey_section("regio", "regio", "index.html")?);
    context.insert("schools", &schools);
    context.insert("changes", &change_list);
    context.insert("below", &below);
    write_page_as(site, "index.html", "index.html", &context)
}
