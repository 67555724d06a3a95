//! `manifest.json`: what a run read and produced, for the data owner (formats.md §5). No timestamps,
//! so identical inputs give an identical manifest.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::validate::Accounting;
use crate::warehouse::write_atomic;

#[derive(Debug, Serialize)]
pub struct InputEntry {
    pub table: String,
    /// The path as the configuration resolves it.
    pub path: String,
    pub sha256: String,
    pub rows_read: u64,
    pub loaded: u64,
    pub rejected: u64,
    pub rejected_by_rule: std::collections::BTreeMap<String, u64>,
    /// Set when this file's bytes equal an earlier input of the same table: it was not loaded again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// Published-figures inputs only: the adapter preset, the figures produced and the masked cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedCounts>,
}

#[derive(Debug, Serialize)]
pub struct PublishedCounts {
    pub preset: String,
    pub figures: u64,
    pub masked_cells: u64,
}

impl InputEntry {
    pub fn new(table: &str, path: &Path, sha256: &str, accounting: &Accounting) -> InputEntry {
        InputEntry {
            table: table.to_string(),
            path: path.display().to_string(),
            sha256: sha256.to_string(),
            rows_read: accounting.rows_read,
            loaded: accounting.loaded,
            rejected: accounting.rejected,
            rejected_by_rule: accounting.rejected_by_rule.clone(),
            published: None,
            same_as: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub project: String,
    pub config_sha256: String,
    pub data_until: String,
    pub inputs: Vec<InputEntry>,
    pub indicator_rows: u64,
}

impl Manifest {
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        write_atomic(path, text.as_bytes())
    }
}
