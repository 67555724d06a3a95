//! The disclosure audit: can an outsider pin down a hidden cell from the published cells, the
//! relations between them and the bounds every cell obeys?
//!
//! The outsider's feasible set is the polyhedron `P = { x : equalities, inequalities, x >= lower }`
//! over the hidden cells. A hidden cell is disclosed exactly when it is constant on `P`. Two steps,
//! per group of hidden cells that share relations:
//!
//! 1. **Linear algebra** (`linear.rs`): cells the equalities alone determine.
//! 2. **Bounds**: the *implicit equalities* of `P` — bounds and inequalities that hold with equality
//!    on all of `P` ("two hidden 1s beside a known total") — come from one linear program over the
//!    homogenised cone `{ (y, λ) : A y = λ b, y >= λ lower, λ >= 0 }`: maximise the number of
//!    constraints that can be strict, each slack capped at 1. The origin is feasible, the optimum
//!    is bounded, and at every optimum exactly the non-implicit constraints reach their cap
//!    (witnesses of the cone add up). The implicit equalities join the equalities and linear
//!    algebra runs again; a cell determined now is pinned by its bounds.
//!
//! The LP solution is checked against the constraints before it is believed; a solver failure is an
//! error, never a pass.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{bail, Context, Result};

use super::linear;
use super::lp::Lp;
use super::table::{Kind, Structure};

/// What the audit knows: the hidden rows, each published cell's value, the smallest value an
/// outsider may assume for each hidden cell and, when the data owner audits, a feasible point
/// (the true values).
pub struct Knowledge<'a> {
    pub hidden: &'a [bool],
    pub value: &'a dyn Fn(usize) -> i64,
    pub lower: &'a dyn Fn(usize) -> i64,
    pub point: Option<&'a dyn Fn(usize) -> i64>,
}

/// A linear form over a component's cells: (position, coefficient).
type Terms = Vec<(usize, i64)>;

/// Why a hidden cell is disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// The equalities determine it.
    Linear,
    /// Its bounds leave one value.
    Bounds,
    /// The published cells contradict the relations: no table fits them.
    Inconsistent,
}

/// Tolerance for the LP: slacks are 0 or 1 at the optimum, residuals are checked against this.
const TOLERANCE: f64 = 1e-6;

/// Hidden cells grouped by shared relations (union-find).
fn components(s: &Structure, hidden_cell: &[bool]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..s.cells()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for rel in &s.relations {
        let mut first = None;
        for &(c, _) in rel.terms.iter().filter(|t| hidden_cell[t.0]) {
            match first {
                None => first = Some(c),
                Some(f) => {
                    let (a, b) = (root(&mut parent, f), root(&mut parent, c));
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for c in (0..s.cells()).filter(|&c| hidden_cell[c]) {
        groups.entry(root(&mut parent, c)).or_default().push(c);
    }
    groups.into_values().collect()
}

/// One relation restricted to a component: hidden terms (by position) and the known right side.
struct Row {
    terms: Vec<(usize, i64)>,
    rhs: i64,
    kind: Kind,
}

impl Row {
    /// The coefficient of λ once `y = λ·lower + u` is substituted.
    fn lambda_coefficient(&self, lower: &[i64]) -> i64 {
        self.terms.iter().map(|&(i, c)| c * lower[i]).sum::<i64>() - self.rhs
    }
}

/// Every disclosed hidden cell with its reason, in cell order.
pub fn disclosed(s: &Structure, k: &Knowledge) -> Result<Vec<(usize, Reason)>> {
    let hidden_cell: Vec<bool> = (0..s.cells()).map(|c| s.cell_hidden(c, k.hidden)).collect();
    let mut out = Vec::new();
    for cells in components(s, &hidden_cell) {
        let position: HashMap<usize, usize> =
            cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let relations: HashSet<usize> = cells
            .iter()
            .flat_map(|&c| s.cell_relations[c].iter().copied())
            .collect();
        let mut rows: Vec<Row> = relations
            .into_iter()
            .map(|r| {
                let rel = &s.relations[r];
                let (hidden, known): (Vec<_>, Vec<_>) =
                    rel.terms.iter().partition(|t| hidden_cell[t.0]);
                Row {
                    terms: hidden
                        .iter()
                        .map(|&(c, coef)| (position[&c], coef))
                        .collect(),
                    rhs: -known
                        .iter()
                        .map(|&(c, coef)| coef * (k.value)(c))
                        .sum::<i64>(),
                    kind: rel.kind,
                }
            })
            .collect();
        rows.sort_by(|a, b| a.terms.cmp(&b.terms).then(a.rhs.cmp(&b.rhs)));
        let lower: Vec<i64> = cells.iter().map(|&c| (k.lower)(c)).collect();
        let point: Option<Vec<i64>> = k.point.map(|x| cells.iter().map(|&c| x(c)).collect());
        for (i, reason) in component(&rows, &lower, point.as_deref())? {
            out.push((cells[i], reason));
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// The audit of one component (cells by position): with a feasible point, by witnesses; without,
/// by the exact linear program.
fn component(rows: &[Row], lower: &[i64], point: Option<&[i64]>) -> Result<Vec<(usize, Reason)>> {
    let n = lower.len();
    let by_equalities = linear::determined(&equalities(rows, &[]), n);
    if by_equalities.iter().all(|&d| d) {
        return Ok((0..n).map(|i| (i, Reason::Linear)).collect());
    }
    let free = match point {
        Some(x) => witnessed(rows, lower, x),
        None => {
            let Some(implicit) = implicit_equalities(rows, lower)? else {
                return Ok((0..n).map(|i| (i, Reason::Inconsistent)).collect());
            };
            let determined = linear::determined(&equalities(rows, &implicit), n);
            determined.into_iter().map(|d| !d).collect()
        }
    };
    Ok((0..n)
        .filter_map(|i| match (by_equalities[i], free[i]) {
            (true, _) => Some((i, Reason::Linear)),
            (false, false) => Some((i, Reason::Bounds)),
            (false, true) => None,
        })
        .collect())
}

/// The equality rows of a component, `extra` rows first: mostly single cells, they take their
/// pivots and shorten every row after them, where last they would fill in.
fn equalities(rows: &[Row], extra: &[Vec<(usize, i64)>]) -> Vec<Vec<(usize, i64)>> {
    let mut extra = extra.to_vec();
    extra.sort_by_key(|r| r.len());
    extra
        .into_iter()
        .chain(
            rows.iter()
                .filter(|r| r.kind == Kind::Eq)
                .map(|r| r.terms.clone()),
        )
        .collect()
}

/// Cells with a witness of freedom at the feasible point `x`: a direction `d` that keeps every
/// equality and moves no on-bound quantity down (a cell at its lower bound, or the slack of an
/// inequality tight at `x`), so `x + ε·d` is feasible for a small ε and the cell takes another
/// value. Built from linear algebra alone:
///
/// - an on-bound quantity is *released* when it can move while every unreleased one is held
///   (its direction points up; the other way is `-d`); releasing repeats until nothing changes.
///   A released quantity then behaves like a free one: any direction that pushes it down is
///   repaired by adding enough of its own witness.
/// - a released cell is free; an unreleased one counts as pinned;
/// - a cell above its bound is free when the equalities do not determine it with every unreleased
///   quantity held.
///
/// Sound, not complete: a cell counted as pinned may have a move that pushes two held quantities
/// up together; it then gets a partner it may not have needed. No solver, so it scales like the
/// linear algebra.
fn witnessed(rows: &[Row], lower: &[i64], x: &[i64]) -> Vec<bool> {
    let n = lower.len();
    // Cells an equality `a − b = 0` ties together move together: one column each group, or
    // neither could ever move alone.
    let rep = tied(rows, n);
    let merge = |terms: &[(usize, i64)]| -> Vec<(usize, i64)> {
        let mut out: BTreeMap<usize, i64> = BTreeMap::new();
        for &(i, c) in terms {
            *out.entry(rep[i]).or_default() += c;
        }
        out.into_iter().filter(|&(_, c)| c != 0).collect()
    };
    let mut system: Vec<Vec<(usize, i64)>> = Vec::new();
    let mut on_bound: Vec<bool> = (0..n).map(|i| x[i] <= lower[i]).collect();
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
                    system.push(terms);
                }
            }
        }
    }
    system.retain(|r| !r.is_empty());
    // A column that is not a group's representative takes no part.
    for i in 0..n {
        if rep[i] != i {
            on_bound[i] = false;
        }
    }
    let mut released = vec![false; on_bound.len()];
    loop {
        let held: Vec<bool> = (0..on_bound.len())
            .map(|i| on_bound[i] && !released[i])
            .collect();
        let movable = linear::movable_alone(&system, &held);
        let newly: Vec<usize> = (0..held.len()).filter(|&i| held[i] && movable[i]).collect();
        if newly.is_empty() {
            break;
        }
        for i in newly {
            released[i] = true;
        }
    }
    let held_rows: Vec<Vec<(usize, i64)>> = (0..on_bound.len())
        .filter(|&i| on_bound[i] && !released[i])
        .map(|i| vec![(i, 1)])
        .collect();
    let mut all = held_rows;
    all.extend(system);
    let determined = linear::determined(&all, on_bound.len());
    (0..n)
        .map(|i| {
            let r = rep[i];
            if on_bound[r] {
                released[r]
            } else {
                !determined[r]
            }
        })
        .collect()
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

/// The bounds and inequalities that hold with equality on the whole feasible set, as equality
/// rows over the component's cells; `None` when the feasible set is empty.
fn implicit_equalities(rows: &[Row], lower: &[i64]) -> Result<Option<Vec<Terms>>> {
    // With y = λ·lower + u the bounds read u >= 0. Each relation becomes
    // Σ coef·u + (Σ coef·lower − rhs)·λ (=, <=) 0.
    let n = lower.len();
    // λ enters scaled so its coefficients are at most 1, like the cells'.
    let lambda_scale = rows
        .iter()
        .map(|r| r.lambda_coefficient(lower).unsigned_abs())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut p = Lp::default();
    // A box keeps the optimal face bounded; too small a box could only hide a slack (a cell
    // counted as disclosed), never invent one.
    let cap = 100.0;
    let u: Vec<usize> = (0..n).map(|_| p.var(0.0, (0.0, cap))).collect();
    let lambda = p.var(0.0, (0.0, cap));
    let lambda_slack = p.var(1.0, (0.0, 1.0));
    p.le(vec![(lambda_slack, 1.0), (lambda, -1.0)], 0.0);
    let bound_slack: Vec<usize> = (0..n).map(|_| p.var(1.0, (0.0, 1.0))).collect();
    for i in 0..n {
        p.le(vec![(bound_slack[i], 1.0), (u[i], -1.0)], 0.0);
    }
    // Redundant equalities (the tables' relations overlap a lot) only burden the solver: an
    // independent subset goes into the LP; `check` verifies all of them.
    let equalities: Vec<Vec<(usize, i64)>> = rows
        .iter()
        .filter(|r| r.kind == Kind::Eq)
        .map(|r| {
            let mut terms = r.terms.clone();
            terms.push((n, r.lambda_coefficient(lower)));
            terms
        })
        .collect();
    let mut keep = linear::independent(&equalities).into_iter();
    let mut row_slack: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    for row in rows {
        if row.kind == Kind::Eq && !keep.next().unwrap_or(true) {
            row_slack.push(None);
            continue;
        }
        let mut expr: Vec<(usize, f64)> = row
            .terms
            .iter()
            .map(|&(i, coef)| (u[i], coef as f64))
            .collect();
        expr.push((lambda, row.lambda_coefficient(lower) as f64 / lambda_scale));
        match row.kind {
            Kind::Eq => {
                p.eq(expr);
                row_slack.push(None);
            }
            Kind::Le => {
                let slack = p.var(1.0, (0.0, 1.0));
                expr.push((slack, 1.0));
                p.le(expr, 0.0);
                row_slack.push(Some(slack));
            }
        }
    }
    let x = p
        .maximise()
        .with_context(|| format!("the disclosure audit failed on {n} hidden cells"))?;
    let v = |var: usize| x[var];
    check(
        rows,
        lower,
        &u,
        (lambda, lambda_scale),
        &bound_slack,
        &row_slack,
        &v,
    )?;
    if v(lambda_slack) < 0.5 {
        return Ok(None);
    }
    let mut implicit: Vec<Vec<(usize, i64)>> = (0..n)
        .filter(|&i| v(bound_slack[i]) < 0.5)
        .map(|i| vec![(i, 1)])
        .collect();
    for (row, slack) in rows.iter().zip(&row_slack) {
        if slack.is_some_and(|s| v(s) < 0.5) {
            implicit.push(row.terms.clone());
        }
    }
    Ok(Some(implicit))
}

/// Verifies the LP solution against every constraint: a slack the solver claims must really be
/// there, or a disclosed cell could pass as hidden.
fn check(
    rows: &[Row],
    lower: &[i64],
    u: &[usize],
    (lambda, lambda_scale): (usize, f64),
    bound_slack: &[usize],
    row_slack: &[Option<usize>],
    v: &dyn Fn(usize) -> f64,
) -> Result<()> {
    let scale = 1.0 + v(lambda).abs() + u.iter().map(|&x| v(x).abs()).fold(0.0, f64::max);
    let bad = |residual: f64| residual > TOLERANCE * scale;
    for (i, &ui) in u.iter().enumerate() {
        if bad(v(bound_slack[i]) - v(ui)) {
            bail!("the disclosure audit's linear program returned an infeasible bound slack");
        }
    }
    for (row, slack) in rows.iter().zip(row_slack) {
        let lhs: f64 = row
            .terms
            .iter()
            .map(|&(i, c)| c as f64 * v(u[i]))
            .sum::<f64>()
            + row.lambda_coefficient(lower) as f64 / lambda_scale * v(lambda);
        let residual = match slack {
            None => lhs.abs(),
            Some(s) => lhs + v(*s),
        };
        if bad(residual) {
            bail!("the disclosure audit's linear program returned a point off a relation");
        }
    }
    Ok(())
}
