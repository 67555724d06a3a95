//! # doorstroom
//!
//! How do a school's former students do after the transition to mbo, hbo or wo, and did what the
//! school changed help? `doorstroom` answers from regional exchange files, exactly as
//! `docs/definitions.md` defines every indicator.
//!
//! ```text
//!  gediplomeerden.csv ─┐                      ┌─ warehouse/*.parquet (pseudonymised)
//!  inschrijvingen.csv ─┼─ ingest ─ validate ──┤   rejects/, manifest.json
//!  doorstroom.toml ────┘   pseudonymise       └─ engine: queries/*.sql (DataFusion)
//!                                                   └─ indicators.parquet/.csv ─ site/ (suppressed)
//! ```
//!
//! Modules are pipeline stages; a stage uses the stages before it, never after.

pub mod audit;
#[cfg(feature = "engine")]
pub mod charts;
pub mod cli;
pub mod demo;
pub mod disclosure;
#[cfg(feature = "engine")]
pub mod engine;
pub mod exit;
#[cfg(feature = "engine")]
pub mod indicators;
pub mod ingest;
pub mod manifest;
pub mod pipeline;
pub mod privacy;
pub mod progress;
pub mod project;
#[cfg(feature = "engine")]
pub mod publish;
#[cfg(feature = "engine")]
pub mod reconcile;
pub mod rejects;
#[cfg(feature = "engine")]
pub mod report;
#[cfg(feature = "engine")]
pub mod run;
pub mod validate;
pub mod warehouse;

use std::io::Write;

use cli::{Cli, Command};
use exit::{status_of, ExitStatus};

/// Runs one command and reports its outcome; the binary maps the status to an exit code.
pub fn run(cli: Cli) -> ExitStatus {
    let outcome = match cli.command {
        Command::Run { config, timings } => {
            if timings {
                progress::enable_timings();
            }
            run_pipeline(config.as_deref())
        }
        Command::Check { config } => pipeline::check(config.as_deref()),
        Command::Publish { config, partner } => publish_partner(config.as_deref(), &partner),
        Command::Reconcile {
            config,
            unit,
            cohort,
            csv,
        } => reconcile(config.as_deref(), unit, cohort, csv),
        Command::Audit { site } => audit::audit(&site).map(|summary| print_line(&summary)),
        Command::Demo {
            out,
            seed,
            scale,
            first_cohort,
            per_school_year,
            all_enrolled,
        } => demo::write(
            &out,
            seed,
            demo::Size {
                scale,
                first_cohort,
                per_school_year,
                all_enrolled,
            },
        )
        .map(|summary| print_line(&summary)),
    };
    match outcome {
        Ok(()) => ExitStatus::Success,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            status_of(&error)
        }
    }
}

#[cfg(feature = "engine")]
fn run_pipeline(config: Option<&std::path::Path>) -> anyhow::Result<()> {
    run::run(config).map(|report| print_line(&format!("report: {}", report.display())))
}

#[cfg(feature = "engine")]
fn publish_partner(config: Option<&std::path::Path>, partner: &str) -> anyhow::Result<()> {
    run::publish_partner(config, partner)
        .map(|report| print_line(&format!("partner bundle: {}", report.display())))
}

#[cfg(feature = "engine")]
fn reconcile(
    config: Option<&std::path::Path>,
    unit: Option<String>,
    cohort: Option<i32>,
    csv: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let request = reconcile::Request { unit, cohort, csv };
    reconcile::reconcile(config, &request).map(|text| print_line(text.trim_end()))
}

#[cfg(not(feature = "engine"))]
fn reconcile(
    _config: Option<&std::path::Path>,
    _unit: Option<String>,
    _cohort: Option<i32>,
    _csv: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    anyhow::bail!("this doorstroom was built without the `engine` feature; `reconcile` needs it")
}

#[cfg(not(feature = "engine"))]
fn publish_partner(_config: Option<&std::path::Path>, _partner: &str) -> anyhow::Result<()> {
    anyhow::bail!("this doorstroom was built without the `engine` feature; `publish` needs it")
}

#[cfg(not(feature = "engine"))]
fn run_pipeline(_config: Option<&std::path::Path>) -> anyhow::Result<()> {
    anyhow::bail!("this doorstroom was built without the `engine` feature; `run` needs it (build with default features)")
}

/// Prints to stdout; a closed pipe (`doorstroom … | head`) is not an error.
fn print_line(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}
