//! The publish stage: what may leave the data owner. Reads `queries/bundle_candidates.sql` (true
//! numbers and the primary verdict), applies secondary suppression and the audits of
//! `disclosure`, and only then registers the result as `site_indicators` — the one table the report
//! reads — and returns it for `site/data/indicators.csv`.
//!
//! ```text
//! indicators_output ─ bundle_candidates.sql ─ disclosure::protect ─ disclosure::audit_published
//!                                                  └─ site_indicators (MemTable) ─ report models
//! ```

use std::sync::Arc;

use anyhow::{Context, Result};
use datafusion::arrow::array::{
    ArrayRef, AsArray, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int32Type, Int64Type, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;

use crate::disclosure::{self, Key, Published, Row};
use crate::engine::{self, BUNDLE_MODELS};
use crate::exit::input_error;

/// What the stage decided, for the run's summary line.
#[derive(Debug)]
pub struct Bundle {
    pub rows: Vec<Published>,
    pub primary: usize,
    pub secondary: usize,
}

/// The candidate rows with their true numbers and primary verdict.
async fn candidates(ctx: &SessionContext) -> Result<Vec<Row>> {
    let sql = engine::model_sql(BUNDLE_MODELS, "bundle_candidates");
    let batches = ctx
        .sql(sql)
        .await
        .context("queries/bundle_candidates.sql")?
        .collect()
        .await
        .context("queries/bundle_candidates.sql: failed while running")?;
    let mut rows = Vec::new();
    for b in &batches {
        let text = |i: usize| b.column(i).as_string::<i32>();
        let (basis, inflow, unit_type, unit_id, indicator) =
            (text(1), text(2), text(4), text(5), text(6));
        let (cohort, window) = (
            b.column(0).as_primitive::<Int32Type>(),
            b.column(3).as_primitive::<Int32Type>(),
        );
        let (num, den) = (
            b.column(7).as_primitive::<Int64Type>(),
            b.column(8).as_primitive::<Int64Type>(),
        );
        let float = |i: usize| b.column(i).as_primitive::<Float64Type>();
        let (value, low, high) = (float(9), float(10), float(11));
        let primary = b.column(12).as_boolean();
        for i in 0..b.num_rows() {
            rows.push(Row {
                key: Key {
                    cohort: cohort.value(i),
                    cohort_basis: basis.value(i).to_string(),
                    inflow_basis: inflow.value(i).to_string(),
                    cohort_window: window.value(i),
                    unit_type: unit_type.value(i).to_string(),
                    unit_id: unit_id.value(i).to_string(),
                    indicator: indicator.value(i).to_string(),
                },
                numerator: num.value(i),
                denominator: den.value(i),
                value: value.value(i),
                ci_low: low.value(i),
                ci_high: high.value(i),
                primary: primary.value(i),
            });
        }
    }
    Ok(rows)
}

/// Primary and secondary suppression, then the outsider's audit of exactly what will be
/// published; registers `site_indicators`. Refuses (exit 1, nothing published) when the audit
/// finds a hidden cell that can be recomputed.
pub async fn protect(ctx: &SessionContext) -> Result<Bundle> {
    let rows = candidates(ctx).await?;
    let protected = disclosure::protect(rows, &[])?;
    let audit = disclosure::audit_published(&protected.rows)?;
    if let Some(first) = audit.disclosed.first() {
        return Err(input_error(format!(
            "the disclosure audit refuses to publish: {} suppressed cell(s) can be recomputed from \
             the published table, first the {first}; nothing was published",
            audit.disclosed.len()
        )));
    }
    ctx.register_table("site_indicators", Arc::new(table(&protected.rows)?))
        .context("cannot register site_indicators")?;
    Ok(Bundle {
        rows: protected.rows,
        primary: protected.primary,
        secondary: protected.secondary,
    })
}

/// The published rows as a table with the warehouse columns plus `suppressed`; a suppressed row
/// has null numbers.
fn table(rows: &[Published]) -> Result<MemTable> {
    let text = |f: fn(&Key) -> &str| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| f(&r.key)),
        ))
    };
    let int = |f: fn(&Key) -> i32| -> ArrayRef {
        Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| f(&r.key))))
    };
    let count = |f: fn(&disclosure::Numbers) -> i64| -> ArrayRef {
        Arc::new(Int64Array::from_iter(
            rows.iter().map(|r| r.numbers.as_ref().map(f)),
        ))
    };
    let real = |f: fn(&disclosure::Numbers) -> f64| -> ArrayRef {
        Arc::new(Float64Array::from_iter(
            rows.iter().map(|r| r.numbers.as_ref().map(f)),
        ))
    };
    let columns = vec![
        int(|k| k.cohort),
        text(|k| &k.cohort_basis),
        text(|k| &k.inflow_basis),
        int(|k| k.cohort_window),
        text(|k| &k.unit_type),
        text(|k| &k.unit_id),
        text(|k| &k.indicator),
        count(|n| n.numerator),
        count(|n| n.denominator),
        real(|n| n.value),
        real(|n| n.ci_low),
        real(|n| n.ci_high),
        Arc::new(BooleanArray::from_iter(
            rows.iter().map(|r| Some(r.numbers.is_none())),
        )),
    ];
    let types = [
        DataType::Int32,
        DataType::Utf8,
        DataType::Utf8,
        DataType::Int32,
        DataType::Utf8,
        DataType::Utf8,
        DataType::Utf8,
        DataType::Int64,
        DataType::Int64,
        DataType::Float64,
        DataType::Float64,
        DataType::Float64,
        DataType::Boolean,
    ];
    let names = crate::warehouse::INDICATOR_COLUMNS
        .iter()
        .chain(&["suppressed"])
        .copied();
    let schema = Arc::new(Schema::new(
        names
            .zip(types)
            .map(|(n, t)| Field::new(n, t, true))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    Ok(MemTable::try_new(schema, vec![vec![batch]])?)
}
