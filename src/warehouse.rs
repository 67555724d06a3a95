//! The warehouse: Parquet in and out, every write atomic (temp file in the same directory, fsync,
//! rename, fsync the directory), and a staging area so a failed run publishes nothing.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use arrow::compute::BatchCoalescer;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use tempfile::{NamedTempFile, TempDir};

/// The columns of `indicators.parquet`/`.csv`, exactly as formats.md §5 lists them.
pub const INDICATOR_COLUMNS: &[&str] = &[
    "cohort",
    "cohort_basis",
    "inflow_basis",
    "cohort_window",
    "unit_type",
    "unit_id",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
];

/// Where staged files wait until the whole input has been accepted.
pub struct Staging {
    dir: TempDir,
}

impl Staging {
    /// A staging directory beside `out_dir` (same file system, so moving a file in is a rename).
    pub fn beside(out_dir: &Path) -> Result<Staging> {
        Ok(Staging {
            dir: scratch_beside(out_dir)?,
        })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A scratch directory beside `out_dir`, removed when dropped (and swept by the next run if a
/// killed run left it).
pub fn scratch_beside(out_dir: &Path) -> Result<TempDir> {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    scratch_in(&parent)
}

/// A scratch directory inside `dir`, removed when dropped.
pub fn scratch_in(dir: &Path) -> Result<TempDir> {
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .with_context(|| format!("{}: cannot create a scratch directory", dir.display()))
}

/// Prefix of every temporary file and staging directory this program creates, so a later run can
/// sweep up what a killed run left behind without touching anything else.
const TEMP_PREFIX: &str = ".doorstroom-tmp-";
const STAGING_PREFIX: &str = ".doorstroom-staging-";

/// A temporary file in `dir` (the same directory as its destination, so the final rename is
/// atomic), the directory created first when it is missing.
pub fn temp_file_in(dir: &Path) -> Result<NamedTempFile> {
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))
}

/// Removes temporary files and staging directories a killed run left in and beside `out_dir`.
/// (One run at a time writes an output directory.)
pub fn sweep(out_dir: &Path) {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dirs = [
        out_dir.to_path_buf(),
        out_dir.join("warehouse"),
        out_dir.join("rejects"),
        out_dir.join("site"),
    ];
    for dir in dirs.iter().chain(std::iter::once(&parent)) {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with(TEMP_PREFIX) && path.is_file() {
                let _ = fs::remove_file(&path);
            } else if name.starts_with(STAGING_PREFIX) && path.is_dir() && *dir == parent {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }
}

/// fsyncs a directory so a rename in it is durable.
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("{}: cannot sync the directory", dir.display()))
}

/// Moves a finished, synced file to `dest` atomically (the caller synced it).
pub fn publish(staged: &Path, dest: &Path) -> Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    fs::rename(staged, dest)
        .with_context(|| format!("{}: cannot move the new file into place", dest.display()))?;
    sync_dir(dir)
}

/// Moves a finished, synced temporary file (made in `dest`'s directory) to `dest` atomically.
fn persist(tmp: NamedTempFile, dest: &Path) -> Result<()> {
    tmp.persist(dest)
        .with_context(|| format!("{}: cannot move the new file into place", dest.display()))?;
    sync_dir(dest.parent().unwrap_or(Path::new(".")))
}

/// Writes `bytes` to `dest` atomically.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let mut tmp = temp_file_in(dir)?;
    tmp.write_all(bytes)
        .with_context(|| format!("{}: cannot write", dest.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("{}: cannot sync", dest.display()))?;
    persist(tmp, dest)
}

/// A text file streamed to a temporary file in its destination's directory and moved into place
/// by [`TextSink::commit`]: a crash leaves the old file or none, never half of the new one.
pub struct TextSink {
    tmp: NamedTempFile,
    writer: std::io::BufWriter<File>,
}

impl TextSink {
    pub fn create(dir: &Path) -> Result<TextSink> {
        let tmp = temp_file_in(dir)?;
        let file = tmp.reopen().context("cannot reopen the temporary file")?;
        Ok(TextSink {
            tmp,
            writer: std::io::BufWriter::with_capacity(1 << 20, file),
        })
    }

    /// Where to write (`write!`/`writeln!`; it also seeks, for a zip archive).
    pub fn writer(&mut self) -> &mut std::io::BufWriter<File> {
        &mut self.writer
    }

    /// Flushes, syncs and moves the file to `dest`.
    pub fn commit(self, dest: &Path) -> Result<()> {
        let file = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", dest.display()))?;
        file.sync_all()
            .with_context(|| format!("{}: cannot sync", dest.display()))?;
        persist(self.tmp, dest)
    }
}

impl Write for TextSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.writer.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// A Parquet file being written to a temporary path, moved into place by [`ParquetSink::commit`].
///
/// Rows reach the writer in batches of exactly [`WRITE_ROWS`] (the last one shorter), whatever
/// the engine's batches were: the writer cuts pages at its input's batch boundaries, so the same
/// rows would otherwise give different bytes on another engine (Ballista's batches differ from
/// the local engine's) or with another thread count.
pub struct ParquetSink {
    tmp: NamedTempFile,
    writer: ArrowWriter<File>,
    rows: BatchCoalescer,
}

/// The rows per batch handed to the Parquet writer.
const WRITE_ROWS: usize = 8192;

impl ParquetSink {
    /// Starts a file that will become `dest`; the temporary file lives in `dest`'s directory.
    pub fn create(dir: &Path, schema: SchemaRef) -> Result<ParquetSink> {
        let tmp = temp_file_in(dir)?;
        let file = tmp.reopen().context("cannot reopen the temporary file")?;
        let props = WriterProperties::builder()
            .set_created_by(concat!("doorstroom ", env!("CARGO_PKG_VERSION")).into())
            .build();
        let rows = BatchCoalescer::new(schema.clone(), WRITE_ROWS);
        let writer = ArrowWriter::try_new(file, schema, Some(props))
            .context("cannot start a Parquet file")?;
        Ok(ParquetSink { tmp, writer, rows })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        self.rows
            .push_batch(batch.clone())
            .context("cannot buffer rows for Parquet")?;
        self.drain()
    }

    fn drain(&mut self) -> Result<()> {
        while let Some(batch) = self.rows.next_completed_batch() {
            self.writer
                .write(&batch)
                .context("cannot write a Parquet row group")?;
        }
        Ok(())
    }

    /// Finishes and syncs the file; it stays at its temporary path until [`ParquetSink::commit`].
    pub fn finish(mut self) -> Result<NamedTempFile> {
        self.rows
            .finish_buffered_batch()
            .context("cannot buffer rows for Parquet")?;
        self.drain()?;
        let file = self
            .writer
            .into_inner()
            .context("cannot finish the Parquet file")?;
        file.sync_all().context("cannot sync the Parquet file")?;
        Ok(self.tmp)
    }

    /// Finishes the file and moves it to `dest` atomically.
    pub fn commit(self, dest: &Path) -> Result<()> {
        persist(self.finish()?, dest)
    }
}

/// A file of record batches being written at a temporary path: what [`BackgroundSink`] runs on a
/// thread of its own.
pub trait BatchFile: Send + 'static {
    fn write(&mut self, batch: &RecordBatch) -> Result<()>;
    /// Finishes and syncs the file, still at its temporary path.
    fn finish(self) -> Result<NamedTempFile>;
}

impl BatchFile for ParquetSink {
    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        ParquetSink::write(self, batch)
    }

    fn finish(self) -> Result<NamedTempFile> {
        ParquetSink::finish(self)
    }
}

/// A [`ParquetSink`] (or another [`BatchFile`]) on a thread of its own: encoding and compressing
/// overlaps with whatever produces the batches (ingest's reading and checking, the indicator
/// stage's queries; figures in BENCHMARKS.md). At most two batches wait in between.
pub struct BackgroundSink {
    sender: Option<SyncSender<RecordBatch>>,
    writer: Option<JoinHandle<Result<NamedTempFile>>>,
}

impl BackgroundSink {
    pub fn create(dir: &Path, schema: SchemaRef) -> Result<BackgroundSink> {
        BackgroundSink::start("parquet-writer", ParquetSink::create(dir, schema)?)
    }

    /// Runs `sink` on a new thread named `name`.
    pub fn start(name: &str, mut sink: impl BatchFile) -> Result<BackgroundSink> {
        let (sender, batches) = sync_channel::<RecordBatch>(2);
        let writer = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                for batch in batches {
                    sink.write(&batch)?;
                }
                sink.finish()
            })
            .with_context(|| format!("cannot start the {name} thread"))?;
        Ok(BackgroundSink {
            sender: Some(sender),
            writer: Some(writer),
        })
    }

    /// Hands a batch to the writer. `false` when the writer has stopped (on an error, which
    /// [`BackgroundSink::finish`] returns).
    pub fn write(&mut self, batch: RecordBatch) -> bool {
        self.sender.as_ref().is_some_and(|s| s.send(batch).is_ok())
    }

    /// Waits for the writer: the file finished and synced at its temporary path, or the writer's
    /// error.
    pub fn finish(mut self) -> Result<NamedTempFile> {
        self.sender = None;
        let writer = self.writer.take().expect("finished once");
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("a writer thread panicked"))?
    }

    /// Waits for the writer and moves the finished file to `dest` atomically.
    pub fn commit(self, dest: &Path) -> Result<()> {
        persist(self.finish()?, dest)
    }
}

/// A sink dropped without `finish` (ingest failed) still waits for its thread, so the temporary
/// file is gone before the caller reports the failure.
impl Drop for BackgroundSink {
    fn drop(&mut self) {
        self.sender = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}
