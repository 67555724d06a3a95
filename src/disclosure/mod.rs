//! Disclosure control (definitions.md §9): what may leave the data owner.
//!
//! ```text
//! indicators (true values) ─ primary rules (queries/bundle_candidates.sql)
//!     └─ small units pooled (pooling.rs)
//!     └─ secondary suppression (secondary.rs, over table.rs's relations)
//!         └─ audit (audit.rs; at the true values on the tangent cone, tangent.rs)
//!             ─ published rows (export.rs: CSV with `suppressed`)
//! ```
//!
//! The audit also runs on published rows alone (`audit_published`, `doorstroom audit`): the
//! relations come from the keys of the published rows, the values from the published numbers, and
//! it decides without the true values (the whole-set linear programs of audit.rs): a recipient's
//! check that rests on neither the true values nor the tangent cone. `src/publish.rs` calls
//! `protect` and then `audit_published_with` on every run, the same outsider's audit of the rows
//! it is about to publish, handing it the true values as a *witness* only: a point the audit
//! checks against the published relations and then takes the tangent cone at (audit.rs,
//! `Knowledge::point`), never knowledge of a hidden cell. The verdicts are those without it
//! (property-tested); nationally 260.81 s of whole-set programs become seconds (BENCHMARKS.md).

pub mod audit;
pub mod export;
pub mod linear;
mod lp;
pub mod pooling;
pub mod secondary;
pub mod table;
mod tangent;
pub mod text;

use anyhow::{bail, Result};

pub use secondary::Truth;
pub use table::Key;
use table::Structure;
pub use text::{Interner, Text};

/// One indicator row as computed (true values) with its primary verdict.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: Key,
    pub numerator: i64,
    pub denominator: i64,
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub primary: bool,
}

/// One row as published: a suppressed row keeps its keys and has no numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub key: Key,
    pub numbers: Option<Numbers>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Numbers {
    pub numerator: i64,
    pub denominator: i64,
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The protected table and how it was reached.
#[derive(Debug)]
pub struct Protected {
    pub rows: Vec<Published>,
    pub primary: usize,
    pub secondary: usize,
    pub rounds: usize,
    /// The true numerators and denominators of `rows`, in their order (never published): the
    /// witness for the outsider's audit (`audit_published_with`).
    numerator: Vec<i64>,
    denominator: Vec<i64>,
}

impl Protected {
    /// The true values of the rows, for `audit_published_with`.
    pub fn truth(&self) -> Truth<'_> {
        Truth {
            numerator: &self.numerator,
            denominator: &self.denominator,
        }
    }
}

/// Primary pattern (plus `also_hidden`, e.g. from the register) → secondary suppression → an
/// audit as an outsider sees the result. Refuses (an error) when the outsider's audit still pins
/// down a hidden cell.
pub fn protect(rows: Vec<Row>, also_hidden: &[bool]) -> Result<Protected> {
    protect_with(rows, also_hidden, &[])
}

/// `protect`, with rows that should stay shown (`shown_before`: an earlier run published them with
/// these numbers, so hiding them protects nothing): chosen as a partner only when no other row is.
pub fn protect_with(
    rows: Vec<Row>,
    also_hidden: &[bool],
    shown_before: &[bool],
) -> Result<Protected> {
    let clock = crate::progress::clock();
    let keys: Vec<Key> = rows.iter().map(|r| r.key.clone()).collect();
    let s = Structure::new(keys);
    clock.note(format_args!(
        "disclosure: {} cells and {} relations",
        s.cells(),
        s.relations.len()
    ));
    check_populations(&s, &rows)?;
    let numerator: Vec<i64> = rows.iter().map(|r| r.numerator).collect();
    let denominator: Vec<i64> = rows.iter().map(|r| r.denominator).collect();
    if let Some(rel) = s
        .violations(|c| {
            if c < s.rows() {
                numerator[c]
            } else {
                denominator[s.pop_rows[c - s.rows()][0]]
            }
        })
        .first()
    {
        let cells: Vec<String> = rel
            .terms
            .iter()
            .map(|&(c, k)| format!("{k} × {}", s.describe(c)))
            .collect();
        bail!(
            "internal: the indicators break the relation \"{}\": {}",
            rel.name,
            cells.join(", ")
        );
    }
    let primary = rows.iter().filter(|r| r.primary).count();
    let start: Vec<bool> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| r.primary || also_hidden.get(i).copied().unwrap_or(false))
        .collect();
    let pattern = secondary::protect(
        &s,
        &Truth {
            numerator: &numerator,
            denominator: &denominator,
        },
        &start,
        shown_before,
    )?;
    let published: Vec<Published> = rows
        .into_iter()
        .zip(&pattern.hidden)
        .map(|(r, &hidden)| Published {
            key: r.key,
            numbers: (!hidden).then_some(Numbers {
                numerator: r.numerator,
                denominator: r.denominator,
                value: r.value,
                ci_low: r.ci_low,
                ci_high: r.ci_high,
            }),
        })
        .collect();
    let clock = crate::progress::clock();
    let report = audit(
        &s,
        &published,
        Auditor::Owner(Truth {
            numerator: &numerator,
            denominator: &denominator,
        }),
    )?;
    drop(s);
    clock.note(format_args!(
        "disclosure: the data owner's audit of the pattern"
    ));
    if let Some(first) = report.disclosed.first() {
        return Err(crate::exit::input_error(format!(
            "the disclosure audit refuses to publish: {} hidden cell(s) can be recomputed, first the {}",
            report.disclosed.len(),
            first
        )));
    }
    Ok(Protected {
        rows: published,
        primary,
        secondary: pattern.hidden.iter().filter(|&&h| h).count() - primary,
        rounds: pattern.rounds,
        numerator,
        denominator,
    })
}

/// Rows of one population must share their denominator, or the relations would be wrong.
fn check_populations(s: &Structure, rows: &[Row]) -> Result<()> {
    for members in &s.pop_rows {
        let first = &rows[members[0]];
        if let Some(other) = members
            .iter()
            .map(|&r| &rows[r])
            .find(|r| r.denominator != first.denominator)
        {
            bail!(
                "internal: {} and {} of {} {} cohort {} have different denominators",
                first.key.indicator,
                other.key.indicator,
                first.key.unit_type,
                first.key.unit_id,
                first.key.cohort
            );
        }
    }
    Ok(())
}

/// The audit of a published table as an outsider sees it.
#[derive(Debug)]
pub struct AuditReport {
    pub rows: usize,
    pub suppressed_rows: usize,
    pub hidden_cells: usize,
    /// Descriptions of hidden cells that can be recomputed exactly.
    pub disclosed: Vec<String>,
}

/// Audits published rows as an outsider can: relations from their keys, values from their numbers,
/// every hidden cell at least 0 (the bundle has a row for every unit, indicator and observed
/// cohort, also where the denominator is 0, so a missing row tells nothing); linear algebra and
/// the exact linear program (see `audit.rs`). `doorstroom audit` calls this.
pub fn audit_published(rows: &[Published]) -> Result<AuditReport> {
    audit_published_with(rows, None)
}

/// [`audit_published`], with the rows' true values (in the rows' order) as a witness for its
/// audit when the data owner audits what it is about to publish: the same verdicts, sooner (see
/// the module's documentation). Where the witness breaks a published relation it proves nothing
/// and is not used.
pub fn audit_published_with(rows: &[Published], witness: Option<&Truth>) -> Result<AuditReport> {
    let clock = crate::progress::clock();
    let s = Structure::new(rows.iter().map(|r| r.key.clone()).collect());
    let report = audit(&s, rows, Auditor::Outsider { witness });
    clock.note(format_args!(
        "disclosure: the outsider's audit of the published rows{}",
        if witness.is_some() {
            " (with a witness)"
        } else {
            ""
        }
    ));
    report
}

/// `audit_published` for a partner bundle (the region and one school; `Structure::partial`).
pub fn audit_partner(rows: &[Published]) -> Result<AuditReport> {
    audit(
        &Structure::partial(rows.iter().map(|r| r.key.clone()).collect()),
        rows,
        Auditor::Outsider { witness: None },
    )
}

/// Who audits, knowing what.
enum Auditor<'a> {
    /// A recipient of the published rows (`audit_published`), perhaps helped by a witness (the
    /// true values as `audit::Knowledge::point`: evidence, not knowledge).
    Outsider { witness: Option<&'a Truth<'a>> },
    /// The data owner before publishing (over the structure secondary suppression used: the same
    /// keys), where the outsider is also taken to know which hidden cells are not zero (lower
    /// bound 1), and the audit is decided on the tangent cone at the true point (`tangent.rs`; the
    /// same verdicts as the outsider's linear program, sooner).
    Owner(Truth<'a>),
}

/// The audit of `rows` over their structure `s` by `who`.
fn audit(s: &Structure, rows: &[Published], who: Auditor) -> Result<AuditReport> {
    let hidden: Vec<bool> = rows.iter().map(|r| r.numbers.is_none()).collect();
    let mut pop_value = vec![None; s.pop_rows.len()];
    for (p, members) in s.pop_rows.iter().enumerate() {
        let values: std::collections::BTreeSet<i64> = members
            .iter()
            .filter_map(|&r| rows[r].numbers.as_ref().map(|n| n.denominator))
            .collect();
        if values.len() > 1 {
            let k = &rows[members[0]].key;
            bail!(
                "{} {} cohort {}: rows of one population publish different denominators {:?}",
                k.unit_type,
                k.unit_id,
                k.cohort,
                values
            );
        }
        pop_value[p] = values.into_iter().next();
    }
    let value = |c: usize| -> i64 {
        if c < s.rows() {
            rows[c].numbers.as_ref().map_or(0, |n| n.numerator)
        } else {
            pop_value[c - s.rows()].unwrap_or(0)
        }
    };
    // The true values are a point to audit at for both; only the owner's bounds use them.
    let (truth, owner) = match &who {
        Auditor::Outsider { witness } => (*witness, false),
        Auditor::Owner(truth) => (Some(truth), true),
    };
    let true_value = |c: usize| truth.map_or(0, |t| t.cell(s, c));
    let known = truth
        .is_some()
        .then_some(&true_value as &dyn Fn(usize) -> i64);
    let lower = |c: usize| if owner { true_value(c).min(1) } else { 0 };
    let disclosed = audit::disclosed(
        s,
        &audit::Knowledge {
            hidden: &hidden,
            value: &value,
            lower: &lower,
            point: known,
        },
    )?
    .into_iter()
    .map(|(cell, reason)| format!("{} ({reason:?})", s.describe(cell)))
    .collect();
    Ok(AuditReport {
        rows: rows.len(),
        suppressed_rows: hidden.iter().filter(|&&h| h).count(),
        hidden_cells: (0..s.cells())
            .filter(|&c| s.cell_hidden(c, &hidden))
            .count(),
        disclosed,
    })
}
