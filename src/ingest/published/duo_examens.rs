//! Preset `duo-examens`: DUO open data *Examenkandidaten en geslaagden* (formats.md §2). One source row
//! per vestiging × opleiding, with year and gender in the column names
//! (`EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - MAN`, `GESLAAGDEN …`, `SLAAGPERC …`), becomes one figure
//! per vestiging × opleiding × school year × geslacht: teller = geslaagden, noemer = examenkandidaten,
//! percentage = slaagperc. Counts 1–4 arrive as `<5` and stay masked.
//!
//! Source definition: all exam candidates of the school year at the vestiging; not a doorstroom figure,
//! so `indicator` is empty. Header drift handled: `INSTELLINGSCODE` / `BRIN NUMMER` / `BRINNUMMER`, and a
//! 6-character `VESTIGINGSCODE` or a 2-character `VESTIGINGSNUMMER`.

use std::collections::BTreeMap;

use anyhow::Result;

use super::numbers::{parse_figure, Figure};
use super::{adapt_rows, kenmerken, Adapted, PublishedRow, RowError};
use crate::exit::input_error;
use crate::ingest::reader::{RawRow, RawTable};
use crate::validate::rule;

const BRIN_HEADERS: &[&str] = &["INSTELLINGSCODE", "BRIN NUMMER", "BRINNUMMER", "BRIN"];
const VESTIGING_HEADERS: &[&str] = &["VESTIGINGSCODE", "VESTIGINGSNUMMER", "VESTIGING"];
const OPLEIDING_HEADERS: &[&str] = &["OPLEIDINGSNAAM", "OPLEIDING"];

/// One measure column: which measure, school year (cohort), gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Candidates,
    Passed,
    Percentage,
}

/// Reads `EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - MAN` into (measure, cohort 2020, "man").
fn measure_column(header: &str) -> Option<(Measure, i32, String)> {
    let h = header.trim().to_uppercase();
    let (measure, rest) = [
        ("EXAMENKANDIDATEN", Measure::Candidates),
        ("GESLAAGDEN", Measure::Passed),
        ("SLAAGPERC", Measure::Percentage),
    ]
    .iter()
    .find_map(|(prefix, m)| h.strip_prefix(prefix).map(|rest| (*m, rest.trim())))?;
    let rest = rest.strip_prefix("SCHOOLJAAR")?.trim();
    let (years, gender) = rest.split_once(" - ")?;
    let cohort = super::mapped::parse_cohort(years.trim())?;
    let gender = gender.trim().to_lowercase();
    matches!(gender.as_str(), "man" | "vrouw" | "totaal").then_some((measure, cohort, gender))
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
}

pub fn adapt(table: RawTable) -> Result<Adapted> {
    let path = table.path.clone();
    let header = table.header.clone();
    let missing = |what: &str| {
        input_error(format!(
            "{}: line 1: no {what} column [{}]",
            path.display(),
            rule::MISSING_COLUMN
        ))
    };
    let brin_col = find(&header, BRIN_HEADERS).ok_or_else(|| missing("INSTELLINGSCODE (BRIN)"))?;
    let vest_col = find(&header, VESTIGING_HEADERS).ok_or_else(|| missing("VESTIGINGSCODE"))?;
    let opl_col = find(&header, OPLEIDING_HEADERS).ok_or_else(|| missing("OPLEIDINGSNAAM"))?;
    // (cohort, gender) → column of each measure.
    let mut groups: BTreeMap<(i32, String), [Option<usize>; 3]> = BTreeMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some((m, cohort, gender)) = measure_column(h) {
            groups.entry((cohort, gender)).or_default()[m as usize] = Some(i);
        }
    }
    if groups.is_empty() {
        return Err(missing("EXAMENKANDIDATEN SCHOOLJAAR …"));
    }
    adapt_rows(table, |row| {
        read_row(row, &header, (brin_col, vest_col, opl_col), &groups)
    })
}

fn read_row(
    row: &RawRow,
    header: &[String],
    (brin_col, vest_col, opl_col): (usize, usize, usize),
    groups: &BTreeMap<(i32, String), [Option<usize>; 3]>,
) -> Result<Vec<PublishedRow>, RowError> {
    let brin = row
        .fields
        .get(brin_col)
        .map(|s| s.to_uppercase())
        .unwrap_or_default();
    // Footer and total rows (a source note, "Totaal …") carry no BRIN of four letters or digits.
    if brin.len() != 4 || !brin.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err((
            String::new(),
            rule::FOOTER,
            "not a data row (a total, footer or note line)".into(),
        ));
    }
    if row.fields.len() != header.len() {
        return Err((
            String::new(),
            rule::ROW_FIELDS,
            format!(
                "the row has {} fields where the header has {}",
                row.fields.len(),
                header.len()
            ),
        ));
    }
    let vest = row.fields[vest_col].to_uppercase();
    let school = match vest.len() {
        6 => vest,
        1 | 2 if vest.bytes().all(|b| b.is_ascii_digit()) => format!("{brin}{vest:0>2}"),
        _ => {
            return Err((
                header[vest_col].clone(),
                rule::FORMAT,
                format!("vestiging {vest:?} is neither a 6-character code nor 1-2 digits"),
            ))
        }
    };
    let opleiding = row.fields[opl_col].clone();
    let mut figures = Vec::with_capacity(groups.len());
    for ((cohort, gender), cols) in groups {
        let cell = |m: Measure| -> Result<Figure, RowError> {
            match cols[m as usize] {
                None => Ok(Figure::Absent),
                Some(c) => {
                    parse_figure(&row.fields[c], m != Measure::Percentage).ok_or_else(|| {
                        (
                            header[c].clone(),
                            rule::NUMBER,
                            format!("{:?} is not a number or a mask", row.fields[c]),
                        )
                    })
                }
            }
        };
        figures.push(PublishedRow {
            bron: "duo".into(),
            bron_indicator: "slaagpercentage".into(),
            indicator: String::new(),
            cohort: *cohort,
            eenheid_type: "school".into(),
            eenheid_id: school.clone(),
            kenmerken: kenmerken(vec![
                ("geslacht", gender.clone()),
                ("opleiding", opleiding.clone()),
            ]),
            teller: cell(Measure::Passed)?,
            noemer: cell(Measure::Candidates)?,
            percentage: cell(Measure::Percentage)?,
            definition_version: String::new(),
            source_line: row.line,
        });
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_column_names_are_read() {
        assert_eq!(
            measure_column("EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - MAN"),
            Some((Measure::Candidates, 2020, "man".into()))
        );
        assert_eq!(
            measure_column("SLAAGPERC SCHOOLJAAR 2023-2024 - TOTAAL"),
            Some((Measure::Percentage, 2024, "totaal".into()))
        );
        assert_eq!(measure_column("GEMEENTENAAM"), None);
    }
}
