//! The disclosure audit: can an outsider pin down a hidden cell from the published cells, the
//! relations between them and the bounds every cell obeys?
//!
//! The outsider's feasible set is the polyhedron `P = { x : equalities, inequalities, x >= lower }`
//! over the hidden cells. A hidden cell is disclosed exactly when it is constant on `P`. Two steps,
//! per group of hidden cells that share relations:
//!
//! 1. **Linear algebra** (`linear.rs`): cells the equalities alone determine.
//! 2. **Bounds**: the *implicit equalities* of `P` — bounds and inequalities that hold with equality
//!    on all of `P` ("two hidden 1s beside a known total") — from linear programs over `P` that
//!    maximise how many constraints are strict (`implicit_equalities`). They join the equalities
//!    and linear algebra runs again; a cell determined now is pinned by its bounds.
//!
//! With a feasible point (the data owner's true values: secondary suppression, its final check and
//! the outsider's audit of what `run` publishes), step 2 runs on the feasible set's tangent cone at
//! that point instead (`tangent.rs`): linear algebra settles most groups, and what it leaves open
//! is a linear program over only the quantities at their bound, a few hundred where the whole group
//! has thousands of cells. Same verdicts (property tests compare both ways), a tenth of the time at
//! 4× the demo; the outsider's audit at 16× the demo 10.29 s → 0.82 s (BENCHMARKS.md). The point
//! is evidence, never knowledge: it is checked against every relation and bound of a group first
//! (exactly, in integers), and a group it does not fit is audited without it.
//!
//! The LP solution is checked against the constraints before it is believed; a solver failure is an
//! error, never a pass.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{bail, Context, Result};

use super::linear;
use super::lp::Lp;
use super::table::{Kind, Structure};
use super::tangent::Tangent;

/// What the audit knows: the hidden rows, each published cell's value and the smallest value an
/// outsider may assume for each hidden cell; and, when the data owner audits, a point believed to
/// be feasible (the true values).
///
/// `point` is evidence, never knowledge: the verdicts are those of the whole feasible set without
/// it. Per component it is checked against every relation and bound first (exactly, in integers);
/// where it holds, the audit runs on the tangent cone there, where it does not (it proves
/// nothing), on the whole feasible set.
pub struct Knowledge<'a> {
    pub hidden: &'a [bool],
    pub value: &'a dyn Fn(usize) -> i64,
    pub lower: &'a dyn Fn(usize) -> i64,
    pub point: Option<&'a dyn Fn(usize) -> i64>,
}

/// A linear form over a component's cells: (position, coefficient).
pub(super) type Terms = Vec<(usize, i64)>;

/// Why a hidden cell is disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// The equalities determine it.
    Linear,
    /// Its bounds leave one value.
    Bounds,
    /// The published cells contradict the relations: no table fits them.
    Inconsistent,
    /// One of the first two, not told apart (secondary suppression, `Memo::growing`).
    Determined,
}

/// Relative tolerance for the residuals of an LP solution.
pub(super) const TOLERANCE: f64 = 1e-6;

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
pub(super) struct Row {
    pub terms: Vec<(usize, i64)>,
    pub rhs: i64,
    pub kind: Kind,
}

/// Every disclosed hidden cell with its reason, in cell order.
pub fn disclosed(s: &Structure, k: &Knowledge) -> Result<Vec<(usize, Reason)>> {
    disclosed_with(s, k, &mut Memo::default())
}

/// What earlier audits of the same table found, per component: the verdict of a component depends
/// only on its cells, its relations' known sides, its bounds and the feasible point, so a component
/// that a round of secondary suppression left unchanged need not be solved again. Keyed by all of
/// that (compared in full, not by hash), so a changed value is never served an old verdict.
#[derive(Default)]
pub struct Memo {
    verdicts: HashMap<Vec<i64>, Vec<(usize, Reason)>>,
    /// Components solved and components answered from the memo, for the curious.
    pub solved: usize,
    pub reused: usize,
    growing: Option<Growing>,
}

/// A component's disclosed cells (by position) with their reasons.
type Verdict = Vec<(usize, Reason)>;

/// Secondary suppression's shortcut (`Memo::growing`): the hidden cells of the last audit, and
/// each of its components' cells and verdict by its first cell. Only the last audit's components
/// are kept: the hidden cells only grow, so a component that changed never comes back.
#[derive(Default)]
struct Growing {
    hidden_before: Vec<bool>,
    by_first: HashMap<usize, (Vec<usize>, Verdict)>,
}

impl Memo {
    /// A memo for audits of one table whose knowledge (values, bounds, point) stays the same and
    /// whose hidden cells only grow, as in secondary suppression's rounds. Then a component made
    /// only of cells hidden in the last audit is one of that audit's components, unchanged: a
    /// relation of it that gained a hidden cell would have brought that cell into it, and every
    /// other input of its verdict is fixed. Its verdict is served without building its key.
    /// Verdicts from this memo do not tell the two ways of being determined apart
    /// (`Reason::Determined`). A changed component is solved without building its key: its cells
    /// differ from every earlier component's, so no key could match (and at national size the
    /// keys of large components, kept round after round, held gigabytes).
    pub fn growing() -> Memo {
        Memo {
            growing: Some(Growing::default()),
            ..Memo::default()
        }
    }
}

/// Everything a component's verdict depends on, as one key.
fn memo_key(cells: &[usize], rows: &[Row], lower: &[i64], point: Option<&[i64]>) -> Vec<i64> {
    let mut key = Vec::with_capacity(cells.len() * 3 + rows.len() * 8);
    let mut list = |tag: i64, items: &mut dyn Iterator<Item = i64>| {
        let start = key.len();
        key.push(tag);
        key.push(0);
        key.extend(items);
        key[start + 1] = (key.len() - start - 2) as i64;
    };
    list(0, &mut cells.iter().map(|&c| c as i64));
    list(1, &mut lower.iter().copied());
    list(2, &mut point.into_iter().flatten().copied());
    for r in rows {
        let kind = match r.kind {
            Kind::Eq => 3,
            Kind::Le => 4,
        };
        list(
            kind,
            &mut std::iter::once(r.rhs).chain(r.terms.iter().flat_map(|&(i, c)| [i as i64, c])),
        );
    }
    key
}

/// [`disclosed`], answering unchanged components from `memo` and adding the new ones to it.
pub fn disclosed_with(
    s: &Structure,
    k: &Knowledge,
    memo: &mut Memo,
) -> Result<Vec<(usize, Reason)>> {
    let hidden_cell: Vec<bool> = (0..s.cells()).map(|c| s.cell_hidden(c, k.hidden)).collect();
    // The shortcut holds only while the hidden cells grow; otherwise it starts again.
    if let Some(g) = memo.growing.as_mut() {
        let grew = g.hidden_before.len() == hidden_cell.len()
            && g.hidden_before
                .iter()
                .zip(&hidden_cell)
                .all(|(&b, &h)| h || !b);
        if !grew {
            g.by_first.clear();
            g.hidden_before = vec![false; hidden_cell.len()];
        }
    }
    // What is known, and the components to solve: solved on every core in batches of bounded size
    // (a job holds its relations until it is solved); then the verdicts in component order.
    let reasons = memo.growing.is_none();
    let mut slots = Vec::new();
    let mut solved: Vec<Option<(Vec<usize>, Result<Verdict>)>> = Vec::new();
    let mut batch = Vec::new();
    let mut batch_terms = 0;
    for cells in components(s, &hidden_cell) {
        if let Some(g) = memo.growing.as_mut() {
            let unchanged = cells.iter().all(|&c| g.hidden_before[c])
                && g.by_first
                    .get(&cells[0])
                    .is_some_and(|(old, _)| *old == cells);
            if unchanged {
                memo.reused += 1;
                let (cells, verdict) = g.by_first.remove(&cells[0]).expect("looked up");
                slots.push(Slot::Known(cells, verdict));
                continue;
            }
        }
        let job = Job::new(s, k, &hidden_cell, cells);
        if memo.growing.is_none() {
            let key = memo_key(&job.cells, &job.rows, &job.lower, job.point.as_deref());
            if let Some(verdict) = memo.verdicts.get(&key) {
                memo.reused += 1;
                slots.push(Slot::Known(job.cells, verdict.clone()));
                continue;
            }
            slots.push(Slot::Solve(solved.len() + batch.len(), Some(key)));
        } else {
            slots.push(Slot::Solve(solved.len() + batch.len(), None));
        }
        batch_terms += job.terms();
        batch.push(job);
        if batch_terms >= BATCH_TERMS {
            solved.extend(solve_all(std::mem::take(&mut batch), reasons).map(Some));
            batch_terms = 0;
        }
    }
    solved.extend(solve_all(batch, reasons).map(Some));
    let mut out = Vec::new();
    let mut by_first = HashMap::new();
    for slot in slots {
        let (cells, verdict) = match slot {
            Slot::Known(cells, verdict) => (cells, verdict),
            Slot::Solve(j, key) => {
                let (cells, verdict) = solved[j].take().expect("solved once");
                let verdict = verdict?;
                memo.solved += 1;
                if let Some(key) = key {
                    memo.verdicts.insert(key, verdict.clone());
                }
                (cells, verdict)
            }
        };
        out.extend(verdict.iter().map(|&(i, reason)| (cells[i], reason)));
        if memo.growing.is_some() {
            by_first.insert(cells[0], (cells, verdict));
        }
    }
    if let Some(g) = memo.growing.as_mut() {
        g.hidden_before = hidden_cell;
        g.by_first = by_first;
    }
    out.sort_unstable();
    Ok(out)
}

/// A component in `disclosed_with`: its verdict known (unchanged, or from the memo), or the place
/// of its job among those to solve, with the memo key to file the verdict under.
enum Slot {
    Known(Vec<usize>, Verdict),
    Solve(usize, Option<Vec<i64>>),
}

/// Relation terms of the components solved together (about 30 MB of jobs).
const BATCH_TERMS: usize = 1 << 20;

/// A whole-set program of this many terms (cells plus relation terms) or more is solved alone
/// (`solve_all`): at 16× the demo the three largest components of a recipient's audit
/// (`doorstroom audit`; 45,000 to 137,000 terms; the next has fewer than 2,000 cells).
const LARGE_TERMS: usize = 1 << 15;

/// A component to solve: its cells, its relations restricted to them, its bounds and a feasible
/// point when one is known.
struct Job {
    cells: Vec<usize>,
    rows: Vec<Row>,
    lower: Vec<i64>,
    point: Option<Vec<i64>>,
}

impl Job {
    fn new(s: &Structure, k: &Knowledge, hidden_cell: &[bool], cells: Vec<usize>) -> Job {
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
        let point = k
            .point
            .map(|x| cells.iter().map(|&c| x(c)).collect::<Vec<i64>>())
            .filter(|x| above_zero_at(&rows, &lower, x).is_some());
        Job {
            cells,
            rows,
            lower,
            point,
        }
    }

    /// Solved by the linear program over the whole feasible set (no feasible point), and large.
    fn large(&self) -> bool {
        self.point.is_none() && self.terms() >= LARGE_TERMS
    }

    fn terms(&self) -> usize {
        self.cells.len() + self.rows.iter().map(|r| r.terms.len()).sum::<usize>()
    }
}

/// Solves every job, on as many threads as the machine has (the largest components first, so
/// that one does not start last); each verdict comes back beside its job's cells, in the jobs'
/// order, so the result does not depend on which thread solved what.
///
/// At most one large job (`Job::large`: a whole-set linear program of [`LARGE_TERMS`] or more)
/// is solved at a time: the solver's memory grows faster than the component (its factorisation
/// fills in); at 16× the demo the stage's peak fell from 838 to 583 MiB with this and the keys'
/// shared texts (BENCHMARKS.md). A thread that finds the large job taken solves the small ones
/// meanwhile.
fn solve_all(jobs: Vec<Job>, reasons: bool) -> impl Iterator<Item = (Vec<usize>, Result<Verdict>)> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let solve = |job: &Job| component(&job.rows, &job.lower, job.point.as_deref(), reasons);
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&j| std::cmp::Reverse(jobs[j].cells.len()));
    let (large, small): (Vec<usize>, Vec<usize>) =
        order.into_iter().partition(|&j| jobs[j].large());
    let (next_large, next_small) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let one_large = std::sync::Mutex::new(());
    let work = || {
        let mut mine = Vec::new();
        loop {
            let turn = one_large.try_lock().ok().and_then(|turn| {
                let j = large.get(next_large.fetch_add(1, Relaxed))?;
                Some((turn, j))
            });
            if let Some((_turn, &j)) = turn {
                mine.push((j, solve(&jobs[j])));
            } else if let Some(&j) = small.get(next_small.fetch_add(1, Relaxed)) {
                mine.push((j, solve(&jobs[j])));
            } else if next_large.load(Relaxed) < large.len() {
                // Only large jobs are left, and another thread holds the turn: wait for it.
                drop(one_large.lock());
            } else {
                break;
            }
        }
        mine
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    let done: Vec<(usize, Result<Verdict>)> = if threads <= 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let mut verdicts: Vec<Option<Result<Verdict>>> = (0..jobs.len()).map(|_| None).collect();
    for (j, verdict) in done {
        verdicts[j] = Some(verdict);
    }
    jobs.into_iter()
        .zip(verdicts)
        .map(|(job, verdict)| (job.cells, verdict.expect("every job solved")))
}

/// The audit of one component (cells by position). With a feasible point, on the tangent cone
/// there (witnesses from linear algebra, then the cone's small linear program); without one, or
/// when the cone's elimination overflows, the linear program over the whole feasible set, which
/// takes the point as evidence of the quantities above zero there.
///
/// Which disclosed cells the equalities alone determine (`Reason::Linear`) is worked out only
/// when some cell is disclosed and `reasons` asks for it: secondary suppression needs only which
/// cells, and there it cost a tenth of the stage at 16x the demo (a reduction of every large
/// group each round; BENCHMARKS.md). Without reasons, a disclosed cell is `Reason::Determined`.
fn component(
    rows: &[Row],
    lower: &[i64],
    point: Option<&[i64]>,
    reasons: bool,
) -> Result<Vec<(usize, Reason)>> {
    let n = lower.len();
    let implicit = match point {
        Some(x) => {
            let tangent = Tangent::at(rows, lower, x);
            // A free cell moves on the feasible set: when all are, nothing is disclosed.
            if tangent.free_cells().iter().all(|&free| free) {
                return Ok(Vec::new());
            }
            tangent.implicit()?
        }
        None => None,
    };
    let implicit = match implicit {
        Some(implicit) => implicit,
        None => match implicit_equalities(rows, lower, point)? {
            Some(implicit) => implicit,
            None => return Ok((0..n).map(|i| (i, Reason::Inconsistent)).collect()),
        },
    };
    // The implicit equalities hold on the whole feasible set, so every cell the equalities alone
    // determine is among these.
    let determined = linear::determined(&equalities(rows, &implicit), n);
    if !determined.contains(&true) {
        return Ok(Vec::new());
    }
    let by_equalities = if reasons {
        linear::determined(&equalities(rows, &[]), n)
    } else {
        Vec::new()
    };
    Ok((0..n)
        .filter(|&i| determined[i])
        .map(|i| match by_equalities.get(i) {
            None => (i, Reason::Determined),
            Some(true) => (i, Reason::Linear),
            Some(false) => (i, Reason::Bounds),
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

/// The bounds and inequalities that hold with equality on the whole feasible set, as equality
/// rows over the component's cells; `None` when the feasible set is empty.
///
/// With `y = lower + u` every bound reads `u >= 0` and every inequality gets a slack `σ >= 0`.
/// A quantity (a `u` or a `σ`) that is not implicit is strictly positive somewhere on `P`, and the
/// midpoint of such points is strictly positive in all of them at once. So: maximise
/// `Σ min(q, 1)` over the quantities not yet known to be strict; every quantity clearly above zero
/// at the optimum is strict (the point is checked against every relation first); repeat until a
/// round finds none. What is left is implicit.
///
/// A `witness` that satisfies every relation and bound (checked here, exactly) is such a point
/// already: the quantities above zero there start as strict, only the others get a counted copy,
/// and when there are none no program is solved. Measured on the national bundle: see
/// BENCHMARKS.md, "The outsider's audit with a witness".
fn implicit_equalities(
    rows: &[Row],
    lower: &[i64],
    witness: Option<&[i64]>,
) -> Result<Option<Vec<Terms>>> {
    let n = lower.len();
    let clock = crate::progress::clock();
    // y = lower + u: each relation reads Σ coef·u (=, <=) rhs − Σ coef·lower.
    let shifted = |r: &Row| r.rhs - r.terms.iter().map(|&(i, c)| c * lower[i]).sum::<i64>();
    // Which quantities are above zero at the witness (cells, then the inequalities' slacks), if
    // it is one.
    let at_witness = witness.and_then(|x| above_zero_at(rows, lower, x));
    // A box keeps the optimal face bounded for the interior-point solver. It is far above any
    // value the known cells allow, so it can only make a strict quantity look implicit (a cell
    // counted as disclosed, more suppression), never the other way.
    let cap = 10.0
        * (1.0
            + rows
                .iter()
                .map(|r| shifted(r).unsigned_abs() as f64)
                .sum::<f64>()
            + n as f64);
    let mut p = Lp::default();
    let u: Vec<usize> = (0..n).map(|_| p.var(0.0, (0.0, cap))).collect();
    let equalities: Vec<Vec<(usize, i64)>> = rows
        .iter()
        .filter(|r| r.kind == Kind::Eq)
        .map(|r| {
            let mut terms = r.terms.clone();
            terms.push((n, shifted(r)));
            terms
        })
        .collect();
    // Redundant equalities (the tables' relations overlap a lot) only burden the solver: an
    // independent subset goes into the LP; `check` verifies all of them.
    let mut keep = linear::independent(&equalities).into_iter();
    let mut slack: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    for row in rows {
        let expr =
            || -> Vec<(usize, f64)> { row.terms.iter().map(|&(i, c)| (u[i], c as f64)).collect() };
        match row.kind {
            Kind::Eq => {
                if keep.next().unwrap_or(true) {
                    p.eq(expr(), shifted(row) as f64);
                }
                slack.push(None);
            }
            Kind::Le => {
                let s = p.var(0.0, (0.0, cap));
                let mut terms = expr();
                terms.push((s, 1.0));
                p.eq(terms, shifted(row) as f64);
                slack.push(Some(s));
            }
        }
    }
    // The quantities and, for each not yet known to be strict, a capped copy the objective counts.
    let quantities: Vec<usize> = u
        .iter()
        .copied()
        .chain(slack.iter().flatten().copied())
        .collect();
    let witnessed = at_witness.is_some();
    let mut strict = at_witness.unwrap_or_else(|| vec![false; quantities.len()]);
    let counted: Vec<Option<usize>> = quantities
        .iter()
        .zip(&strict)
        .map(|(&q, &known)| {
            (!known).then(|| {
                let t = p.var(0.0, (0.0, 1.0));
                p.le(vec![(t, 1.0), (q, -1.0)], 0.0);
                t
            })
        })
        .collect();
    let mut solves = 0;
    while strict.contains(&false) {
        solves += 1;
        let mut objective = vec![0.0; counted.iter().flatten().max().map_or(0, |&m| m + 1)];
        for (q, t) in counted.iter().enumerate() {
            if let (false, Some(t)) = (strict[q], t) {
                objective[*t] = 1.0;
            }
        }
        p.set_objective(objective);
        let Some(x) = p
            .maximise()
            .with_context(|| format!("the disclosure audit failed on {n} hidden cells"))?
        else {
            return Ok(None);
        };
        check(rows, &shifted, &u, &slack, &x)?;
        let newly: Vec<usize> = (0..quantities.len())
            .filter(|&q| !strict[q] && x[quantities[q]] > STRICT)
            .collect();
        if newly.is_empty() {
            break;
        }
        for q in newly {
            strict[q] = true;
        }
    }
    let mut implicit: Vec<Terms> = (0..n)
        .filter(|&i| !strict[i])
        .map(|i| vec![(i, 1)])
        .collect();
    let le_rows = rows.iter().filter(|r| r.kind == Kind::Le);
    for (row, q) in le_rows.zip(n..) {
        if !strict[q] {
            implicit.push(row.terms.clone());
        }
    }
    if n + rows.iter().map(|r| r.terms.len()).sum::<usize>() >= LARGE_TERMS {
        clock.note(format_args!(
            "disclosure: a whole-set program over {n} hidden cells and {} relations, {} of {} \
             quantities counted{}: {solves} solves",
            rows.len(),
            counted.iter().flatten().count(),
            quantities.len(),
            if witnessed { " (with a witness)" } else { "" }
        ));
    }
    Ok(Some(implicit))
}

/// Which quantities are above zero at `x` (each cell above its lower bound, then each
/// inequality's slack, in the order of `rows`), when `x` satisfies every relation and bound of the
/// component; `None` when it does not (then it proves nothing). Exact: sums in i128.
fn above_zero_at(rows: &[Row], lower: &[i64], x: &[i64]) -> Option<Vec<bool>> {
    if x.iter().zip(lower).any(|(x, l)| x < l) {
        return None;
    }
    let mut above: Vec<bool> = x.iter().zip(lower).map(|(x, l)| x > l).collect();
    for row in rows {
        let lhs: i128 = row
            .terms
            .iter()
            .map(|&(i, c)| i128::from(c) * i128::from(x[i]))
            .sum();
        let slack = i128::from(row.rhs) - lhs;
        match row.kind {
            Kind::Eq if slack != 0 => return None,
            Kind::Eq => {}
            Kind::Le if slack < 0 => return None,
            Kind::Le => above.push(slack > 0),
        }
    }
    Some(above)
}

/// A quantity above this at a checked optimum is strictly positive on the feasible set. Far above
/// the solver's error on integer data (tolerances 1e-10), far below the slack a strict quantity
/// gets at the optimum (half a unit or so on these integral tables).
pub(super) const STRICT: f64 = 1e-4;

/// Verifies the LP solution against every relation (all of them, also those left out of the LP)
/// and every bound: a strict quantity the solver claims must really be there, or a disclosed cell
/// could pass as hidden.
fn check(
    rows: &[Row],
    shifted: &dyn Fn(&Row) -> i64,
    u: &[usize],
    slack: &[Option<usize>],
    x: &[f64],
) -> Result<()> {
    let scale = 1.0 + u.iter().map(|&v| x[v].abs()).fold(0.0, f64::max);
    let bad = |residual: f64| residual > TOLERANCE * scale;
    if u.iter().any(|&v| bad(-x[v])) {
        bail!("the disclosure audit's linear program returned a cell below its bound");
    }
    for (row, s) in rows.iter().zip(slack) {
        let lhs: f64 = row.terms.iter().map(|&(i, c)| c as f64 * x[u[i]]).sum();
        let residual = match s {
            None => (lhs - shifted(row) as f64).abs(),
            Some(s) => (lhs + x[*s] - shifted(row) as f64).abs() + (-x[*s]).max(0.0),
        };
        if bad(residual) {
            bail!("the disclosure audit's linear program returned a point off a relation");
        }
    }
    Ok(())
}
