//! Privacy: the key and keyed pseudonyms at ingest. Suppression of what is published happens in the
//! publish stage (`src/publish.rs`, `src/disclosure/`), before any report code reads a figure.

pub mod key;
pub mod pseudonym;
