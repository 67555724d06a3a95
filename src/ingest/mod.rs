//! Ingest: exchange files (CSV or XLSX) → validated, pseudonymised Arrow batches → staged Parquet.
//!
//! Rows stream through: read, check every declared rule, pseudonymise, append to a batch, write a
//! row group. Bad rows go to the rejects file with their findings; the run goes on. A file that fails
//! as a whole (unreadable, missing column, nothing valid left) is an input error (exit 1).

pub mod decode;
pub mod interventions;
pub mod onecijferho;
pub mod persons;
pub mod published;
pub mod reader;
pub mod spec;
pub mod survey;
pub mod table;
pub mod values;

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Datelike;
use tempfile::NamedTempFile;

use crate::exit::{input_error, keep_going};
use crate::privacy::pseudonym::{normalise, IdKind, Pseudonymiser};
use crate::project::InputFile;
use crate::validate::{rule, Accounting, Finding};
use crate::warehouse::BackgroundSink;
use persons::PersonNumbers;
use reader::{RawRow, RawTable};
use spec::{Kind, TableSpec};
use table::{Parsed, TableBuilder, BATCH_ROWS};

/// Row accounting of one input file.
pub struct FileResult {
    pub path: PathBuf,
    pub sha256: String,
    pub accounting: Accounting,
    /// Set when the file's bytes equal an earlier file of the same table: it is not loaded again.
    pub same_as: Option<PathBuf>,
}

/// The result of ingesting one table (one or more files): staged Parquet, findings, accounting.
pub struct Ingested {
    pub table: &'static str,
    pub files: Vec<FileResult>,
    /// Every finding, in file order (the rejects file is written from these).
    pub findings: Vec<Finding>,
    /// The staged Parquet file, synced; `None` after a check-only run.
    pub parquet: Option<NamedTempFile>,
}

/// What ingest needs besides the files.
pub struct IngestOptions<'a> {
    pub pseudonymiser: &'a Pseudonymiser,
    /// Directory for staged Parquet; `None` validates only (`doorstroom check`).
    pub staging_dir: Option<&'a Path>,
}

/// Ingests the files of one exchange table according to `spec`, into one Parquet file. Every file
/// is checked before a failure is returned. `persons` numbers the persons of every table of one
/// ingest (`persoon_nr`).
pub fn ingest(
    spec: &'static TableSpec,
    files: &[InputFile],
    options: &IngestOptions,
    persons: &mut PersonNumbers,
) -> Result<Ingested> {
    let mut builder = TableBuilder::new(spec);
    let mut sink = match options.staging_dir {
        Some(dir) => Some(BackgroundSink::create(dir, builder.schema())?),
        None => None,
    };
    let mut state = TableState {
        builder: &mut builder,
        sink: sink.as_mut(),
        loaded: 0,
        seen: Seen::default(),
        persons,
        hashes: Vec::new(),
    };
    let mut results = Vec::new();
    let mut findings = Vec::new();
    let mut failures = Vec::new();
    for file in files {
        let result = ingest_file(spec, file, options, &mut state, &mut findings);
        results.extend(keep_going(result, &mut failures)?);
    }
    if !failures.is_empty() {
        return Err(input_error(failures.join("\n  ")));
    }
    if !builder.is_empty() {
        flush(&mut builder, sink.as_mut())?;
    }
    let parquet = sink.map(BackgroundSink::finish).transpose()?;
    Ok(Ingested {
        table: spec.name,
        files: results,
        findings,
        parquet,
    })
}

/// Formats.md §1's duplicate rule: the (person's number, niveau as its place in the code list,
/// cohort) of every valid alumni row so far. 16 bytes a row: at national scale this set and the
/// persons' numbers are ingest's largest allocations (ingest's peak RSS 732 MiB with both; 587 MiB
/// before the numbers, with 36-byte keys holding the pseudonym's identity bytes; 827 MiB with a
/// `&str` niveau and an `i32` cohort beside them). foldhash rather than the standard SipHash: the
/// set is probed once per row, and SipHash was the largest single cost of ingest in a profile.
type Seen = HashSet<(i64, u8, i16), foldhash::fast::RandomState>;

/// What the files of one table share: the batch being built, the sink, the running record id, the
/// duplicate keys of valid alumni rows and the persons' numbers.
struct TableState<'a> {
    builder: &'a mut TableBuilder,
    sink: Option<&'a mut BackgroundSink>,
    loaded: i64,
    seen: Seen,
    persons: &'a mut PersonNumbers,
    /// sha256 and path of every file loaded so far.
    hashes: Vec<(String, PathBuf)>,
}

fn ingest_file(
    spec: &'static TableSpec,
    file: &InputFile,
    options: &IngestOptions,
    state: &mut TableState,
    findings: &mut Vec<Finding>,
) -> Result<FileResult> {
    let path = file.path.as_path();
    let mut raw = if onecijferho::is_onecijferho(path) {
        onecijferho::open(path, spec)?
    } else {
        RawTable::open(path, file.sheet.as_deref())?
    };
    // The same bytes listed twice (or a copy under another name) are loaded once.
    if let Some(earlier) = state
        .hashes
        .iter()
        .find(|(sha, _)| *sha == raw.sha256)
        .map(|(_, p)| p.clone())
    {
        return Ok(FileResult {
            path: path.to_path_buf(),
            sha256: raw.sha256.clone(),
            accounting: Accounting::default(),
            same_as: Some(earlier),
        });
    }
    state.hashes.push((raw.sha256.clone(), path.to_path_buf()));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (positions, missing) = spec::match_header(spec, &raw.header);
    if !missing.is_empty() {
        return Err(input_error(format!(
            "{}: line 1: required column(s) {} missing from the header (found: {}) [{}]",
            path.display(),
            missing.join(", "),
            raw.header.join(", "),
            rule::MISSING_COLUMN
        )));
    }
    let mut rows = RowChecker {
        spec,
        path: path.to_path_buf(),
        header: raw.header.clone(),
        positions,
        pseudonymiser: options.pseudonymiser,
        last_person: None,
    };
    let mut accounting = Accounting::default();
    let mut row = RawRow::default();
    while raw.read_row(&mut row)? {
        match rows.check(&row, &mut state.seen, state.persons) {
            Ok((values, person)) => {
                accounting.record_loaded();
                state.loaded += 1;
                state
                    .builder
                    .push(state.loaded, &values, person, (&file_name, row.line));
                if state.builder.len() >= BATCH_ROWS {
                    flush(state.builder, state.sink.as_deref_mut())?;
                }
            }
            Err(row_findings) => {
                accounting.record_rejected(row_findings[0].rule);
                findings.extend(row_findings);
            }
        }
    }
    if accounting.loaded == 0 {
        return Err(input_error(format!(
            "{}: no valid row left ({} read, {} rejected) [{}]",
            path.display(),
            accounting.rows_read,
            accounting.rejected,
            rule::NO_VALID_ROWS
        )));
    }
    Ok(FileResult {
        path: path.to_path_buf(),
        sha256: raw.sha256.clone(),
        accounting,
        same_as: None,
    })
}

/// Hands the rows so far to the writer. A writer that stopped is not an error here: ingest goes on
/// checking rows (every finding is still reported) and the writer's error comes from `finish`.
fn flush(builder: &mut TableBuilder, sink: Option<&mut BackgroundSink>) -> Result<()> {
    let batch = builder.finish().context("cannot build a record batch")?;
    if let Some(sink) = sink {
        sink.write(batch);
    }
    Ok(())
}

/// The diploma cohort (definitions.md §1), needed here only for the duplicate rule of formats.md §1;
/// the indicators take the cohort from SQL.
fn cohort_of(date: chrono::NaiveDate) -> i32 {
    date.year() + i32::from(date.month() >= 10)
}

/// Checks rows of one file against its declared columns and cross-field rules.
struct RowChecker<'a> {
    spec: &'static TableSpec,
    path: PathBuf,
    header: Vec<String>,
    positions: Vec<Option<usize>>,
    pseudonymiser: &'a Pseudonymiser,
    /// The previous row's identifier with its pseudonym and identity bytes: exports list a
    /// person's rows together (one per school year where they come from 1cijferHO or BRON), so the
    /// HMAC is computed once for each run of a person's rows.
    last_person: Option<(IdKind, String, String, [u8; 32])>,
}

impl RowChecker<'_> {
    fn finding(&self, line: u64, column: &str, rule: &'static str, message: String) -> Finding {
        Finding {
            file: self.path.clone(),
            line,
            column: column.to_string(),
            rule,
            message,
        }
    }

    /// The typed values of a valid row and its person's number, or every finding that rejects it.
    fn check<'r>(
        &mut self,
        row: &'r RawRow,
        seen: &mut Seen,
        persons: &mut PersonNumbers,
    ) -> std::result::Result<(Vec<Parsed<'r>>, i64), Vec<Finding>> {
        if row.fields.len() != self.header.len() {
            return Err(vec![self.finding(
                row.line,
                "",
                rule::ROW_FIELDS,
                format!(
                    "the row has {} fields where the header has {}",
                    row.fields.len(),
                    self.header.len()
                ),
            )]);
        }
        let mut findings = Vec::new();
        let mut values = Vec::with_capacity(self.spec.columns.len());
        for (column, position) in self.spec.columns.iter().zip(&self.positions) {
            let text = position.map(|p| row.fields[p].as_str()).unwrap_or("");
            let shown = position
                .map(|p| self.header[p].as_str())
                .unwrap_or(column.name);
            match parse_value(column.kind, text) {
                _ if text.is_empty() && column.required => findings.push(self.finding(
                    row.line,
                    shown,
                    rule::REQUIRED,
                    format!("{} is required but empty", column.name),
                )),
                Ok(v) => values.push(v),
                Err((rule, expected)) => {
                    // Identifiers are never echoed: rejects stay free of personal data.
                    let echo = if matches!(column.kind, Kind::PersonId) {
                        String::new()
                    } else {
                        format!(" {text:?}")
                    };
                    findings.push(self.finding(
                        row.line,
                        shown,
                        rule,
                        format!("{}{echo}: {expected}", column.name),
                    ));
                }
            }
        }
        if !findings.is_empty() {
            return Err(findings);
        }
        let identity = self.person(row, &mut values)?;
        let person = self.cross_rules(row, &values, identity, (seen, persons))?;
        Ok((values, person))
    }

    /// Normalises and pseudonymises `persoon_id` with its `id_soort` (given or inferred); returns
    /// the pseudonym's identity bytes.
    fn person(
        &mut self,
        row: &RawRow,
        values: &mut [Parsed],
    ) -> std::result::Result<[u8; 32], Vec<Finding>> {
        let (id_idx, kind_idx) = (self.spec.index("persoon_id"), self.spec.index("id_soort"));
        let Parsed::Str(Some(id)) = &values[id_idx] else {
            unreachable!("required persoon_id")
        };
        let kind = match &values[kind_idx] {
            Parsed::Str(Some(k)) => IdKind::parse(k).expect("checked code"),
            _ => IdKind::infer(id),
        };
        let Some(normalised) = normalise(kind, id) else {
            let column = self.positions[id_idx]
                .map(|p| self.header[p].clone())
                .unwrap_or_default();
            return Err(vec![self.finding(
                row.line,
                &column,
                rule::PGN_INVALID,
                format!("persoon_id is not a valid {} (a BSN has at most 9 digits and passes the 11-proef)", kind.as_str()),
            )]);
        };
        let (pseudonym, identity) = match &self.last_person {
            Some((k, id, pseudonym, identity)) if *k == kind && *id == normalised => {
                (pseudonym.clone(), *identity)
            }
            _ => {
                let (pseudonym, identity) =
                    self.pseudonymiser.pseudonym_and_identity(kind, &normalised);
                self.last_person = Some((kind, normalised, pseudonym.clone(), identity));
                (pseudonym, identity)
            }
        };
        values[id_idx] = Parsed::Str(Some(Cow::Owned(pseudonym)));
        values[kind_idx] = Parsed::Str(Some(Cow::Borrowed(kind.as_str())));
        Ok(identity)
    }

    /// The rules across fields and rows; the person's number when the row passes them (a row they
    /// reject numbers no new person: a duplicate's person has a number already).
    fn cross_rules(
        &mut self,
        row: &RawRow,
        values: &[Parsed],
        identity: [u8; 32],
        (seen, persons): (&mut Seen, &mut PersonNumbers),
    ) -> std::result::Result<i64, Vec<Finding>> {
        let date = |name: &str| match &values[self.spec.index(name)] {
            Parsed::Date(d) => *d,
            _ => None,
        };
        let text = |name: &str| match &values[self.spec.index(name)] {
            Parsed::Str(Some(s)) => s.as_ref(),
            _ => "",
        };
        if self.spec.name == spec::ENROLLMENTS.name {
            if let (Some(start), Some(end)) = (date("startdatum"), date("einddatum")) {
                if end < start {
                    return Err(vec![self.finding(
                        row.line,
                        "einddatum",
                        rule::END_BEFORE_START,
                        format!("einddatum {end} is before startdatum {start}"),
                    )]);
                }
            }
            Ok(persons.number(identity))
        } else if self.spec.name == spec::ALUMNI.name {
            let diploma = date("diplomadatum").expect("required date");
            let niveau = spec::NIVEAUS_VO_MBO
                .iter()
                .position(|code| *code == text("niveau"))
                .expect("checked code");
            let cohort = i16::try_from(cohort_of(diploma)).expect("a year");
            let person = persons.number(identity);
            let key = (person, niveau as u8, cohort);
            if seen.contains(&key) {
                return Err(vec![self.finding(
                    row.line,
                    "",
                    rule::DUPLICATE,
                    format!(
                        "this person already has a valid {} diploma of cohort {cohort} on an earlier row",
                        text("niveau")
                    ),
                )]);
            }
            seen.insert(key);
            Ok(person)
        } else {
            Ok(persons.number(identity))
        }
    }
}

/// Reads one value by its kind; the error is the rule id and what was expected.
fn parse_value(kind: Kind, text: &str) -> std::result::Result<Parsed<'_>, (&'static str, String)> {
    if text.is_empty() {
        return Ok(match kind {
            Kind::Date => Parsed::Date(None),
            Kind::Bool => Parsed::Bool(false),
            _ => Parsed::Str(None),
        });
    }
    match kind {
        Kind::PersonId | Kind::Text => Ok(Parsed::Str(Some(Cow::Borrowed(text)))),
        // Borrowed only where lower-casing surely changes nothing (ASCII without capitals); any
        // other text goes through `to_lowercase` (title-case letters such as ǅ change too).
        Kind::LowerText if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()) => {
            Ok(Parsed::Str(Some(Cow::Borrowed(text))))
        }
        Kind::LowerText => Ok(Parsed::Str(Some(Cow::Owned(text.to_lowercase())))),
        Kind::IdType => IdKind::parse(text)
            .map(|k| Parsed::Str(Some(Cow::Borrowed(k.as_str()))))
            .ok_or((rule::CODE, "expected bsn, onderwijsnummer or eigen".into())),
        Kind::Brin => values::parse_brin(text)
            .map(|v| Parsed::Str(Some(v)))
            .ok_or((rule::FORMAT, "a BRIN is 4 letters or digits".into())),
        Kind::Vestiging => values::parse_vestiging(text)
            .map(|v| Parsed::Str(Some(v)))
            .ok_or((rule::FORMAT, "a vestiging is 1 or 2 digits".into())),
        Kind::Code(allowed) => values::parse_code(text, allowed)
            .map(|v| Parsed::Str(Some(Cow::Borrowed(v))))
            .ok_or_else(|| {
                (
                    rule::CODE,
                    format!("expected one of {}", allowed.join(", ")),
                )
            }),
        Kind::Date => values::parse_date(text)
            .map(|d| Parsed::Date(Some(d)))
            .ok_or((
                rule::DATE,
                "not a date; use YYYY-MM-DD or DD-MM-YYYY".into(),
            )),
        Kind::Bool => values::parse_bool(text).map(Parsed::Bool).ok_or((
            rule::CODE,
            "expected ja or nee (also j/n, yes/no, true/false, 1/0)".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(text: &str) -> (String, bool) {
        match parse_value(Kind::LowerText, text) {
            Ok(Parsed::Str(Some(v))) => (v.to_string(), matches!(v, Cow::Borrowed(_))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lower_text_borrows_only_what_lower_casing_leaves_as_it_is() {
        assert_eq!(lower("bedrijfseconomie"), ("bedrijfseconomie".into(), true));
        assert_eq!(lower("HBO Rechten"), ("hbo rechten".into(), false));
        // U+01C5 (title case, not upper case) lower-cases to U+01C6; É to é.
        assert_eq!(lower("\u{1C5}x"), ("\u{1C6}x".into(), false));
        assert_eq!(lower("É"), ("é".into(), false));
    }
}
