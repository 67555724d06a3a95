//! The linear-algebra half of the audit: which hidden cells the published equalities determine
//! whatever the bounds. A hidden cell is determined exactly when its unit vector lies in the row
//! space of the equalities restricted to the hidden cells; that is decided by sparse Gaussian
//! elimination to reduced row echelon form, modulo two large primes (a rational determination
//! survives reduction modulo every prime not dividing its denominators, and a rational freedom
//! modulo every prime not dividing its integer null vector; a cell counts as determined when either
//! prime says so).

use std::collections::{BTreeMap, HashMap};

/// 2⁶¹ − 1 and 2⁶² − 57: both of the form 2ᵏ − c with a small c, so a product reduces with shifts
/// and one small multiplication (`mul`) instead of a 128-bit division (`__umodti3`: 9.5 % of the
/// disclosure stage's CPU samples at 16× the demo, `perf`; none after).
const PRIMES: [u64; 2] = [(1 << 61) - 1, (1 << 62) - 57];

/// `a · b mod p` for `a, b < p` and `p` one of `PRIMES`: with `p = 2ᵏ − c`, `2ᵏ ≡ c`, so the high
/// part of a number folds onto its low part as `hi · c + lo` until it is below `2ᵏ`, then at most
/// one `p` comes off.
fn mul(a: u64, b: u64, p: u64) -> u64 {
    let k = 64 - p.leading_zeros();
    let c = (1u128 << k) - u128::from(p);
    let low = (1u128 << k) - 1;
    let mut x = u128::from(a) * u128::from(b);
    while x > low {
        x = (x >> k) * c + (x & low);
    }
    let x = x as u64;
    if x >= p {
        x - p
    } else {
        x
    }
}

/// `a − b mod p` for `a, b < p`.
fn sub_mod(a: u64, b: u64, p: u64) -> u64 {
    if a >= b {
        a - b
    } else {
        a + (p - b)
    }
}

/// `a + b mod p` for `a, b < p` (below 2⁶³, so the sum does not overflow).
fn add_mod(a: u64, b: u64, p: u64) -> u64 {
    let x = a + b;
    if x >= p {
        x - p
    } else {
        x
    }
}

fn pow(mut a: u64, mut e: u64, p: u64) -> u64 {
    let mut r = 1;
    while e > 0 {
        if e & 1 == 1 {
            r = mul(r, a, p);
        }
        a = mul(a, a, p);
        e >>= 1;
    }
    r
}

fn inv(a: u64, p: u64) -> u64 {
    pow(a, p - 2, p)
}

/// A sparse row: sorted (column, value) with no zero values.
type SparseRow = Vec<(usize, u64)>;

/// `a - f * b` modulo p.
fn axpy(a: &SparseRow, f: u64, b: &SparseRow, p: u64) -> SparseRow {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let ca = a.get(i).map_or(usize::MAX, |t| t.0);
        let cb = b.get(j).map_or(usize::MAX, |t| t.0);
        if ca < cb {
            out.push(a[i]);
            i += 1;
        } else {
            let sub = mul(f, b[j].1, p);
            let v = if ca == cb {
                let v = sub_mod(a[i].1, sub, p);
                i += 1;
                v
            } else {
                sub_mod(0, sub, p)
            };
            if v != 0 {
                out.push((cb, v));
            }
            j += 1;
        }
    }
    out
}

/// Row echelon form of `rows` modulo `p`: the pivot rows by leading column, and which input rows
/// were independent of the rows before them.
fn echelon_mod(rows: &[Vec<(usize, i64)>], p: u64) -> (HashMap<usize, SparseRow>, Vec<bool>) {
    let mut pivots: HashMap<usize, SparseRow> = HashMap::new();
    let mut independent = Vec::with_capacity(rows.len());
    for row in rows {
        let mut r: SparseRow = row
            .iter()
            .map(|&(c, v)| (c, v.rem_euclid(p as i64) as u64))
            .filter(|t| t.1 != 0)
            .collect();
        r.sort_unstable_by_key(|t| t.0);
        // Merge duplicate columns.
        let mut merged: SparseRow = Vec::with_capacity(r.len());
        for (c, v) in r {
            match merged.last_mut() {
                Some(last) if last.0 == c => last.1 = add_mod(last.1, v, p),
                _ => merged.push((c, v)),
            }
        }
        merged.retain(|t| t.1 != 0);
        let mut r = merged;
        let mut new_pivot = false;
        while let Some(&(lead, v)) = r.first() {
            match pivots.get(&lead) {
                Some(pivot) => r = axpy(&r, v, pivot, p),
                None => {
                    let f = inv(v, p);
                    let normalised = r.iter().map(|&(c, x)| (c, mul(x, f, p))).collect();
                    pivots.insert(lead, normalised);
                    new_pivot = true;
                    break;
                }
            }
        }
        independent.push(new_pivot);
    }
    (pivots, independent)
}

/// Which rows are linearly independent of the rows before them (over the rationals: a row
/// independent modulo a prime is independent over the rationals; the converse fails only for a
/// prime dividing a minor, which callers guard against by checking every row afterwards).
pub fn independent(rows: &[Vec<(usize, i64)>]) -> Vec<bool> {
    echelon_mod(rows, PRIMES[0]).1
}

/// A relabelling that puts the marked columns last, so echelon form eliminates the others first
/// (a row's leading column is its smallest label): each column's label, each label's column, and
/// the first label of a marked column.
fn last_columns(marked: &[bool]) -> (Vec<usize>, Vec<usize>, usize) {
    let mut label = vec![0; marked.len()];
    let mut column = vec![0; marked.len()];
    let mut next = 0;
    for pass in [false, true] {
        for (c, &m) in marked.iter().enumerate() {
            if m == pass {
                label[c] = next;
                column[next] = c;
                next += 1;
            }
        }
    }
    (label, column, marked.iter().filter(|&&m| !m).count())
}

/// For each column marked `alone`: can it move while every other `alone` column stays put? That
/// is, is its unit vector in the projection of the null space onto the `alone` columns? It is
/// exactly when, after eliminating the other columns first, no remaining row (a row over `alone`
/// columns only) touches it. Modulo a prime the remaining rows can only gain support, so a column
/// counts as movable only when both primes agree.
pub fn movable_alone(rows: &[Vec<(usize, i64)>], alone: &[bool]) -> Vec<bool> {
    let (label, _, first_alone) = last_columns(alone);
    let relabelled: Vec<Vec<(usize, i64)>> = rows
        .iter()
        .map(|r| r.iter().map(|&(c, v)| (label[c], v)).collect())
        .collect();
    let mut touched = vec![false; alone.len()];
    for p in PRIMES {
        let (pivots, _) = echelon_mod(&relabelled, p);
        for (&lead, row) in &pivots {
            if lead >= first_alone {
                for &(c, _) in row {
                    touched[c] = true;
                }
            }
        }
    }
    (0..alone.len())
        .map(|c| alone[c] && !touched[label[c]])
        .collect()
}

/// `determined` modulo `p`: a column is determined exactly when every vector of the null space is
/// zero there, so one *random* null-space vector settles all columns at once — each free column
/// random, each pivot column solved from its echelon row, last pivot first (no reduction to reduced
/// row echelon form, whose fill-in made this the audit's largest cost at 16× the demo). A column
/// that is not determined is a non-constant linear form of the free columns, zero by chance with
/// probability 1/p (about 4·10⁻¹⁹) and then counted as determined: more suppression, never
/// less. The seed is fixed, so a run is repeatable.
fn determined_mod(rows: &[Vec<(usize, i64)>], columns: usize, p: u64) -> Vec<bool> {
    use rand::{Rng, SeedableRng};
    let (pivots, _) = echelon_mod(rows, p);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(p ^ columns as u64);
    let mut v: Vec<u64> = (0..columns)
        .map(|c| {
            if pivots.contains_key(&c) {
                0
            } else {
                rng.random_range(1..p)
            }
        })
        .collect();
    let mut order: Vec<usize> = pivots.keys().copied().collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    for c in order {
        // The pivot row is normalised (leading 1): v_c = −Σ a_j·v_j over its other columns.
        let sum = pivots[&c]
            .iter()
            .skip(1)
            .fold(0, |acc, &(j, a)| add_mod(acc, mul(a, v[j], p), p));
        v[c] = sub_mod(0, sum, p);
    }
    v.into_iter().map(|x| x == 0).collect()
}

/// `determined_mod` by reduction to reduced row echelon form: the oracle its tests compare with.
#[cfg(test)]
fn determined_mod_rref(rows: &[Vec<(usize, i64)>], columns: usize, p: u64) -> Vec<bool> {
    let (mut pivots, _) = echelon_mod(rows, p);
    // Back substitution in descending pivot order: each pivot row keeps its pivot and free
    // columns only.
    let mut order: Vec<usize> = pivots.keys().copied().collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let mut reduced: HashMap<usize, SparseRow> = HashMap::with_capacity(order.len());
    for c in order {
        let mut r = pivots.remove(&c).expect("pivot");
        loop {
            let next = r
                .iter()
                .skip(1)
                .find(|&&(j, _)| reduced.contains_key(&j))
                .copied();
            match next {
                Some((j, v)) => r = axpy(&r, v, &reduced[&j], p),
                None => break,
            }
        }
        reduced.insert(c, r);
    }
    let mut determined = vec![false; columns];
    for (c, r) in reduced {
        determined[c] = r.len() == 1;
    }
    determined
}

/// The columns the equalities determine (see the module text).
pub fn determined(rows: &[Vec<(usize, i64)>], columns: usize) -> Vec<bool> {
    let mut out = vec![false; columns];
    for p in PRIMES {
        for (o, d) in out.iter_mut().zip(determined_mod(rows, columns, p)) {
            *o |= d;
        }
    }
    out
}

/// The relations the equalities `rows` imply among the `keep` columns alone: every other column is
/// eliminated first (Gaussian elimination over the integers, each row divided by the gcd of its
/// coefficients), and the echelon rows left over `keep` columns only are returned. Their solutions
/// are exactly the projections of the solutions of `rows` onto the `keep` columns. `None` when a
/// coefficient outgrows `i64` (callers then take another way).
pub fn eliminate(rows: &[Vec<(usize, i64)>], keep: &[bool]) -> Option<Vec<Vec<(usize, i64)>>> {
    let (label, column, first_kept) = last_columns(keep);
    let mut pivots: HashMap<usize, Vec<(usize, i64)>> = HashMap::new();
    for row in rows {
        let mut merged: BTreeMap<usize, i64> = BTreeMap::new();
        for &(c, v) in row {
            let e = merged.entry(label[c]).or_default();
            *e = e.checked_add(v)?;
        }
        let mut r = reduced(merged.into_iter().filter(|t| t.1 != 0).collect())?;
        while let Some(&(lead, v)) = r.first() {
            match pivots.get(&lead) {
                Some(pivot) => r = cancel(&r, v, pivot)?,
                None => {
                    pivots.insert(lead, r);
                    break;
                }
            }
        }
    }
    let mut kept: Vec<(usize, Vec<(usize, i64)>)> = pivots
        .into_iter()
        .filter(|(lead, _)| *lead >= first_kept)
        .collect();
    kept.sort_unstable_by_key(|(lead, _)| *lead);
    Some(
        kept.into_iter()
            .map(|(_, r)| r.into_iter().map(|(c, v)| (column[c], v)).collect())
            .collect(),
    )
}

fn gcd(mut a: i64, mut b: i64) -> i64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

/// The row divided by the gcd of its coefficients, leading coefficient positive.
fn reduced(mut r: Vec<(usize, i64)>) -> Option<Vec<(usize, i64)>> {
    let g = r.iter().fold(0, |g, t| gcd(g, t.1));
    let sign = if r.first().is_some_and(|t| t.1 < 0) {
        -1
    } else {
        1
    };
    if g > 1 || sign < 0 {
        for t in &mut r {
            t.1 = t.1.checked_div(g)?.checked_mul(sign)?;
        }
    }
    Some(r)
}

/// `a` with its leading coefficient `v` cancelled by `pivot` (same leading column), over the
/// integers: `(p / g)·a − (v / g)·pivot` with `p` the pivot's leading coefficient and `g` their gcd.
fn cancel(a: &[(usize, i64)], v: i64, pivot: &[(usize, i64)]) -> Option<Vec<(usize, i64)>> {
    let p = pivot[0].1;
    let g = gcd(p, v);
    let (fa, fb) = (p / g, v / g);
    let mut out = Vec::with_capacity(a.len() + pivot.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < pivot.len() {
        let ca = a.get(i).map_or(usize::MAX, |t| t.0);
        let cb = pivot.get(j).map_or(usize::MAX, |t| t.0);
        let (c, x) = if ca < cb {
            i += 1;
            (ca, a[i - 1].1.checked_mul(fa)?)
        } else if cb < ca {
            j += 1;
            (cb, pivot[j - 1].1.checked_mul(fb)?.checked_neg()?)
        } else {
            i += 1;
            j += 1;
            let x = a[i - 1].1.checked_mul(fa)?;
            (ca, x.checked_sub(pivot[j - 1].1.checked_mul(fb)?)?)
        };
        if x != 0 {
            out.push((c, x));
        }
    }
    reduced(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folding reduction against the 128-bit remainder it replaced, at the edges (0, 1,
    /// p − 1, values just below 2ᵏ's multiples) and on random operands.
    #[test]
    fn modular_products_equal_the_128_bit_remainder() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for p in PRIMES {
            let mut values = vec![0, 1, 2, 56, 57, 58, p / 2, p - 2, p - 1];
            values.extend((0..200).map(|_| rng.random_range(0..p)));
            for &a in &values {
                for &b in &values {
                    let expected = (u128::from(a) * u128::from(b) % u128::from(p)) as u64;
                    assert_eq!(mul(a, b, p), expected, "{a} * {b} mod {p}");
                    let sum = ((u128::from(a) + u128::from(b)) % u128::from(p)) as u64;
                    assert_eq!(add_mod(a, b, p), sum, "{a} + {b} mod {p}");
                    let difference = (i128::from(a) - i128::from(b)).rem_euclid(i128::from(p));
                    assert_eq!(sub_mod(a, b, p) as i128, difference, "{a} - {b} mod {p}");
                }
            }
        }
    }

    #[test]
    fn a_total_and_one_unknown_part_is_determined_two_are_not() {
        // x0 + x1 = known, x2 alone = known: x2 determined, x0 and x1 free.
        let rows = vec![vec![(0, 1), (1, 1)], vec![(2, 1)]];
        assert_eq!(determined(&rows, 3), vec![false, false, true]);
    }

    #[test]
    fn differences_of_two_relations_determine_a_cell() {
        // x0 + x1 = a, x1 + x2 = b, x0 + x2 = c: all three determined (a rank-3 system).
        let rows = vec![
            vec![(0, 1), (1, 1)],
            vec![(1, 1), (2, 1)],
            vec![(0, 1), (2, 1)],
        ];
        assert_eq!(determined(&rows, 3), vec![true, true, true]);
        // x0 + x1 = a, x2 + x3 = b, x0 + x2 = c, x1 + x3 = d: a 2x2 table, rank 3, none determined.
        let rows = vec![
            vec![(0, 1), (1, 1)],
            vec![(2, 1), (3, 1)],
            vec![(0, 1), (2, 1)],
            vec![(1, 1), (3, 1)],
        ];
        assert_eq!(determined(&rows, 4), vec![false; 4]);
    }

    #[test]
    fn a_column_moves_alone_unless_the_others_pin_it() {
        // x0 + x1 − x2 = 0 (x2 free to compensate): x0 and x1 each move alone.
        let rows = vec![vec![(0, 1), (1, 1), (2, -1)]];
        assert_eq!(
            movable_alone(&rows, &[true, true, false]),
            vec![true, true, false]
        );
        // x0 + x1 = 0 with both held: neither moves alone (they only move together).
        let rows = vec![vec![(0, 1), (1, 1)]];
        assert_eq!(movable_alone(&rows, &[true, true]), vec![false, false]);
        // x0 − x2 = 0, x1 − x2 = 0: x2 is not held but moving x0 moves x1.
        let rows = vec![vec![(0, 1), (2, -1)], vec![(1, 1), (2, -1)]];
        assert_eq!(
            movable_alone(&rows, &[true, true, false]),
            vec![false, false, false]
        );
    }

    #[test]
    fn eliminating_a_column_leaves_the_relation_among_the_others() {
        // x0 + x1 = 0 and x0 − x2 = 0 (x0 eliminated): x1 + x2 = 0. Hand-derived.
        let rows = vec![vec![(0, 1), (1, 1)], vec![(0, 1), (2, -1)]];
        let kept = eliminate(&rows, &[false, true, true]).unwrap();
        assert_eq!(kept, vec![vec![(1, 1), (2, 1)]]);
        // Nothing links x1 and x2 when x0 and x3 are free: no relation is left.
        let rows = vec![vec![(0, 1), (1, 1)], vec![(3, 1), (2, -1)]];
        assert!(eliminate(&rows, &[false, true, true, false])
            .unwrap()
            .is_empty());
        // 2·x0 + 3·x1 = 0 and 4·x0 + 6·x2 = 0: 3·x1 − 3·x2 = 0, reduced to x1 − x2 = 0.
        let rows = vec![vec![(0, 2), (1, 3)], vec![(0, 4), (2, 6)]];
        assert_eq!(
            eliminate(&rows, &[false, true, true]).unwrap(),
            vec![vec![(1, 1), (2, -1)]]
        );
    }

    #[test]
    fn elimination_refuses_coefficients_beyond_i64() {
        let big = i64::MAX / 2 + 1;
        let rows = vec![vec![(0, 3), (1, big)], vec![(0, 2), (2, 1)]];
        assert_eq!(eliminate(&rows, &[false, true, true]), None);
    }

    proptest::proptest! {
        /// The random null-space vector names exactly the columns that reduced row echelon form
        /// (a row with its pivot alone) names, on random small integer systems.
        #[test]
        fn a_random_null_space_vector_finds_the_determined_columns(
            rows in proptest::collection::vec(
                proptest::collection::vec((0usize..8, -3i64..4), 1..4),
                0..9,
            ),
        ) {
            for p in PRIMES {
                proptest::prop_assert_eq!(
                    determined_mod(&rows, 8, p),
                    determined_mod_rref(&rows, 8, p)
                );
            }
        }
    }
}
