//! Which small units are also published pooled (definitions.md §8, `[privacy] pool_below`): a
//! school or afdeling with fewer alumni per cohort than `pool_below`, on average over a fixed
//! three-cohort window (bundle_candidates.sql), gets that window's pooled rows beside its single
//! cohorts; every other unit's pooled rows are left out of the bundle. Secondary suppression then
//! treats pooled and single rows alike ("a pooled row sums its single cohorts").
//!
//! Measured on the demo (8 small afdeling windows): hiding the small units' single cohorts in
//! favour of the pooled rows published 4 pooled rows and cost 488 afdeling, 141 school and 11
//! region single-cohort figures; adding them beside the singles publishes 34 pooled rows for 30
//! afdeling, 8 school and 2 region figures.
//!
//! A window pooled in an earlier run (the register) stays pooled: its pooled numbers are known,
//! and without them in the table the audit could not see what they give away.

use std::collections::{BTreeMap, HashSet};

use super::{Key, Row, Text};

/// (unit type, unit id, window's last cohort).
pub type Window = (Text, Text, i32);

/// The window a cohort belongs to, named by its last cohort: 2019–2021, 2022–2024, … (the last
/// cohorts leave 2 when divided by 3).
pub fn window_of(cohort: i32) -> i32 {
    cohort + (2 - cohort.rem_euclid(3) + 3) % 3
}

fn window_key(k: &Key) -> Window {
    (k.unit_type.clone(), k.unit_id.clone(), window_of(k.cohort))
}

/// The windows an earlier run published pooled rows of (from the register).
pub fn pooled_before<'a>(published: impl Iterator<Item = &'a Key>) -> HashSet<Window> {
    published
        .filter(|k| k.cohort_window == 3 && k.cohort_basis == "diploma")
        .map(window_key)
        .collect()
}

/// The rows to protect: every single-cohort row, and the pooled rows of the small units' windows
/// (and of the windows pooled before). Also returns how many windows are pooled.
pub fn choose(rows: Vec<Row>, pool_below: u64, before: &HashSet<Window>) -> (Vec<Row>, usize) {
    // Alumni per unit and window: the denominators of the single-cohort direct-inflow rows.
    let mut alumni: BTreeMap<Window, i64> = BTreeMap::new();
    for r in &rows {
        let k = &r.key;
        if k.cohort_window == 1
            && k.cohort_basis == "diploma"
            && k.inflow_basis.is_empty()
            && k.indicator == "instroom_direct"
        {
            *alumni.entry(window_key(k)).or_default() += r.denominator;
        }
    }
    let pooled = |w: &Window| {
        before.contains(w) || alumni.get(w).copied().unwrap_or(0) < 3 * pool_below as i64
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| r.key.cohort_window == 1 || pooled(&window_key(&r.key)))
        .collect();
    let windows: HashSet<Window> = rows
        .iter()
        .filter(|r| r.key.cohort_window == 3)
        .map(|r| window_key(&r.key))
        .collect();
    let count = windows.len();
    (rows, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_windows_are_2019_2021_2022_2024_and_so_on() {
        // Hand-listed: the windows of formats.md's `pool_below`.
        for (cohort, window) in [
            (2019, 2021),
            (2020, 2021),
            (2021, 2021),
            (2022, 2024),
            (2024, 2024),
            (2025, 2027),
        ] {
            assert_eq!(window_of(cohort), window, "{cohort}");
        }
    }
}
