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
use datafusion::arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type, Schema};
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use tempfile::NamedTempFile;

use crate::engine::{self, INDICATOR_MODELS};
use crate::warehouse::{BackgroundSink, BatchFile, INDICATOR_COLUMNS as COLUMNS};

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
    name: &'static str,
    write_csv: bool,
) -> Result<(u64, Option<PathBuf>)> {
    let step = crate::progress::step(name);
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

    // Parquet and CSV are each written on a thread of their own while this one runs the query.
    // `indicators` at 16x the demo (release build, figures in BENCHMARKS.md): 1.60 s with both
    // files written here (a String per CSV field), 0.79 s without the CSV; 1.43 s with the fields
    // in a reused buffer, 1.09 s with the numbers formatted by ryu and itoa, 1.01-1.16 s (three
    // runs) with both files on threads.
    let mut parquet = BackgroundSink::create(warehouse, schema.clone())?;
    let mut csv = if write_csv {
        Some(BackgroundSink::start(
            "csv-writer",
            CsvSink::create(warehouse, &schema)?,
        )?)
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
        let csv_open = csv.as_mut().is_none_or(|csv| csv.write(batch.clone()));
        if !parquet.write(batch) || !csv_open {
            break;
        }
    }
    // A writer that stopped reports its error here.
    parquet.commit(&warehouse.join(format!("{name}.parquet")))?;
    let csv_path = match csv {
        Some(csv) => {
            let path = warehouse.join(format!("{name}.csv"));
            csv.commit(&path)?;
            Some(path)
        }
        None => None,
    };
    step.done();
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

/// A CSV file of record batches: header from the schema (also when no row follows), empty fields
/// for nulls.
pub struct CsvSink {
    tmp: NamedTempFile,
    writer: csv::Writer<BufWriter<File>>,
}

impl CsvSink {
    pub fn create(dir: &Path, schema: &Schema) -> Result<CsvSink> {
        let tmp = crate::warehouse::temp_file_in(dir)?;
        let file = tmp.reopen().context("cannot reopen the temporary file")?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        writer.write_record(schema.fields().iter().map(|f| f.name().as_str()))?;
        Ok(CsvSink { tmp, writer })
    }
}

impl BatchFile for CsvSink {
    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        // One reused buffer per field instead of a String per cell: the indicator table has
        // about a million rows at 16x the demo.
        let mut field = Vec::with_capacity(32);
        for row in 0..batch.num_rows() {
            for column in batch.columns() {
                field.clear();
                write_cell(&mut field, column.as_ref(), row)?;
                self.writer.write_field(&field)?;
            }
            self.writer.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<NamedTempFile> {
        let inner = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot finish the CSV: {e}"))?;
        inner
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot finish the CSV: {e}"))?
            .sync_all()
            .context("cannot sync the CSV")?;
        Ok(self.tmp)
    }
}

/// One cell as CSV text, appended to `out`: empty for a null, floats in Rust's shortest
/// round-trip form (as `{}` prints them).
fn write_cell(out: &mut Vec<u8>, column: &dyn Array, row: usize) -> std::io::Result<()> {
    use std::io::Write;
    if column.is_null(row) {
        return Ok(());
    }
    match column.data_type() {
        DataType::Utf8 => out.extend_from_slice(column.as_string::<i32>().value(row).as_bytes()),
        DataType::Int32 => write_int(out, column.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => write_int(out, column.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => write_float(out, column.as_primitive::<Float64Type>().value(row)),
        DataType::Boolean => write!(out, "{}", column.as_boolean().value(row))?,
        other => write!(out, "<{other}>")?,
    }
    Ok(())
}

fn write_int(out: &mut Vec<u8>, v: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// `v` as `format!("{v}")` writes it, sooner (the `indicators` model at 16x the demo: 1.43 -> 1.09 s
/// with ints by itoa too): Ryū finds the same shortest digits; Rust writes a whole number without
/// `.0` and never uses an exponent, so those forms fall back. So do values that could lie exactly
/// halfway between two shortest candidates, where Ryū rounds to even and Rust rounds up
/// (195385498418957.125: Ryū `…957.12`, Rust `…957.13`).
fn write_float(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() && !may_tie(v) {
        let mut buffer = ryu::Buffer::new();
        let text = buffer.format_finite(v);
        if !text.contains('e') {
            out.extend_from_slice(text.strip_suffix(".0").unwrap_or(text).as_bytes());
            return;
        }
    }
    use std::io::Write;
    let _ = write!(out, "{v}");
}

/// Whether `v`'s exact decimal value has at most 18 significant digits, the only case in which it
/// can be the midpoint of two shortest candidates (at most 17 digits each, so the midpoint has at
/// most 18). `v = m · 2^q` with `m` odd: for `q < 0` its digits are those of `m · 5^-q`, an odd
/// number, so without trailing zeros; whole numbers (`q ≥ 0`) and zero count as "may tie" as well.
fn may_tie(v: f64) -> bool {
    const LIMIT: u128 = 1_000_000_000_000_000_000; // 10^18
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exp2) = match exponent {
        0 => (fraction, -1074),
        _ => (fraction | (1 << 52), exponent - 1075),
    };
    if mantissa == 0 {
        return true;
    }
    let zeros = mantissa.trailing_zeros();
    let (odd, q) = (mantissa >> zeros, exp2 + zeros as i32);
    if q >= 0 {
        return true;
    }
    // 5^28 > 10^19 and `odd` ≥ 1, so from -q = 28 on the product has more than 18 digits.
    if -q >= 28 {
        return false;
    }
    u128::from(odd) * 5u128.pow(q.unsigned_abs()) < LIMIT
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn fast(v: f64) -> String {
        let mut out = Vec::new();
        super::write_float(&mut out, v);
        String::from_utf8(out).expect("ASCII")
    }

    #[test]
    fn floats_read_as_rust_prints_them() {
        for (v, text) in [
            (0.05, "0.05"),
            (1.0, "1"),
            (0.0, "0"),
            (-0.0, "-0"),
            (1e-7, "0.0000001"),
            (2.5e21, "2500000000000000000000"),
            (1.0 / 3.0, "0.3333333333333333"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-inf"),
            // Exactly halfway between two 17-digit candidates: Rust rounds up, Ryū to even.
            (1_563_083_987_351_657.0 / 8.0, "195385498418957.13"), // exactly …957.125
        ] {
            assert_eq!(fast(v), text, "{v:?}");
        }
    }

    proptest! {
        #[test]
        fn floats_equal_std_formatting(v in any::<f64>()) {
            prop_assert_eq!(fast(v), format!("{v}"));
        }

        /// Values with few binary digits after the point: where exact halfway cases live.
        #[test]
        fn short_binary_fractions_equal_std_formatting(m in 1u64..(1 << 53), q in -64i32..8) {
            let v = m as f64 * 2f64.powi(q);
            prop_assert_eq!(fast(v), format!("{v}"));
        }

        #[test]
        fn rates_equal_std_formatting(k in 0u32..100_000, n in 1u32..100_000) {
            let v = f64::from(k) / f64::from(n);
            prop_assert_eq!(fast(v), format!("{v}"));
        }
    }
}
