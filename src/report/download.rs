//! Downloads of the tables a page shows: `site/data/<name>.csv` and `site/data/<name>.xlsx` with the
//! same cells. Text cells are guarded against formula injection in both (a leading `'` before `=`,
//! `+`, `-`, `@`, tab or CR, also after spaces); numbers stay numbers. The workbook's creation
//! date is the configuration's `data_until`, so identical inputs give identical bytes.

use std::path::Path;

use anyhow::{anyhow, Result};
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::disclosure::export::safe_text;
use crate::warehouse::write_atomic;

/// One cell of a download.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    /// A number when the text parses as one, else text (empty: an empty cell).
    pub fn parse(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            text.parse::<f64>()
                .map(Cell::Number)
                .unwrap_or_else(|_| Cell::Text(text.to_string()))
        }
    }
}

/// A table: a header and rows of cells.
#[derive(Debug, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The table as CSV bytes.
pub fn csv_bytes(table: &Table) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.header.iter().map(|h| safe_text(h)))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(t) => safe_text(t),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    Ok(w.into_inner()?)
}

fn xlsx_bytes(table: &Table, sheet: &str, created: chrono::NaiveDate) -> Result<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| anyhow!("xlsx: {e}");
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(
        created.year() as u16,
        created.month() as u8,
        created.day() as u8,
    )
    .map_err(err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string(0, c as u16, safe_text(h)).map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => {
                    ws.write_string(r, c, safe_text(t)).map_err(err)?;
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, *n).map_err(err)?;
                }
                Cell::Empty => {}
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

/// Writes `<site>/data/<name>.csv` and `.xlsx`.
pub fn write(site: &Path, name: &str, table: &Table, created: chrono::NaiveDate) -> Result<()> {
    let data = site.join("data");
    write_atomic(&data.join(format!("{name}.csv")), &csv_bytes(table)?)?;
    write_atomic(
        &data.join(format!("{name}.xlsx")),
        &xlsx_bytes(table, name, created)?,
    )
}

/// A text table (a model's result) as a download table, numeric columns as numbers.
pub fn from_text(t: &crate::engine::TextTable) -> Table {
    Table {
        header: t.names.clone(),
        rows: t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&t.numeric)
                    .map(|(v, &numeric)| match (v.is_empty(), numeric) {
                        (true, _) => Cell::Empty,
                        (false, true) => Cell::parse(v),
                        (false, false) => Cell::Text(v.clone()),
                    })
                    .collect()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_guarded_and_numbers_stay_numbers_in_the_csv() {
        let table = Table {
            header: vec!["naam".into(), "waarde".into()],
            rows: vec![
                vec![Cell::Text("=1+1".into()), Cell::Number(-0.5)],
                vec![Cell::Text("  @SUM(A1)".into()), Cell::Empty],
                vec![Cell::Text("Het Baken".into()), Cell::Number(12.0)],
            ],
        };
        let text = String::from_utf8(csv_bytes(&table).unwrap()).unwrap();
        assert_eq!(
            text,
            "naam,waarde\n'=1+1,-0.5\n'  @SUM(A1),\nHet Baken,12\n"
        );
    }

    #[test]
    fn the_workbook_is_the_same_bytes_twice() {
        let table = Table {
            header: vec!["a".into()],
            rows: vec![vec![Cell::Number(1.0)]],
        };
        let day = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        assert_eq!(
            xlsx_bytes(&table, "t", day).unwrap(),
            xlsx_bytes(&table, "t", day).unwrap()
        );
    }
}
