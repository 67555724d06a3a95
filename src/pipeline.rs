//! The stages every command shares: load the project, read and validate every input (collecting all
//! failures before reporting), print the findings; and `doorstroom check`, which stops there.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::exit::{input_error, keep_going};
use crate::ingest::interventions::Register;
use crate::ingest::published::numbers::Figure;
use crate::ingest::published::Adapted;
use crate::ingest::survey::Survey;
use crate::ingest::{self, spec, IngestOptions, Ingested};
use crate::privacy::key::Key;
use crate::privacy::pseudonym::Pseudonymiser;
use crate::project::{self, Project, PublishedInput};
use crate::validate::Finding;

/// How many findings per file are printed; the rest are counted (all are in `rejects/`).
const SHOWN_FINDINGS: usize = 10;

/// Every input of a run, read and validated.
pub struct Inputs {
    pub exchange: Vec<Ingested>,
    pub published: Vec<(PublishedInput, Adapted)>,
    /// The intervention register, when the configuration names one.
    pub interventions: Option<Register>,
    /// The alumni survey, when the configuration names one.
    pub survey: Option<Survey>,
}

/// Ingests the exchange files and the published figures, collecting every failure before reporting.
pub fn ingest_all(project: &Project, options: &IngestOptions) -> Result<Inputs> {
    let jobs = [
        (&spec::ALUMNI, &project.alumni),
        (&spec::ENROLLMENTS, &project.enrollments),
    ];
    let mut done = Vec::new();
    let mut failures = Vec::new();
    let mut persons = ingest::persons::PersonNumbers::default();
    for (spec, path) in jobs {
        done.extend(keep_going(
            ingest::ingest(spec, path, options, &mut persons),
            &mut failures,
        )?);
    }
    let mut published = Vec::new();
    for input in &project.published {
        let read = ingest::published::read(
            &input.path,
            input.sheet.as_deref(),
            &input.preset,
            &input.columns,
        );
        if let Some(adapted) = keep_going(read, &mut failures)? {
            published.push((input.clone(), adapted));
        }
    }
    let interventions = match &project.interventions {
        Some(file) => keep_going(
            ingest::interventions::read(&file.path, file.sheet.as_deref()),
            &mut failures,
        )?,
        None => None,
    };
    let survey = match &project.survey {
        Some(file) => keep_going(
            ingest::survey::read(&file.path, file.sheet.as_deref()),
            &mut failures,
        )?,
        None => None,
    };
    if !failures.is_empty() {
        return Err(input_error(format!(
            "the input failed; nothing was published:\n  {}",
            failures.join("\n  ")
        )));
    }
    Ok(Inputs {
        exchange: done,
        published,
        interventions,
        survey,
    })
}

/// Prints per file: rows read, loaded, rejected by rule, and the first findings.
pub fn print_findings(inputs: &Inputs) {
    let mut err = std::io::stderr().lock();
    for f in inputs.exchange.iter().flat_map(|i| &i.files) {
        if let Some(earlier) = &f.same_as {
            let _ = writeln!(
                err,
                "{}: the same bytes as {}; not loaded twice",
                f.path.display(),
                earlier.display()
            );
        }
    }
    let exchange = inputs.exchange.iter().flat_map(|i| {
        i.files.iter().map(move |f| {
            let own: Vec<&Finding> = i.findings.iter().filter(|x| x.file == f.path).collect();
            (&f.path, &f.accounting, own)
        })
    });
    let published = inputs
        .published
        .iter()
        .map(|(p, a)| (&p.path, &a.accounting, a.findings.iter().collect()));
    let register = inputs
        .interventions
        .iter()
        .map(|r| (&r.path, &r.accounting, r.findings.iter().collect()));
    let survey = inputs
        .survey
        .iter()
        .map(|s| (&s.path, &s.accounting, s.findings.iter().collect()));
    let files = exchange.chain(published).chain(register).chain(survey);
    for (path, a, findings) in files {
        let by_rule: Vec<String> = a
            .rejected_by_rule
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let _ = writeln!(
            err,
            "{}: {} rows read, {} loaded, {} rejected{}",
            path.display(),
            a.rows_read,
            a.loaded,
            a.rejected,
            if by_rule.is_empty() {
                String::new()
            } else {
                format!(" ({})", by_rule.join(", "))
            }
        );
        for f in findings.iter().take(SHOWN_FINDINGS) {
            let _ = writeln!(err, "  {f}");
        }
        if findings.len() > SHOWN_FINDINGS {
            let _ = writeln!(
                err,
                "  … and {} more findings",
                findings.len() - SHOWN_FINDINGS
            );
        }
    }
    for (input, adapted) in &inputs.published {
        let _ = writeln!(
            err,
            "{}: {}",
            input.path.display(),
            figures_summary(adapted)
        );
    }
}

/// One line on a published file's figures: how many, how many cells masked, and the sum of the
/// tellers — a lower bound (`≥`) as soon as one teller is masked, since a masked count is unknown.
pub fn figures_summary(adapted: &Adapted) -> String {
    let masked = adapted.masked_cells();
    // Tellers are whole counts (the adapter rejects others); an integer sum has no -0.
    let exact: i64 = adapted
        .rows
        .iter()
        .filter_map(|r| {
            if let Figure::Exact(v) = r.teller {
                Some(v as i64)
            } else {
                None
            }
        })
        .sum();
    let any_masked_teller = adapted
        .rows
        .iter()
        .any(|r| matches!(r.teller, Figure::Masked(_)));
    format!(
        "{} figures, {masked} masked cells; teller total {} {exact}",
        adapted.rows.len(),
        if any_masked_teller { "≥" } else { "=" }
    )
}

pub fn load_project(config: Option<&Path>) -> Result<Project> {
    let (path, out_override) = project::locate(config)?;
    Project::load(&path, out_override)
}

/// `doorstroom check`: validates every input, prints the findings, writes nothing.
pub fn check(config: Option<&Path>) -> Result<()> {
    let project = load_project(config)?;
    let key = Key::load(&project)?;
    let pseudonymiser = Pseudonymiser::new(key.as_ref());
    let inputs = ingest_all(
        &project,
        &IngestOptions {
            pseudonymiser: &pseudonymiser,
            staging_dir: None,
        },
    )?;
    print_findings(&inputs);
    Ok(())
}
