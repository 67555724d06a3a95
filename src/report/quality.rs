//! `site/quality.html`: the data behind the figures: every input with its sha256 and rows read,
//! loaded and rejected by rule (the manifest's accounting), masked cells of published sources,
//! which cohorts are still censored at `data_until` (queries/quality_censoring.sql) and the share
//! of alumni without any enrollment per school (queries/quality_coverage.sql, primary rules
//! applied, no counts).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use super::download::{self, Cell};
use super::{base_context, write_page};
use crate::engine::{self, SITE_MODELS};
use crate::project::Project;

#[derive(Debug, Serialize)]
struct Censoring {
    cohort: String,
    observed: Vec<bool>,
}

#[derive(Debug, Serialize)]
struct Coverage {
    name: String,
    percent: String,
}

/// Renders `<site>/quality.html`; `inputs` is the manifest's list of input entries.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
    inputs: &serde_json::Value,
) -> Result<PathBuf> {
    let censoring = engine::query_text(ctx, SITE_MODELS, "quality_censoring").await?;
    let columns: Vec<String> = censoring.names[1..].to_vec();
    let rows: Vec<Censoring> = censoring
        .rows
        .iter()
        .map(|r| Censoring {
            cohort: r[0].clone(),
            observed: r[1..].iter().map(|v| v == "true").collect(),
        })
        .collect();
    let coverage_rows = engine::query_text(ctx, SITE_MODELS, "quality_coverage").await?;
    let coverage: Vec<Coverage> = coverage_rows
        .rows
        .iter()
        .map(|r| {
            let (unit_type, unit_id) = (
                coverage_rows.get(r, "unit_type"),
                coverage_rows.get(r, "unit_id"),
            );
            Coverage {
                name: match unit_type {
                    "regio" => project.name.clone(),
                    _ => format!(
                        "{} ({unit_id})",
                        names.get(unit_id).map_or(unit_id, String::as_str)
                    ),
                },
                percent: match coverage_rows.get(r, "percent_without_enrollment") {
                    "" => String::new(),
                    p => format!("{}%", p.trim_end_matches(".0")),
                },
            }
        })
        .collect();
    download::write(site, "inputs", &inputs_table(inputs), project.data_until)?;
    download::write(
        site,
        "censoring",
        &download::from_text(&censoring),
        project.data_until,
    )?;
    download::write(
        site,
        "coverage",
        &download::from_text(&coverage_rows),
        project.data_until,
    )?;
    let mut context = base_context(
        project,
        "quality.html",
        &["inputs", "censoring", "coverage"],
    );
    context.insert("inputs", inputs);
    context.insert("censoring_columns", &columns);
    context.insert("censoring", &rows);
    context.insert("coverage", &coverage);
    write_page(site, "quality.html", &context)
}

/// The manifest's input entries as a download table.
fn inputs_table(inputs: &serde_json::Value) -> download::Table {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => Cell::Empty,
        serde_json::Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        serde_json::Value::String(s) => Cell::Text(s.clone()),
        other => Cell::Text(other.to_string()),
    };
    let empty = Vec::new();
    let rows = inputs
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|i| {
            let rules = i["rejected_by_rule"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(rule, n)| format!("{rule}: {n}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            vec![
                text(&i["path"]),
                text(&i["table"]),
                text(&i["sha256"]),
                text(&i["rows_read"]),
                text(&i["loaded"]),
                text(&i["rejected"]),
                Cell::Text(rules),
                text(&i["published"]["preset"]),
                text(&i["published"]["figures"]),
                text(&i["published"]["masked_cells"]),
            ]
        })
        .collect();
    download::Table {
        header: [
            "path",
            "table",
            "sha256",
            "rows_read",
            "loaded",
            "rejected",
            "rejected_by_rule",
            "preset",
            "figures",
            "masked_cells",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}
