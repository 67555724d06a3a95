//! The published indicator table as CSV (`site/data/indicators.csv`): the warehouse columns plus
//! `suppressed`; a suppressed row keeps its keys and has every number empty. Text cells are
//! guarded against formula injection.

use anyhow::{Context, Result};

use super::Published;
use crate::warehouse::INDICATOR_COLUMNS;

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
    w.write_record(INDICATOR_COLUMNS.iter().chain(&["suppressed"]))?;
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
