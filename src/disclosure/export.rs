//! The published indicator table as CSV (`site/data/indicators.csv`): the warehouse columns plus
//! `suppressed`; a suppressed row keeps its keys and has every number empty. Text cells are
//! guarded against formula injection; the same reader serves `doorstroom audit`.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{Key, Numbers, Published};
use crate::warehouse::write_atomic;

/// The columns, in order: formats.md §5's indicator columns and `suppressed`.
pub const COLUMNS: &[&str] = &[
    "cohort",
    "cohort_basis",
    "inflow_basis",
    "cohort_window",
    "unit_type",
    "unit_id",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "suppressed",
];

/// A text cell a spreadsheet will not run: one that starts with `=`, `+`, `-`, `@`, tab or CR,
/// also after leading spaces, gets a leading `'`.
pub fn safe_text(text: &str) -> String {
    let first = text.trim_start_matches(' ').chars().next();
    if matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The CSV bytes of a published table.
pub fn to_csv(rows: &[Published]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in rows {
        let k = &r.key;
        let mut record = vec![
            k.cohort.to_string(),
            safe_text(&k.cohort_basis),
            safe_text(&k.inflow_basis),
            k.cohort_window.to_string(),
            safe_text(&k.unit_type),
            safe_text(&k.unit_id),
            safe_text(&k.indicator),
        ];
        match &r.numbers {
            Some(n) => record.extend([
                n.numerator.to_string(),
                n.denominator.to_string(),
                n.value.to_string(),
                n.ci_low.to_string(),
                n.ci_high.to_string(),
                "false".to_string(),
            ]),
            None => {
                record.extend(std::iter::repeat_n(String::new(), 5));
                record.push("true".to_string());
            }
        }
        w.write_record(&record)?;
    }
    w.into_inner().context("cannot finish the CSV")
}

/// Writes `dir/indicators.csv` atomically.
pub fn write(dir: &Path, rows: &[Published]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    write_atomic(&dir.join("indicators.csv"), &to_csv(rows)?)
}

/// Undoes [`safe_text`].
fn unguard(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if safe_text(rest) == text => rest.to_string(),
        _ => text.to_string(),
    }
}

/// Reads a published `indicators.csv` back (for the audit).
pub fn read(path: &Path) -> Result<Vec<Published>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let header = reader.headers()?.clone();
    let col = |name: &str| -> Result<usize> {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: column {name} is missing", path.display()))
    };
    let idx: Vec<usize> = COLUMNS.iter().map(|c| col(c)).collect::<Result<_>>()?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{}:{line}: unreadable", path.display()))?;
        let field = |c: usize| record.get(idx[c]).unwrap_or("");
        let int = |c: usize| -> Result<i64> {
            field(c).parse().with_context(|| {
                format!(
                    "{}:{line}: column {}: not a whole number",
                    path.display(),
                    COLUMNS[c]
                )
            })
        };
        let float = |c: usize| -> Result<f64> {
            field(c).parse().with_context(|| {
                format!(
                    "{}:{line}: column {}: not a number",
                    path.display(),
                    COLUMNS[c]
                )
            })
        };
        let key = Key {
            cohort: int(0)? as i32,
            cohort_basis: unguard(field(1)),
            inflow_basis: unguard(field(2)),
            cohort_window: int(3)? as i32,
            unit_type: unguard(field(4)),
            unit_id: unguard(field(5)),
            indicator: unguard(field(6)),
        };
        let numbers = match field(12) {
            "true" => {
                if (7..12).any(|c| !field(c).is_empty()) {
                    bail!(
                        "{}:{line}: a suppressed row carries a number",
                        path.display()
                    );
                }
                None
            }
            "false" => Some(Numbers {
                numerator: int(7)?,
                denominator: int(8)?,
                value: float(9)?,
                ci_low: float(10)?,
                ci_high: float(11)?,
            }),
            other => bail!(
                "{}:{line}: column suppressed: {other:?} is neither true nor false",
                path.display()
            ),
        };
        rows.push(Published { key, numbers });
    }
    Ok(rows)
}
