//! `rejects/<table>.csv`: every finding of every rejected row, with file, line, column, rule id and
//! reason. Identifiers are never echoed in a reason, so the file holds no personal data.

use std::path::Path;

use anyhow::Result;

use crate::validate::Finding;
use crate::warehouse::write_atomic;

/// Writes the findings of one input file (a header only when there are none).
pub fn write(path: &Path, findings: &[Finding]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["file", "line", "column", "rule", "reason"])?;
    for f in findings {
        let file = f
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        writer.write_record([
            file.as_str(),
            &f.line.to_string(),
            &f.column,
            f.rule,
            &f.message,
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write rejects: {e}"))?;
    write_atomic(path, &bytes)
}
