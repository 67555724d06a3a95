//! Published figures (formats.md §2): each adapter preset turns a source's own layout into the long
//! table `bron, bron_indicator, indicator, cohort, eenheid_type, eenheid_id, kenmerken, teller, noemer,
//! percentage` with a mask column per number, kept as `warehouse/published.parquet`.
//! A masked value is never turned into a number.

pub mod duo_examens;
pub mod mapped;
pub mod numbers;
pub mod presets;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use arrow::array::{ArrayRef, Float64Builder, Int32Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use super::reader::{RawRow, RawTable};
use crate::exit::input_error;
use crate::validate::{Accounting, Finding};
use numbers::Figure;

/// One figure in the long layout.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRow {
    pub bron: String,
    pub bron_indicator: String,
    pub indicator: String,
    pub cohort: i32,
    pub eenheid_type: String,
    pub eenheid_id: String,
    pub kenmerken: String,
    pub teller: Figure,
    pub noemer: Figure,
    pub percentage: Figure,
    /// The source's method for this figure (a preset's version for the cohort, or the file's own
    /// `definition_version` column); empty when the source has one method only.
    pub definition_version: String,
    /// The source line the figure came from (provenance).
    pub source_line: u64,
}

/// What an adapter produced from one file.
pub struct Adapted {
    pub sha256: String,
    pub rows: Vec<PublishedRow>,
    /// Source rows: read = loaded + rejected (one source row may give many figures).
    pub accounting: Accounting,
    pub findings: Vec<Finding>,
}

impl Adapted {
    /// Cells (teller, noemer, percentage) the source masked.
    pub fn masked_cells(&self) -> u64 {
        self.rows
            .iter()
            .flat_map(|r| [&r.teller, &r.noemer, &r.percentage])
            .filter(|f| matches!(f, Figure::Masked(_)))
            .count() as u64
    }
}

/// A row's failure: the column as named in the file, the rule id, the reason.
pub type RowError = (String, &'static str, String);

/// Runs `read_row` over every row of `table`, accounting each source row as loaded (with the figures
/// it gave) or rejected (with its finding).
pub fn adapt_rows(
    mut table: RawTable,
    mut read_row: impl FnMut(&RawRow) -> Result<Vec<PublishedRow>, RowError>,
) -> Result<Adapted> {
    let path = table.path.clone();
    let mut out = Adapted {
        sha256: table.sha256.clone(),
        rows: Vec::new(),
        accounting: Accounting::default(),
        findings: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        match read_row(&row) {
            Ok(figures) => {
                out.accounting.record_loaded();
                out.rows.extend(figures);
            }
            Err((column, rule, message)) => {
                out.accounting.record_rejected(rule);
                out.findings.push(Finding {
                    file: path.clone(),
                    line: row.line,
                    column,
                    rule,
                    message,
                });
            }
        }
    }
    Ok(out)
}

/// Reads a published-figures file with the named preset; `columns` maps long-table columns to the
/// file's own headers where the preset's defaults do not find them.
pub fn read(
    path: &Path,
    sheet: Option<&str>,
    preset: &str,
    columns: &BTreeMap<String, String>,
) -> Result<Adapted> {
    let Some(found) = presets::find(preset) else {
        let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
        return Err(input_error(format!(
            "{}: unknown preset {preset:?}; this version reads {}",
            path.display(),
            names.join(", ")
        )));
    };
    let table = RawTable::open(path, sheet)?;
    match found.name {
        "duo-examens" => duo_examens::adapt(table),
        _ => mapped::adapt(table, found, columns),
    }
}

/// `key=value` pairs joined by `;` in key order (formats.md §2).
pub fn kenmerken(mut pairs: Vec<(&str, String)>) -> String {
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// The Parquet schema of `published.parquet`: formats.md §2 columns, provenance, then the
/// source's `definition_version`.
pub fn schema() -> SchemaRef {
    let s = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        s("bron", false),
        s("bron_indicator", false),
        s("indicator", false),
        Field::new("cohort", DataType::Int32, false),
        s("eenheid_type", false),
        s("eenheid_id", false),
        s("kenmerken", false),
        Field::new("teller", DataType::Int64, true),
        Field::new("noemer", DataType::Int64, true),
        Field::new("percentage", DataType::Float64, true),
        s("teller_masker", false),
        s("noemer_masker", false),
        s("percentage_masker", false),
        s("bron_bestand", false),
        Field::new("bron_regel", DataType::Int64, false),
        s("definition_version", false),
    ]))
}

fn mask(f: &Figure) -> &str {
    match f {
        Figure::Masked(token) => token,
        _ => "",
    }
}

fn exact(f: &Figure) -> Option<f64> {
    match f {
        Figure::Exact(v) => Some(*v),
        _ => None,
    }
}

/// The rows as one record batch.
pub fn to_batch(rows: &[PublishedRow], file: &str) -> Result<RecordBatch> {
    let mut strings: Vec<StringBuilder> = (0..6).map(|_| StringBuilder::new()).collect();
    let mut masks: Vec<StringBuilder> = (0..4).map(|_| StringBuilder::new()).collect();
    let mut version = StringBuilder::new();
    let (mut cohort, mut teller, mut noemer, mut pct, mut line) = (
        Int32Builder::new(),
        Int64Builder::new(),
        Int64Builder::new(),
        Float64Builder::new(),
        Int64Builder::new(),
    );
    for r in rows {
        for (b, v) in strings
            .iter_mut()
            .zip([&r.bron, &r.bron_indicator, &r.indicator])
        {
            b.append_value(v);
        }
        cohort.append_value(r.cohort);
        for (b, v) in strings[3..]
            .iter_mut()
            .zip([&r.eenheid_type, &r.eenheid_id, &r.kenmerken])
        {
            b.append_value(v);
        }
        teller.append_option(exact(&r.teller).map(|v| v as i64));
        noemer.append_option(exact(&r.noemer).map(|v| v as i64));
        pct.append_option(exact(&r.percentage));
        masks[0].append_value(mask(&r.teller));
        masks[1].append_value(mask(&r.noemer));
        masks[2].append_value(mask(&r.percentage));
        masks[3].append_value(file);
        line.append_value(r.source_line as i64);
        version.append_value(&r.definition_version);
    }
    let mut columns: Vec<ArrayRef> = strings[..3]
        .iter_mut()
        .map(|b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    columns.push(Arc::new(cohort.finish()));
    columns.extend(
        strings[3..6]
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef),
    );
    columns.push(Arc::new(teller.finish()));
    columns.push(Arc::new(noemer.finish()));
    columns.push(Arc::new(pct.finish()));
    columns.extend(masks.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.push(Arc::new(line.finish()));
    columns.push(Arc::new(version.finish()));
    Ok(RecordBatch::try_new(schema(), columns)?)
}
