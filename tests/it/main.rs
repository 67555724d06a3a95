//! One integration test binary over the real `doorstroom` binary (just's `Test` builder idea):
//! hand-made regions for every rule of definitions.md, validation and exit statuses, the golden
//! region, and the demo.

mod atomic;
mod audit;
mod ballista;
mod cycle;
mod definitions;
mod demo;
mod disclosure;
mod flows;
mod golden;
mod groep;
mod malformed;
mod national;
mod onecijferho;
mod pages;
mod pooled;
mod presets;
mod privacy;
mod published;
mod receiving;
mod reconcile;
mod region;
mod report;
mod scale;
mod sources;
mod survey;
mod validation;
