//! Exit statuses, defined once (formats.md §4), and the error kind that maps to "input failed".

use std::fmt;
use std::process::ExitCode;

/// What the process reports to the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Success, also when some rows were rejected.
    Success,
    /// The input as a whole failed (unreadable file, missing column, no valid row, refused audit).
    InputFailed,
    /// The program itself failed.
    ProgramFailed,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::InputFailed => ExitCode::from(1),
            ExitStatus::ProgramFailed => ExitCode::from(2),
        }
    }
}

/// An error caused by the user's input or configuration rather than by the program: exit status 1.
///
/// Raised with `anyhow::Error::new(InputError(..))` and recognised anywhere in an error chain.
#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Shorthand: an `anyhow::Error` that means "the input failed".
pub fn input_error(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(InputError(message.into()))
}

/// The exit status an error maps to.
pub fn status_of(error: &anyhow::Error) -> ExitStatus {
    if error.chain().any(|cause| cause.is::<InputError>()) {
        ExitStatus::InputFailed
    } else {
        ExitStatus::ProgramFailed
    }
}

/// Collects input failures so every input is checked before the run stops (report, keep going, fail
/// at the end): `Ok(Some(value))` on success, `Ok(None)` after recording an input failure in
/// `failures`; a program failure is returned at once.
pub fn keep_going<T>(
    result: anyhow::Result<T>,
    failures: &mut Vec<String>,
) -> anyhow::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if status_of(&e) == ExitStatus::InputFailed => {
            failures.push(format!("{e:#}"));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
