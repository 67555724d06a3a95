//! Charts drawn with plotters, one file per chart kind. Charts only see published (suppressed)
//! figures: a suppressed point is absent, never drawn as zero.

pub mod fonts;
pub mod trend;
