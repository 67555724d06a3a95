//! A small linear-program builder over the Clarabel interior-point solver (pure Rust): variables,
//! equalities `Σ a·x = b`, inequalities `Σ a·x <= b`, maximise `c·x`. Only what the audit needs.

use anyhow::{bail, Result};
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus, ZeroConeT,
};

/// The program as it is built. Constraints are kept in flat lists (a row is a range of `terms`),
/// not a list per row: a recipient's audit (`doorstroom audit`) of a national table builds programs
/// with millions of rows, most of them a single bound.
#[derive(Default)]
pub struct Lp {
    objective: Vec<f64>,
    equalities: Rows,
    inequalities: Rows,
}

/// Constraint rows `Σ a·x (=, <=) rhs`, flat: row `i` is `terms[end[i-1]..end[i]]`.
#[derive(Default)]
struct Rows {
    terms: Vec<(usize, f64)>,
    end: Vec<usize>,
    rhs: Vec<f64>,
}

impl Rows {
    fn push(&mut self, terms: impl IntoIterator<Item = (usize, f64)>, rhs: f64) {
        self.terms.extend(terms);
        self.end.push(self.terms.len());
        self.rhs.push(rhs);
    }

    fn len(&self) -> usize {
        self.rhs.len()
    }

    fn iter(&self) -> impl Iterator<Item = (&[(usize, f64)], f64)> {
        let starts = std::iter::once(0).chain(self.end.iter().copied());
        starts
            .zip(&self.end)
            .zip(&self.rhs)
            .map(|((start, &end), &rhs)| (&self.terms[start..end], rhs))
    }
}

impl Lp {
    /// A new variable in `[low, high]` with objective coefficient `objective`.
    pub fn var(&mut self, objective: f64, (low, high): (f64, f64)) -> usize {
        let v = self.objective.len();
        self.objective.push(objective);
        if low.is_finite() {
            self.le([(v, -1.0)], -low);
        }
        if high.is_finite() {
            self.le([(v, 1.0)], high);
        }
        v
    }

    /// `Σ a·x = rhs`.
    pub fn eq(&mut self, terms: impl IntoIterator<Item = (usize, f64)>, rhs: f64) {
        self.equalities.push(terms, rhs);
    }

    /// Replaces the objective.
    pub fn set_objective(&mut self, objective: Vec<f64>) {
        assert_eq!(objective.len(), self.objective.len());
        self.objective = objective;
    }

    /// `Σ a·x <= rhs`.
    pub fn le(&mut self, terms: impl IntoIterator<Item = (usize, f64)>, rhs: f64) {
        self.inequalities.push(terms, rhs);
    }

    /// The constraint matrix (equalities first, then inequalities, each in the order given), as
    /// Clarabel takes it: by column, rows ascending, repeated entries summed.
    fn matrix(&self) -> CscMatrix<f64> {
        let n = self.objective.len();
        let rows = || self.equalities.iter().chain(self.inequalities.iter());
        let mut colptr = vec![0; n + 1];
        for (terms, _) in rows() {
            for &(col, _) in terms {
                colptr[col + 1] += 1;
            }
        }
        for col in 0..n {
            colptr[col + 1] += colptr[col];
        }
        let nnz = colptr[n];
        let (mut rowval, mut nzval) = (vec![0; nnz], vec![0.0; nnz]);
        let mut next = colptr.clone();
        for (row, (terms, _)) in rows().enumerate() {
            for &(col, val) in terms {
                let at = next[col];
                if at > colptr[col] && rowval[at - 1] == row {
                    nzval[at - 1] += val;
                } else {
                    rowval[at] = row;
                    nzval[at] = val;
                    next[col] += 1;
                }
            }
        }
        // Close the gaps that summed entries left.
        let mut write = 0;
        let mut start = 0;
        for col in 0..n {
            let end = next[col];
            for read in start..end {
                rowval[write] = rowval[read];
                nzval[write] = nzval[read];
                write += 1;
            }
            start = colptr[col + 1];
            colptr[col + 1] = write;
        }
        rowval.truncate(write);
        nzval.truncate(write);
        let m = self.equalities.len() + self.inequalities.len();
        CscMatrix::new(m, n, colptr, rowval, nzval)
    }

    /// The maximising point (or, when the solver reports reduced accuracy, a point near it; callers
    /// check it); `None` when no point satisfies the constraints.
    pub fn maximise(&self) -> Result<Option<Vec<f64>>> {
        let n = self.objective.len();
        let a = self.matrix();
        let b: Vec<f64> = self
            .equalities
            .rhs
            .iter()
            .chain(&self.inequalities.rhs)
            .copied()
            .collect();
        let p = CscMatrix::zeros((n, n));
        let q: Vec<f64> = self.objective.iter().map(|c| -c).collect();
        let cones = [
            ZeroConeT(self.equalities.len()),
            NonnegativeConeT(self.inequalities.len()),
        ];
        let settings = DefaultSettingsBuilder::default()
            .verbose(false)
            .max_iter(500)
            .tol_gap_abs(1e-10)
            .tol_gap_rel(1e-10)
            .tol_feas(1e-10)
            .build()
            .expect("valid settings");
        let mut solver = match DefaultSolver::new(&p, &q, &a, &b, &cones, settings) {
            Ok(solver) => solver,
            Err(e) => bail!("the linear program could not be set up: {e:?}"),
        };
        // The solver holds its own (scaled) copy: ours need not sit beside its factorisation.
        drop((a, b, q));
        solver.solve();
        match solver.solution.status {
            // "Almost solved" (reduced accuracy, seen on a component of 8,790 hidden cells at 16×
            // the demo) is taken too: the audit checks every point against all relations before
            // believing it, and a point short of the optimum can only leave a quantity looking
            // implicit, which hides more, never less.
            SolverStatus::Solved | SolverStatus::AlmostSolved => {
                Ok(Some(solver.solution.x.clone()))
            }
            SolverStatus::PrimalInfeasible => Ok(None),
            status => bail!("the linear program was not solved: {status:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The flat rows give the matrix Clarabel's own triplet form gives: by column, rows
        /// ascending, a cell named twice in a row summed.
        #[test]
        fn the_matrix_is_the_triplet_matrix(
            rows in prop::collection::vec(
                (any::<bool>(), prop::collection::vec((0usize..6, -3i64..=3), 0..5)),
                0..12,
            ),
            vars in prop::collection::vec(any::<bool>(), 6),
        ) {
            let mut p = Lp::default();
            for &bounded in &vars {
                p.var(0.0, (0.0, if bounded { 7.0 } else { f64::INFINITY }));
            }
            for (equality, terms) in &rows {
                let terms: Vec<(usize, f64)> = terms.iter().map(|&(c, v)| (c, v as f64)).collect();
                if *equality { p.eq(terms, 1.0) } else { p.le(terms, 2.0) }
            }
            let (mut i, mut j, mut v) = (Vec::new(), Vec::new(), Vec::new());
            let all = p.equalities.iter().chain(p.inequalities.iter());
            for (row, (terms, _)) in all.enumerate() {
                for &(col, val) in terms {
                    i.push(row);
                    j.push(col);
                    v.push(val);
                }
            }
            let m = p.equalities.len() + p.inequalities.len();
            let expected = CscMatrix::new_from_triplets(m, 6, i, j, v);
            let got = p.matrix();
            prop_assert_eq!((got.m, got.n), (expected.m, expected.n));
            prop_assert_eq!(&got.colptr, &expected.colptr);
            prop_assert_eq!(&got.rowval, &expected.rowval);
            prop_assert_eq!(&got.nzval, &expected.nzval);
        }
    }
}
