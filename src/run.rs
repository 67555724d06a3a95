//! The `run` command: the stages in order, each using only the ones before it.
//!
//! ```text
//! project → key → ingest (validate, pseudonymise, stage Parquet) → publish warehouse + rejects
//!         → engine (queries/*.sql) → indicators.parquet/.csv
//!         → publish (suppression + audit) → site/ → manifest.json
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use datafusion::prelude::SessionContext;

use crate::disclosure::export::{self, Scope};
use crate::engine::{self, RunParams, INDICATOR_MODELS};
use crate::ingest::interventions::Register;
use crate::ingest::published::Adapted;
use crate::ingest::survey::Survey;
use crate::ingest::{self, spec, IngestOptions};
use crate::manifest::{InputEntry, Manifest, PublishedCounts};
use crate::pipeline::{ingest_all, load_project, print_findings};
use crate::privacy::key::Key;
use crate::privacy::pseudonym::Pseudonymiser;
use crate::project::{EngineKind, Extremes, Project, PublishedInput, Scheduler};
use crate::warehouse::{ParquetSink, Staging};
use crate::{indicators, publish, rejects};

/// File name of a published input's rejects: `published-<file stem>.csv`.
fn published_rejects_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("published-{stem}.csv")
}

/// Writes `warehouse/published.parquet` (empty without published inputs, so no stale figures stay)
/// and their rejects; returns their manifest entries.
fn publish_figures(
    project: &Project,
    published: &[(PublishedInput, Adapted)],
) -> Result<Vec<InputEntry>> {
    let out = &project.out_dir;
    let warehouse = out.join("warehouse");
    let mut sink = ParquetSink::create(&warehouse, ingest::published::schema())?;
    let mut entries = Vec::new();
    for (input, adapted) in published {
        let file = input
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        sink.write(&ingest::published::to_batch(&adapted.rows, &file)?)?;
        rejects::write(
            &out.join("rejects")
                .join(published_rejects_name(&input.path)),
            &adapted.findings,
        )?;
        let masked = adapted.masked_cells();
        let mut entry = InputEntry::new(
            "published",
            &project.shown_path(&input.path),
            &adapted.sha256,
            &adapted.accounting,
        );
        entry.published = Some(PublishedCounts {
            preset: input.preset.clone(),
            figures: adapted.rows.len() as u64,
            masked_cells: masked,
        });
        entries.push(entry);
    }
    sink.commit(&warehouse.join("published.parquet"))?;
    Ok(entries)
}

/// Writes `warehouse/interventions.parquet` (empty without a register, so no stale rows stay) and
/// the register's rejects; returns its manifest entry.
fn publish_interventions(
    project: &Project,
    register: Option<&Register>,
) -> Result<Vec<InputEntry>> {
    let out = &project.out_dir;
    let warehouse = out.join("warehouse");
    let mut sink = ParquetSink::create(&warehouse, ingest::interventions::schema())?;
    let mut entries = Vec::new();
    if let Some(r) = register {
        sink.write(&ingest::interventions::to_batch(&r.rows)?)?;
        rejects::write(&out.join("rejects").join("interventions.csv"), &r.findings)?;
        entries.push(InputEntry::new(
            "interventions",
            &project.shown_path(&r.path),
            &r.sha256,
            &r.accounting,
        ));
    }
    sink.commit(&warehouse.join("interventions.parquet"))?;
    Ok(entries)
}

/// Writes `warehouse/survey.parquet` (empty without a survey, so no stale answers stay) and the
/// survey's rejects; returns its manifest entry.
fn publish_survey(project: &Project, survey: Option<&Survey>) -> Result<Vec<InputEntry>> {
    let out = &project.out_dir;
    let warehouse = out.join("warehouse");
    let mut sink = ParquetSink::create(&warehouse, ingest::survey::schema())?;
    let mut entries = Vec::new();
    if let Some(s) = survey {
        sink.write(&ingest::survey::to_batch(&s.answers)?)?;
        rejects::write(&out.join("rejects").join("survey.csv"), &s.findings)?;
        entries.push(InputEntry::new(
            "survey",
            &project.shown_path(&s.path),
            &s.sha256,
            &s.accounting,
        ));
    }
    sink.commit(&warehouse.join("survey.parquet"))?;
    Ok(entries)
}

/// `doorstroom run`: the whole pipeline. Returns the path of the report.
pub fn run(config: Option<&Path>) -> Result<PathBuf> {
    let project = load_project(config)?;
    let key = Key::load(&project)?;
    let pseudonymiser = Pseudonymiser::new(key.as_ref());
    crate::warehouse::sweep(&project.out_dir);
    let ingest_stage = crate::progress::timed("ingest");
    let staging = Staging::beside(&project.out_dir)?;
    let staging_dir = staging.path("warehouse");
    std::fs::create_dir_all(&staging_dir).context("cannot create the staging directory")?;
    let inputs = ingest_all(
        &project,
        &IngestOptions {
            pseudonymiser: &pseudonymiser,
            staging_dir: Some(&staging_dir),
        },
    )?;
    print_findings(&inputs);

    let out = &project.out_dir;
    let warehouse = out.join("warehouse");
    std::fs::create_dir_all(&warehouse)
        .with_context(|| format!("{}: cannot create", warehouse.display()))?;
    let mut entries = Vec::new();
    for i in inputs.exchange {
        let dest = warehouse.join(format!("{}.parquet", i.table));
        let staged = i.parquet.expect("staged by run");
        staged
            .persist(&dest)
            .with_context(|| format!("{}: cannot move into place", dest.display()))?;
        rejects::write(
            &out.join("rejects").join(format!("{}.csv", i.table)),
            &i.findings,
        )?;
        for f in &i.files {
            let mut entry = InputEntry::new(
                i.table,
                &project.shown_path(&f.path),
                &f.sha256,
                &f.accounting,
            );
            entry.same_as = f
                .same_as
                .as_ref()
                .map(|p| project.shown_path(p).display().to_string());
            entries.push(entry);
        }
    }
    std::fs::File::open(&warehouse)
        .and_then(|d| d.sync_all())
        .context("cannot sync the warehouse")?;
    entries.extend(publish_figures(&project, &inputs.published)?);
    entries.extend(publish_interventions(
        &project,
        inputs.interventions.as_ref(),
    )?);
    entries.extend(publish_survey(&project, inputs.survey.as_ref())?);
    ingest_stage.done();

    let inputs = serde_json::to_value(&entries)?;
    let (indicator_rows, report_path) =
        engine::runtime()?.block_on(compute_and_render(&project, &warehouse, &inputs))?;

    Manifest {
        tool: "doorstroom",
        tool_version: env!("CARGO_PKG_VERSION"),
        project: project.name.clone(),
        config_sha256: project.config_sha256.clone(),
        data_until: project.data_until.to_string(),
        inputs: entries,
        indicator_rows,
    }
    .write(&out.join("manifest.json"))?;
    Ok(report_path)
}

async fn compute_and_render(
    project: &Project,
    warehouse: &Path,
    inputs: &serde_json::Value,
) -> Result<(u64, PathBuf)> {
    let ctx = engine::session(&project.engine, &project.out_dir).await?;
    register_warehouse(&ctx, project, warehouse).await?;
    let stage = crate::progress::stage("indicators", "indicators (queries/*.sql)");
    engine::build(&ctx, INDICATOR_MODELS).await?;
    let files = indicators::write(&ctx, warehouse, project.write_csv).await?;
    stage.done();
    if let Some(usage) = engine::memory_usage(&ctx) {
        eprintln!("engine: {usage}");
    }
    let register = project.out_dir.join("register").join("published.csv");
    let stage = crate::progress::stage("disclosure", "disclosure control (suppression, audit)");
    let bundle = publish::disclose(&ctx, warehouse, &register, &project.privacy).await?;
    stage.done();
    eprintln!(
        "disclosure: {} rows published, {} suppressed by the primary rules, {} more so that no \
         suppressed cell can be recomputed (audited; {} of them because an earlier run hid them \
         or published other numbers); {} three-cohort windows of small units pooled",
        bundle.rows.len(),
        bundle.primary,
        bundle.secondary,
        bundle.kept_hidden,
        bundle.pooled_windows
    );
    let site = project.out_dir.join("site");
    let stage = crate::progress::stage("report", "site (pages, charts, downloads)");
    let report =
        publish::write_site(&ctx, project, &site, &bundle.rows, &Scope::Region, inputs).await?;
    stage.done();
    if let EngineKind::Ballista(scheduler) = &project.engine.kind {
        eprintln!(
            "engine: ballista ({}): {} queries ran as Ballista jobs",
            match scheduler {
                Scheduler::Standalone => "standalone, in this process",
                Scheduler::Remote(url) => url,
            },
            engine::cluster_jobs(&ctx)
        );
    }
    publish::update_register(&register, &bundle.rows)?;
    Ok((files.rows, report))
}

/// The warehouse tables and the run parameters, registered for the models.
pub async fn register_warehouse(
    ctx: &SessionContext,
    project: &Project,
    warehouse: &Path,
) -> Result<()> {
    engine::register_parquet(
        ctx,
        spec::ALUMNI.name,
        &warehouse.join("gediplomeerden.parquet"),
    )
    .await?;
    engine::register_parquet(
        ctx,
        spec::ENROLLMENTS.name,
        &warehouse.join("inschrijvingen.parquet"),
    )
    .await?;
    engine::register_parquet(ctx, "published", &warehouse.join("published.parquet")).await?;
    engine::register_parquet(
        ctx,
        "interventions",
        &warehouse.join("interventions.parquet"),
    )
    .await?;
    // A warehouse written before the survey existed has no survey.parquet: an empty survey.
    let survey = warehouse.join("survey.parquet");
    if survey.exists() {
        engine::register_parquet(ctx, "survey", &survey).await?;
    } else {
        let empty = datafusion::arrow::array::RecordBatch::new_empty(ingest::survey::schema());
        engine::register_batch(ctx, "survey", &empty).await?;
    }
    engine::register_params(
        ctx,
        &RunParams {
            data_until: project.data_until,
            min_cell: project.privacy.min_cell,
            min_denominator: project.privacy.min_denominator,
            hide_extremes: project.privacy.extremes == Extremes::Nco,
            institution_flows: project.privacy.institution_flows.as_str(),
            programme_flows: project.privacy.programme_flows.as_str(),
        },
    )
    .await
}

/// The project and the indicator table of its last `run`; an input error when there is none yet.
pub fn last_run(config: Option<&Path>) -> Result<(Project, PathBuf)> {
    let project = load_project(config)?;
    let indicators = project.out_dir.join("warehouse").join("indicators.parquet");
    if !indicators.exists() {
        return Err(crate::exit::input_error(format!(
            "{}: no indicators yet; run `doorstroom run` first",
            indicators.display()
        )));
    }
    Ok((project, indicators))
}

/// The input entries of the last run's manifest.
fn manifest_inputs(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the last run's manifest", path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a manifest", path.display()))?;
    Ok(manifest["inputs"].clone())
}

/// `doorstroom publish --partner`: from the region's bundle the last `run` published (so exactly
/// the audited rows, no new suppression decisions), the partner's bundle in
/// `<out>/partners/<partner>/site/`: the region's figures and that partner's own, nothing of
/// another school. Returns the report's path.
pub fn publish_partner(config: Option<&Path>, partner: &str) -> Result<PathBuf> {
    let (project, _) = last_run(config)?;
    let site = project.out_dir.join("site");
    if export::read_scope(&site)? != Scope::Region {
        return Err(crate::exit::input_error(format!(
            "{}: not the region's bundle; run `doorstroom run` first",
            site.display()
        )));
    }
    let region = export::read_csv(&site.join("data").join("indicators.csv"))?;
    let partner = publish::partner_id(partner);
    let rows = publish::partner_rows(&region, &partner)?;
    let warehouse = project.out_dir.join("warehouse");
    engine::runtime()?.block_on(async {
        let ctx = engine::session(&project.engine, &project.out_dir).await?;
        register_warehouse(&ctx, &project, &warehouse).await?;
        // The pages read the staging views (quality) and add sums of published parts from the
        // indicator table (site_rows.sql).
        engine::build_views(&ctx, engine::STAGING_MODELS).await?;
        indicators::register(&ctx, &warehouse).await?;
        let site = project.out_dir.join("partners").join(&partner).join("site");
        let scope = Scope::Partner { partner };
        let inputs = manifest_inputs(&project.out_dir.join("manifest.json"))?;
        publish::write_site(&ctx, &project, &site, &rows, &scope, &inputs).await
    })
}
