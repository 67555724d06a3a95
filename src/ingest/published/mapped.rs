//! The column-mapped adapter: every preset but `duo-examens`. Source headers are found through the
//! preset's mapping (or the configuration's `columns = { … }` override) and each source row becomes one
//! figure of the long table (formats.md §2). Preset `long` is the identity mapping.

use std::collections::BTreeMap;

use anyhow::Result;

use super::numbers::{parse_figure, Figure};
use super::presets::Preset;
use super::{adapt_rows, kenmerken, Adapted, PublishedRow, RowError};
use crate::exit::input_error;
use crate::ingest::reader::{RawRow, RawTable};
use crate::validate::rule;

/// The unit types of definitions.md §7, and `land` (national) for published figures.
pub const UNIT_TYPES: &[&str] = &[
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

/// Long-table column → position in the file.
type Positions = BTreeMap<String, usize>;

fn resolve(
    table: &RawTable,
    preset: &Preset,
    overrides: &BTreeMap<String, String>,
) -> Result<Positions> {
    let find = |h: &str| {
        table
            .header
            .iter()
            .position(|x| x.trim().eq_ignore_ascii_case(h.trim()))
    };
    let mut positions = Positions::new();
    for (column, headers) in preset.columns {
        if let Some(p) = headers.iter().find_map(|h| find(h)) {
            positions.insert(column.to_string(), p);
        }
    }
    for (column, header) in overrides {
        let p = find(header).ok_or_else(|| {
            input_error(format!(
                "{}: line 1: columns.{column} = {header:?}, but the header has no such column (found: {}) [{}]",
                table.path.display(),
                table.header.join(", "),
                rule::MISSING_COLUMN
            ))
        })?;
        positions.insert(column.clone(), p);
    }
    let has = |c: &str| positions.contains_key(c);
    let mut missing = Vec::new();
    if !has("cohort") {
        missing.push("cohort");
    }
    if !has("eenheid_id") && !has("brin") {
        missing.push("eenheid_id (or brin)");
    }
    if !has("teller") && !has("noemer") && !has("percentage") {
        missing.push("teller, noemer or percentage");
    }
    if !missing.is_empty() {
        return Err(input_error(format!(
            "{}: line 1: preset {} finds no column for {} (found: {}); map them in doorstroom.toml, e.g. \
             {{ path = \"…\", preset = \"{}\", columns = {{ cohort = \"Schooljaar\" }} }} [{}]",
            table.path.display(),
            preset.name,
            missing.join(", "),
            table.header.join(", "),
            preset.name,
            rule::MISSING_COLUMN
        )));
    }
    Ok(positions)
}

pub fn adapt(
    table: RawTable,
    preset: &Preset,
    overrides: &BTreeMap<String, String>,
) -> Result<Adapted> {
    let positions = resolve(&table, preset, overrides)?;
    let width = table.header.len();
    adapt_rows(table, |row| {
        read_row(row, width, &positions, preset).map(|f| vec![f])
    })
}

fn error(column: &str, rule: &'static str, message: String) -> RowError {
    (column.to_string(), rule, message)
}

fn read_row(
    row: &RawRow,
    width: usize,
    positions: &Positions,
    preset: &Preset,
) -> Result<PublishedRow, RowError> {
    let get = |name: &str| {
        positions
            .get(name)
            .map(|&p| row.fields.get(p).cloned().unwrap_or_default())
            .unwrap_or_default()
    };
    let unit_text = if positions.contains_key("eenheid_id") {
        get("eenheid_id")
    } else {
        get("brin")
    };
    let no_numbers = ["teller", "noemer", "percentage"]
        .iter()
        .all(|c| get(c).is_empty() && get(&format!("{c}_masker")).is_empty());
    let no_cohort = parse_cohort(&get("cohort")).is_none();
    // A total, footer or source note: no cohort and no unit, or no cohort and no number at all.
    if no_cohort && (unit_text.is_empty() || no_numbers) {
        return Err(error(
            "",
            rule::FOOTER,
            "not a data row (a total, footer or note line)".into(),
        ));
    }
    if row.fields.len() != width {
        return Err(error(
            "",
            rule::ROW_FIELDS,
            format!(
                "the row has {} fields where the header has {width}",
                row.fields.len()
            ),
        ));
    }
    let or = |value: String, default: &str| {
        if value.is_empty() {
            default.to_string()
        } else {
            value
        }
    };
    let bron = or(get("bron"), preset.bron).to_lowercase();
    if bron.is_empty() {
        return Err(error(
            "bron",
            rule::REQUIRED,
            "bron is required but empty".into(),
        ));
    }
    let cohort_text = get("cohort");
    let cohort = parse_cohort(&cohort_text).ok_or_else(|| {
        error(
            "cohort",
            rule::NUMBER,
            format!("cohort {cohort_text:?} is not a year or a school year"),
        )
    })?;
    let eenheid_type = or(get("eenheid_type"), preset.eenheid_type).to_lowercase();
    if !UNIT_TYPES.contains(&eenheid_type.as_str()) {
        return Err(error(
            "eenheid_type",
            rule::CODE,
            format!(
                "eenheid_type {eenheid_type:?}: expected one of {}",
                UNIT_TYPES.join(", ")
            ),
        ));
    }
    let eenheid_id = unit_id(&get("eenheid_id"), &get("brin"), &get("vestiging"))?;
    let mut pairs: Vec<(String, String)> = get("kenmerken")
        .split(';')
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    pairs.extend(
        positions
            .keys()
            .filter_map(|k| k.strip_prefix("kenmerk."))
            .map(|k| (k.to_string(), get(&format!("kenmerk.{k}")))),
    );
    let figure = |name: &str, count: bool| -> Result<Figure, RowError> {
        let mask = get(&format!("{name}_masker"));
        let value = get(name);
        if !mask.is_empty() {
            if !value.is_empty() {
                return Err(error(
                    name,
                    rule::MASK_AND_VALUE,
                    format!("{name} has both a value and a mask {mask:?}"),
                ));
            }
            return Ok(Figure::Masked(mask));
        }
        let parsed = parse_figure(&value, count).ok_or_else(|| {
            error(
                name,
                rule::NUMBER,
                format!("{name} {value:?} is not a number or a mask"),
            )
        })?;
        if count && matches!(parsed, Figure::Exact(v) if v.fract() != 0.0) {
            return Err(error(
                name,
                rule::NUMBER,
                format!("{name} {value:?} is not a whole count"),
            ));
        }
        Ok(parsed)
    };
    let mut teller = figure("teller", true)?;
    // DUO's newer style: a published 4 with INDICATIEAVG = J stands for 1-4 students.
    if get("indicatie_avg").eq_ignore_ascii_case("j") && teller == Figure::Exact(4.0) {
        teller = Figure::Masked("4+J".into());
    }
    Ok(PublishedRow {
        bron,
        bron_indicator: or(get("bron_indicator"), preset.bron_indicator),
        indicator: or(get("indicator"), preset.indicator),
        cohort,
        eenheid_type,
        eenheid_id,
        kenmerken: kenmerken(pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()),
        teller,
        noemer: figure("noemer", true)?,
        percentage: figure("percentage", false)?,
        definition_version: or(get("definition_version"), preset.version(cohort)),
        source_line: row.line,
    })
}

/// The unit id: as given, or a school from a BRIN and a 2-digit or 6-character vestiging.
fn unit_id(given: &str, brin: &str, vestiging: &str) -> Result<String, RowError> {
    if !given.is_empty() {
        return Ok(given.to_string());
    }
    let (brin, vest) = (brin.to_uppercase(), vestiging.to_uppercase());
    match vest.len() {
        0 => Ok(brin),
        6 => Ok(vest),
        1 | 2 if vest.bytes().all(|b| b.is_ascii_digit()) => Ok(format!("{brin}{vest:0>2}")),
        _ => Err(error(
            "vestiging",
            rule::FORMAT,
            format!("vestiging {vest:?} is neither 1-2 digits nor a 6-character code"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohort_of_a_school_year_is_its_second_year() {
        assert_eq!(parse_cohort("2019-2020"), Some(2020));
        assert_eq!(parse_cohort("2023"), Some(2023));
        assert_eq!(parse_cohort("23"), None);
    }

    #[test]
    fn school_ids_from_brin_and_vestiging() {
        assert_eq!(unit_id("", "00ah", "1").unwrap(), "00AH01");
        assert_eq!(unit_id("", "00AH", "00AH00").unwrap(), "00AH00");
        assert_eq!(unit_id("97XA01:havo", "", "").unwrap(), "97XA01:havo");
        assert!(unit_id("", "00AH", "123").is_err());
    }
}
