//! `[engine] kind = "ballista"`: the session plans each query here, as the local engine does, and
//! Apache DataFusion Ballista runs it: on the cluster whose scheduler `[engine] scheduler` names, or
//! on a scheduler and executor started inside this process (`scheduler = "standalone"`).
//!
//! Ballista receives each query as a serialized logical plan; every table it reads must therefore
//! be a file (the warehouse's Parquet, the materialized models and [`super::register_batch`]'s
//! small tables all are), at a path the executors can read too. See docs/ballista.md.

use anyhow::{Context, Result};
use ballista::prelude::SessionContextExt;
use datafusion::execution::SessionState;
use datafusion::prelude::SessionContext;

use crate::project::Scheduler;

/// A session whose queries run on Ballista, keeping this session's settings (string types,
/// partitions, the scratch directory); an in-process cluster also uses its memory pool and spill
/// directory.
pub async fn connect(state: SessionState, scheduler: &Scheduler) -> Result<SessionContext> {
    match scheduler {
        Scheduler::Standalone => SessionContext::standalone_with_state(state)
            .await
            .context("cannot start the in-process Ballista cluster"),
        Scheduler::Remote(url) => SessionContext::remote_with_state(url, state)
            .await
            .with_context(|| format!("[engine] scheduler = {url:?}: cannot connect")),
    }
}
