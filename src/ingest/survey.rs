//! The alumni survey (`[inputs] survey`, CSV or XLSX; formats.md §7): one row per respondent with
//! their diploma cohort, school and (optionally) afdeling, and one column per Likert item scored
//! 1–5 (empty: not answered).
//!
//! | column | alias | required | meaning |
//! |---|---|---|---|
//! | `cohort` | `cohort` | yes | the respondent's diploma cohort (definitions.md §1), a year |
//! | `school` | `school` | yes | brin + vestiging, `90AA00` |
//! | `afdeling` | `department` | no | the niveau (`havo`), as in the alumni file |
//! | `respondent` | `respondent` | no | the survey's own number; checked for nothing and never stored |
//! | any other column | | | a Likert item, named by its header: 1 (disagree) … 5 (agree), empty |
//!
//! Nothing identifies a respondent in the warehouse: `survey.parquet` holds one row per answer
//! (cohort, school, niveau, item, score, source line). Only counts per unit and cohort leave the
//! data owner, through the same disclosure control as the indicators (queries/ind_survey.sql).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use super::interventions::{afdeling, column, school, YEARS};
use super::reader::RawTable;
use super::spec::{match_header, TableSpec};
use crate::exit::input_error;
use crate::validate::{rule, Accounting, Finding};

/// The survey's fixed columns; every other column is an item.
pub const SURVEY: TableSpec = TableSpec {
    name: "survey",
    columns: &[
        column("cohort", "cohort", true),
        column("school", "school", true),
        column("afdeling", "department", false),
        column("respondent", "respondent", false),
    ],
};

/// A rule of the survey: a score that is not 1–5.
pub const LIKERT: &str = "value.likert";
/// A rule of the survey: a cohort that is not a year.
pub const YEAR: &str = super::interventions::YEAR;

/// One answer: a respondent's score on one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub cohort: i32,
    pub school: String,
    pub niveau: Option<String>,
    pub item: String,
    pub score: i32,
    pub line: u64,
}

/// The survey as read: its answers, findings and accounting (per respondent row).
#[derive(Debug)]
pub struct Survey {
    pub path: PathBuf,
    pub sha256: String,
    pub items: Vec<String>,
    pub answers: Vec<Answer>,
    pub findings: Vec<Finding>,
    pub accounting: Accounting,
}

/// Reads and checks the survey. A file that cannot be read, lacks a required column, has no item
/// column or no valid row left is an input error; a bad row is rejected whole.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Survey> {
    let mut table = RawTable::open(path, sheet)?;
    let (positions, missing) = match_header(&SURVEY, &table.header);
    if !missing.is_empty() {
        return Err(input_error(format!(
            "{}: missing required column(s) {} [{}]; the survey needs cohort and school, and one \
             column per item",
            path.display(),
            missing.join(", "),
            rule::MISSING_COLUMN
        )));
    }
    let header = table.header.clone();
    let items: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !positions.contains(&Some(*i)) && !h.trim().is_empty())
        .map(|(i, h)| (i, h.trim().to_string()))
        .collect();
    if items.is_empty() {
        return Err(input_error(format!(
            "{}: no item column: every column besides cohort, school, afdeling and respondent is a \
             Likert item [{}]",
            path.display(),
            rule::MISSING_COLUMN
        )));
    }
    let mut out = Survey {
        path: path.to_path_buf(),
        sha256: table.sha256.clone(),
        items: items.iter().map(|(_, h)| h.clone()).collect(),
        answers: Vec::new(),
        findings: Vec::new(),
        accounting: Accounting::default(),
    };
    for raw in table.rows() {
        let raw = raw?;
        let cell = |i: usize| raw.fields.get(i).map_or("", |s| s.trim());
        let field = |name: &str| -> (&str, String) {
            match positions[SURVEY.index(name)] {
                Some(p) => (cell(p), header[p].clone()),
                None => ("", name.to_string()),
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
        let (cohort_text, column) = field("cohort");
        let cohort = match cohort_text.parse::<i32>() {
            Ok(y) if YEARS.contains(&y) => Some(y),
            _ if cohort_text.is_empty() => {
                finding(
                    column,
                    rule::REQUIRED,
                    "cohort is required but empty".into(),
                );
                None
            }
            _ => {
                let message = format!("cohort \"{cohort_text}\": expected a year such as 2021");
                finding(column, YEAR, message);
                None
            }
        };
        let (school_text, column) = field("school");
        let school = if school_text.is_empty() {
            finding(
                column,
                rule::REQUIRED,
                "school is required but empty".into(),
            );
            None
        } else {
            school(school_text, column, &mut finding)
        };
        let (afdeling_text, column) = field("afdeling");
        let niveau = afdeling(afdeling_text, column, &mut finding);
        let mut scores = Vec::new();
        for (i, item) in &items {
            let text = cell(*i);
            match text.parse::<i32>() {
                _ if text.is_empty() => {}
                Ok(score) if (1..=5).contains(&score) => scores.push((item, score)),
                _ => finding(
                    header[*i].clone(),
                    LIKERT,
                    format!("{item} \"{text}\": expected a score from 1 to 5, or empty"),
                ),
            }
        }
        match (cohort, school, niveau, row_findings.first()) {
            (Some(cohort), Some(school), Some(niveau), None) => {
                out.accounting.record_loaded();
                out.answers
                    .extend(scores.into_iter().map(|(item, score)| Answer {
                        cohort,
                        school: school.clone(),
                        niveau: niveau.map(str::to_string),
                        item: item.clone(),
                        score,
                        line: raw.line,
                    }));
            }
            (.., first) => out
                .accounting
                .record_rejected(first.map_or(rule::REQUIRED, |f| f.rule)),
        }
        out.findings.append(&mut row_findings);
    }
    if out.accounting.loaded == 0 {
        return Err(input_error(format!(
            "{}: no valid respondent left ({} rows read, {} rejected) [{}]",
            path.display(),
            out.accounting.rows_read,
            out.accounting.rejected,
            rule::NO_VALID_ROWS
        )));
    }
    Ok(out)
}

/// The canonical table `warehouse/survey.parquet` (empty without a survey).
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("cohort", DataType::Int32, false),
        Field::new("school", DataType::Utf8, false),
        Field::new("niveau", DataType::Utf8, true),
        Field::new("item", DataType::Utf8, false),
        Field::new("score", DataType::Int32, false),
        Field::new("source_line", DataType::Int64, false),
    ]))
}

/// The answers as a batch of [`schema`], in file order.
pub fn to_batch(answers: &[Answer]) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from_iter_values(
            answers.iter().map(|a| a.cohort),
        )),
        Arc::new(StringArray::from_iter_values(
            answers.iter().map(|a| a.school.as_str()),
        )),
        Arc::new(StringArray::from_iter(
            answers.iter().map(|a| a.niveau.as_deref()),
        )),
        Arc::new(StringArray::from_iter_values(
            answers.iter().map(|a| a.item.as_str()),
        )),
        Arc::new(Int32Array::from_iter_values(
            answers.iter().map(|a| a.score),
        )),
        Arc::new(Int64Array::from_iter_values(
            answers.iter().map(|a| a.line as i64),
        )),
    ];
    RecordBatch::try_new(schema(), columns).context("cannot build the survey table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respondents_are_checked_and_bad_rows_rejected_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("enquete.csv");
        std::fs::write(
            &path,
            "cohort;school;afdeling;respondent;goed voorbereid;keuze tevreden\n\
             2022;90AA00;havo;17;4;5\n\
             2022;90AA00;;18;;2\n\
             2022;90AA00;havo;19;6;3\n\
             20x2;90AA00;havo;20;3;3\n\
             2023;90A;havo;21;3;3\n",
        )
        .unwrap();
        let s = read(&path, None).unwrap();
        assert_eq!(s.items, ["goed voorbereid", "keuze tevreden"]);
        assert_eq!(
            (
                s.accounting.rows_read,
                s.accounting.loaded,
                s.accounting.rejected
            ),
            (5, 2, 3)
        );
        let scores: Vec<(&str, Option<&str>, i32, u64)> = s
            .answers
            .iter()
            .map(|a| (a.item.as_str(), a.niveau.as_deref(), a.score, a.line))
            .collect();
        assert_eq!(
            scores,
            [
                ("goed voorbereid", Some("havo"), 4, 2),
                ("keuze tevreden", Some("havo"), 5, 2),
                ("keuze tevreden", None, 2, 3),
            ]
        );
        let found: Vec<(u64, &str, &str)> = s
            .findings
            .iter()
            .map(|f| (f.line, f.column.as_str(), f.rule))
            .collect();
        assert_eq!(
            found,
            [
                (4, "goed voorbereid", LIKERT),
                (5, "cohort", YEAR),
                (6, "school", rule::FORMAT),
            ]
        );
    }

    #[test]
    fn a_survey_without_items_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("enquete.csv");
        std::fs::write(&path, "cohort,school,afdeling\n2022,90AA00,havo\n").unwrap();
        let err = read(&path, None).unwrap_err().to_string();
        assert!(err.contains("no item column"), "{err}");
    }
}
