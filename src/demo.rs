//! Demo region generator (being written).
use std::path::Path;
pub fn write(_out: &Path, _seed: u64, _scale: u32) -> anyhow::Result<String> {
    anyhow::bail!("demo generator not written yet")
}
