//! Validation findings: every problem with its file, line, column and rule id, collected rather than
//! stopping at the first (ripgrep's report-and-continue). The rule ids are the contract users grep for.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Rule ids, defined once. Row rules reject a row; file rules fail the whole input (exit 1).
pub mod rule {
    /// A row has fewer or more fields than the header.
    pub const ROW_FIELDS: &str = "row.fields";
    /// A required value is empty.
    pub const REQUIRED: &str = "value.required";
    /// A date cannot be read.
    pub const DATE: &str = "value.date";
    /// A coded value (niveau, sector, yes/no, …) is not one of the allowed codes.
    pub const CODE: &str = "value.code";
    /// A BRIN or vestiging does not have its shape.
    pub const FORMAT: &str = "value.format";
    /// `einddatum` is before `startdatum`.
    pub const END_BEFORE_START: &str = "dates.end_before_start";
    /// An identifier is invalid (a BSN failing the 11-proef, an empty id).
    pub const PGN_INVALID: &str = "pgn.invalid";
    /// An alumni row repeats (persoon_id, niveau, cohort) of an earlier valid row.
    pub const DUPLICATE: &str = "alumni.duplicate";
    /// A published number is neither a number nor a mask.
    pub const NUMBER: &str = "value.number";
    /// A published number has both a value and a mask.
    pub const MASK_AND_VALUE: &str = "value.mask_and_value";
    /// A published file's total, footer or note line (not data; counted as rejected, never loaded).
    pub const FOOTER: &str = "row.footer";
    /// File-level: a required column is missing.
    pub const MISSING_COLUMN: &str = "file.missing_column";
    /// File-level: no valid row is left.
    pub const NO_VALID_ROWS: &str = "file.no_valid_rows";
}

/// One problem in one row.
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: PathBuf,
    pub line: u64,
    /// The column as named in the file's header (empty for row-level rules).
    pub column: String,
    pub rule: &'static str,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)?;
        if !self.column.is_empty() {
            write!(f, ": column {}", self.column)?;
        }
        write!(f, ": {} [{}]", self.message, self.rule)
    }
}

/// Row accounting for one input file: read = loaded + rejected.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Accounting {
    pub rows_read: u64,
    pub loaded: u64,
    pub rejected: u64,
    /// Rejected rows per rule id (a row counts once, under its first finding's rule).
    pub rejected_by_rule: BTreeMap<String, u64>,
}

impl Accounting {
    pub fn record_loaded(&mut self) {
        self.rows_read += 1;
        self.loaded += 1;
    }

    pub fn record_rejected(&mut self, first_rule: &str) {
        self.rows_read += 1;
        self.rejected += 1;
        *self
            .rejected_by_rule
            .entry(first_rule.to_string())
            .or_default() += 1;
    }
}
