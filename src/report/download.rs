//! Downloads of the tables a page shows: `site/data/<name>.csv` and `site/data/<name>.xlsx` with the
//! same cells. Text cells are guarded against formula injection in both (a leading `'` before `=`,
//! `+`, `-`, `@`, tab or CR, also after spaces); numbers stay numbers. The workbook's creation
//! date is the configuration's `data_until`, so identical inputs give identical bytes.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use chrono::Datelike;
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::disclosure::export::safe_text;
use crate::engine::{self, SITE_MODELS};
use crate::warehouse::TextSink;

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
        w.write_record(row.iter().map(csv_field))?;
    }
    Ok(w.into_inner()?)
}

fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => safe_text(t),
        Cell::Number(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow!("xlsx: {e}")
}

/// A download being written, row by row: the CSV streamed to a temporary file, the workbook's
/// sheet in rust_xlsxwriter's low-memory mode (each finished row goes to a temporary file), so a
/// national table of a million rows is never held whole. [`Sink::commit`] moves both into place.
struct Sink {
    csv: csv::Writer<TextSink>,
    book: Workbook,
    rows: u32,
}

impl Sink {
    fn create(
        data: &Path,
        sheet: &str,
        created: chrono::NaiveDate,
        header: &[String],
    ) -> Result<Sink> {
        let mut book = Workbook::new();
        let date = ExcelDateTime::from_ymd(
            created.year() as u16,
            created.month() as u8,
            created.day() as u8,
        )
        .map_err(xlsx_error)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&date));
        let ws = book.add_worksheet_with_low_memory().map_err(xlsx_error)?;
        ws.set_name(sheet).map_err(xlsx_error)?;
        let mut sink = Sink {
            csv: csv::Writer::from_writer(TextSink::create(data)?),
            book,
            rows: 0,
        };
        sink.row(
            &header
                .iter()
                .map(|h| Cell::Text(h.clone()))
                .collect::<Vec<_>>(),
        )?;
        Ok(sink)
    }

    fn row(&mut self, cells: &[Cell]) -> Result<()> {
        self.csv.write_record(cells.iter().map(csv_field))?;
        let ws = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => {
                    ws.write_string(self.rows, c, safe_text(t))
                        .map_err(xlsx_error)?;
                }
                Cell::Number(n) => {
                    ws.write_number(self.rows, c, *n).map_err(xlsx_error)?;
                }
                Cell::Empty => {}
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn commit(mut self, data: &Path, name: &str) -> Result<()> {
        let csv = self
            .csv
            .into_inner()
            .map_err(|e| anyhow!("{name}.csv: cannot write: {}", e.error()))?;
        csv.commit(&data.join(format!("{name}.csv")))?;
        let mut xlsx = TextSink::create(data)?;
        self.book
            .save_to_writer(xlsx.writer())
            .map_err(xlsx_error)?;
        xlsx.commit(&data.join(format!("{name}.xlsx")))
    }
}

#[cfg(test)]
fn xlsx_bytes(table: &Table, sheet: &str, created: chrono::NaiveDate) -> Result<Vec<u8>> {
    let dir = tempfile::tempdir()?;
    write(dir.path(), sheet, table, created)?;
    Ok(std::fs::read(
        dir.path().join("data").join(format!("{sheet}.xlsx")),
    )?)
}

/// Writes `<site>/data/<name>.csv` and `.xlsx`.
pub fn write(site: &Path, name: &str, table: &Table, created: chrono::NaiveDate) -> Result<()> {
    let data = site.join("data");
    let mut sink = Sink::create(&data, name, created, &table.header)?;
    for row in &table.rows {
        sink.row(row)?;
    }
    sink.commit(&data, name)
}

/// Writes a model's result as `<site>/data/<name>.csv` and `.xlsx` (as [`from_text`] makes the
/// cells), batch by batch as the engine produces it; for tables too large to hold.
pub async fn write_query(
    ctx: &SessionContext,
    model: &str,
    site: &Path,
    name: &str,
    created: chrono::NaiveDate,
) -> Result<()> {
    let data = site.join("data");
    let mut batches = engine::stream(ctx, SITE_MODELS, model).await?;
    let header: Vec<String> = batches
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut sink = Sink::create(&data, name, created, &header)?;
    while let Some(b) = batches.next().await {
        let b = b.with_context(|| format!("queries/{model}.sql: failed while running"))?;
        let numeric = engine::numeric_columns(&b);
        for i in 0..b.num_rows() {
            sink.row(&cells(engine::text_row(&b, i)?, &numeric))?;
        }
    }
    sink.commit(&data, name)
}

/// A row of text cells as download cells: numbers in numeric columns, empty text empty.
fn cells(row: Vec<String>, numeric: &[bool]) -> Vec<Cell> {
    row.into_iter()
        .zip(numeric)
        .map(|(v, &numeric)| match (v.is_empty(), numeric) {
            (true, _) => Cell::Empty,
            (false, true) => Cell::parse(&v),
            (false, false) => Cell::Text(v),
        })
        .collect()
}

/// A text table (a model's result) as a download table, numeric columns as numbers.
pub fn from_text(t: &crate::engine::TextTable) -> Table {
    Table {
        header: t.names.clone(),
        rows: t
            .rows
            .iter()
            .map(|r| cells(r.clone(), &t.numeric))
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
