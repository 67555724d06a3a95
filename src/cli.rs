//! The command line (clap derive). Parsing only; the work happens in the pipeline stages.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Doorstroom: how former students do after the transition, from regional exchange files.
#[derive(Debug, Parser)]
#[command(name = "doorstroom", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline: ingest, validate, pseudonymise, compute indicators, render the report.
    ///
    /// Without CONFIG it uses ./doorstroom.toml, and without that the demo project in data/demo/
    /// (output to ./out).
    Run {
        /// Path to a doorstroom.toml.
        config: Option<PathBuf>,
        /// Print each stage's wall time and peak memory on stderr (`timing: …` lines, read by
        /// bench/run).
        #[arg(long)]
        timings: bool,
    },
    /// Validate every input and print the findings; writes nothing.
    Check {
        /// Path to a doorstroom.toml (same lookup as `run`).
        config: Option<PathBuf>,
    },
    /// Write a partner's bundle from the last run: the region's figures and that partner's own
    /// (schools and afdelingen), nothing of another school, audited again; to
    /// <out>/partners/<PARTNER>/site/.
    Publish {
        /// Path to a doorstroom.toml (same lookup as `run`).
        config: Option<PathBuf>,
        /// The partner: a brin (every vestiging) or brin + vestiging (one school).
        #[arg(long)]
        partner: String,
    },
    /// One unit and cohort under every definition, the steps between them, and every published
    /// figure beside ours with what explains the difference (from the warehouse of the last run).
    /// Data-owner output: unsuppressed, printed or written where you say, never to the site.
    Reconcile {
        /// Path to a doorstroom.toml (same lookup as `run`).
        config: Option<PathBuf>,
        /// The unit: type:id (school:90AA00, afdeling:90AA00:havo, instelling:21HA, regio).
        #[arg(long)]
        unit: Option<String>,
        /// The cohort year.
        #[arg(long)]
        cohort: Option<i32>,
        /// Write every published figure beside ours, with its explanation, to this CSV file
        /// (all units and cohorts, or those of --unit / --cohort).
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Prove that a published site keeps every suppressed cell hidden: reads SITE/data/*.csv as a
    /// recipient can and checks, exactly, that no published value and relation determines a
    /// suppressed cell. Exit 1 when one does.
    Audit {
        /// The site directory (`out/site`, or an unpacked partner bundle).
        site: PathBuf,
    },
    /// Generate the fictional demo region (exchange files, configuration and key) reproducibly.
    Demo {
        /// Directory to write into.
        #[arg(long, default_value = "data/demo")]
        out: PathBuf,
        /// Seed of the random generator; the same seed gives the same files.
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        /// Copies of the region's schools, each with its own BRINs (1 = the demo region, about
        /// 2,500 alumni a year; at most 100).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        scale: u32,
        /// The first cohort (the last is 2024). With --scale 100, 2005 gives a national size:
        /// about 5 million alumni records.
        #[arg(long, default_value_t = crate::demo::FIRST_COHORT,
              value_parser = clap::value_parser!(i32).range(2000..=2024))]
        first_cohort: i32,
        /// Write an enrollment as one row per school year (1 August to 31 July, the last row
        /// carrying the diploma), as exports built from 1cijferHO or BRON have them, instead of
        /// one row per enrollment. The indicators are the same either way; the file is about
        /// 2.5 times as long for the demo (with --scale 100 --first-cohort 2005, 19.1 million rows).
        #[arg(long)]
        per_school_year: bool,
        /// Write into inschrijvingen everyone enrolled at the institutions, as a national export
        /// holds them, not only the alumni's paths: students of the six vo cohorts before
        /// --first-cohort still studying when the export starts, adults entering mbo and students
        /// from abroad entering hbo and wo. None of them has an alumni record, so only the
        /// receiving side's figures change. With --scale 100 --first-cohort 2005
        /// --per-school-year: about 25 million enrollment rows.
        #[arg(long)]
        all_enrolled: bool,
    },
}
