//! Primary disclosure control is applied in `queries/site_indicators.sql`, before any report code
//! reads a figure; this module holds the settings' documentation and checks.
