//! Progress bars for the long stages (indicatif): a byte bar per input file and a spinner per
//! engine stage, on stderr. indicatif draws nothing when stderr is not a terminal, so logs, pipes
//! and tests stay clean. With `run --timings` every stage also prints its wall time and the
//! process's peak memory during it (what `bench/run` reads).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// A bar over a file's bytes, cleared when it is dropped.
pub fn file(name: &str, bytes: u64) -> ProgressBar {
    let style = ProgressStyle::with_template("{msg:30!} {wide_bar} {bytes}/{total_bytes} {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(name.to_string())
        .with_finish(ProgressFinish::AndClear)
}

static TIMINGS: AtomicBool = AtomicBool::new(false);

/// Makes every [`Stage`] print `timing: <stage>: <seconds> s, peak RSS <MiB> MiB` on stderr when
/// it ends.
pub fn enable_timings() {
    TIMINGS.store(true, Ordering::Relaxed);
}

/// A stage of the pipeline: a spinner while it runs (when it has a message), a timing line when it
/// is [`Stage::done`] and timings are on (a stage that fails prints none).
pub struct Stage {
    name: &'static str,
    start: Instant,
    _bar: Option<ProgressBar>,
}

impl Stage {
    /// The stage finished: prints its timing line when timings are on.
    pub fn done(self) {
        if TIMINGS.load(Ordering::Relaxed) {
            let seconds = self.start.elapsed().as_secs_f64();
            eprintln!(
                "timing: {}: {seconds:.2} s, peak RSS {}",
                self.name,
                mib("VmHWM:")
            );
        }
    }
}

/// One model of a stage (a materialized table or an output file), timed without a peak of its own
/// (the stage's peak stays the stage's): `timing: model <name>: <seconds> s, <MiB> MiB resident`
/// when timings are on. `bench/run` sets these beside DuckDB's time for the same model.
pub struct Step {
    name: &'static str,
    start: Instant,
}

impl Step {
    /// The model was built: prints its timing line when timings are on.
    pub fn done(self) {
        if TIMINGS.load(Ordering::Relaxed) {
            let seconds = self.start.elapsed().as_secs_f64();
            eprintln!(
                "timing: model {}: {seconds:.3} s, {} resident",
                self.name,
                mib("VmRSS:")
            );
        }
    }
}

/// Starts timing one model.
pub fn step(name: &'static str) -> Step {
    Step {
        name,
        start: Instant::now(),
    }
}

/// A line about a stage's inner steps, `timing: <what>`, when timings are on (e.g. each round of
/// secondary suppression, so a long disclosure stage shows that it moves).
pub fn note(what: std::fmt::Arguments) {
    if TIMINGS.load(Ordering::Relaxed) {
        eprintln!("timing: {what}");
    }
}

/// The time an inner step of a stage takes, for a `note` that ends in it.
pub struct Clock(Instant);

/// Starts timing an inner step.
pub fn clock() -> Clock {
    Clock(Instant::now())
}

impl Clock {
    /// Notes `timing: <what>, <seconds> s, <MiB> MiB resident (stage peak <MiB> MiB)` when
    /// timings are on: which inner step holds the memory, not only the stage's peak.
    pub fn note(self, what: std::fmt::Arguments) {
        note(format_args!(
            "{what}, {:.2} s, {} resident (stage peak {})",
            self.0.elapsed().as_secs_f64(),
            mib("VmRSS:"),
            mib("VmHWM:"),
        ));
    }
}

/// A spinner for a stage without a known size, cleared when it is dropped.
pub fn stage(name: &'static str, message: &str) -> Stage {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        .with_message(message.to_string())
        .with_finish(ProgressFinish::AndClear);
    if !bar.is_hidden() {
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    let mut stage = timed(name);
    stage._bar = Some(bar);
    stage
}

/// A stage that draws no spinner of its own (its files have bars), only timed.
pub fn timed(name: &'static str) -> Stage {
    release_free_memory();
    if TIMINGS.load(Ordering::Relaxed) {
        reset_peak_rss();
    }
    Stage {
        name,
        start: Instant::now(),
        _bar: None,
    }
}

/// Gives memory the program has freed back to the system. glibc's allocator keeps freed memory in
/// its arenas (one per thread that allocated) for reuse, so a stage would start with the memory
/// of the one before still resident and add its own peak on top.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A memory line of Linux's `/proc/self/status` (`VmRSS:` now, `VmHWM:` the peak since the last
/// reset) as `<n> MiB`, or `unknown`.
fn mib(field: &str) -> String {
    rss_mib(field).map_or("unknown".into(), |m| format!("{m} MiB"))
}

/// A memory line of Linux's `/proc/self/status`, in MiB.
fn rss_mib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Starts a new peak for the next stage (Linux: writing 5 to clear_refs resets `VmHWM`).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
