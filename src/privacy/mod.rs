//! Privacy: the key and keyed pseudonyms at ingest. Primary suppression of what is published happens
//! in `queries/site_indicators.sql`, before any report code reads a figure.

pub mod key;
pub mod pseudonym;
