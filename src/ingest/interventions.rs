//! The intervention register (`[inputs] interventions`): what a school changed, for whom and from
//! which cohort on, so the report can compare the cohorts before and after (the quality cycle).
//!
//! A CSV or XLSX file with the columns below (Dutch name or English alias), or a TOML file of
//! `[[interventie]]` tables with the same keys. Every row is checked; a bad row is rejected with
//! file, line, column and rule id, and the rest is kept (formats.md §4).
//!
//! | column | alias | required | value |
//! |---|---|---|---|
//! | `naam` | `name` | yes | the intervention's name, unique in the register |
//! | `school` | `school` | yes | brin + vestiging, six characters (`90AA00`) |
//! | `afdeling` | `department` | no | the origin niveau (`havo`): the afdeling `school:niveau` |
//! | `groep` | `group` | no | the alumni `groep` it was meant for (shown, see below) |
//! | `eerste_cohort` | `first_cohort` | yes | the first alumni cohort it affected (a year) |
//! | `beschrijving` | `description` | no | what was done |
//! | `indicatoren` | `indicators` | no | indicator ids separated by `;` (default: [`DEFAULT_INDICATORS`]) |
//!
//! A `groep` is recorded and shown, but figures are compared on the school or afdeling: a groep
//! usually starts with its intervention, so it has no cohorts before it to compare with (its own
//! figures are on the school page, `indicators_groep.sql`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{ArrayRef, Int32Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use super::decode::sha256_file;
use super::reader::{RawRow, RawTable};
use super::spec::{match_header, Column, Kind, TableSpec, NIVEAUS_VO_MBO};
use super::values::{parse_brin, parse_code, parse_vestiging};
use crate::exit::input_error;
use crate::validate::{rule, Accounting, Finding};

/// The register's declared columns (the kinds are informative; this reader checks each itself).
pub const REGISTER: TableSpec = TableSpec {
    name: "interventions",
    columns: &[
        column("naam", "name", true),
        column("school", "school", true),
        column("afdeling", "department", false),
        column("groep", "group", false),
        column("eerste_cohort", "first_cohort", true),
        column("beschrijving", "description", false),
        column("indicatoren", "indicators", false),
    ],
};

/// A text column of a hand-written input (the register, the survey), checked by its reader.
pub(super) const fn column(name: &'static str, alias: &'static str, required: bool) -> Column {
    Column {
        name,
        alias,
        required,
        kind: Kind::Text,
    }
}

/// The indicators compared when a row names none.
pub const DEFAULT_INDICATORS: &[&str] = &[
    "instroom_direct",
    "instroom_binnen_1_jaar",
    "uitval_onderwijs",
];

/// The indicators the shared bundle shows per school and afdeling, so the ones a register may name.
pub const COMPARABLE: &[&str] = &[
    "instroom_direct",
    "instroom_binnen_1_jaar",
    "instroom_binnen_2_jaar",
    "bestemming_wo",
    "bestemming_hbo",
    "bestemming_mbo",
    "bestemming_vo",
    "bestemming_vavo",
    "jaar1_zelfde_opleiding",
    "jaar1_diploma",
    "jaar1_switch_intern",
    "jaar1_switch_extern",
    "jaar1_switch_sector",
    "jaar1_uitval",
    "uitval_onderwijs",
    "nog_in_sector",
    "switch_binnen_sector",
    "diploma_binnen_3_jaar",
    "diploma_binnen_4_jaar",
    "diploma_binnen_5_jaar",
];

/// A year a cohort can have.
pub(super) const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A rule of the register: a name used twice.
pub const DUPLICATE: &str = "intervention.duplicate";
/// A rule of the register: a cohort that is not a year.
pub const YEAR: &str = "value.year";

/// One valid register row.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    pub name: String,
    /// `school` or `afdeling` (definitions.md §7).
    pub unit_type: &'static str,
    pub unit_id: String,
    pub groep: Option<String>,
    pub first_cohort: i32,
    pub description: String,
    /// The indicators to compare, joined by `;`.
    pub indicators: String,
}

/// The register as read: valid rows, findings, accounting.
#[derive(Debug)]
pub struct Register {
    pub path: PathBuf,
    pub sha256: String,
    pub rows: Vec<Intervention>,
    pub findings: Vec<Finding>,
    pub accounting: Accounting,
}

/// Reads and checks the register. A file that cannot be read, lacks a required column or has no
/// valid row left is an input error.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Register> {
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let mut table = if is_toml {
        open_toml(path)?
    } else {
        RawTable::open(path, sheet)?
    };
    let (positions, missing) = match_header(&REGISTER, &table.header);
    if !missing.is_empty() {
        return Err(input_error(format!(
            "{}: missing required column(s) {} [{}]; the intervention register needs naam, school \
             and eerste_cohort",
            path.display(),
            missing.join(", "),
            rule::MISSING_COLUMN
        )));
    }
    let header = table.header.clone();
    let mut out = Register {
        path: path.to_path_buf(),
        sha256: table.sha256.clone(),
        rows: Vec::new(),
        findings: Vec::new(),
        accounting: Accounting::default(),
    };
    let mut names = HashSet::new();
    for raw in table.rows() {
        let raw = raw?;
        let field = |name: &str| -> (String, String) {
            let i = REGISTER.index(name);
            match positions[i] {
                Some(p) => (
                    raw.fields.get(p).cloned().unwrap_or_default(),
                    header[p].clone(),
                ),
                None => (String::new(), name.to_string()),
            }
        };
        let mut row_findings = Vec::new();
        let mut finding = |column: String, rule: &'static str, message: String| {
            row_findings.push(Finding {
                file: path.to_path_buf(),
                line: raw.line,
                column,
                rule,
                message,
            })
        };
        let parsed = check_row(&field, &mut finding);
        if let Some(row) = parsed {
            if !names.insert(row.name.clone()) {
                let (_, column) = field("naam");
                finding(
                    column,
                    DUPLICATE,
                    format!("the name \"{}\" is used by an earlier row", row.name),
                );
            } else if row_findings.is_empty() {
                out.rows.push(row);
            }
        }
        match row_findings.first() {
            None => out.accounting.record_loaded(),
            Some(first) => out.accounting.record_rejected(first.rule),
        }
        out.findings.append(&mut row_findings);
    }
    if out.rows.is_empty() {
        return Err(input_error(format!(
            "{}: no valid intervention left ({} rows read, {} rejected) [{}]",
            path.display(),
            out.accounting.rows_read,
            out.accounting.rejected,
            rule::NO_VALID_ROWS
        )));
    }
    Ok(out)
}

/// Checks one row; findings go to `finding`. Returns the row when every required value parsed.
fn check_row(
    field: &dyn Fn(&str) -> (String, String),
    finding: &mut dyn FnMut(String, &'static str, String),
) -> Option<Intervention> {
    let mut required = |name: &str| -> Option<String> {
        let (value, column) = field(name);
        if value.is_empty() {
            finding(
                column,
                rule::REQUIRED,
                format!("{name} is required but empty"),
            );
            None
        } else {
            Some(value)
        }
    };
    let name = required("naam");
    let school_text = required("school");
    let cohort_text = required("eerste_cohort");
    let school = school_text.and_then(|s| school(&s, field("school").1, finding));
    let first_cohort = cohort_text.and_then(|c| {
        let year = c.parse::<i32>().ok().filter(|y| YEARS.contains(y));
        if year.is_none() {
            finding(
                field("eerste_cohort").1,
                YEAR,
                format!("eerste_cohort \"{c}\": expected a year such as 2021"),
            );
        }
        year
    });
    let (afdeling_text, column) = field("afdeling");
    let niveau = afdeling(&afdeling_text, column, finding);
    let (list, column) = field("indicatoren");
    let mut indicators = Vec::new();
    for id in list
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match COMPARABLE.iter().find(|c| c.eq_ignore_ascii_case(id)) {
            Some(c) => indicators.push(*c),
            None => finding(
                column.clone(),
                rule::CODE,
                format!(
                    "indicator \"{id}\" is not one the report shows per school; expected one of {}",
                    COMPARABLE.join(", ")
                ),
            ),
        }
    }
    if indicators.is_empty() {
        indicators.extend(DEFAULT_INDICATORS);
    }
    let (groep, _) = field("groep");
    let (description, _) = field("beschrijving");
    let (name, school, first_cohort, niveau) = (name?, school?, first_cohort?, niveau?);
    let (unit_type, unit_id) = match niveau {
        Some(n) => ("afdeling", format!("{school}:{n}")),
        None => ("school", school),
    };
    Some(Intervention {
        name,
        unit_type,
        unit_id,
        groep: (!groep.is_empty()).then(|| groep.to_string()),
        first_cohort,
        description: description.to_string(),
        indicators: indicators.join(";"),
    })
}

/// A school as brin + vestiging (`90AA00`), or a finding.
pub(super) fn school(
    s: &str,
    column: String,
    finding: &mut dyn FnMut(String, &'static str, String),
) -> Option<String> {
    let parsed = (s.len() == 6)
        .then(|| parse_brin(&s[..4]).zip(parse_vestiging(&s[4..])))
        .flatten();
    if parsed.is_none() {
        finding(
            column,
            rule::FORMAT,
            format!("school \"{s}\": expected brin + vestiging, six characters such as 90AA00"),
        );
    }
    parsed.map(|(b, v)| format!("{b}{v}"))
}

/// An optional afdeling as its niveau: `Some(None)` when empty, `None` (with a finding) when not a
/// niveau.
pub(super) fn afdeling(
    text: &str,
    column: String,
    finding: &mut dyn FnMut(String, &'static str, String),
) -> Option<Option<&'static str>> {
    if text.is_empty() {
        return Some(None);
    }
    let code = parse_code(text, NIVEAUS_VO_MBO);
    if code.is_none() {
        finding(
            column,
            rule::CODE,
            format!(
                "afdeling \"{text}\": expected a niveau, one of {}",
                NIVEAUS_VO_MBO.join(", ")
            ),
        );
    }
    code.map(Some)
}

/// A TOML register: `[[interventie]]` (or `[[intervention]]`) tables whose keys are the columns.
/// Each becomes a row at the line of its table header.
fn open_toml(path: &Path) -> Result<RawTable> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| input_error(format!("{}: unreadable input file: {e}", path.display())))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e| input_error(format!("{}: not valid TOML: {e}", path.display())))?;
    let entries = ["interventie", "intervention"]
        .iter()
        .find_map(|k| doc.get(*k))
        .and_then(|v| v.as_array())
        .ok_or_else(|| {
            input_error(format!(
                "{}: expected [[interventie]] tables, one per intervention",
                path.display()
            ))
        })?;
    let header_lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            l.starts_with("[[interventie]]") || l.starts_with("[[intervention]]")
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    let header: Vec<String> = REGISTER.columns.iter().map(|c| c.name.into()).collect();
    let mut rows = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let table = entry.as_table();
        let fields = REGISTER
            .columns
            .iter()
            .map(|c| {
                let value = table.and_then(|t| t.get(c.name).or_else(|| t.get(c.alias)));
                match value {
                    Some(toml::Value::String(s)) => s.trim().to_string(),
                    Some(toml::Value::Array(items)) => items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(";"),
                    Some(other) => other.to_string(),
                    None => String::new(),
                }
            })
            .collect();
        rows.push(RawRow {
            line: header_lines.get(i).copied().unwrap_or(0),
            fields,
        });
    }
    let sha256 = sha256_file(path)?;
    Ok(RawTable::from_rows(
        path.to_path_buf(),
        sha256,
        header,
        rows,
    ))
}

/// The canonical table `warehouse/interventions.parquet` (empty without a register).
pub fn schema() -> SchemaRef {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        Field::new("volgorde", DataType::Int32, false),
        text("naam", false),
        text("unit_type", false),
        text("unit_id", false),
        text("groep", true),
        Field::new("eerste_cohort", DataType::Int32, false),
        text("beschrijving", false),
        text("indicatoren", false),
    ]))
}

/// The register's valid rows as a batch of [`schema`], in register order.
pub fn to_batch(rows: &[Intervention]) -> Result<RecordBatch> {
    let text = |f: fn(&Intervention) -> &str| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
    };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from_iter_values(1..=rows.len() as i32)),
        text(|r| &r.name),
        text(|r| r.unit_type),
        text(|r| &r.unit_id),
        Arc::new(StringArray::from_iter(
            rows.iter().map(|r| r.groep.as_deref()),
        )),
        Arc::new(Int32Array::from_iter_values(
            rows.iter().map(|r| r.first_cohort),
        )),
        text(|r| &r.description),
        text(|r| &r.indicators),
    ];
    RecordBatch::try_new(schema(), columns).context("cannot build the intervention table")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn csv_rows_are_checked_and_bad_ones_rejected_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "interventies.csv",
            "name,school,afdeling,eerste_cohort,indicators\n\
             LOB-plus,90aa00,HAVO,2021,\"uitval_onderwijs; instroom_direct\"\n\
             Mentor,90AB0,,2020,\n\
             Ouderavond,90AC00,atheneum,twintig,uitval\n\
             LOB-plus,90AD00,,2022,\n\
             Stage,90AE00,,2019,\n",
        );
        let r = read(&path, None).unwrap();
        assert_eq!(r.accounting.rows_read, 5);
        assert_eq!(r.accounting.loaded, 2);
        assert_eq!(r.accounting.rejected, 3);
        assert_eq!(
            r.rows[0],
            Intervention {
                name: "LOB-plus".into(),
                unit_type: "afdeling",
                unit_id: "90AA00:havo".into(),
                groep: None,
                first_cohort: 2021,
                description: String::new(),
                indicators: "uitval_onderwijs;instroom_direct".into(),
            }
        );
        assert_eq!(r.rows[1].unit_id, "90AE00");
        assert_eq!(
            r.rows[1].indicators,
            "instroom_direct;instroom_binnen_1_jaar;uitval_onderwijs"
        );
        let seen: Vec<(u64, &str, &str)> = r
            .findings
            .iter()
            .map(|f| (f.line, f.column.as_str(), f.rule))
            .collect();
        assert_eq!(
            seen,
            vec![
                (3, "school", "value.format"),
                (4, "eerste_cohort", "value.year"),
                (4, "afdeling", "value.code"),
                (4, "indicators", "value.code"),
                (5, "name", "intervention.duplicate"),
            ]
        );
    }

    #[test]
    fn a_toml_register_reports_the_line_of_each_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "interventies.toml",
            "# register\n\n[[interventie]]\nnaam = \"LOB-plus\"\nschool = \"90AA00\"\n\
             groep = \"LOB-plus\"\neerste_cohort = 2021\nindicatoren = [\"jaar1_uitval\"]\n\n\
             [[interventie]]\nnaam = \"Mentor\"\nschool = \"90AB00\"\neerste_cohort = \"2O20\"\n",
        );
        let r = read(&path, None).unwrap();
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].groep.as_deref(), Some("LOB-plus"));
        assert_eq!(r.rows[0].first_cohort, 2021);
        assert_eq!(r.rows[0].indicators, "jaar1_uitval");
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].line, 10);
        assert_eq!(r.findings[0].rule, YEAR);
    }

    #[test]
    fn a_register_without_a_required_column_or_valid_row_fails_as_a_whole() {
        let dir = tempfile::tempdir().unwrap();
        let no_cohort = write(dir.path(), "a.csv", "naam,school\nX,90AA00\n");
        let e = read(&no_cohort, None).unwrap_err().to_string();
        assert!(
            e.contains("eerste_cohort") && e.contains("file.missing_column"),
            "{e}"
        );
        let none_valid = write(
            dir.path(),
            "b.csv",
            "naam,school,eerste_cohort\nX,90AA,2021\n",
        );
        let e = read(&none_valid, None).unwrap_err().to_string();
        assert!(e.contains("file.no_valid_rows"), "{e}");
    }
}
