//! The disclosure stage alone, over the warehouse an earlier `doorstroom run` left: for measuring
//! secondary suppression at sizes where the whole run takes too long to repeat (the national
//! size). Reads `<out>/warehouse/indicators*.parquet` and the inputs of the project's
//! configuration, runs primary and secondary suppression and the outsider's audit as `run` does,
//! with a fresh register (nothing published before), and writes nothing.
//!
//! Usage: `cargo run --release --example disclose -- path/to/doorstroom.toml`; prints the
//! `timing:` lines of `run --timings` (one per round) and a summary.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use doorstroom::engine;
use doorstroom::project::Project;

fn main() -> Result<()> {
    let config: PathBuf = std::env::args()
        .nth(1)
        .context("usage: disclose path/to/doorstroom.toml")?
        .into();
    doorstroom::progress::enable_timings();
    let project = Project::load(&config, None)?;
    let warehouse = project.out_dir.join("warehouse");
    let register = tempfile::tempdir()?;
    engine::runtime()?.block_on(async {
        let ctx = engine::session(&project.engine, &project.out_dir).await?;
        doorstroom::run::register_warehouse(&ctx, &project, &warehouse).await?;
        let start = Instant::now();
        let bundle = doorstroom::publish::disclose(
            &ctx,
            &warehouse,
            &register.path().join("published.csv"),
            &project.privacy,
        )
        .await?;
        println!(
            "disclose: {} rows, {} primary, {} secondary, {:.2} s",
            bundle.rows.len(),
            bundle.primary,
            bundle.secondary,
            start.elapsed().as_secs_f64()
        );
        Ok(())
    })
}
