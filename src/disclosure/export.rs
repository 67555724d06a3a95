//! The published indicator table as CSV (`site/data/indicators.csv`): the warehouse columns plus
//! `suppressed`; a suppressed row keeps its keys and has every number empty. Text cells are
//! guarded against formula injection. `read_csv` reads it back for `doorstroom audit`.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::{Key, Numbers, Published};
use crate::exit::input_error;
use crate::warehouse::{TextSink, INDICATOR_COLUMNS};

/// A text cell a spreadsheet will not run: one that starts with `=`, `+`, `-`, `@`, tab or CR,
/// also after leading spaces, gets a leading `'`.
pub fn safe_text(text: &str) -> String {
    guarded(text).into_owned()
}

/// [`safe_text`], borrowing the text when it needs no guard.
fn guarded(text: &str) -> Cow<'_, str> {
    let first = text.trim_start_matches(' ').chars().next();
    if matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The CSV bytes of a published table.
pub fn to_csv(rows: &[Published]) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_csv(rows, &mut bytes)?;
    Ok(bytes)
}

/// Writes a published table as the CSV file `dest`, atomically (`TextSink`).
pub fn write_csv_file(rows: &[Published], dest: &Path) -> Result<()> {
    let mut csv = TextSink::create(dest.parent().unwrap_or(Path::new(".")))?;
    write_csv(rows, csv.writer())?;
    csv.commit(dest)
}

/// Writes a published table as CSV to `out`, row by row (nationally some two million rows: the
/// file is streamed, not built in memory first).
pub fn write_csv(rows: &[Published], out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(INDICATOR_COLUMNS.iter().chain(&["suppressed"]))?;
    for r in rows {
        let k = &r.key;
        w.write_field(k.cohort.to_string())?;
        w.write_field(guarded(&k.cohort_basis).as_bytes())?;
        w.write_field(guarded(&k.inflow_basis).as_bytes())?;
        w.write_field(k.cohort_window.to_string())?;
        for text in [&k.unit_type, &k.unit_id, &k.indicator] {
            w.write_field(guarded(text).as_bytes())?;
        }
        match &r.numbers {
            Some(n) => {
                w.write_field(n.numerator.to_string())?;
                w.write_field(n.denominator.to_string())?;
                for x in [n.value, n.ci_low, n.ci_high] {
                    w.write_field(x.to_string())?;
                }
                w.write_field("false")?;
            }
            None => {
                for _ in 0..5 {
                    w.write_field("")?;
                }
                w.write_field("true")?;
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush().context("cannot write the CSV")
}

/// A text cell as written: the leading `'` that `safe_text` added is taken off again.
fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if safe_text(rest).len() != rest.len() => rest,
        _ => text,
    }
}

/// Reads a published table (`site/data/indicators.csv`) for the audit. Every row must have its
/// keys; a published row all its numbers, a suppressed row none. A problem names the file, the
/// line and the column.
pub fn read_csv(path: &Path) -> Result<Vec<Published>> {
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| input_error(format!("{shown}: cannot read the published table: {e}")))?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    let header = reader
        .headers()
        .map_err(|e| input_error(format!("{shown}: cannot read the header: {e}")))?
        .clone();
    let expected: Vec<&str> = INDICATOR_COLUMNS
        .iter()
        .chain(&["suppressed"])
        .copied()
        .collect();
    if header.iter().collect::<Vec<_>>() != expected {
        return Err(input_error(format!(
            "{shown}:1: the columns are not those of a published indicator table; expected {}",
            expected.join(",")
        )));
    }
    let mut rows = Vec::new();
    let mut texts = super::Interner::default();
    for record in reader.records() {
        let record = record.map_err(|e| input_error(format!("{shown}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| unguard(record.get(i).unwrap_or(""));
        let bad = |i: usize, what: &str| {
            input_error(format!(
                "{shown}:{line}: column {}: {what} (\"{}\")",
                expected[i],
                field(i)
            ))
        };
        let int = |i: usize| {
            field(i)
                .parse::<i64>()
                .map_err(|_| bad(i, "not a whole number"))
        };
        let real = |i: usize| field(i).parse::<f64>().map_err(|_| bad(i, "not a number"));
        let key = Key {
            cohort: int(0)? as i32,
            cohort_basis: texts.text(field(1)),
            inflow_basis: texts.text(field(2)),
            cohort_window: int(3)? as i32,
            unit_type: texts.text(field(4)),
            unit_id: texts.text(field(5)),
            indicator: texts.text(field(6)),
        };
        let numbers = match field(12) {
            "true" => {
                if let Some(i) = (7..12).find(|&i| !field(i).is_empty()) {
                    return Err(bad(i, "a suppressed row has a number"));
                }
                None
            }
            "false" => Some(Numbers {
                numerator: int(7)?,
                denominator: int(8)?,
                value: real(9)?,
                ci_low: real(10)?,
                ci_high: real(11)?,
            }),
            _ => return Err(bad(12, "expected true or false")),
        };
        rows.push(Published { key, numbers });
    }
    Ok(rows)
}

/// What a site holds, written beside its data as `data/bundle.json` so `doorstroom audit` knows
/// which relations hold between its rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "scope", rename_all = "lowercase")]
pub enum Scope {
    /// The region with every school and afdeling.
    Region,
    /// The region and one partner's schools and afdelingen only.
    Partner { partner: String },
}

/// The scope a site says it has; a site without `data/bundle.json` is taken as a whole region.
pub fn read_scope(site: &Path) -> Result<Scope> {
    let path = site.join("data").join("bundle.json");
    match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Scope::Region),
        Err(e) => Err(input_error(format!("{}: cannot read: {e}", path.display()))),
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| input_error(format!("{}: not a bundle description: {e}", path.display()))),
    }
}
