//! Raw rows from a CSV or XLSX file: a header and then data rows with the line where each starts.
//! CSV is streamed (decoded to UTF-8 on the fly, delimiter decided on the header line); XLSX is read
//! through calamine, which loads one sheet.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use anyhow::Result;
use calamine::{open_workbook_auto, Data, Reader};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::decode::{inspect_text, sha256_file};
use crate::exit::input_error;

/// One data row as text fields, trimmed, with the (1-based) line or sheet row where it starts.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub line: u64,
    pub fields: Vec<String>,
}

/// An opened input: its header, its sha256 and a stream of rows.
pub struct RawTable {
    pub path: PathBuf,
    pub sha256: String,
    pub header: Vec<String>,
    rows: Source,
}

/// Where the rows come from: a CSV stream read into reused buffers, or rows already in memory.
enum Source {
    Csv(Box<CsvRows>),
    Rows(std::vec::IntoIter<RawRow>),
}

impl RawTable {
    /// Opens a CSV or (by extension) a spreadsheet: the named sheet, else the first.
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
            open_sheet(path, sheet)
        } else {
            open_csv(path)
        }
    }

    /// A table whose rows another reader already produced (e.g. a fixed-width file mapped to the
    /// exchange columns).
    pub fn from_rows(
        path: PathBuf,
        sha256: String,
        header: Vec<String>,
        rows: Vec<RawRow>,
    ) -> RawTable {
        RawTable {
            path,
            sha256,
            header,
            rows: Source::Rows(rows.into_iter()),
        }
    }

    /// Reads the next data row into `row`, reusing its buffers (ingest reads millions of rows; a
    /// fresh `Vec<String>` per row cost more than parsing it). `false` at the end; blank lines are
    /// skipped.
    pub fn read_row(&mut self, row: &mut RawRow) -> Result<bool> {
        match &mut self.rows {
            Source::Csv(csv) => csv.read_row(row),
            Source::Rows(rows) => Ok(rows.next().map(|next| *row = next).is_some()),
        }
    }

    /// The data rows, each in its own buffers; blank lines are already skipped.
    pub fn rows(&mut self) -> impl Iterator<Item = Result<RawRow>> + '_ {
        std::iter::from_fn(move || {
            let mut row = RawRow::default();
            self.read_row(&mut row)
                .map(|more| more.then_some(row))
                .transpose()
        })
    }
}

fn is_blank(fields: &[String]) -> bool {
    fields.iter().all(|f| f.is_empty()) && fields.len() <= 1
}

/// Picks `;` or `,`: whichever occurs more often outside quotes on the header line.
fn detect_delimiter(header_line: &str) -> u8 {
    let (mut semi, mut comma, mut quoted) = (0, 0, false);
    for c in header_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    if semi > comma {
        b';'
    } else {
        b','
    }
}

fn open_csv(path: &Path) -> Result<RawTable> {
    let facts = inspect_text(path)?;
    let file = File::open(path)
        .map_err(|e| input_error(format!("{}: unreadable input file: {e}", path.display())))?;
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = crate::progress::file(&name, bytes).wrap_read(file);
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(facts.encoding))
        .bom_override(true)
        .build(file);
    let mut buffered = BufReader::with_capacity(1 << 20, decoded);
    let mut first_line = String::new();
    buffered
        .read_line(&mut first_line)
        .map_err(|e| input_error(format!("{}: unreadable input file: {e}", path.display())))?;
    let delimiter = detect_delimiter(&first_line);
    let stream: Box<dyn Read> = Box::new(Cursor::new(first_line.into_bytes()).chain(buffered));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    let owned_path = path.to_path_buf();
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => {
                return Err(input_error(format!(
                    "{}: the file is empty; a header row is required",
                    path.display()
                )))
            }
            Some(Err(e)) => {
                return Err(input_error(format!(
                    "{}: unreadable header: {e}",
                    path.display()
                )))
            }
            Some(Ok(rec)) => {
                let fields: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
                if !is_blank(&fields) {
                    break fields;
                }
            }
        }
    };
    let err_path = owned_path.clone();
    // The iterator owns the reader through a boxed closure state.
    let rows = CsvRows {
        reader,
        record: csv::StringRecord::new(),
        path: err_path,
    };
    Ok(RawTable {
        path: owned_path,
        sha256: facts.sha256,
        header,
        rows: Source::Csv(Box::new(rows)),
    })
}

struct CsvRows {
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::StringRecord,
    path: PathBuf,
}

impl CsvRows {
    fn read_row(&mut self, row: &mut RawRow) -> Result<bool> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {
                    fill(&mut row.fields, self.record.iter().map(str::trim));
                    if is_blank(&row.fields) {
                        continue;
                    }
                    row.line = self.record.position().map(|p| p.line()).unwrap_or(0);
                    return Ok(true);
                }
                Err(e) => {
                    return Err(input_error(format!(
                        "{}: unreadable CSV: {e} (rule file.unreadable)",
                        self.path.display()
                    )))
                }
            }
        }
    }
}

/// Overwrites `fields` with `values`, keeping the strings' allocations.
fn fill<'a>(fields: &mut Vec<String>, values: impl Iterator<Item = &'a str>) {
    let mut n = 0;
    for value in values {
        match fields.get_mut(n) {
            Some(field) => {
                field.clear();
                field.push_str(value);
            }
            None => fields.push(value.to_string()),
        }
        n += 1;
    }
    fields.truncate(n);
}

/// Text of a spreadsheet cell as a partner would have typed it: whole numbers without `.0`,
/// date cells as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "ja" } else { "nee" }.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn open_sheet(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    let sha256 = sha256_file(path)?;
    let unreadable = |why: String| {
        input_error(format!(
            "{}: unreadable spreadsheet: {why} (rule file.unreadable)",
            path.display()
        ))
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
    let range = match sheet {
        Some(name) => {
            if !workbook.sheet_names().iter().any(|n| n == name) {
                return Err(unreadable(format!(
                    "it has no sheet {name:?} (sheets: {})",
                    workbook.sheet_names().join(", ")
                )));
            }
            workbook
                .worksheet_range(name)
                .map_err(|e| unreadable(e.to_string()))?
        }
        None => workbook
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable("it has no sheet".into()))?
            .map_err(|e| unreadable(e.to_string()))?,
    };
    let first_row = u64::from(range.start().map(|(r, _)| r).unwrap_or(0));
    let mut rows = range.rows().enumerate().map(move |(i, cells)| RawRow {
        line: first_row + i as u64 + 1,
        fields: cells.iter().map(cell_text).collect(),
    });
    let header = loop {
        match rows.next() {
            None => {
                return Err(input_error(format!(
                    "{}: the sheet is empty; a header row is required",
                    path.display()
                )))
            }
            Some(row) if row.fields.iter().all(String::is_empty) => continue,
            Some(row) => break row.fields,
        }
    };
    let width = header.len();
    let data: Vec<RawRow> = rows
        .filter(|r| !r.fields.iter().all(String::is_empty))
        .map(|mut r| {
            // A sheet row is as wide as the used range; cells past the header are extra fields only
            // when they hold something.
            while r.fields.len() > width && r.fields.last().is_some_and(String::is_empty) {
                r.fields.pop();
            }
            r
        })
        .collect();
    Ok(RawTable {
        path: path.to_path_buf(),
        sha256,
        header,
        rows: Source::Rows(data.into_iter()),
    })
}

#[cfg(test)]
mod tests {
    use super::{detect_delimiter, fill};

    #[test]
    fn reused_fields_hold_exactly_the_new_row() {
        let mut fields = vec!["a".to_string(), "bb".into(), "ccc".into()];
        fill(&mut fields, ["x", ""].into_iter());
        assert_eq!(fields, ["x", ""]);
        fill(&mut fields, ["1", "2", "3", "4"].into_iter());
        assert_eq!(fields, ["1", "2", "3", "4"]);
    }

    #[test]
    fn delimiter_is_decided_on_the_header_line() {
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("a,b,c"), b',');
        assert_eq!(detect_delimiter("\"a;x\",b,c"), b',');
    }
}
