//! The indicator stage: runs `queries/indicators.sql` and streams its rows to
//! `warehouse/indicators.parquet` (and `indicators.csv`), and `queries/indicators_groep.sql`,
//! `indicators_enquete.sql` and `indicators_flows.sql` to files of their own beside it (`.parquet`,
//! `.csv`), all atomically.
//! All indicator logic lives in the SQL; this file only moves batches.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type};
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use tempfile::NamedTempFile;

use crate::engine::{self, INDICATOR_MODELS};
use crate::warehouse::{ParquetSink, INDICATOR_COLUMNS as COLUMNS};

/// Where the stage wrote, and how many rows.
#[derive(Debug)]
pub struct IndicatorFiles {
    pub parquet: PathBuf,
    pub csv: Option<PathBuf>,
    pub rows: u64,
}

/// The output models besides `indicators`, written beside it with the same columns: the groepen of
/// the schools, the alumni survey and the destinations per receiving institution.
const EXTRA_OUTPUTS: [&str; 3] = ["indicators_groep", "indicators_enquete", "indicators_flows"];

/// Runs the output models and writes their rows; the models must have been built.
pub async fn write(
    ctx: &SessionContext,
    warehouse: &Path,
    write_csv: bool,
) -> Result<IndicatorFiles> {
    let (rows, csv) = write_model(ctx, warehouse, "indicators", write_csv).await?;
    for name in EXTRA_OUTPUTS {
        write_model(ctx, warehouse, name, write_csv).await?;
    }
    Ok(IndicatorFiles {
        parquet: warehouse.join("indicators.parquet"),
        csv,
        rows,
    })
}

/// Streams one output model to `<name>.parquet` (and `<name>.csv`); its rows and the CSV's path.
async fn write_model(
    ctx: &SessionContext,
    warehouse: &Path,
    name: &str,
    write_csv: bool,
) -> Result<(u64, Option<PathBuf>)> {
    let file = format!("queries/{name}.sql");
    let sql = engine::model_sql(INDICATOR_MODELS, name);
    let df = ctx
        .sql(sql)
        .await
        .with_context(|| format!("{file}: cannot plan"))?;
    let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    anyhow::ensure!(
        names == COLUMNS,
        "{file}: columns are {names:?}, expected {COLUMNS:?}"
    );

    let mut parquet = ParquetSink::create(warehouse, schema.clone())?;
    let mut csv = if write_csv {
        Some(CsvSink::create(warehouse)?)
    } else {
        None
    };
    let mut stream = engine::execute(ctx, df)
        .await
        .with_context(|| format!("{file}: cannot run"))?;
    let mut rows = 0u64;
    while let Some(batch) = stream.next().await {
        let batch = engine::conform(
            &batch.with_context(|| format!("{file}: failed while running"))?,
            &schema,
        )?;
        rows += batch.num_rows() as u64;
        parquet.write(&batch)?;
        if let Some(csv) = csv.as_mut() {
            csv.write(&batch)?;
        }
    }
    parquet.commit(&warehouse.join(format!("{name}.parquet")))?;
    let csv_path = match csv {
        Some(csv) => {
            let path = warehouse.join(format!("{name}.csv"));
            csv.commit(&path)?;
            Some(path)
        }
        None => None,
    };
    Ok((rows, csv_path))
}

/// Registers the indicator stage's tables for the models after it: `indicators_output` is every
/// indicator row, the groep and survey rows included (a view over the files), so the bundle and
/// the pages see one table. A warehouse written by an earlier version may lack the extra files.
pub async fn register(ctx: &SessionContext, warehouse: &Path) -> Result<()> {
    let mut parts = Vec::new();
    for name in std::iter::once("indicators").chain(EXTRA_OUTPUTS) {
        let path = warehouse.join(format!("{name}.parquet"));
        if name == "indicators" || path.exists() {
            let table = format!("{name}_file");
            engine::register_parquet(ctx, &table, &path).await?;
            parts.push(format!("select * from {table}"));
        }
    }
    ctx.sql(&format!(
        "create view indicators_output as {}",
        parts.join(" union all ")
    ))
    .await
    .context("indicators_output: cannot create the view over the indicator files")?;
    Ok(())
}

/// A CSV file of record batches: header from the schema, empty fields for nulls.
pub struct CsvSink {
    tmp: NamedTempFile,
    writer: csv::Writer<BufWriter<File>>,
    header_written: bool,
}

impl CsvSink {
    pub fn create(dir: &Path) -> Result<CsvSink> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
        let tmp = crate::warehouse::temp_file_in(dir)
            .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
        let file = tmp.reopen()?;
        Ok(CsvSink {
            tmp,
            writer: csv::Writer::from_writer(BufWriter::new(file)),
            header_written: false,
        })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        if !self.header_written {
            let schema = batch.schema();
            self.writer
                .write_record(schema.fields().iter().map(|f| f.name().as_str()))?;
            self.header_written = true;
        }
        let mut record: Vec<String> = Vec::with_capacity(batch.num_columns());
        for row in 0..batch.num_rows() {
            record.clear();
            for column in batch.columns() {
                record.push(cell(column.as_ref(), row));
            }
            self.writer.write_record(&record)?;
        }
        Ok(())
    }

    pub fn commit(mut self, dest: &Path) -> Result<()> {
        self.writer.flush()?;
        let inner = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot finish the CSV: {e}"))?;
        inner
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot finish the CSV: {e}"))?
            .sync_all()?;
        self.tmp
            .persist(dest)
            .with_context(|| format!("{}: cannot move the new file into place", dest.display()))?;
        File::open(dest.parent().unwrap_or(Path::new(".")))?.sync_all()?;
        Ok(())
    }
}

/// One cell as CSV text. Floats use Rust's shortest round-trip form.
pub fn cell(column: &dyn Array, row: usize) -> String {
    if column.is_null(row) {
        return String::new();
    }
    match column.data_type() {
        DataType::Utf8 => column.as_string::<i32>().value(row).to_string(),
        DataType::Int32 => column.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => column.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Float64 => column.as_primitive::<Float64Type>().value(row).to_string(),
        DataType::Boolean => column.as_boolean().value(row).to_string(),
        other => format!("<{other}>"),
    }
}
