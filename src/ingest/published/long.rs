//! Preset `long`: the published-figures table of formats.md §2 as written (by hand or by another tool).

use anyhow::Result;

use super::numbers::{parse_figure, Figure};
use super::{Adapted, PublishedRow};
use crate::exit::input_error;
use crate::ingest::reader::{RawRow, RawTable};
use crate::validate::{rule, Accounting, Finding};

const COLUMNS: &[&str] = &[
    "bron",
    "bron_indicator",
    "indicator",
    "cohort",
    "eenheid_type",
    "eenheid_id",
    "kenmerken",
    "teller",
    "noemer",
    "percentage",
    "teller_masker",
    "noemer_masker",
    "percentage_masker",
];
const REQUIRED: &[&str] = &["bron", "cohort", "eenheid_type", "eenheid_id"];
const UNIT_TYPES: &[&str] = &[
    "land",
    "regio",
    "school",
    "afdeling",
    "niveau",
    "sector",
    "instelling",
    "opleiding",
];

/// A cohort: a year, or a school year `2019-2020` (its second year).
pub fn parse_cohort(text: &str) -> Option<i32> {
    let year = text.rsplit(['-', '/']).next()?.trim();
    (year.len() == 4).then(|| year.parse().ok()).flatten()
}

pub fn adapt(mut table: RawTable) -> Result<Adapted> {
    let positions: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| {
            table
                .header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(c))
        })
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| positions[COLUMNS.iter().position(|x| x == c).unwrap()].is_none())
        .collect();
    if !missing.is_empty() {
        return Err(input_error(format!(
            "{}: line 1: required column(s) {} missing [{}]",
            table.path.display(),
            missing.join(", "),
            rule::MISSING_COLUMN
        )));
    }
    let path = table.path.clone();
    let width = table.header.len();
    let mut out = Adapted {
        sha256: table.sha256.clone(),
        rows: Vec::new(),
        accounting: Accounting::default(),
        findings: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let finding = |column: &str, rule: &'static str, message: String| Finding {
            file: path.clone(),
            line: row.line,
            column: column.into(),
            rule,
            message,
        };
        match read_row(&row, width, &positions) {
            Ok(figure) => {
                out.accounting.record_loaded();
                out.rows.push(figure);
            }
            Err((column, rule, message)) => {
                out.accounting.record_rejected(rule);
                out.findings.push(finding(column, rule, message));
            }
        }
    }
    Ok(out)
}

type RowError = (&'static str, &'static str, String);

fn read_row(
    row: &RawRow,
    width: usize,
    positions: &[Option<usize>],
) -> Result<PublishedRow, RowError> {
    if row.fields.len() != width {
        return Err((
            "",
            rule::ROW_FIELDS,
            format!(
                "the row has {} fields where the header has {width}",
                row.fields.len()
            ),
        ));
    }
    let get = |name: &str| {
        let i = COLUMNS.iter().position(|c| *c == name).expect("declared");
        positions[i]
            .map(|p| row.fields[p].clone())
            .unwrap_or_default()
    };
    for name in REQUIRED {
        if get(name).is_empty() {
            return Err((
                name,
                rule::REQUIRED,
                format!("{name} is required but empty"),
            ));
        }
    }
    let cohort = parse_cohort(&get("cohort")).ok_or((
        "cohort",
        rule::NUMBER,
        format!("cohort {:?} is not a year or a school year", get("cohort")),
    ))?;
    let eenheid_type = get("eenheid_type").to_lowercase();
    if !UNIT_TYPES.contains(&eenheid_type.as_str()) {
        return Err((
            "eenheid_type",
            rule::CODE,
            format!(
                "eenheid_type {eenheid_type:?}: expected one of {}",
                UNIT_TYPES.join(", ")
            ),
        ));
    }
    let figure = |name: &'static str, count: bool| -> Result<Figure, RowError> {
        let mask = get(&format!("{name}_masker"));
        let value = get(name);
        if !mask.is_empty() {
            if !value.is_empty() {
                return Err((
                    name,
                    rule::MASK_AND_VALUE,
                    format!("{name} has both a value and a mask {mask:?}"),
                ));
            }
            return Ok(Figure::Masked(mask));
        }
        let parsed = parse_figure(&value, count).ok_or_else(|| {
            (
                name,
                rule::NUMBER,
                format!("{name} {value:?} is not a number"),
            )
        })?;
        if count && matches!(parsed, Figure::Exact(v) if v.fract() != 0.0) {
            return Err((
                name,
                rule::NUMBER,
                format!("{name} {value:?} is not a whole count"),
            ));
        }
        Ok(parsed)
    };
    Ok(PublishedRow {
        bron: get("bron").to_lowercase(),
        bron_indicator: get("bron_indicator"),
        indicator: get("indicator"),
        cohort,
        eenheid_type,
        eenheid_id: get("eenheid_id"),
        kenmerken: get("kenmerken"),
        teller: figure("teller", true)?,
        noemer: figure("noemer", true)?,
        percentage: figure("percentage", false)?,
        source_line: row.line,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_cohort;

    #[test]
    fn cohort_of_a_school_year_is_its_second_year() {
        assert_eq!(parse_cohort("2019-2020"), Some(2020));
        assert_eq!(parse_cohort("2023"), Some(2023));
        assert_eq!(parse_cohort("23"), None);
    }
}
