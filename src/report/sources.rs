//! `site/sources.html` and `site/sources/<school>.html` (a school with its afdelingen): what other
//! sources publish for each unit the site shows, beside our
//! published figure for the same definition and what explains the difference (rows from
//! queries/site_reconcile.sql, which sees published numbers only), with a trend chart per
//! indicator where the sources differ from us, broken where a source changed its method. The
//! table is also `site/data/sources.csv`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use datafusion::prelude::SessionContext;
use rayon::prelude::*;
use serde::Serialize;

use super::{base_context, chart_out, download, labels, write_page_as, ChartOut, Link};
use crate::charts::trend::{self, Break, Point, Series};
use crate::engine::{self, TextTable, SITE_MODELS};
use crate::project::{Language, Project};
use crate::reconcile::source_definition;

#[derive(Debug, Serialize)]
pub(super) struct Row {
    /// Neither the source's figure nor a comparison is shown (`suppressed`, `source_small`).
    pub hidden: bool,
    indicator: String,
    cohort: String,
    source: String,
    version: String,
    /// The first row of a source's new method.
    version_change: bool,
    figure: String,
    ours: String,
    suppressed: bool,
    difference: String,
    explanation: String,
    cause: String,
}

#[derive(Debug, Serialize)]
struct Definition {
    source: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct Unit {
    anchor: String,
    heading: String,
    code: String,
    charts: Vec<ChartOut>,
    rows: Vec<Row>,
    definitions: Vec<Definition>,
}

/// A percentage in the report's language, with the given number of decimals.
fn percent(value: f64, decimals: usize, lang: Language) -> String {
    let text = format!("{:.*}%", decimals, value * 100.0);
    match lang {
        Language::Nl => text.replace('.', ","),
        Language::En => text,
    }
}

/// The source's figure as it published it: its percentage, its counts, or its mask.
fn figure(t: &TextTable, r: &[String], lang: Language) -> String {
    if matches!(t.get(r, "explanation"), "source_small" | "suppressed") {
        return "–".into();
    }
    let counts = match (
        t.get(r, "teller"),
        t.get(r, "teller_masker"),
        t.get(r, "noemer"),
    ) {
        (_, m, n) if !m.is_empty() => format!("{m}/{n}"),
        (c, _, n) if !c.is_empty() && !n.is_empty() => format!("{c}/{n}"),
        _ => String::new(),
    };
    let shown = match (t.get(r, "percentage"), t.get(r, "percentage_masker")) {
        (_, m) if !m.is_empty() => m.to_string(),
        ("", _) => String::new(),
        (p, _) => {
            let decimals = p
                .split('.')
                .nth(1)
                .map_or(0, |d| d.trim_end_matches('0').len());
            let value: f64 = p.parse().unwrap_or(f64::NAN);
            percent(value / 100.0, decimals, lang)
        }
    };
    match (shown.is_empty(), counts.is_empty()) {
        (false, false) => format!("{shown} ({counts})"),
        (false, true) => shown,
        (true, false) => match t.get(r, "published_value").parse::<f64>() {
            Ok(v) if t.get(r, "teller_masker").is_empty() => {
                format!("{} ({counts})", percent(v, 1, lang))
            }
            _ => counts,
        },
        (true, true) => "–".into(),
    }
}

fn row(t: &TextTable, r: &[String], marker: &str, lang: Language, change: bool) -> Row {
    let suppressed = t.get(r, "explanation") == "suppressed";
    let ours = match t.get(r, "value").parse::<f64>() {
        Ok(v) if !suppressed => format!(
            "{} ({}/{})",
            percent(v, 1, lang),
            t.get(r, "numerator"),
            t.get(r, "denominator")
        ),
        _ if suppressed => marker.to_string(),
        _ => "–".into(),
    };
    let difference = match t.get(r, "difference_points").parse::<f64>() {
        Ok(d) => {
            let text = format!("{d:+.1}");
            match lang {
                Language::Nl => text.replace('.', ","),
                Language::En => text,
            }
        }
        Err(_) => String::new(),
    };
    let cause = t
        .get(r, "cause")
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| labels::cause(c, lang))
        .collect::<Vec<_>>()
        .join("; ");
    let indicator = t.get(r, "indicator");
    Row {
        hidden: matches!(t.get(r, "explanation"), "suppressed" | "source_small"),
        indicator: labels::indicator_or_id(indicator, lang).to_string(),
        cohort: t.get(r, "cohort").to_string(),
        source: format!("{} — {}", t.get(r, "bron"), t.get(r, "bron_indicator")),
        version: t.get(r, "definition_version").to_string(),
        version_change: change,
        figure: figure(t, r, lang),
        ours,
        suppressed,
        difference,
        explanation: labels::explanation(t.get(r, "explanation"), lang).to_string(),
        cause,
    }
}

/// The chart of one indicator of a unit: our published figure and each source's, one line per
/// method of a source, a marked break where the method changed.
fn chart(
    t: &TextTable,
    rows: &[&Vec<String>],
    title: &str,
    lang: Language,
) -> Result<trend::Rendered> {
    let texts = labels::texts(lang);
    let mut ours = BTreeMap::new();
    let mut lines: BTreeMap<(String, String), Vec<Point>> = BTreeMap::new();
    let mut breaks = Vec::new();
    let mut last_version: BTreeMap<String, String> = BTreeMap::new();
    for r in rows {
        let cohort: i32 = t.get(r, "cohort").parse()?;
        if let (Ok(v), Ok(lo), Ok(hi)) = (
            t.get(r, "value").parse::<f64>(),
            t.get(r, "ci_low").parse::<f64>(),
            t.get(r, "ci_high").parse::<f64>(),
        ) {
            ours.insert(
                cohort,
                Point {
                    cohort,
                    value: v,
                    low: lo,
                    high: hi,
                },
            );
        }
        let source = format!("{}: {}", t.get(r, "bron"), t.get(r, "bron_indicator"));
        let version = t.get(r, "definition_version").to_string();
        if let Some(before) = last_version.insert(source.clone(), version.clone()) {
            if before != version {
                breaks.push(Break {
                    cohort,
                    label: format!("{} {}", t.get(r, "bron"), texts.method_changed),
                });
            }
        }
        if let Ok(v) = t.get(r, "published_value").parse::<f64>() {
            lines.entry((source, version)).or_default().push(Point {
                cohort,
                value: v,
                low: v,
                high: v,
            });
        }
    }
    let mut series = vec![Series {
        label: texts.ours.to_string(),
        points: ours.into_values().collect(),
    }];
    for ((source, version), points) in lines {
        let label = match version.as_str() {
            "" => source,
            v => format!("{source} ({v})"),
        };
        series.push(Series { label, points });
    }
    let cohorts: BTreeSet<i32> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.cohort))
        .collect();
    let first = cohorts.first().copied().unwrap_or(0);
    let last = cohorts.last().copied().unwrap_or(0);
    trend::render(title, (first, last), &series, &breaks)
}

/// Display order: the region, then each school followed by its afdelingen.
fn order_key(unit_type: &str, unit_id: &str) -> (bool, String, bool, String) {
    let school = unit_id.split(':').next().unwrap_or(unit_id).to_string();
    (
        unit_type != "regio",
        school,
        unit_type == "afdeling",
        unit_id.to_string(),
    )
}

/// The sources page's rows of each unit (type, id), for the unit pages, with the link to the
/// unit's section on its sources page (relative to the site).
pub(super) async fn by_unit(
    ctx: &SessionContext,
    project: &Project,
) -> Result<BTreeMap<(String, String), (String, Vec<Row>)>> {
    let lang = project.language;
    let marker = format!("<{}", project.privacy.min_cell);
    let t = engine::query_text(ctx, SITE_MODELS, "site_reconcile").await?;
    let mut out: BTreeMap<(String, String), (String, Vec<Row>)> = BTreeMap::new();
    for r in &t.rows {
        let (unit_type, unit_id) = (t.get(r, "unit_type"), t.get(r, "unit_id"));
        out.entry((unit_type.to_string(), unit_id.to_string()))
            .or_insert_with(|| {
                let href = format!(
                    "{}#{}",
                    page_of(unit_type, unit_id),
                    anchor(unit_type, unit_id)
                );
                (href, Vec::new())
            })
            .1
            .push(row(&t, r, &marker, lang, false));
    }
    Ok(out)
}

/// The id of a unit's section on its sources page.
fn anchor(unit_type: &str, unit_id: &str) -> String {
    format!("{unit_type}-{unit_id}").replace(':', "-")
}

/// The sources page a unit's section is on, relative to the site: a school and its afdelingen have
/// a page of their own (`sources/<school>.html`), every other unit is on `sources.html`. One page
/// for every unit was 128 MB for the national site (2026-12-06), too long to read.
fn page_of(unit_type: &str, unit_id: &str) -> String {
    match unit_type {
        "school" | "afdeling" => format!(
            "sources/{}.html",
            unit_id.split(':').next().unwrap_or(unit_id)
        ),
        _ => "sources.html".into(),
    }
}

/// Renders `<site>/sources.html` and a page per school under `<site>/sources/`, the pages on every
/// core.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
) -> Result<PathBuf> {
    let t = engine::query_text(ctx, SITE_MODELS, "site_reconcile").await?;
    download::write(
        site,
        "sources",
        &download::from_text(&t),
        project.data_until,
    )?;
    let mut by_unit: BTreeMap<(bool, String, bool, String), Vec<&Vec<String>>> = BTreeMap::new();
    for r in &t.rows {
        by_unit
            .entry(order_key(t.get(r, "unit_type"), t.get(r, "unit_id")))
            .or_default()
            .push(r);
    }
    // Each page's units in display order; the overview page first.
    let mut pages: Vec<(String, Vec<&Vec<&Vec<String>>>)> = vec![("sources.html".into(), vec![])];
    let mut position = BTreeMap::from([("sources.html".to_string(), 0)]);
    for rows in by_unit.values() {
        let page = page_of(t.get(rows[0], "unit_type"), t.get(rows[0], "unit_id"));
        let at = *position.entry(page.clone()).or_insert_with(|| {
            pages.push((page, Vec::new()));
            pages.len() - 1
        });
        pages[at].1.push(rows);
    }
    let schools: Vec<Link> = pages[1..]
        .iter()
        .map(|(page, _)| {
            let code = page
                .trim_start_matches("sources/")
                .trim_end_matches(".html");
            Link {
                href: page.clone(),
                heading: names.get(code).cloned().unwrap_or_else(|| code.to_string()),
                code: code.to_string(),
            }
        })
        .collect();
    if !schools.is_empty() {
        std::fs::create_dir_all(site.join("sources"))
            .with_context(|| format!("{}/sources: cannot create", site.display()))?;
    }
    pages
        .par_iter()
        .enumerate()
        .map(|(i, (page, rows))| {
            let mut charts_written = 0;
            let units = rows
                .iter()
                .map(|rows| {
                    let page = (site, page.as_str(), &mut charts_written);
                    unit_section(&t, rows, (project, names), page)
                })
                .collect::<Result<Vec<Unit>>>()?;
            let mut context = base_context(project, page, &["sources"]);
            context.insert("units", &units);
            // The overview links the schools' pages; a school's page is headed by its name.
            match i.checked_sub(1) {
                None => {
                    context.insert("schools", &schools);
                    context.insert("school", "");
                }
                Some(school) => {
                    context.insert("schools", &Vec::<Link>::new());
                    context.insert("school", &schools[school].heading);
                }
            }
            write_page_as(site, "sources.html", page, &context)
        })
        .collect::<Result<Vec<PathBuf>>>()?;
    Ok(site.join("sources.html"))
}

/// One unit's section: its rows, a chart per indicator where a source differs from us, and the
/// definitions of the sources shown. Charts are numbered on through a page (`site`, `page`).
fn unit_section(
    t: &TextTable,
    rows: &[&Vec<String>],
    (project, names): (&Project, &BTreeMap<String, String>),
    (site, page, charts_written): (&Path, &str, &mut usize),
) -> Result<Unit> {
    let lang = project.language;
    let marker = format!("<{}", project.privacy.min_cell);
    let (unit_type, unit_id) = (t.get(rows[0], "unit_type"), t.get(rows[0], "unit_id"));
    let school = unit_id.split(':').next().unwrap_or(unit_id);
    let heading = match unit_type {
        "regio" => project.name.clone(),
        "afdeling" => format!(
            "{} — {}",
            names.get(school).map_or(school, String::as_str),
            unit_id.split(':').nth(1).unwrap_or("")
        ),
        _ => names
            .get(unit_id)
            .cloned()
            .unwrap_or_else(|| unit_id.to_string()),
    };
    let mut table = Vec::new();
    let mut previous: Option<(String, String)> = None;
    for r in rows {
        let series = format!(
            "{}|{}|{}",
            t.get(r, "indicator"),
            t.get(r, "bron"),
            t.get(r, "bron_indicator")
        );
        let version = t.get(r, "definition_version").to_string();
        let change = matches!(&previous, Some((s, v)) if *s == series && *v != version);
        previous = Some((series, version));
        table.push(row(t, r, &marker, lang, change));
    }
    // A chart per indicator where a source differs from our published figure or changed its
    // method (not where every figure equals ours, is masked or ours is suppressed).
    let mut charts = Vec::new();
    let indicators: BTreeSet<&str> = rows.iter().map(|r| t.get(r, "indicator")).collect();
    for indicator in indicators {
        let of: Vec<&Vec<String>> = rows
            .iter()
            .copied()
            .filter(|r| t.get(r, "indicator") == indicator)
            .collect();
        let cohorts: BTreeSet<&str> = of.iter().map(|r| t.get(r, "cohort")).collect();
        let differs = of.iter().any(|r| {
            !matches!(
                t.get(r, "explanation"),
                "equal" | "masking" | "suppressed" | "source_small"
            ) || t.get(r, "definition_version") != t.get(of[0], "definition_version")
        });
        if cohorts.len() >= 2 && differs {
            let label = labels::indicator_or_id(indicator, lang);
            let rendered = chart(t, &of, label, lang)?;
            *charts_written += 1;
            charts.push(chart_out(site, page, *charts_written, rendered)?);
        }
    }
    let mut seen = BTreeSet::new();
    let definitions = rows
        .iter()
        .filter(|r| seen.insert((t.get(r, "bron_bestand"), t.get(r, "bron"))))
        .filter_map(|r| {
            source_definition(project, t.get(r, "bron_bestand"), t.get(r, "bron")).map(|text| {
                Definition {
                    source: t.get(r, "bron").to_string(),
                    text,
                }
            })
        })
        .collect();
    Ok(Unit {
        anchor: anchor(unit_type, unit_id),
        heading,
        code: if unit_type == "regio" {
            String::new()
        } else {
            unit_id.to_string()
        },
        charts,
        rows: table,
        definitions,
    })
}
