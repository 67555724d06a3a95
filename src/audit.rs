//! `doorstroom audit <site-dir>`: reads the published tables of a site as anyone who receives it
//! can, and proves for every suppressed cell that the published values and the relations between
//! them do not determine it (disclosure::audit_published). Exit 1 when one is determined.

use std::path::Path;

use anyhow::Result;

use crate::disclosure::{self, export};
use crate::exit::input_error;

/// How many recomputable cells the refusal lists; the count covers all.
const SHOWN: usize = 20;

/// Audits `site/data/indicators.csv`; returns the summary line.
pub fn audit(site: &Path) -> Result<String> {
    let path = site.join("data").join("indicators.csv");
    let rows = export::read_csv(&path)?;
    let scope = export::read_scope(site)?;
    let report = match &scope {
        export::Scope::Region => disclosure::audit_published(&rows)?,
        export::Scope::Partner { .. } => disclosure::audit_partner(&rows)?,
    };
    if !report.disclosed.is_empty() {
        let shown: Vec<&str> = report
            .disclosed
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        return Err(input_error(format!(
            "{}: {} suppressed cell(s) can be recomputed from the published values and relations \
             (Linear: the equalities determine it; Bounds: its bounds leave one value; \
             Inconsistent: no table fits the published values):\n  {}{}",
            path.display(),
            report.disclosed.len(),
            shown.join("\n  "),
            if report.disclosed.len() > SHOWN {
                format!("\n  … and {} more", report.disclosed.len() - SHOWN)
            } else {
                String::new()
            }
        )));
    }
    Ok(format!(
        "{}: {} rows ({}), {} suppressed ({} hidden cells); no suppressed cell can be recomputed",
        path.display(),
        report.rows,
        match scope {
            export::Scope::Region => "the region".to_string(),
            export::Scope::Partner { partner } => format!("partner bundle of {partner}"),
        },
        report.suppressed_rows,
        report.hidden_cells
    ))
}
