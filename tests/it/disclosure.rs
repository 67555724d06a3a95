//! Disclosure control on hand-built tables whose weak spots are known in advance: sdcTable's 4×4
//! table from `tests/testthat/test-simpleheuristic.R`, a region of three schools, two hidden 1s
//! beside a known total, pooled windows, derived indicators.

use doorstroom::disclosure::{self, audit_published, Key, Published, Row};

/// One afdeling-level table: `cells[(school, niveau)] = count`, with school, niveau and region
/// totals derived (numerator = denominator = count, one indicator) so the only relations are the
/// table's own margins.
fn table(cells: &[(&str, &str, i64)]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut add = |unit_type: &str, unit_id: String, n: i64| {
        rows.push(Row {
            key: key_2020(unit_type, &unit_id, "instroom_direct"),
            numerator: n,
            denominator: n,
            value: 1.0,
            ci_low: 0.9,
            ci_high: 1.0,
            primary: false,
        })
    };
    let mut schools = std::collections::BTreeMap::new();
    let mut niveaus = std::collections::BTreeMap::new();
    for &(school, niveau, n) in cells {
        add("afdeling", format!("{school}:{niveau}"), n);
        *schools.entry(school).or_insert(0) += n;
        *niveaus.entry(niveau).or_insert(0) += n;
    }
    for (s, n) in &schools {
        add("school", s.to_string(), *n);
    }
    for (v, n) in &niveaus {
        add("niveau", v.to_string(), *n);
    }
    add("regio", "regio".into(), schools.values().sum());
    rows
}

/// The key of a single-cohort row of cohort 2020 on the diploma basis.
fn key_2020(unit_type: &str, unit_id: &str, indicator: &str) -> Key {
    Key {
        cohort: 2020,
        cohort_basis: "diploma".into(),
        inflow_basis: "".into(),
        cohort_window: 1,
        unit_type: unit_type.into(),
        unit_id: unit_id.into(),
        indicator: indicator.into(),
    }
}

fn hide(rows: &mut [Row], unit_ids: &[&str]) {
    for r in rows.iter_mut() {
        if unit_ids.contains(&r.key.unit_id.as_str()) {
            r.primary = true;
        }
    }
}

fn publish_as_is(rows: &[Row]) -> Vec<Published> {
    rows.iter()
        .map(|r| Published {
            key: r.key.clone(),
            numbers: (!r.primary).then_some(disclosure::Numbers {
                numerator: r.numerator,
                denominator: r.denominator,
                value: r.value,
                ci_low: r.ci_low,
                ci_high: r.ci_high,
            }),
        })
        .collect()
}

fn hidden_ids(published: &[Published]) -> Vec<String> {
    published
        .iter()
        .filter(|p| p.numbers.is_none())
        .map(|p| p.key.unit_id.to_string())
        .collect()
}

/// sdcTable's table: rows w..z (schools), columns a..d (niveaus); the R test's nine cells marked.
fn sdc_table() -> Vec<Row> {
    let freq = [
        ("WWWW01", [30, 47, 64, 89]),
        ("XXXX01", [90, 124, 5, 31]),
        ("YYYY01", [92, 100, 59, 85]),
        ("ZZZZ01", [800, 991, 651, 685]),
    ];
    let cells: Vec<(&str, &str, i64)> = freq
        .iter()
        .flat_map(|(s, row)| {
            ["a", "b", "c", "d"]
                .iter()
                .zip(row)
                .map(move |(n, f)| (*s, *n, *f))
        })
        .collect();
    let mut rows = table(&cells);
    hide(
        &mut rows,
        &[
            "WWWW01:a", "WWWW01:b", "WWWW01:c", "XXXX01:a", "XXXX01:c", "YYYY01:b", "YYYY01:d",
            "ZZZZ01:b", "ZZZZ01:d",
        ],
    );
    rows
}

#[test]
fn sdctable_4x4_pattern_with_two_suppressions_per_line_still_discloses_w_b() {
    let rows = sdc_table();
    // Margins as the R test writes them down (an independent check of the table above). The R
    // test's column totals for a and c (1021, 770) do not match its cells; `makeProblem` derives
    // the margins from the inner cells as we do, and a + c, the sum the attack uses, is the same.
    let total = |id: &str| rows.iter().find(|r| r.key.unit_id == id).unwrap().numerator;
    assert_eq!(
        (
            total("WWWW01"),
            total("XXXX01"),
            total("YYYY01"),
            total("ZZZZ01")
        ),
        (230, 250, 336, 3127)
    );
    assert_eq!((total("b"), total("d")), (1262, 890));
    assert_eq!(total("a") + total("c"), 1021 + 770);
    assert_eq!(total("regio"), 3943);
    let report = audit_published(&publish_as_is(&rows)).unwrap();
    // w|b = (230 + 250) − (89 + 124 + 31) − ((1021 + 770) − (92 + 59 + 800 + 651)) = 47.
    assert_eq!(report.disclosed.len(), 2, "{:?}", report.disclosed);
    assert!(report
        .disclosed
        .iter()
        .all(|d| d.contains("afdeling WWWW01:b")));
}

#[test]
fn sdctable_4x4_is_protected_by_secondary_suppression() {
    let rows = sdc_table();
    let protected = disclosure::protect(rows, &[]).unwrap();
    let hidden = hidden_ids(&protected.rows);
    assert!(hidden.len() > 9, "{hidden:?}");
    for primary in ["WWWW01:a", "WWWW01:b", "ZZZZ01:d"] {
        assert!(hidden.contains(&primary.to_string()));
    }
    let report = audit_published(&protected.rows).unwrap();
    assert!(report.disclosed.is_empty(), "{:?}", report.disclosed);
}

#[test]
fn region_minus_two_schools_does_not_reveal_the_third() {
    let mut rows = table(&[
        ("AAAA01", "havo", 4),
        ("BBBB01", "havo", 60),
        ("CCCC01", "havo", 80),
    ]);
    hide(&mut rows, &["AAAA01", "AAAA01:havo"]);
    // Published as is, region − B − C gives A.
    let naive = audit_published(&publish_as_is(&rows)).unwrap();
    assert!(naive.disclosed.iter().any(|d| d.contains("school AAAA01")));
    let protected = disclosure::protect(rows, &[]).unwrap();
    let hidden = hidden_ids(&protected.rows);
    // Independently: A stays unknown only if B or C (or the region) is hidden too.
    assert!(
        hidden
            .iter()
            .any(|h| h.starts_with("BBBB01") || h.starts_with("CCCC01") || h == "regio"),
        "{hidden:?}"
    );
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

#[test]
fn two_hidden_ones_beside_a_known_total_are_not_hidden() {
    // Three schools in one niveau: A and B have one alumnus each in this niveau's direct inflow.
    let mut rows = table(&[
        ("AAAA01", "havo", 1),
        ("BBBB01", "havo", 1),
        ("CCCC01", "havo", 30),
    ]);
    hide(
        &mut rows,
        &["AAAA01", "AAAA01:havo", "BBBB01", "BBBB01:havo"],
    );
    // An outsider who knows hidden cells are not zero reads A = B = 1 off the total of 2; the
    // site-only audit (non-negativity alone) cannot see it, so protection must hide more.
    let protected = disclosure::protect(rows, &[]).unwrap();
    let hidden = hidden_ids(&protected.rows);
    assert!(hidden.len() > 4, "{hidden:?}");
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

/// A pooled window and its single cohorts: hiding one single cohort alone would be undone by
/// pooled − the other two.
#[test]
fn pooled_windows_do_not_reveal_a_single_cohort() {
    let mut rows = Vec::new();
    for (cohort, window, n, d) in [
        (2018, 1, 40, 50),
        (2019, 1, 3, 50),
        (2020, 1, 41, 50),
        (2020, 3, 84, 150),
    ] {
        rows.push(Row {
            key: Key {
                cohort,
                cohort_basis: "diploma".into(),
                inflow_basis: "".into(),
                cohort_window: window,
                unit_type: "regio".into(),
                unit_id: "regio".into(),
                indicator: "instroom_direct".into(),
            },
            numerator: n,
            denominator: d,
            value: n as f64 / d as f64,
            ci_low: 0.0,
            ci_high: 1.0,
            primary: n < 5,
        });
    }
    let naive = audit_published(&publish_as_is(&rows)).unwrap();
    assert!(naive.disclosed.iter().any(|d| d.contains("cohort 2019")));
    let protected = disclosure::protect(rows, &[]).unwrap();
    assert!(
        protected
            .rows
            .iter()
            .filter(|r| r.numbers.is_none())
            .count()
            >= 2
    );
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

/// A row an earlier run published with the same numbers is known to every reader of that site:
/// secondary suppression protects the hidden school with another partner when there is one. Without the earlier
/// run the cheapest partner is the smaller school B (the same table as
/// `region_minus_two_schools_does_not_reveal_the_third`).
#[test]
fn a_row_published_before_is_not_the_partner_when_another_will_do() {
    let rows = || {
        let mut rows = table(&[
            ("AAAA01", "havo", 4),
            ("BBBB01", "havo", 60),
            ("CCCC01", "havo", 80),
        ]);
        hide(&mut rows, &["AAAA01", "AAAA01:havo"]);
        rows
    };
    let fresh = hidden_ids(&disclosure::protect(rows(), &[]).unwrap().rows);
    assert!(fresh.iter().any(|h| h.starts_with("BBBB01")), "{fresh:?}");

    let rows = rows();
    let shown_before: Vec<bool> = rows
        .iter()
        .map(|r| r.key.unit_id.starts_with("BBBB01"))
        .collect();
    let protected = disclosure::protect_with(rows, &[], &shown_before).unwrap();
    let hidden = hidden_ids(&protected.rows);
    assert!(
        !hidden.iter().any(|h| h.starts_with("BBBB01")),
        "{hidden:?}"
    );
    assert!(hidden.iter().any(|h| h.starts_with("AAAA01")), "{hidden:?}");
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

/// A small afdeling's pooled window beside single cohorts of the school, which is not pooled: the
/// pooled slice has no school row, so no sum into the school may be claimed there, and a hidden
/// single cohort of the afdeling stays hidden (pooled − the other two singles would give it).
#[test]
fn a_pooled_afdeling_under_an_unpooled_school() {
    let mut rows = Vec::new();
    let mut add = |cohort, window, unit_type: &str, unit_id: &str, n: i64| {
        rows.push(Row {
            key: Key {
                cohort,
                cohort_basis: "diploma".into(),
                inflow_basis: "".into(),
                cohort_window: window,
                unit_type: unit_type.into(),
                unit_id: unit_id.into(),
                indicator: "instroom_direct".into(),
            },
            numerator: n,
            denominator: n,
            value: 1.0,
            ci_low: 0.9,
            ci_high: 1.0,
            primary: n < 5,
        })
    };
    // Afdeling A small (9 + 3 + 8 = 20), afdeling B large; school = A + B per cohort.
    for (cohort, a, b) in [(2022, 9, 60), (2023, 3, 70), (2024, 8, 65)] {
        add(cohort, 1, "afdeling", "AAAA01:vmbo-gl", a);
        add(cohort, 1, "afdeling", "AAAA01:havo", b);
        add(cohort, 1, "school", "AAAA01", a + b);
    }
    add(2024, 3, "afdeling", "AAAA01:vmbo-gl", 20);
    let naive = audit_published(&publish_as_is(&rows)).unwrap();
    assert!(
        naive.disclosed.iter().any(|d| d.contains("cohort 2023")),
        "{:?}",
        naive.disclosed
    );
    let protected = disclosure::protect(rows, &[]).unwrap();
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

/// The published CSV: a suppressed row keeps its keys with every number empty, and a unit name
/// that a spreadsheet would run as a formula is written inert. Expected text written by hand.
#[test]
fn published_csv_keeps_keys_of_suppressed_rows_and_guards_formulas() {
    let mut rows = table(&[("=HYPERLINK(\"x\")", "havo", 40), ("BBBB01", "havo", 3)]);
    hide(&mut rows, &["BBBB01:havo"]);
    let published = publish_as_is(&rows[..2]);
    let text = String::from_utf8(disclosure::export::to_csv(&published).unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "cohort,cohort_basis,inflow_basis,cohort_window,unit_type,unit_id,indicator,numerator,denominator,value,ci_low,ci_high,suppressed"
    );
    assert!(
        lines[1].starts_with(
            "2020,diploma,,1,afdeling,\"'=HYPERLINK(\"\"x\"\"):havo\",instroom_direct,40,40,"
        ),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",false"), "{}", lines[1]);
    assert_eq!(
        lines[2],
        "2020,diploma,,1,afdeling,BBBB01:havo,instroom_direct,,,,,,true"
    );
}

/// Secondary suppression remembers each component's verdict between its rounds. A remembered
/// verdict must only come back for the very same component: here the same four hidden cells, first
/// pinned by their bounds, then (other values, same pattern) free.
#[test]
fn a_remembered_audit_verdict_is_never_served_for_changed_values() {
    use disclosure::audit::{self, Knowledge, Memo};
    use disclosure::secondary::Truth;
    use disclosure::table::Structure;

    let hidden_block = ["A:havo", "A:vwo", "B:havo", "B:vwo"];
    let verdict = |cells: &[(&str, &str, i64)], memo: &mut Memo| {
        let mut rows = table(cells);
        hide(&mut rows, &hidden_block);
        let s = Structure::new(rows.iter().map(|r| r.key.clone()).collect());
        let numerator: Vec<i64> = rows.iter().map(|r| r.numerator).collect();
        let denominator = numerator.clone();
        let truth = Truth {
            numerator: &numerator,
            denominator: &denominator,
        };
        let hidden: Vec<bool> = rows.iter().map(|r| r.primary).collect();
        let value = |c: usize| truth.cell(&s, c);
        let lower = |c: usize| truth.cell(&s, c).min(1);
        let k = Knowledge {
            hidden: &hidden,
            value: &value,
            lower: &lower,
            point: None,
        };
        let remembered = audit::disclosed_with(&s, &k, memo).unwrap();
        assert_eq!(remembered, audit::disclosed(&s, &k).unwrap());
        remembered
    };
    // School A has 2 alumni over two afdelingen, each at least 1 (the data owner knows neither is
    // empty): both are 1, whatever B holds.
    let pinned = [
        ("A", "havo", 1),
        ("A", "vwo", 1),
        ("B", "havo", 5),
        ("B", "vwo", 6),
    ];
    // A has 4: A:havo can be 1, 2 or 3 — nothing pinned.
    let free = [
        ("A", "havo", 2),
        ("A", "vwo", 2),
        ("B", "havo", 5),
        ("B", "vwo", 6),
    ];

    let mut memo = Memo::default();
    assert!(!verdict(&pinned, &mut memo).is_empty());
    let solved = memo.solved;
    assert!(verdict(&free, &mut memo).is_empty());
    assert!(
        memo.solved > solved,
        "the changed component was not solved again"
    );
    let (solved, reused) = (memo.solved, memo.reused);
    assert!(!verdict(&pinned, &mut memo).is_empty());
    assert_eq!(
        memo.solved, solved,
        "the unchanged component was solved again"
    );
    assert!(memo.reused > reused);
}

/// The region's destination hbo (27 of 53 alumni) and its institutions: 21HA 17 and the others
/// together 10. Hiding only the institutions' `overig` leaves it as 27 − 17: the audit must know that
/// a destination is the sum of its institutions, and secondary suppression must hide a partner.
#[test]
fn a_destination_minus_its_published_institutions_reveals_the_rest() {
    let row = |indicator: &str, n: i64, primary: bool| Row {
        key: Key {
            cohort: 2020,
            cohort_basis: "diploma".into(),
            inflow_basis: "".into(),
            cohort_window: 1,
            unit_type: "regio".into(),
            unit_id: "regio".into(),
            indicator: indicator.into(),
        },
        numerator: n,
        denominator: 53,
        value: n as f64 / 53.0,
        ci_low: 0.0,
        ci_high: 1.0,
        primary,
    };
    let rows = vec![
        row("bestemming_hbo", 27, false),
        row("bestemming_hbo:21HA", 17, false),
        row("bestemming_hbo:overig", 10, true),
    ];
    let report = audit_published(&publish_as_is(&rows)).unwrap();
    assert_eq!(report.disclosed.len(), 1, "{:?}", report.disclosed);
    assert!(report.disclosed[0].contains("bestemming_hbo:overig"));

    let protected = disclosure::protect(rows, &[]).unwrap();
    let hidden: Vec<&str> = protected
        .rows
        .iter()
        .filter(|p| p.numbers.is_none())
        .map(|p| p.key.indicator.as_str())
        .collect();
    assert_eq!(hidden.len(), 2, "{hidden:?}");
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

/// The property tests' table: schools A, B and C with four niveaus each, these 12 counts.
fn three_schools(counts: &[i64]) -> Vec<Row> {
    let schools = ["A", "B", "C"];
    let niveaus = ["havo", "vwo", "mbo-3", "mbo-4"];
    let cells: Vec<(&str, &str, i64)> = (0..12)
        .map(|i| (schools[i / 4], niveaus[i % 4], counts[i]))
        .collect();
    table(&cells)
}

/// The rows' true numerators and denominators, for `disclosure::Truth`.
fn true_values(rows: &[Row]) -> (Vec<i64>, Vec<i64>) {
    rows.iter().map(|r| (r.numerator, r.denominator)).unzip()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// The data owner's audit decides on the tangent cone at the true values (`tangent.rs`); the
    /// outsider's decides on the whole feasible set with its own linear programs. With the same
    /// knowledge (hidden cells above 0 when they are) both must name the same cells for the same
    /// reasons, on small tables full of 0s and 1s where bounds pin cells.
    #[test]
    fn the_audit_at_the_true_values_agrees_with_the_whole_feasible_set(
        counts in proptest::collection::vec(0i64..4, 12),
        hidden in proptest::collection::vec(proptest::bool::weighted(0.45), 12 + 3 + 4 + 1),
    ) {
        use disclosure::audit::{self, Knowledge};
        use disclosure::table::Structure;

        let rows = three_schools(&counts);
        let s = Structure::new(rows.iter().map(|r| r.key.clone()).collect());
        let (numerator, denominator) = true_values(&rows);
        let t = disclosure::Truth { numerator: &numerator, denominator: &denominator };
        let truth = |c: usize| t.cell(&s, c);
        let value = |c: usize| if s.cell_hidden(c, &hidden) { 0 } else { truth(c) };
        let lower = |c: usize| truth(c).min(1);
        let at_truth = audit::disclosed(
            &s,
            &Knowledge { hidden: &hidden, value: &value, lower: &lower, point: Some(&truth) },
        )
        .unwrap();
        let whole = audit::disclosed(
            &s,
            &Knowledge { hidden: &hidden, value: &value, lower: &lower, point: None },
        )
        .unwrap();
        proptest::prop_assert_eq!(at_truth, whole);
    }

    /// The outsider's audit in `run` hands the audit the true values as a point (audit.rs,
    /// `Knowledge::point`): checked against the relations, then audited on the tangent cone there
    /// instead of by whole-set programs. That must not change a verdict, for the outsider (every
    /// bound 0) and with the owner's bounds, and a point off the relations (one count one higher
    /// or lower; every count one higher, which breaks every sum of two parts and, believed, would
    /// make every hidden cell look free) must be recognised as no point at all, not believed.
    #[test]
    fn a_witness_changes_no_verdict_of_the_whole_feasible_set(
        counts in proptest::collection::vec(0i64..4, 12),
        hidden in proptest::collection::vec(proptest::bool::weighted(0.45), 12 + 3 + 4 + 1),
        nudge in (0usize..12, -1i64..2),
    ) {
        use disclosure::audit::{self, Knowledge};
        use disclosure::table::Structure;

        let rows = three_schools(&counts);
        let s = Structure::new(rows.iter().map(|r| r.key.clone()).collect());
        let (numerator, denominator) = true_values(&rows);
        let t = disclosure::Truth { numerator: &numerator, denominator: &denominator };
        let truth = |c: usize| t.cell(&s, c);
        let nudged = |c: usize| truth(c) + if c == nudge.0 { nudge.1 } else { 0 };
        let higher = |c: usize| truth(c) + 1;
        let value = |c: usize| if s.cell_hidden(c, &hidden) { 0 } else { truth(c) };
        let outsider = |_: usize| 0i64;
        let owner = |c: usize| truth(c).min(1);
        for lower in [&outsider as &dyn Fn(usize) -> i64, &owner] {
            let audit_with = |point: Option<&dyn Fn(usize) -> i64>| {
                audit::disclosed(
                    &s,
                    &Knowledge { hidden: &hidden, value: &value, lower, point },
                )
                .unwrap()
            };
            let without = audit_with(None);
            proptest::prop_assert_eq!(&audit_with(Some(&truth)), &without);
            proptest::prop_assert_eq!(&audit_with(Some(&nudged)), &without);
            proptest::prop_assert_eq!(&audit_with(Some(&higher)), &without);
        }
    }
}

/// A 2×2 block hidden inside published margins moves only along (+1, −1, −1, +1). With A:havo and
/// B:vwo at 1 (their lower bound: the owner knows they are not empty) neither can move alone, but
/// both can rise together while A:vwo and B:havo (2 each) fall: nothing is disclosed. With all four
/// at 1 no cell can fall, so every one is pinned. (Hand-derived; the first case is the one linear
/// algebra alone cannot settle, so the audit at the true values runs its linear program.)
#[test]
fn two_cells_at_their_bound_that_can_only_rise_together_stay_hidden() {
    use disclosure::audit::{self, Knowledge};
    use disclosure::table::Structure;

    let block = ["A:havo", "A:vwo", "B:havo", "B:vwo"];
    let disclosed = |counts: [i64; 4], point: bool| {
        let rows = table(&[
            ("A", "havo", counts[0]),
            ("A", "vwo", counts[1]),
            ("B", "havo", counts[2]),
            ("B", "vwo", counts[3]),
        ]);
        let s = Structure::new(rows.iter().map(|r| r.key.clone()).collect());
        let hidden: Vec<bool> = rows
            .iter()
            .map(|r| block.contains(&r.key.unit_id.as_str()))
            .collect();
        let truth = |c: usize| {
            if c < s.rows() {
                rows[c].numerator
            } else {
                rows[s.pop_rows[c - s.rows()][0]].denominator
            }
        };
        let lower = |c: usize| truth(c).min(1);
        let k = Knowledge {
            hidden: &hidden,
            value: &truth,
            lower: &lower,
            point: point.then_some(&truth as &dyn Fn(usize) -> i64),
        };
        audit::disclosed(&s, &k)
            .unwrap()
            .into_iter()
            .map(|(c, reason)| format!("{} ({reason:?})", s.describe(c)))
            .collect::<Vec<_>>()
    };
    for point in [true, false] {
        assert!(disclosed([1, 2, 2, 1], point).is_empty(), "point: {point}");
        let pinned = disclosed([1, 1, 1, 1], point);
        assert_eq!(pinned.len(), 8, "point: {point}");
        // The equalities alone leave the block a line to move on: its bounds pin it.
        assert!(
            pinned.iter().all(|d| d.ends_with("(Bounds)")),
            "point: {point}: {pinned:?}"
        );
    }
}

/// Secondary suppression's memo (`Memo::growing`) serves a component unchanged since the last
/// audit without solving it. Hiding cells one at a time in sdcTable's table (values fixed, the
/// hidden set only growing), every audit must name the cells a fresh audit names, and the components a
/// step did not touch must be served from the memo.
#[test]
fn a_growing_memo_gives_the_fresh_audits_verdicts() {
    use disclosure::audit::{self, Knowledge, Memo};
    use disclosure::secondary::Truth;
    use disclosure::table::Structure;

    let rows = sdc_table();
    let s = Structure::new(rows.iter().map(|r| r.key.clone()).collect());
    let numerator: Vec<i64> = rows.iter().map(|r| r.numerator).collect();
    let truth = Truth {
        numerator: &numerator,
        denominator: &numerator,
    };
    let value = |c: usize| truth.cell(&s, c);
    let lower = |c: usize| truth.cell(&s, c).min(1);
    let mut hidden = vec![false; rows.len()];
    let mut memo = Memo::growing();
    let mut reused = 0;
    // Two blocks form apart (W's a and b; Z's c and d), each stays while the other grows, then
    // XXXX01's c ties them together.
    let order: Vec<usize> = [
        "WWWW01:a", "WWWW01:b", "ZZZZ01:c", "ZZZZ01:d", "XXXX01:a", "XXXX01:c",
    ]
    .iter()
    .map(|id| rows.iter().position(|r| r.key.unit_id == *id).unwrap())
    .collect();
    for &i in &order {
        hidden[i] = true;
        let k = Knowledge {
            hidden: &hidden,
            value: &value,
            lower: &lower,
            point: Some(&value),
        };
        // The growing memo names the cells, not which of the two ways they are determined.
        let cells = |verdicts: Vec<(usize, audit::Reason)>| -> Vec<usize> {
            verdicts.into_iter().map(|(c, _)| c).collect()
        };
        assert_eq!(
            cells(audit::disclosed_with(&s, &k, &mut memo).unwrap()),
            cells(audit::disclosed(&s, &k).unwrap()),
            "after hiding {}",
            rows[i].key.unit_id
        );
        reused = reused.max(memo.reused);
    }
    assert!(reused > 0, "no component was served from the memo");
}

/// A count between two equal counts of its window chain is pinned by them, whatever the other
/// schools hide: `instroom_direct` 10 ≤ `instroom_binnen_1_jaar` ≤ `instroom_binnen_2_jaar` 10 at
/// school A. Hiding another school's count (a partner in the region's sum) never helps; one of A's
/// own two chain neighbours must go. Secondary suppression once took a round per school here.
#[test]
fn a_count_pinned_by_its_window_chain_gets_a_partner_in_the_chain() {
    let schools: Vec<String> = (0..12).map(|i| format!("S{i:03}01")).collect();
    let mut rows = Vec::new();
    let mut regio = [0i64; 4];
    for (i, school) in schools.iter().enumerate() {
        // A (the first) has every alumnus of its inflow in the first year; the others grow.
        let alumni = 40 + i as i64;
        let counts = if i == 0 {
            [10, 10, 10]
        } else {
            [10 + i as i64, 12 + i as i64, 15 + i as i64]
        };
        for (k, &n) in counts.iter().enumerate() {
            regio[k] += n;
        }
        regio[3] += alumni;
        rows.extend(chain_rows("school", school, counts, alumni));
    }
    rows.extend(chain_rows(
        "regio",
        "regio",
        [regio[0], regio[1], regio[2]],
        regio[3],
    ));
    let a = &schools[0];
    for r in &mut rows {
        r.primary = r.key.unit_id == a.as_str() && r.key.indicator == "instroom_binnen_1_jaar";
    }
    let protected = disclosure::protect(rows, &[]).unwrap();
    let hidden: Vec<(String, String)> = protected
        .rows
        .iter()
        .filter(|p| p.numbers.is_none())
        .map(|p| (p.key.unit_id.to_string(), p.key.indicator.to_string()))
        .collect();
    assert!(
        hidden.iter().any(|(unit, indicator)| unit == a
            && (indicator == "instroom_direct" || indicator == "instroom_binnen_2_jaar")),
        "{hidden:?}"
    );
    // Before: one more school's instroom_binnen_1_jaar every round, eleven rounds and more.
    assert!(
        protected.rounds <= 4,
        "{} rounds: {hidden:?}",
        protected.rounds
    );
    assert!(audit_published(&protected.rows)
        .unwrap()
        .disclosed
        .is_empty());
}

/// The three inflow counts of one unit (basis diploma, cohort 2020) over its alumni.
fn chain_rows(unit_type: &str, unit_id: &str, counts: [i64; 3], alumni: i64) -> Vec<Row> {
    [
        "instroom_direct",
        "instroom_binnen_1_jaar",
        "instroom_binnen_2_jaar",
    ]
    .iter()
    .zip(counts)
    .map(|(indicator, n)| Row {
        key: key_2020(unit_type, unit_id, indicator),
        numerator: n,
        denominator: alumni,
        value: n as f64 / alumni as f64,
        ci_low: 0.0,
        ci_high: 1.0,
        primary: false,
    })
    .collect()
}
