//! The DataFusion session: warehouse tables registered, run parameters as a one-row table, and the
//! dbt-style models of `queries/` built in dependency order (datafusion-cli's session, dbt's DAG).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use chrono::NaiveDate;
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Int64Array, StringArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::dataframe::DataFrame;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::SessionStateBuilder;
use datafusion::physical_plan::{execute_stream, SendableRecordBatchStream};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use futures::{StreamExt, TryStreamExt};
use tempfile::TempDir;

use crate::project::{EngineKind, EngineSettings};

#[cfg(feature = "ballista")]
mod cluster;
mod memory;

use crate::warehouse::{self, ParquetSink};
use memory::MeteredPool;
pub use memory::Usage;

/// How a model is built, from its `-- materialized:` header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Materialized {
    /// Registered as a view; inlined where used.
    View,
    /// Computed once into a Parquet file in the session's scratch directory (per-student steps
    /// used by several families): read back in row groups, so memory stays bounded at national
    /// scale where a table kept in memory would not.
    Table,
    /// Not registered: streamed to a file by the caller.
    Output,
}

/// One SQL model: the name it is registered under (its file stem, unless it stands in for
/// another model), its file and its text.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    pub name: &'static str,
    pub file: &'static str,
    pub sql: &'static str,
}

impl Model {
    pub fn materialized(&self) -> Materialized {
        let line = self
            .sql
            .lines()
            .find_map(|l| l.trim().strip_prefix("-- materialized:"))
            .map(str::trim);
        match line {
            Some("table") => Materialized::Table,
            Some("output") => Materialized::Output,
            _ => Materialized::View,
        }
    }
}

macro_rules! model {
    ($name:literal) => {
        model!($name, $name)
    };
    // A model registered under another model's name: the same downstream SQL over other inputs.
    ($name:literal, $file:literal) => {
        Model {
            name: $name,
            file: $file,
            sql: include_str!(concat!("../../queries/", $file, ".sql")),
        }
    };
}

/// The indicator models in dependency order; each file names the definitions.md section it implements.
pub const INDICATOR_MODELS: &[Model] = &[
    model!("stg_alumni"),
    model!("stg_enrollments"),
    model!("alumni_units"),
    model!("destinations"),
    model!("inflow_status"),
    model!("instroom_cohorts"),
    model!("entrants"),
    model!("entrant_units"),
    model!("year_one"),
    model!("ind_inflow"),
    model!("ind_year_one"),
    model!("ind_diploma"),
    model!("ind_survey"),
    model!("flow_received"),
    model!("flow_names"),
    model!("ind_flows"),
    model!("indicators_single"),
    model!("indicator_rates"),
    model!("indicators"),
    model!("indicators_groep"),
    model!("indicators_enquete"),
    model!("indicators_flows"),
];

/// Models of the publish stage, over the written `indicators_output` table.
pub const BUNDLE_MODELS: &[Model] = &[model!("bundle_candidates")];

/// Models the report reads, over `site_indicators` (registered by the publish stage) and
/// `published`. The sources page runs reconcile_published.sql over the site's published rows only.
pub const SITE_MODELS: &[Model] = &[
    model!("site_rows"),
    model!("report_trends"),
    model!("report_pooled"),
    model!("report_survey"),
    model!("report_units"),
    model!("reconcile_scope", "site_reconcile_scope"),
    model!("reconcile_rows", "site_reconcile_rows"),
    model!("reconcile_published"),
    model!("site_reconcile"),
    model!("quality_censoring"),
    model!("quality_coverage"),
    model!("report_changes"),
    model!("report_norms"),
    model!("cycle_trends"),
    model!("cycle_interventions"),
    model!("cycle_run_changes"),
    model!("cycle_unmatched"),
    model!("report_receiving"),
    model!("report_institutions"),
    model!("report_flows"),
    model!("report_national"),
];

/// The per-record staging models, built as views where only a few units are read (reconcile).
pub const STAGING_MODELS: &[Model] = &[
    model!("stg_alumni"),
    model!("stg_enrollments"),
    model!("alumni_units"),
];

/// The reconciliation models (`doorstroom reconcile`), over `indicators_output`, `published`,
/// the staging views and `reconcile_filter`; the first three are views the other two read.
pub const RECONCILE_MODELS: &[Model] = &[
    model!("reconcile_scope"),
    model!("reconcile_peildatum"),
    model!("reconcile_rows"),
    model!("reconcile_steps"),
    model!("reconcile_published"),
];

/// Parameters every model may read from `run_params`.
#[derive(Debug, Clone)]
pub struct RunParams {
    pub data_until: NaiveDate,
    pub min_cell: u64,
    pub min_denominator: u64,
    /// `[privacy] extremes = "nco"`: rates below 5 % or above 95 % are suppressed.
    pub hide_extremes: bool,
    /// `[privacy] institution_flows` as written there (`region`, `schools` or `both`).
    pub institution_flows: &'static str,
    /// `[privacy] programme_flows` as written there (`none`, `region`, `schools` or `both`).
    pub programme_flows: &'static str,
}

/// The async runtime the commands run their queries on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Plans of the report's models are deep: planning them, and (for Ballista) encoding them
        // as protobuf, recurses further than tokio's 2 MiB default stack allows.
        .thread_stack_size(16 << 20)
        .build()
        .context("cannot start tokio")
}

/// The session's scratch directory (materialized models, spills), removed with the session, and
/// its memory pool when `[engine] memory_limit` is set.
struct Scratch {
    dir: TempDir,
    pool: Option<Arc<MeteredPool>>,
    cluster_jobs: AtomicU64,
}

/// A session configured for these queries: plain `Utf8` strings everywhere (one string type across
/// UNION branches, see docs/datafusion-notes.md); with `[engine] memory_limit` a FairSpillPool, so
/// sorts, joins and aggregates spill instead of growing past it. Spills and materialized models go
/// to a scratch directory in `[engine] spill_dir`, by default beside `out_dir`. With `[engine] kind =
/// "ballista"` the same session plans locally and runs its queries on the cluster.
pub async fn session(settings: &EngineSettings, out_dir: &Path) -> Result<SessionContext> {
    let scratch = match &settings.spill_dir {
        Some(dir) => warehouse::scratch_in(dir)?,
        None => warehouse::scratch_beside(out_dir)?,
    };
    let mut config = SessionConfig::new()
        .set_bool("datafusion.sql_parser.map_string_types_to_utf8view", false)
        .set_bool(
            "datafusion.execution.parquet.schema_force_view_types",
            false,
        );
    if let Some(limit) = settings.memory_limit {
        // Each sort keeps this much aside for merging its spills (10 MiB by default); with a small
        // limit and several sorts in a plan that alone exhausts the pool.
        let aside = (limit / 64).min(10 << 20);
        config = config.set_u64("datafusion.execution.sort_spill_reservation_bytes", aside);
    }
    if settings.spill_joins {
        config = config.set_bool("datafusion.optimizer.prefer_hash_join", false);
    }
    if let Some(n) = settings.target_partitions {
        config = config.with_target_partitions(n);
    }
    #[cfg(feature = "ballista")]
    if matches!(settings.kind, EngineKind::Ballista(_)) {
        config = cluster::configure(config);
    }
    let disk = DiskManagerBuilder::default().with_mode(DiskManagerMode::Directories(vec![scratch
        .path()
        .to_path_buf()]));
    let mut runtime = RuntimeEnvBuilder::new().with_disk_manager_builder(disk);
    let pool = settings
        .memory_limit
        .map(|limit| MeteredPool::new(usize::try_from(limit).unwrap_or(usize::MAX)));
    if let Some(pool) = &pool {
        runtime = runtime.with_memory_pool(pool.clone());
    }
    let runtime = runtime
        .build_arc()
        .context("cannot set up the query engine's memory and spill directory")?;
    let config = config.with_extension(Arc::new(Scratch {
        dir: scratch,
        pool,
        cluster_jobs: AtomicU64::new(0),
    }));
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_runtime_env(runtime)
        .with_default_features()
        .build();
    match &settings.kind {
        EngineKind::Local => Ok(SessionContext::new_with_state(state)),
        #[cfg(feature = "ballista")]
        EngineKind::Ballista(scheduler) => cluster::connect(state, scheduler).await,
        #[cfg(not(feature = "ballista"))]
        EngineKind::Ballista(_) => Err(anyhow!(
            "[engine] kind = \"ballista\" in a build without Ballista (refused when the project loads)"
        )),
    }
}

/// The scratch directory of a session made by [`session`].
fn scratch_dir(ctx: &SessionContext) -> Result<std::path::PathBuf> {
    ctx.state()
        .config()
        .get_extension::<Scratch>()
        .map(|s| s.dir.path().to_path_buf())
        .ok_or_else(|| {
            anyhow!("the session has no scratch directory (not made by engine::session)")
        })
}

/// What the memory pool saw so far, when the session has a memory limit.
pub fn memory_usage(ctx: &SessionContext) -> Option<Usage> {
    let scratch = ctx.state().config().get_extension::<Scratch>()?;
    scratch.pool.as_ref().map(|p| p.usage())
}

/// Registers a Parquet file as a table.
pub async fn register_parquet(ctx: &SessionContext, name: &str, path: &Path) -> Result<()> {
    let path_str = path
        .to_str()
        .ok_or_else(|| anyhow!("{}: path is not UTF-8", path.display()))?;
    ctx.register_parquet(name, path_str, ParquetReadOptions::default())
        .await
        .with_context(|| format!("{}: cannot register as table {name}", path.display()))
}

/// Registers rows made in Rust (parameters, norms, the published bundle) as a table: written to a
/// Parquet file in the scratch directory rather than kept as a MemTable, because a Ballista
/// cluster's executors read every table from files (a MemTable cannot be sent to them). Each call
/// writes a new file, so no cached metadata of an earlier registration is read.
pub async fn register_batch(ctx: &SessionContext, name: &str, batch: &RecordBatch) -> Result<()> {
    let dir = scratch_dir(ctx)?;
    let path = scratch_file(&dir, name);
    let mut sink = ParquetSink::create(&dir, batch.schema())?;
    sink.write(batch)?;
    sink.commit(&path)?;
    let _ = ctx.deregister_table(name);
    register_parquet(ctx, name, &path).await
}

/// A new file name in the scratch directory for a table registered as `name`.
fn scratch_file(dir: &Path, name: &str) -> std::path::PathBuf {
    static FILES: AtomicU64 = AtomicU64::new(0);
    dir.join(format!(
        "{name}.{}.parquet",
        FILES.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Runs a planned query and streams its result. Counts the queries that ran as Ballista jobs
/// (their plan is Ballista's `DistributedQueryExec`), see [`cluster_jobs`].
pub async fn execute(ctx: &SessionContext, df: DataFrame) -> Result<SendableRecordBatchStream> {
    let plan = df.create_physical_plan().await?;
    if plan.name() == "DistributedQueryExec" {
        if let Some(scratch) = ctx.state().config().get_extension::<Scratch>() {
            scratch.cluster_jobs.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(execute_stream(plan, ctx.task_ctx())?)
}

/// How many queries of this session ran as Ballista jobs (0 on the local engine).
pub fn cluster_jobs(ctx: &SessionContext) -> u64 {
    ctx.state()
        .config()
        .get_extension::<Scratch>()
        .map_or(0, |s| s.cluster_jobs.load(Ordering::Relaxed))
}

/// Registers `run_params` (one row).
pub async fn register_params(ctx: &SessionContext, params: &RunParams) -> Result<()> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("data_until", DataType::Date32, false),
        Field::new("min_cell", DataType::Int64, false),
        Field::new("min_denominator", DataType::Int64, false),
        Field::new("hide_extremes", DataType::Boolean, false),
        Field::new("institution_flows", DataType::Utf8, false),
        Field::new("programme_flows", DataType::Utf8, false),
    ]));
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Date32Array::from(vec![
            (params.data_until - epoch).num_days() as i32,
        ])),
        Arc::new(Int64Array::from(vec![params.min_cell as i64])),
        Arc::new(Int64Array::from(vec![params.min_denominator as i64])),
        Arc::new(BooleanArray::from(vec![params.hide_extremes])),
        Arc::new(StringArray::from(vec![params.institution_flows])),
        Arc::new(StringArray::from(vec![params.programme_flows])),
    ];
    let batch = RecordBatch::try_new(schema, columns)?;
    register_batch(ctx, "run_params", &batch)
        .await
        .context("cannot register run_params")
}

/// Builds every model that is not an output, in order.
pub async fn build(ctx: &SessionContext, models: &[Model]) -> Result<()> {
    for model in models {
        match model.materialized() {
            Materialized::View => create_view(ctx, model).await?,
            Materialized::Table => materialize(ctx, model).await?,
            Materialized::Output => {}
        }
    }
    Ok(())
}

/// Streams a model's rows into a Parquet file in the scratch directory and registers that file
/// under the model's name.
async fn materialize(ctx: &SessionContext, model: &Model) -> Result<()> {
    let step = crate::progress::step(model.name);
    let df = ctx
        .sql(model.sql)
        .await
        .with_context(|| format!("queries/{}.sql: cannot plan", model.file))?;
    let schema = nullable_schema(df.schema().as_arrow());
    let dir = scratch_dir(ctx)?;
    let mut sink = ParquetSink::create(&dir, schema.clone())?;
    let mut stream = execute(ctx, df)
        .await
        .with_context(|| format!("queries/{}.sql: cannot run", model.file))?;
    while let Some(batch) = stream.next().await {
        let batch =
            batch.with_context(|| format!("queries/{}.sql: failed while running", model.file))?;
        sink.write(&conform(&batch, &schema)?)?;
    }
    let path = scratch_file(&dir, model.name);
    sink.commit(&path)?;
    register_parquet(ctx, model.name, &path).await?;
    step.done();
    Ok(())
}

/// Registers every model as a view, whatever its header says: for commands that read a few units
/// of the per-record models, where keeping a whole table in memory would cost more than it saves.
pub async fn build_views(ctx: &SessionContext, models: &[Model]) -> Result<()> {
    for model in models {
        create_view(ctx, model).await?;
    }
    Ok(())
}

async fn create_view(ctx: &SessionContext, model: &Model) -> Result<()> {
    ctx.sql(&format!("create view {} as {}", model.name, model.sql))
        .await
        .with_context(|| format!("queries/{}.sql: cannot create the view", model.file))?;
    Ok(())
}

/// Runs a model by name and collects its result (for small results: the bundle, the report's
/// rows, a reconciliation), with the model's file named in any error.
pub async fn query(ctx: &SessionContext, models: &[Model], name: &str) -> Result<Vec<RecordBatch>> {
    stream(ctx, models, name)
        .await?
        .try_collect()
        .await
        .with_context(|| format!("queries/{name}.sql: failed while running"))
}

/// Runs a model by name and streams its result, for results too large to hold at once.
pub async fn stream(
    ctx: &SessionContext,
    models: &[Model],
    name: &str,
) -> Result<SendableRecordBatchStream> {
    let df = ctx
        .sql(model_sql(models, name))
        .await
        .with_context(|| format!("queries/{name}.sql: cannot plan"))?;
    execute(ctx, df)
        .await
        .with_context(|| format!("queries/{name}.sql: cannot run"))
}

/// A small result as text cells by column name (empty for null), for the commands and pages that
/// only format what a model computed.
#[derive(Debug, Default)]
pub struct TextTable {
    pub names: Vec<String>,
    /// Whether each column holds numbers (written as numbers, never formula-guarded).
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    /// The cell of `row` in column `name`.
    pub fn get<'a>(&'a self, row: &'a [String], name: &str) -> &'a str {
        let i = self
            .names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        &row[i]
    }
}

/// Runs a model by name and returns its result as text cells.
pub async fn query_text(ctx: &SessionContext, models: &[Model], name: &str) -> Result<TextTable> {
    let mut table = TextTable::default();
    for b in &query(ctx, models, name).await? {
        table.names = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        table.numeric = numeric_columns(b);
        for i in 0..b.num_rows() {
            table.rows.push(text_row(b, i)?);
        }
    }
    Ok(table)
}

/// Whether each column of the batch holds numbers.
pub fn numeric_columns(b: &RecordBatch) -> Vec<bool> {
    b.schema()
        .fields()
        .iter()
        .map(|f| f.data_type().is_numeric())
        .collect()
}

/// Row `i` of the batch as text cells (empty for null), as [`query_text`] gives them.
pub fn text_row(b: &RecordBatch, i: usize) -> Result<Vec<String>> {
    Ok(b.columns()
        .iter()
        .map(|c| {
            if c.is_null(i) {
                Ok(String::new())
            } else {
                array_value_to_string(c, i)
            }
        })
        .collect::<Result<Vec<_>, _>>()?)
}

/// The model's text by name.
pub fn model_sql(models: &[Model], name: &str) -> &'static str {
    models
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.sql)
        .expect("known model")
}

/// The plan's schema with every field nullable, so batches whose nullability differs still fit.
fn nullable_schema(schema: &Schema) -> SchemaRef {
    Arc::new(Schema::new(
        schema
            .fields()
            .iter()
            .map(|f| Field::new(f.name(), f.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ))
}

/// A batch cast to `schema` (same columns, by position).
pub fn conform(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| {
            if c.data_type() == f.data_type() {
                Ok(c.clone())
            } else {
                cast(c, f.data_type())
            }
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}
