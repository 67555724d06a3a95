//! Progress bars for the long stages (indicatif): a byte bar per input file and a spinner per
//! engine stage, on stderr. indicatif draws nothing when stderr is not a terminal, so logs, pipes
//! and tests stay clean.

use std::time::Duration;

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

/// A spinner for a stage without a known size, cleared when it is dropped.
pub fn stage(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        .with_message(message.to_string())
        .with_finish(ProgressFinish::AndClear);
    if !bar.is_hidden() {
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    bar
}
