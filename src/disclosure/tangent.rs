//! The audit at a known feasible point `x` (the data owner's true values): which quantities can
//! move, from the feasible set's *tangent cone* at `x` instead of the feasible set itself.
//!
//! A quantity is a cell above its lower bound (`u = y − lower`) or the slack of an inequality. One
//! that is above zero at `x` is strict (not an implicit equality) already. One at zero is strict
//! on the feasible set `P` exactly when it is strict on the cone `T = { d : every equality holds
//! for d, d_q >= 0 for each quantity q at zero at x }`: a `y` in `P` gives `d = y − x`, and a `d`
//! in `T` gives `x + ε·d` in `P` for a small ε. In `T` the quantities above zero at `x` have no
//! bound, so they are eliminated from the equalities (`linear::eliminate`): what is left is a
//! small homogeneous system over the quantities at zero, and one small linear program per round
//! (`implicit`) settles them. The whole-component program in `audit.rs` is needed only without a
//! feasible point (a recipient's `doorstroom audit`) or when elimination overflows.
//!
//! Before any solver, linear algebra alone releases most quantities (`Tangent::at`), which often
//! settles a component outright (`free_cells`).

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};

use super::audit::{Row, Terms, STRICT, TOLERANCE};
use super::linear;
use super::lp::Lp;
use super::table::Kind;

/// The equalities in tangent directions, over columns: one per group of cells tied by `a − b = 0`
/// (its representative) and one per inequality tight at `x` (its slack).
pub struct Tangent {
    /// Each cell's representative column.
    rep: Vec<usize>,
    system: Vec<Terms>,
    /// Columns whose quantity is at zero at `x` (must not move down).
    on_bound: Vec<bool>,
    /// On-bound columns shown to move up while every other unreleased one is held.
    released: Vec<bool>,
    /// For a slack column (from the number of cells on), the terms of its inequality.
    slack_terms: Vec<Terms>,
}

impl Tangent {
    /// The cone at `x`, with every quantity linear algebra can release released:
    ///
    /// - an on-bound quantity is *released* when it can move while every unreleased one is held
    ///   (its direction points up; the other way is `-d`); releasing repeats until nothing
    ///   changes. A released quantity then behaves like a free one: any direction that pushes it
    ///   down is repaired by adding enough of its own witness.
    pub fn at(rows: &[Row], lower: &[i64], x: &[i64]) -> Tangent {
        let n = lower.len();
        // Cells an equality `a − b = 0` ties together move together: one column each group, or
        // neither could ever move alone.
        let rep = tied(rows, n);
        let merge = |terms: &[(usize, i64)]| -> Terms {
            let mut out: BTreeMap<usize, i64> = BTreeMap::new();
            for &(i, c) in terms {
                *out.entry(rep[i]).or_default() += c;
            }
            out.into_iter().filter(|&(_, c)| c != 0).collect()
        };
        // A group is on its bound when any of its cells is (they move together).
        let mut on_bound = vec![false; n];
        for i in 0..n {
            on_bound[rep[i]] |= x[i] <= lower[i];
        }
        let mut system = Vec::new();
        let mut slack_terms = Vec::new();
        for r in rows {
            match r.kind {
                Kind::Eq => system.push(merge(&r.terms)),
                Kind::Le => {
                    let at_x: i64 = r.terms.iter().map(|&(i, c)| c * x[i]).sum();
                    if at_x == r.rhs {
                        // Σ a·x + σ = rhs with the slack σ >= 0 on its bound.
                        let mut terms = merge(&r.terms);
                        terms.push((on_bound.len(), 1));
                        on_bound.push(true);
                        slack_terms.push(r.terms.clone());
                        system.push(terms);
                    }
                }
            }
        }
        system.retain(|r| !r.is_empty());
        let mut released = vec![false; on_bound.len()];
        loop {
            let held = held(&on_bound, &released);
            let movable = linear::movable_alone(&system, &held);
            let newly: Vec<usize> = (0..held.len()).filter(|&i| held[i] && movable[i]).collect();
            if newly.is_empty() {
                break;
            }
            for i in newly {
                released[i] = true;
            }
        }
        Tangent {
            rep,
            system,
            on_bound,
            released,
            slack_terms,
        }
    }

    /// Cells with a witness of freedom from linear algebra alone: a released cell is free; an
    /// unreleased one counts as pinned; a cell above its bound is free when the equalities do not
    /// determine it with every unreleased quantity held. Sound, not complete: a cell counted as
    /// pinned may have a move that pushes two held quantities up together (`implicit` decides).
    pub fn free_cells(&self) -> Vec<bool> {
        let held = held(&self.on_bound, &self.released);
        let mut all: Vec<Terms> = (0..held.len())
            .filter(|&i| held[i])
            .map(|i| vec![(i, 1)])
            .collect();
        all.extend(self.system.iter().cloned());
        let determined = linear::determined(&all, held.len());
        self.rep
            .iter()
            .map(|&r| {
                if self.on_bound[r] {
                    self.released[r]
                } else {
                    !determined[r]
                }
            })
            .collect()
    }

    /// The implicit equalities of the feasible set (as in `audit::implicit_equalities`: a cell
    /// pinned to its bound as its own row, a tight inequality as its terms), exactly: the
    /// quantities still held after `at` are decided on the cone, every other column eliminated.
    /// `None` when elimination overflows.
    pub fn implicit(&self) -> Result<Option<Vec<Terms>>> {
        let held = held(&self.on_bound, &self.released);
        let Some(cone) = linear::eliminate(&self.system, &held) else {
            return Ok(None);
        };
        let strict = strict_in_cone(&cone, &held)?;
        let pinned = |col: usize| held[col] && !strict[col];
        let n = self.rep.len();
        let mut implicit: Vec<Terms> = (0..n)
            .filter(|&i| pinned(self.rep[i]))
            .map(|i| vec![(i, 1)])
            .collect();
        for (k, terms) in self.slack_terms.iter().enumerate() {
            if pinned(n + k) {
                implicit.push(terms.clone());
            }
        }
        Ok(Some(implicit))
    }
}

fn held(on_bound: &[bool], released: &[bool]) -> Vec<bool> {
    on_bound
        .iter()
        .zip(released)
        .map(|(&b, &r)| b && !r)
        .collect()
}

/// Which `held` columns can be above zero on the cone `{ d >= 0 on held columns : cone rows }`
/// (the rows mention held columns only). The cone is scaled into the box `[0, 1]`; each round
/// maximises the sum of the columns not yet known to be strict, and every column clearly above zero
/// at the (checked) optimum is strict; a round that finds none leaves the rest implicit.
fn strict_in_cone(cone: &[Terms], held: &[bool]) -> Result<Vec<bool>> {
    let mut strict = vec![false; held.len()];
    // Presolve: a row whose coefficients share one sign sums columns that are all >= 0 to 0, so
    // every one of them is 0 on the whole cone (the cone's "two hidden 1s beside a known total");
    // leaving them out can make another row such a row. Exact, and it leaves the solver a fraction.
    let mut pinned = vec![false; held.len()];
    let mut rows: Vec<Terms> = cone.to_vec();
    loop {
        let mut changed = false;
        for row in &mut rows {
            row.retain(|&(c, _)| !pinned[c]);
            let one_sign = row.iter().all(|t| t.1 > 0) || row.iter().all(|t| t.1 < 0);
            if !row.is_empty() && one_sign {
                for &(c, _) in row.iter() {
                    pinned[c] = true;
                }
                row.clear();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    rows.retain(|r| !r.is_empty());
    // A held column no row mentions any more can rise alone; the rest get a variable each.
    let mut var = vec![usize::MAX; held.len()];
    let mut columns = Vec::new();
    let mut p = Lp::default();
    for row in &rows {
        for &(c, _) in row {
            if var[c] == usize::MAX {
                var[c] = p.var(0.0, (0.0, 1.0));
                columns.push(c);
            }
        }
        p.eq(row.iter().map(|&(c, v)| (var[c], v as f64)), 0.0);
    }
    for c in (0..held.len()).filter(|&c| held[c] && !pinned[c] && var[c] == usize::MAX) {
        strict[c] = true;
    }
    loop {
        let objective: Vec<f64> = columns
            .iter()
            .map(|&c| if strict[c] { 0.0 } else { 1.0 })
            .collect();
        if objective.iter().all(|&o| o == 0.0) {
            break;
        }
        p.set_objective(objective);
        let d = p
            .maximise()
            .with_context(|| {
                format!(
                    "the disclosure audit failed on {} bound cells",
                    columns.len()
                )
            })?
            .context("internal: the tangent cone of a feasible point is empty")?;
        check(&rows, &var, &d)?;
        let newly: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&c| !strict[c] && d[var[c]] > STRICT)
            .collect();
        if newly.is_empty() {
            break;
        }
        for c in newly {
            strict[c] = true;
        }
    }
    Ok(strict)
}

/// The LP's direction must keep every cone row and no column below zero before it is believed.
fn check(cone: &[Terms], var: &[usize], d: &[f64]) -> Result<()> {
    if d.iter().any(|&v| v < -TOLERANCE) {
        bail!("the disclosure audit's linear program returned a direction below a bound");
    }
    for row in cone {
        let scale: f64 = 1.0 + row.iter().map(|&(_, v)| (v as f64).abs()).sum::<f64>();
        let lhs: f64 = row.iter().map(|&(c, v)| v as f64 * d[var[c]]).sum();
        if lhs.abs() > TOLERANCE * scale {
            bail!("the disclosure audit's linear program returned a direction off a relation");
        }
    }
    Ok(())
}

/// The representative of each cell's group of cells tied by two-term equalities `a − b = 0`.
fn tied(rows: &[Row], n: usize) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for r in rows {
        if let (Kind::Eq, 0, [(a, ca), (b, cb)]) = (r.kind, r.rhs, r.terms.as_slice()) {
            if ca + cb == 0 && a != b {
                let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
                let (lo, hi) = (ra.min(rb), ra.max(rb));
                parent[hi] = lo;
            }
        }
    }
    (0..n).map(|i| root(&mut parent, i)).collect()
}
