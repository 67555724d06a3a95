//! Secondary suppression: starting from the primary pattern, hide more rows until no hidden cell can
//! be recomputed. Two passes, repeated until both are quiet:
//!
//! 1. relations with exactly one hidden cell get a partner (the smallest non-zero known cell of the
//!    relation: a count, or when nothing else is left, a whole population);
//! 2. the audit runs with the outsider knowing which hidden cells are not zero (so "two hidden 1s
//!    beside a known total" is a disclosure), and every cell it pins down gets a partner too: from
//!    its equalities; when the same cell is pinned down again after that, from its own
//!    inequalities that hold with equality at the true values first (a count between two equal
//!    counts, `instroom_direct` ≤ `instroom_binnen_1_jaar` ≤ `instroom_binnen_2_jaar` of one
//!    afdeling, stays pinned by them however many other schools hide their counts).
//!
//! Measured at 16× the demo (same primary pattern, 42,577 rows): with equality partners only, 78
//! rounds and 30,814 secondary suppressions — one such afdeling count was disclosed in each of
//! rounds 1–75 and given another school's count every time; with the tight inequalities first on
//! a repeat, 15 rounds and 29,186; with them beside the equalities on a repeat, 14 and 29,080 (but
//! a round per school in `a_count_pinned_by_its_window_chain_gets_a_partner_in_the_chain`, where
//! the equality partner is cheaper); with them beside the equalities from the first disclosure
//! on, 26 and 29,394. Nationally the old way disclosed 727–924 cells in every round from round 19
//! to 34 (stopped there), about one more school each round; now it is done after 13 rounds.

use std::collections::VecDeque;

use anyhow::Result;

use super::audit::{self, Knowledge};
use super::table::{Kind, Structure};

/// The pattern found and how it was reached.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub hidden: Vec<bool>,
    pub primary: usize,
    pub secondary: usize,
    /// Audit rounds needed until nothing was disclosed.
    pub rounds: usize,
}

/// True values the suppression may look at (never published).
pub struct Truth<'a> {
    pub numerator: &'a [i64],
    pub denominator: &'a [i64],
}

impl Truth<'_> {
    pub fn cell(&self, s: &Structure, cell: usize) -> i64 {
        if cell < s.rows() {
            self.numerator[cell]
        } else {
            self.denominator[s.pop_rows[cell - s.rows()][0]]
        }
    }
}

/// The rows that hiding `cell` takes, and what that costs: counts are cheap in proportion to
/// their size, a zero gives the least room (it protects only a partner above its own lower
/// bound), a whole population (every row of a unit's family) is the last resort.
///
/// Before the value comes how many equalities the hidden row would be the only hidden cell of: each
/// such relation needs a partner of its own, so a partner that lands in relations already holding
/// hidden cells starts no cascade.
fn cost(s: &Structure, truth: &Truth, hidden: &[bool], cell: usize) -> (u64, Vec<usize>) {
    if cell < s.rows() {
        let v = truth.numerator[cell].max(0) as u64;
        let penalty = if v == 0 { 1 << 20 } else { 0 };
        let exposed = s.cell_relations[cell]
            .iter()
            .filter(|&&r| s.relations[r].kind == Kind::Eq)
            .filter(|&&r| {
                !s.relations[r]
                    .terms
                    .iter()
                    .any(|&(c, _)| s.cell_hidden(c, hidden))
            })
            .count() as u64;
        ((exposed << 24) + penalty + v, vec![cell])
    } else {
        let rows: Vec<usize> = s.pop_rows[cell - s.rows()]
            .iter()
            .copied()
            .filter(|&r| !hidden[r])
            .collect();
        let v = truth.cell(s, cell).max(0) as u64;
        ((1 << 30) + v * rows.len() as u64, rows)
    }
}

/// The cheapest known cell among `relations`, as rows to hide. Rows in `fixed` (an earlier run
/// showed them with the same numbers, so hiding them protects nothing against a reader of that
/// run) are taken only when nothing else is left — as before they were known, never worse.
fn partner(
    s: &Structure,
    truth: &Truth,
    (hidden, fixed): (&[bool], &[bool]),
    relations: impl Iterator<Item = usize>,
    among: Among,
) -> Option<Vec<usize>> {
    relations
        .filter(|&r| match among {
            Among::Equalities => s.relations[r].kind == Kind::Eq,
            Among::TightInequalities => tight(s, truth, r),
        })
        .flat_map(|r| s.relations[r].terms.iter().map(|&(c, _)| c))
        .filter(|&c| !s.cell_hidden(c, hidden))
        .map(|c| cost(s, truth, hidden, c))
        .map(|(cost, rows)| {
            let known = rows.iter().any(|&r| fixed.get(r).copied().unwrap_or(false));
            (cost + if known { 1 << 40 } else { 0 }, rows)
        })
        .min_by_key(|(cost, rows)| (*cost, rows.first().copied()))
        .map(|(_, rows)| rows)
}

/// Which of the relations `partner` looks in.
#[derive(Clone, Copy)]
enum Among {
    Equalities,
    /// Inequalities that hold with equality at the true values (`tight`).
    TightInequalities,
}

/// Whether an inequality holds with equality at the true values: only then can it pin a cell.
fn tight(s: &Structure, truth: &Truth, relation: usize) -> bool {
    let rel = &s.relations[relation];
    rel.kind == Kind::Le
        && rel
            .terms
            .iter()
            .map(|&(c, k)| k * truth.cell(s, c))
            .sum::<i64>()
            == 0
}

struct Suppressor<'a> {
    s: &'a Structure,
    truth: &'a Truth<'a>,
    hidden: Vec<bool>,
    fixed: &'a [bool],
    queue: VecDeque<usize>,
    added: usize,
}

impl Suppressor<'_> {
    fn hide(&mut self, rows: Vec<usize>) {
        for r in rows {
            if self.hidden[r] {
                continue;
            }
            self.hidden[r] = true;
            self.added += 1;
            for cell in [r, self.s.row_pop[r]] {
                self.queue
                    .extend(self.s.cell_relations[cell].iter().copied());
            }
        }
    }

    /// Pass 1 until no relation has a single hidden cell.
    fn singletons(&mut self) {
        while let Some(r) = self.queue.pop_front() {
            let rel = &self.s.relations[r];
            if rel.kind != Kind::Eq {
                continue;
            }
            let hidden_count = rel
                .terms
                .iter()
                .filter(|&&(c, coef)| coef != 0 && self.s.cell_hidden(c, &self.hidden))
                .count();
            if hidden_count == 1 {
                let known = (self.hidden.as_slice(), self.fixed);
                if let Some(rows) = partner(
                    self.s,
                    self.truth,
                    known,
                    std::iter::once(r),
                    Among::Equalities,
                ) {
                    self.hide(rows);
                }
            }
        }
    }

    /// A partner for a disclosed cell: from its own relations, else from the nearest relation
    /// through other hidden cells (each relation looked at once). `again`: the cell was disclosed
    /// after an earlier partner, so its equalities are not what pins it: a partner from its own
    /// tight inequalities first.
    fn protect(&mut self, cell: usize, again: bool) {
        if again {
            let known = (self.hidden.as_slice(), self.fixed);
            let own = self.s.cell_relations[cell].iter().copied();
            if let Some(rows) = partner(self.s, self.truth, known, own, Among::TightInequalities) {
                self.hide(rows);
                return;
            }
        }
        let mut seen_cells = std::collections::HashSet::from([cell]);
        let mut seen_relations = std::collections::HashSet::new();
        let mut frontier = vec![cell];
        while !frontier.is_empty() {
            let rels: Vec<usize> = frontier
                .iter()
                .flat_map(|&c| self.s.cell_relations[c].iter().copied())
                .filter(|&r| seen_relations.insert(r))
                .collect();
            let known = (self.hidden.as_slice(), self.fixed);
            if let Some(rows) = partner(
                self.s,
                self.truth,
                known,
                rels.iter().copied(),
                Among::Equalities,
            ) {
                self.hide(rows);
                return;
            }
            frontier = rels
                .iter()
                .flat_map(|&r| self.s.relations[r].terms.iter().map(|&(c, _)| c))
                .filter(|&c| seen_cells.insert(c))
                .collect();
        }
    }
}

/// Extends `primary` to a pattern the audit cannot break, hiding a row in `fixed` only as a last
/// resort.
pub fn protect(s: &Structure, truth: &Truth, primary: &[bool], fixed: &[bool]) -> Result<Pattern> {
    let mut sup = Suppressor {
        s,
        truth,
        hidden: primary.to_vec(),
        fixed,
        queue: (0..s.relations.len()).collect(),
        added: 0,
    };
    let mut rounds = 0;
    // Late rounds usually add a partner or two: only the components they touched are solved again.
    // The true values are a feasible point of what the outsider knows, so each audit runs on the
    // tangent cone there (audit.rs, tangent.rs).
    let mut memo = audit::Memo::growing();
    let mut protected = std::collections::HashSet::new();
    loop {
        let clock = crate::progress::clock();
        let (solved, reused) = (memo.solved, memo.reused);
        sup.singletons();
        rounds += 1;
        let value = |c: usize| truth.cell(s, c);
        let lower = |c: usize| truth.cell(s, c).min(1);
        let disclosed: Vec<usize> = audit::disclosed_with(
            s,
            &Knowledge {
                hidden: &sup.hidden,
                value: &value,
                lower: &lower,
                point: Some(&value),
            },
            &mut memo,
        )?
        .into_iter()
        .map(|(cell, _)| cell)
        .collect();
        clock.note(format_args!(
            "disclosure round {rounds}: {} hidden, {} components solved, {} unchanged, {} cells \
             disclosed",
            sup.hidden.iter().filter(|&&h| h).count(),
            memo.solved - solved,
            memo.reused - reused,
            disclosed.len()
        ));
        let Some(&first) = disclosed.first() else {
            break;
        };
        let before = sup.added;
        for cell in disclosed {
            if s.cell_hidden(cell, &sup.hidden) {
                // A cell disclosed again after its partner: its equalities were not what pinned it.
                let again = !protected.insert(cell);
                sup.protect(cell, again);
            }
        }
        if sup.added == before {
            return Err(crate::exit::input_error(format!(
                "the disclosure audit refuses to publish: secondary suppression found no partner \
                 that protects the {} after {rounds} rounds; nothing was published",
                s.describe(first)
            )));
        }
    }
    let primary_count = primary.iter().filter(|&&h| h).count();
    Ok(Pattern {
        secondary: sup.added,
        hidden: sup.hidden,
        primary: primary_count,
        rounds,
    })
}
