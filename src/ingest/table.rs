//! Arrow builders for a declared table: typed values of valid rows go in, record batches come out.

use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanBuilder, Date32Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use chrono::NaiveDate;

use super::spec::{Kind, TableSpec};

/// A value of a valid row, already normalised; text borrows the row's field where normalising left
/// it as it was.
#[derive(Debug, Clone)]
pub enum Parsed<'a> {
    Str(Option<Cow<'a, str>>),
    Date(Option<NaiveDate>),
    Bool(bool),
}

/// The Parquet/Arrow schema of a canonical table: `record_id`, the declared columns, provenance
/// (`source_file`, the input's file name, and `source_line`), then `persoon_nr` (persons.rs).
pub fn schema(spec: &TableSpec) -> SchemaRef {
    let mut fields = vec![Field::new("record_id", DataType::Int64, false)];
    for c in spec.columns {
        let (data_type, nullable) = match c.kind {
            Kind::Date => (DataType::Date32, !c.required),
            Kind::Bool => (DataType::Boolean, false),
            Kind::IdType => (DataType::Utf8, false),
            _ => (DataType::Utf8, !c.required),
        };
        fields.push(Field::new(c.name, data_type, nullable));
    }
    fields.push(Field::new("source_file", DataType::Utf8, false));
    fields.push(Field::new("source_line", DataType::Int64, false));
    fields.push(Field::new("persoon_nr", DataType::Int64, false));
    Arc::new(Schema::new(fields))
}

enum ColumnBuilder {
    Str(StringBuilder),
    Date(Date32Builder),
    Bool(BooleanBuilder),
}

/// Accumulates rows and hands out batches of at most `BATCH_ROWS`.
pub struct TableBuilder {
    schema: SchemaRef,
    record_id: Int64Builder,
    columns: Vec<ColumnBuilder>,
    file: StringBuilder,
    line: Int64Builder,
    person: Int64Builder,
    rows: usize,
}

/// Rows per record batch (and so per Parquet write).
pub const BATCH_ROWS: usize = 64 * 1024;

fn epoch_days(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    (date - epoch).num_days() as i32
}

impl TableBuilder {
    pub fn new(spec: &TableSpec) -> TableBuilder {
        let columns = spec
            .columns
            .iter()
            .map(|c| match c.kind {
                Kind::Date => ColumnBuilder::Date(Date32Builder::new()),
                Kind::Bool => ColumnBuilder::Bool(BooleanBuilder::new()),
                _ => ColumnBuilder::Str(StringBuilder::new()),
            })
            .collect();
        TableBuilder {
            schema: schema(spec),
            record_id: Int64Builder::new(),
            columns,
            file: StringBuilder::new(),
            line: Int64Builder::new(),
            person: Int64Builder::new(),
            rows: 0,
        }
    }

    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    pub fn push(
        &mut self,
        record_id: i64,
        values: &[Parsed],
        person: i64,
        (file, line): (&str, u64),
    ) {
        self.record_id.append_value(record_id);
        for (builder, value) in self.columns.iter_mut().zip(values) {
            match (builder, value) {
                (ColumnBuilder::Str(b), Parsed::Str(v)) => b.append_option(v.as_deref()),
                (ColumnBuilder::Date(b), Parsed::Date(v)) => b.append_option(v.map(epoch_days)),
                (ColumnBuilder::Bool(b), Parsed::Bool(v)) => b.append_value(*v),
                _ => unreachable!("value kind follows the column kind"),
            }
        }
        self.file.append_value(file);
        self.line.append_value(line as i64);
        self.person.append_value(person);
        self.rows += 1;
    }

    /// The rows so far as one batch; the builder starts empty again.
    pub fn finish(&mut self) -> arrow::error::Result<RecordBatch> {
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(self.record_id.finish())];
        for b in &mut self.columns {
            arrays.push(match b {
                ColumnBuilder::Str(b) => Arc::new(b.finish()),
                ColumnBuilder::Date(b) => Arc::new(b.finish()),
                ColumnBuilder::Bool(b) => Arc::new(b.finish()),
            });
        }
        arrays.push(Arc::new(self.file.finish()));
        arrays.push(Arc::new(self.line.finish()));
        arrays.push(Arc::new(self.person.finish()));
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), arrays)
    }
}
