//! The report stage: a tera context from the published (suppressed) indicators, rendered with the
//! templates in `reports/` into self-contained pages with inline SVG charts: `site/index.html`
//! (the overview), `site/flows.html` (where each cohort went), `site/sources.html` (other sources beside ours), `site/definitions.html` and
//! `site/quality.html` (inputs, censoring, coverage), `site/cycle.html` (interventions, what
//! changed since the last run) and `site/receiving.html` + `site/instellingen/` (the receiving
//! partners' instroom cohorts).

mod cycle;
pub mod definitions;
pub mod download;
mod flows;
pub mod labels;
mod quality;
mod receiving;
mod sources;
mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine as _;
use datafusion::arrow::array::AsArray;
use datafusion::prelude::SessionContext;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::engine::{self, SITE_MODELS};
use crate::project::Project;
use crate::warehouse::write_atomic;

/// The templates, by name; every name ends in `.html`, so tera autoescapes all of them.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../reports/base.html")),
    ("macros.html", include_str!("../../reports/macros.html")),
    ("index.html", include_str!("../../reports/index.html")),
    ("unit.html", include_str!("../../reports/unit.html")),
    ("sources.html", include_str!("../../reports/sources.html")),
    (
        "definitions.html",
        include_str!("../../reports/definitions.html"),
    ),
    ("quality.html", include_str!("../../reports/quality.html")),
    ("cycle.html", include_str!("../../reports/cycle.html")),
    (
        "receiving.html",
        include_str!("../../reports/receiving.html"),
    ),
    (
        "institution.html",
        include_str!("../../reports/institution.html"),
    ),
    ("flows.html", include_str!("../../reports/flows.html")),
];
const CSS: &str = include_str!("../../reports/style.css");

/// The site's pages: file name and its label in the navigation.
fn pages(lang: crate::project::Language) -> [(&'static str, &'static str); 7] {
    let t = labels::texts(lang);
    [
        ("index.html", t.overview),
        ("flows.html", t.flows_title),
        ("receiving.html", t.receiving_title),
        ("cycle.html", t.cycle_title),
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
    // A page in a subdirectory (`schools/…`) links up to the site's root.
    let root = "../".repeat(current.matches('/').count());
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
    context.insert("root", &root);
    context
}

/// A link to another page of the site (a unit's, an institution's, a school's sources), with the
/// heading and code it is listed under.
#[derive(Debug, Serialize)]
struct Link {
    href: String,
    heading: String,
    code: String,
}

/// A chart on a page: its inline SVG and the link to its PNG (written under `site/charts/`).
#[derive(Debug, Serialize)]
struct ChartOut {
    svg: String,
    href: String,
}

/// Writes the chart's PNG as `site/charts/<page>-<index>.png`; returns it for the page at `page`.
fn chart_out(
    site: &Path,
    page: &str,
    index: usize,
    chart: crate::charts::trend::Rendered,
) -> Result<ChartOut> {
    let stem = page.trim_end_matches(".html").replace('/', "-");
    let file = format!("charts/{stem}-{index}.png");
    write_atomic(&site.join(&file), &chart.png)?;
    let root = "../".repeat(page.matches('/').count());
    Ok(ChartOut {
        svg: chart.svg,
        href: format!("{root}{file}"),
    })
}

/// Renders one page with its context into `site/<name>`.
fn write_page(site: &Path, name: &str, context: &tera::Context) -> Result<PathBuf> {
    write_page_as(site, name, name, context)
}

/// Renders the template `template` into `site/<path>`.
fn write_page_as(
    site: &Path,
    template: &str,
    path: &str,
    context: &tera::Context,
) -> Result<PathBuf> {
    let html = templates()?
        .render(template, context)
        .with_context(|| format!("reports/{template}: cannot render"))?;
    let path = site.join(path);
    write_atomic(&path, html.as_bytes())?;
    Ok(path)
}

/// The templates, parsed once per process (a national site has some 6,000 pages).
fn templates() -> Result<&'static tera::Tera> {
    static TERA: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    if let Some(tera) = TERA.get() {
        return Ok(tera);
    }
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .context("reports/: cannot read the templates")?;
    Ok(TERA.get_or_init(|| tera))
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

/// Renders the site's pages; `inputs` is the manifest's list of input entries (for the data
/// quality page). Returns the path of the overview.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    inputs: &serde_json::Value,
    previous_given: bool,
) -> Result<PathBuf> {
    // `run --timings` prints a line per part (the national site has thousands of pages).
    let part = |name: &str, clock: crate::progress::Clock| {
        clock.note(format_args!("report: {name}"));
        crate::progress::clock()
    };
    let clock = crate::progress::clock();
    let names = school_names(ctx).await?;
    let index = units::render(ctx, project, site, &names).await?;
    let clock = part("the overview and a page per unit", clock);
    flows::render(ctx, project, site, &names).await?;
    let clock = part("flows", clock);
    sources::render(ctx, project, site, &names).await?;
    let clock = part("sources", clock);
    definitions::render(project, site)?;
    quality::render(ctx, project, site, &names, inputs).await?;
    let clock = part("definitions and quality", clock);
    cycle::render(ctx, project, site, &names, previous_given).await?;
    let clock = part("cycle", clock);
    receiving::render(ctx, project, site).await?;
    part("receiving institutions", clock);
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template is registered under a name ending in `.html` (tera autoescapes those), and
    /// no code renders a template from a string (`render_str`, `one_off`), which would not be.
    #[test]
    fn every_template_is_autoescaped() {
        assert!(TEMPLATES.iter().all(|(name, _)| name.ends_with(".html")));
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files += 1;
                    let text = std::fs::read_to_string(&path).unwrap();
                    for forbidden in [concat!("render", "_str("), concat!("one", "_off(")] {
                        assert!(
                            !text.contains(forbidden),
                            "{forbidden} in {}",
                            path.display()
                        );
                    }
                }
            }
        }
        assert!(files > 20);
    }

    #[test]
    fn a_hostile_text_renders_escaped_in_a_real_template() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(TEMPLATES.iter().copied()).unwrap();
        let mut context = tera::Context::new();
        context.insert("lang", "nl");
        context.insert("t", &labels::texts(crate::project::Language::Nl));
        context.insert("project", "<script>alert(1)</script>");
        context.insert("data_until", "2025-10-01");
        context.insert("css", CSS);
        context.insert("css_hash", "x");
        context.insert("marker", "<5");
        context.insert("pages", &Vec::<PageLink>::new());
        context.insert("downloads", &Vec::<&str>::new());
        context.insert("root", "");
        context.insert("definitions", &Vec::<definitions::Definition>::new());
        let html = tera.render("definitions.html", &context).unwrap();
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)"));
    }
}
