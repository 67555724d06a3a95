//! Shared by the fuzz targets: the input bytes as a file the readers open.

use std::path::PathBuf;

/// Writes `data` to a per-process file with the given extension and returns its path.
pub fn as_file(data: &[u8], ext: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("doorstroom-fuzz-{}.{ext}", std::process::id()));
    std::fs::write(&path, data).expect("write the fuzz input");
    path
}
