//! Privacy: pseudonymise identifiers at ingest, suppress small counts before anything is published.

pub mod key;
pub mod pseudonym;
pub mod suppress;
