//! The publish stage: what may leave the data owner. Reads `queries/bundle_candidates.sql` (true
//! numbers and the primary verdict), applies secondary suppression and the audits of
//! `disclosure`, and only then writes a site from the result: `site_indicators` is the one table
//! the report reads, and `data/indicators.csv` holds exactly the same rows. A partner bundle
//! (`doorstroom publish --partner`) is the region's rows and that partner's own, audited again.
//!
//! ```text
//! indicators_output ─ bundle_candidates.sql ─ disclosure::protect ─ disclosure::audit_published_with
//!                                                  └─ site_indicators (Parquet) ── report models
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use datafusion::arrow::array::{
    ArrayRef, AsArray, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int32Type, Int64Type, Schema};
use datafusion::prelude::SessionContext;

use crate::disclosure::export::{self, Scope};
use crate::disclosure::table::flow_parent;
use crate::disclosure::{self, pooling, Key, Published, Row};
use crate::engine::{self, BUNDLE_MODELS, SITE_MODELS};
use crate::exit::input_error;
use crate::project::Privacy;
use crate::project::Project;
use crate::report;
use crate::warehouse::write_atomic;

/// What the stage decided, for the run's summary line.
#[derive(Debug)]
pub struct Bundle {
    pub rows: Vec<Published>,
    pub primary: usize,
    pub secondary: usize,
    /// Rows hidden because an earlier run hid them or published other numbers.
    pub kept_hidden: usize,
    /// Small units' three-cohort windows with pooled rows (`[privacy] pool_below`).
    pub pooled_windows: usize,
}

/// The candidate rows with their true numbers and primary verdict.
async fn candidates(ctx: &SessionContext) -> Result<Vec<Row>> {
    let batches = engine::query(ctx, BUNDLE_MODELS, "bundle_candidates").await?;
    let mut rows = Vec::new();
    // Two million keys nationally in a few thousand distinct texts: each text held once.
    let mut texts = disclosure::Interner::default();
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
                    cohort_basis: texts.text(basis.value(i)),
                    inflow_basis: texts.text(inflow.value(i)),
                    cohort_window: window.value(i),
                    unit_type: texts.text(unit_type.value(i)),
                    unit_id: texts.text(unit_id.value(i)),
                    indicator: texts.text(indicator.value(i)),
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

/// The disclosure stage over the indicator files in `warehouse`: the bundle's candidate rows, then
/// `protect`. `run` calls it after the indicator stage; `bench/disclose.rs` over the warehouse an
/// earlier run left.
pub async fn disclose(
    ctx: &SessionContext,
    warehouse: &Path,
    register: &Path,
    privacy: &Privacy,
) -> Result<Bundle> {
    crate::indicators::register(ctx, warehouse).await?;
    engine::build(ctx, BUNDLE_MODELS).await?;
    protect(ctx, register, privacy).await
}

/// Primary and secondary suppression, then the outsider's audit of exactly what will be
/// published. `register` is the file of what earlier runs published (it may not exist yet): a row
/// hidden before stays hidden, and a row whose numbers changed since it was published is hidden
/// now, so two runs side by side tell no more than each alone. Refuses (exit 1, nothing
/// published) when the audit finds a hidden cell that can be recomputed.
async fn protect(ctx: &SessionContext, register: &Path, privacy: &Privacy) -> Result<Bundle> {
    let seen = read_register(register)?;
    let before = pooling::pooled_before(
        seen.iter()
            .filter(|(_, versions)| versions.iter().any(Option::is_some))
            .map(|(k, _)| k),
    );
    // The destinations per institution and per programme come only for the unit types `[privacy]
    // institution_flows` and `programme_flows` name (bundle_candidates.sql).
    let clock = crate::progress::clock();
    let rows = candidates(ctx).await?;
    clock.note(format_args!(
        "disclosure: {} candidate rows (queries/bundle_candidates.sql)",
        rows.len()
    ));
    let clock = crate::progress::clock();
    let (rows, pooled_windows) = pooling::choose(rows, privacy.pool_below, &before);
    clock.note(format_args!("disclosure: pooling"));
    let earlier = earlier_hidden(&seen, &rows);
    let kept_hidden = earlier
        .iter()
        .zip(&rows)
        .filter(|(&e, r)| e && !r.primary)
        .count();
    // Rows published before with the numbers they have now are known to every reader of that
    // site: hiding them again would protect nothing, so they are a partner only as a last resort.
    let shown_before: Vec<bool> = rows
        .iter()
        .zip(&earlier)
        .map(|(r, &e)| !e && seen.contains_key(&r.key))
        .collect();
    let protected = disclosure::protect_with(rows, &earlier, &shown_before)?;
    // The outsider's audit of what is about to be published. The true values go in as a witness
    // only (disclosure/mod.rs): the same verdicts as a recipient's `doorstroom audit`, from the
    // tangent cone at them instead of whole-set programs. It builds its own structure on top of
    // what is resident here: the allocator's free pages go back first.
    crate::progress::release_free_memory();
    let truth = protected.truth();
    refuse_if_disclosed(&disclosure::audit_published_with(
        &protected.rows,
        Some(&truth),
    )?)?;
    Ok(Bundle {
        rows: protected.rows,
        primary: protected.primary,
        secondary: protected.secondary,
        kept_hidden,
        pooled_windows,
    })
}

/// Every version of every row earlier runs published (`None`: suppressed).
type Seen = HashMap<Key, Vec<Option<(i64, i64)>>>;

fn read_register(register: &Path) -> Result<Seen> {
    let mut seen: Seen = HashMap::new();
    if register.exists() {
        for r in export::read_csv(register)? {
            let numbers = r.numbers.map(|n| (n.numerator, n.denominator));
            seen.entry(r.key).or_default().push(numbers);
        }
    }
    Ok(seen)
}

/// Per candidate row: hidden in an earlier published run, or published then with other numbers.
fn earlier_hidden(seen: &Seen, rows: &[Row]) -> Vec<bool> {
    rows.iter()
        .map(|r| {
            seen.get(&r.key).is_some_and(|versions| {
                versions
                    .iter()
                    .any(|v| *v != Some((r.numerator, r.denominator)))
            })
        })
        .collect()
}

/// Adds this run's published rows to the register: every version ever published, once each, in
/// key order. Written only after the site was.
pub fn update_register(register: &Path, rows: &[Published]) -> Result<()> {
    let mut all = if register.exists() {
        export::read_csv(register)?
    } else {
        Vec::new()
    };
    all.extend(rows.iter().cloned());
    all.sort_by(|a, b| {
        a.key.cmp(&b.key).then_with(|| {
            let n = |p: &Published| p.numbers.as_ref().map(|n| (n.numerator, n.denominator));
            n(a).cmp(&n(b))
        })
    });
    all.dedup_by(|a, b| a.key == b.key && a.numbers == b.numbers);
    export::write_csv_file(&all, register)
}

fn refuse_if_disclosed(audit: &disclosure::AuditReport) -> Result<()> {
    match audit.disclosed.first() {
        None => Ok(()),
        Some(first) => Err(input_error(format!(
            "the disclosure audit refuses to publish: {} suppressed cell(s) can be recomputed from \
             the published table, first the {first}; nothing was published",
            audit.disclosed.len()
        ))),
    }
}

/// A partner as given on the command line, as it is matched and named: `90ac ` → `90AC`.
pub fn partner_id(given: &str) -> String {
    given
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Whether a unit belongs to a partner given as a brin (4 characters: every vestiging, or a
/// receiving institution and its programmes) or a school (brin + vestiging).
fn belongs(unit_type: &str, unit_id: &str, partner: &str) -> bool {
    let code = unit_id.split(':').next().unwrap_or(unit_id);
    match unit_type {
        "school" | "afdeling" | "groep" => {
            code == partner || (partner.len() == 4 && code.starts_with(partner))
        }
        "instelling" | "opleiding" => code == partner,
        _ => false,
    }
}

/// Units every bundle shares: the region and the sector groups (regional totals).
fn shared(unit_type: &str) -> bool {
    matches!(unit_type, "regio" | "sector")
}

/// A partner's bundle: the region's rows and the partner's own rows, nothing of another school.
/// The subset of an audited bundle is audited again, as a partner bundle.
/// The region's destinations per institution name every receiving institution: a school's bundle
/// has them, a receiving institution's does not (it sees no other institution).
pub fn partner_rows(rows: &[Published], partner: &str) -> Result<Vec<Published>> {
    let own = |r: &Published| belongs(&r.key.unit_type, &r.key.unit_id, partner);
    let school = rows.iter().any(|r| r.key.unit_type == "school" && own(r));
    let kept: Vec<Published> = rows
        .iter()
        .filter(|r| {
            own(r)
                || (shared(&r.key.unit_type) && (school || flow_parent(&r.key.indicator).is_none()))
        })
        .cloned()
        .collect();
    if !kept
        .iter()
        .any(|r| matches!(r.key.unit_type.as_str(), "school" | "instelling"))
    {
        // Every cohort repeats the units: a set, in order.
        let of_type = |unit_type: &str| -> String {
            let ids: std::collections::BTreeSet<&str> = rows
                .iter()
                .filter(|r| r.key.unit_type == unit_type)
                .map(|r| r.key.unit_id.as_str())
                .collect();
            ids.into_iter().collect::<Vec<_>>().join(", ")
        };
        return Err(input_error(format!(
            "--partner {partner}: no school (brin or brin + vestiging) or receiving institution \
             (brin) with that code in the bundle; the schools are {}; the institutions are {}",
            of_type("school"),
            of_type("instelling")
        )));
    }
    refuse_if_disclosed(&disclosure::audit_partner(&kept)?)?;
    Ok(kept)
}

/// Writes a site: `data/indicators.csv`, `data/bundle.json` and the report over exactly `rows`
/// (registered as `site_indicators`, the one table the report models read). Returns the report.
pub async fn write_site(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    rows: &[Published],
    scope: &Scope,
    inputs: &serde_json::Value,
) -> Result<PathBuf> {
    engine::register_batch(ctx, "site_indicators", &table(rows)?)
        .await
        .context("cannot register site_indicators")?;
    engine::register_batch(ctx, "report_norm_settings", &norms(&project.norms)?)
        .await
        .context("cannot register the norms")?;
    // Read before this run writes anything: `previous_site` may be this project's own `site/`.
    let previous = match (&project.previous_site, scope) {
        (Some(dir), Scope::Region) => Some(previous_rows(dir)?),
        _ => None,
    };
    engine::register_batch(
        ctx,
        "previous_indicators",
        &table(previous.as_deref().unwrap_or(&[]))?,
    )
    .await
    .context("cannot register the previous run's indicators")?;
    engine::build(ctx, SITE_MODELS).await?;
    if *scope == Scope::Region {
        warn_unmatched_interventions(ctx).await?;
    }
    let data = site.join("data");
    export::write_csv_file(rows, &data.join("indicators.csv"))?;
    let mut json = serde_json::to_string_pretty(scope)?;
    json.push('\n');
    write_atomic(&data.join("bundle.json"), json.as_bytes())?;
    report::render(ctx, project, site, inputs, previous.is_some()).await
}

/// Names, on stderr, every intervention whose school is not in the bundle (it is not shown).
async fn warn_unmatched_interventions(ctx: &SessionContext) -> Result<()> {
    let unmatched = engine::query_text(ctx, SITE_MODELS, "cycle_unmatched").await?;
    for r in &unmatched.rows {
        eprintln!(
            "interventions: \"{}\" names {}, a school without alumni in the input; it is not shown",
            unmatched.get(r, "naam"),
            unmatched.get(r, "unit_id")
        );
    }
    Ok(())
}

/// The published rows of an earlier run's site (`[inputs] previous_site`, checked to exist when
/// the project loaded): its `data/indicators.csv`, as `doorstroom audit` reads it.
fn previous_rows(dir: &Path) -> Result<Vec<Published>> {
    export::read_csv(&dir.join("data").join("indicators.csv"))
}

/// The configuration's `[[norms]]` as a table for report_norms.sql.
fn norms(norms: &[crate::project::Norm]) -> Result<RecordBatch> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("indicator", DataType::Utf8, false),
        Field::new("niveau", DataType::Utf8, true),
        Field::new("min_value", DataType::Float64, true),
        Field::new("max_value", DataType::Float64, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            norms.iter().map(|n| n.indicator.as_str()),
        )),
        Arc::new(StringArray::from_iter(
            norms.iter().map(|n| n.niveau.as_deref()),
        )),
        Arc::new(Float64Array::from_iter(norms.iter().map(|n| n.min))),
        Arc::new(Float64Array::from_iter(norms.iter().map(|n| n.max))),
    ];
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// The published rows as a table with the warehouse columns plus `suppressed`; a suppressed row
/// has null numbers.
fn table(rows: &[Published]) -> Result<RecordBatch> {
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
    Ok(RecordBatch::try_new(schema, columns)?)
}
