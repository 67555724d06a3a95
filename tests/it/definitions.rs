//! Every rule of definitions.md on tiny hand-made regions; each expected number is worked out by hand
//! in the test's comment.

use crate::region::Region;

const HO: &str = "hbo";

/// A havo alumnus of June `year` at school 97XA01.
fn havo(r: Region, person: &str, year: i32) -> Region {
    r.alumnus(person, "97XA01", "havo", &format!("{year}-06-30"))
}

// ---------- §1 time, cohorts, censoring ----------

#[test]
fn october_diploma_belongs_to_the_next_cohort() {
    let o = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-10-15")
        .enrolled("A", "21HA", HO, "34402", "2023-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(o.regio(2023, "", "instroom_direct"), Some((1, 1)));
    assert_eq!(o.regio(2022, "", "instroom_direct"), None);
}

#[test]
fn unobserved_peildatum_leaves_the_record_out_not_counted_as_dropout() {
    // data_until 2024-09-30 observes P(2023) but not P(2024).
    let o = Region::new("2024-09-30")
        .alumnus("A", "97XA01", "havo", "2023-06-30")
        .alumnus("B", "97XA01", "havo", "2022-06-30")
        .enrolled("B", "21HA", HO, "34402", "2022-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(o.regio(2023, "", "instroom_direct"), Some((0, 1)));
    assert_eq!(o.regio(2023, "", "instroom_binnen_1_jaar"), None);
    assert_eq!(o.regio(2022, "", "instroom_binnen_1_jaar"), Some((1, 1)));
    assert_eq!(o.regio(2022, "", "instroom_binnen_2_jaar"), None);
    // B entered P(2022); F = P(2023) observed: one entrant still in the programme.
    assert_eq!(
        o.regio(2022, "direct", "jaar1_zelfde_opleiding"),
        Some((1, 1))
    );
    assert_eq!(o.regio(2023, "direct", "jaar1_uitval"), None);
}

#[test]
fn data_until_on_the_peildatum_observes_it() {
    // X (only enrolled) keeps the enrollments file non-empty: a file without a valid row fails.
    let o = havo(Region::new("2024-10-01"), "A", 2023)
        .enrolled("X", "21HA", HO, "34402", "2023-09-01", "")
        .run();
    assert_eq!(
        o.assert_ok().regio(2023, "", "instroom_binnen_1_jaar"),
        Some((0, 1))
    );
}

#[test]
fn censoring_is_per_record_within_a_cohort() {
    // Both cohort 2023. A entered on P(2023) (F = P(2024) observed); B only on P(2024) (F = P(2025),
    // not observed with data_until 2024-10-01): B is left out of the binnen_1_jaar year-one rows.
    let o = Region::new("2024-10-01")
        .alumnus("A", "97XA01", "havo", "2023-06-30")
        .alumnus("B", "97XA01", "havo", "2023-06-30")
        .enrolled("A", "21HA", HO, "34402", "2023-09-01", "")
        .enrolled("B", "21HA", HO, "34402", "2024-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(
        o.regio(2023, "binnen_1_jaar", "jaar1_zelfde_opleiding"),
        Some((1, 1))
    );
    assert_eq!(o.regio(2023, "", "instroom_binnen_1_jaar"), Some((2, 2)));
}

#[test]
fn every_alumni_record_counts_also_for_one_person() {
    // A stapelaar: vmbo-tl 2021, on to havo (vo), havo diploma 2023, then hbo.
    let o = Region::new("2025-10-01")
        .alumnus("S", "97XA01", "vmbo-tl", "2021-06-30")
        .alumnus("S", "97XA01", "havo", "2023-06-30")
        .enrollment(
            "S",
            "97XA",
            "vo",
            "HAVO",
            "2021-08-25",
            "2023-06-30",
            "ja",
            "",
        )
        .enrolled("S", "21HA", HO, "34402", "2023-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(
        o.get(2021, "diploma", "", "niveau", "vmbo-tl", "bestemming_vo"),
        Some((1, 1))
    );
    assert_eq!(
        o.get(2023, "diploma", "", "niveau", "havo", "bestemming_hbo"),
        Some((1, 1))
    );
    assert_eq!(
        o.get(2021, "diploma", "", "school", "97XA01", "instroom_direct"),
        Some((1, 1))
    );
    // The vmbo-tl record's entry is the havo (vo) enrollment, still running on F = P(2022).
    assert_eq!(
        o.get(
            2021,
            "diploma",
            "direct",
            "niveau",
            "vmbo-tl",
            "jaar1_zelfde_opleiding"
        ),
        Some((1, 1))
    );
}

// ---------- §2 destination on a peildatum ----------

#[test]
fn destination_takes_the_highest_sector() {
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrolled("A", "25MA", "mbo", "25180", "2022-09-01", "")
        .enrolled("A", "21HA", HO, "34402", "2022-09-01", "")
        .enrolled("A", "21WA", "wo", "50206", "2022-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(o.regio(2022, "", "bestemming_wo"), Some((1, 1)));
    assert_eq!(o.regio(2022, "", "bestemming_hbo"), Some((0, 1)));
    assert_eq!(o.regio(2022, "", "bestemming_mbo"), Some((0, 1)));
}

/// The entry institution the diploma-basis row is reported under.
fn entry_instelling(o: &crate::region::Outcome, cohort: i32, brin: &str) -> bool {
    o.get(
        cohort,
        "diploma",
        "direct",
        "instelling",
        brin,
        "jaar1_uitval",
    )
    .is_some()
}

#[test]
fn main_enrollment_comes_before_an_earlier_start() {
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrollment("A", "21HA", HO, "34402", "2022-08-15", "", "nee", "nee")
        .enrollment("A", "21HB", HO, "34402", "2022-09-01", "", "nee", "ja")
        .run();
    o.assert_ok();
    assert!(entry_instelling(&o, 2022, "21HB"));
    assert!(!entry_instelling(&o, 2022, "21HA"));
}

#[test]
fn earliest_start_comes_before_the_lower_brin() {
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrolled("A", "21HA", HO, "34402", "2022-09-01", "")
        .enrolled("A", "21HB", HO, "34402", "2022-08-15", "")
        .run();
    assert!(entry_instelling(o.assert_ok(), 2022, "21HB"));
}

#[test]
fn lowest_brin_then_lowest_code_in_byte_order() {
    // Same start: 21HA before 21HB; at 21HA "10000" before "9000" (byte-wise, not numeric).
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrolled("A", "21HB", HO, "00001", "2022-09-01", "")
        .enrolled("A", "21HA", HO, "9000", "2022-09-01", "")
        .enrolled("A", "21HA", HO, "10000", "2022-09-01", "")
        .run();
    o.assert_ok();
    assert!(o
        .get(
            2022,
            "diploma",
            "direct",
            "opleiding",
            "21HA:10000",
            "jaar1_uitval"
        )
        .is_some());
    assert!(o
        .get(
            2022,
            "diploma",
            "direct",
            "opleiding",
            "21HA:9000",
            "jaar1_uitval"
        )
        .is_none());
}

#[test]
fn latest_end_wins_and_decides_the_outcome() {
    // Same brin, code and start. The later-ending one (no diploma) is N, so the outcome on F = P(2023),
    // where neither is active, is uitval, not diploma.
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrollment(
            "A",
            "21HA",
            HO,
            "34402",
            "2022-09-01",
            "2023-06-30",
            "ja",
            "",
        )
        .enrollment(
            "A",
            "21HA",
            HO,
            "34402",
            "2022-09-01",
            "2023-07-15",
            "nee",
            "",
        )
        .run();
    assert_eq!(o.assert_ok().outcome(2022, "direct"), "uitval");
}

#[test]
fn on_equal_end_diploma_ja_wins() {
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrollment(
            "A",
            "21HA",
            HO,
            "34402",
            "2022-09-01",
            "2023-06-30",
            "nee",
            "",
        )
        .enrollment(
            "A",
            "21HA",
            HO,
            "34402",
            "2022-09-01",
            "2023-06-30",
            "ja",
            "",
        )
        .run();
    assert_eq!(o.assert_ok().outcome(2022, "direct"), "diploma");
}

#[test]
fn an_enrollment_begun_before_the_diploma_counts() {
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrolled("A", "25MA", "vavo", "VAVO", "2021-09-01", "")
        .run();
    assert_eq!(
        o.assert_ok().regio(2022, "", "bestemming_vavo"),
        Some((1, 1))
    );
}

#[test]
fn activity_on_a_peildatum_includes_both_ends() {
    // Starts on 1 October: active. Ends on 1 October: active. Ends on 30 September: not.
    let o = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-06-30")
        .alumnus("B", "97XA01", "havo", "2022-06-30")
        .alumnus("C", "97XA01", "havo", "2022-06-30")
        .enrolled("A", "21HA", HO, "34402", "2022-10-01", "")
        .enrolled("B", "21HA", HO, "34402", "2022-08-01", "2022-10-01")
        .enrolled("C", "21HA", HO, "34402", "2022-08-01", "2022-09-30")
        .run();
    assert_eq!(
        o.assert_ok().regio(2022, "", "instroom_direct"),
        Some((2, 3))
    );
}

// ---------- §3 inflow ----------

#[test]
fn every_inflow_status() {
    // Cohort 2020: A direct, B after one year, C after two, D never.
    let o = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2020-06-30")
        .alumnus("B", "97XA01", "havo", "2020-06-30")
        .alumnus("C", "97XA01", "havo", "2020-06-30")
        .alumnus("D", "97XA01", "havo", "2020-06-30")
        .enrolled("A", "21HA", HO, "34402", "2020-09-01", "")
        .enrolled("B", "21HA", HO, "34402", "2021-09-01", "")
        .enrolled("C", "21HA", HO, "34402", "2022-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(o.regio(2020, "", "instroom_direct"), Some((1, 4)));
    assert_eq!(o.regio(2020, "", "instroom_binnen_1_jaar"), Some((2, 4)));
    assert_eq!(o.regio(2020, "", "instroom_binnen_2_jaar"), Some((3, 4)));
    // All five destinations appear, zeros included.
    for (sector, n) in [("wo", 0), ("hbo", 1), ("mbo", 0), ("vo", 0), ("vavo", 0)] {
        assert_eq!(
            o.regio(2020, "", &format!("bestemming_{sector}")),
            Some((n, 4)),
            "{sector}"
        );
    }
    // Inflow-basis rows of §3 are not repeated per inflow basis.
    assert_eq!(o.regio(2020, "direct", "instroom_direct"), None);
}

// ---------- §4 entry and the year-one outcome ----------

/// One havo alumnus of 2021 who enters hbo 21HA:34402 on 2021-09-01, with the given end and diploma.
fn entrant(end: &str, diploma: &str) -> Region {
    havo(Region::new("2025-10-01"), "A", 2021).enrollment(
        "A",
        "21HA",
        HO,
        "34402",
        "2021-09-01",
        end,
        diploma,
        "",
    )
}

#[test]
fn outcome_zelfde_opleiding() {
    assert_eq!(
        entrant("", "nee").run().assert_ok().outcome(2021, "direct"),
        "zelfde_opleiding"
    );
}

#[test]
fn outcome_diploma_needs_n_itself() {
    assert_eq!(
        entrant("2022-06-30", "ja").run().outcome(2021, "direct"),
        "diploma"
    );
    // A diploma of another enrollment does not count.
    let o = entrant("2022-06-30", "nee")
        .enrollment(
            "A",
            "25MA",
            "mbo",
            "25180",
            "2019-09-01",
            "2022-01-31",
            "ja",
            "",
        )
        .run();
    assert_eq!(o.outcome(2021, "direct"), "uitval");
}

#[test]
fn zelfde_opleiding_comes_before_diploma() {
    let o = entrant("2022-06-30", "ja")
        .enrolled("A", "21HA", HO, "34402", "2022-09-01", "")
        .run();
    assert_eq!(o.outcome(2021, "direct"), "zelfde_opleiding");
}

#[test]
fn outcome_switches() {
    let intern = entrant("2022-06-30", "nee")
        .enrolled("A", "21HA", HO, "34139", "2022-09-01", "")
        .run();
    assert_eq!(intern.outcome(2021, "direct"), "switch_intern");
    let extern_ = entrant("2022-06-30", "nee")
        .enrolled("A", "21HB", HO, "34139", "2022-09-01", "")
        .run();
    assert_eq!(extern_.outcome(2021, "direct"), "switch_extern");
    // hbo -> wo stays in sector group HO: an external switch, never a sector switch.
    let to_wo = entrant("2022-06-30", "nee")
        .enrolled("A", "21WA", "wo", "50206", "2022-09-01", "")
        .run();
    assert_eq!(to_wo.outcome(2021, "direct"), "switch_extern");
    let sector = entrant("2022-06-30", "nee")
        .enrolled("A", "25MA", "mbo", "25180", "2022-09-01", "")
        .run();
    assert_eq!(sector.outcome(2021, "direct"), "switch_sector");
}

#[test]
fn mbo_to_vavo_at_the_same_roc_is_a_sector_switch() {
    let o = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "vmbo-tl", "2021-06-30")
        .enrolled("A", "25MA", "mbo", "25180", "2021-09-01", "2022-06-30")
        .enrolled("A", "25MA", "vavo", "VAVO", "2022-09-01", "")
        .run();
    assert_eq!(o.outcome(2021, "direct"), "switch_sector");
}

#[test]
fn outcome_looks_at_every_enrollment_active_on_f() {
    // On F the destination would be wo (rank 1), but the same hbo programme is also active.
    let o = entrant("", "nee")
        .enrolled("A", "21WA", "wo", "50206", "2022-09-01", "")
        .run();
    assert_eq!(o.outcome(2021, "direct"), "zelfde_opleiding");
}

#[test]
fn derived_indicators_from_one_entrant_per_outcome() {
    // Six havo alumni of 2021, all into hbo 21HA:34402; one per outcome.
    let mut r = Region::new("2025-10-01");
    for p in ["Z", "D", "I", "E", "S", "U"] {
        r = havo(r, p, 2021);
    }
    let o = r
        .enrolled("Z", "21HA", HO, "34402", "2021-09-01", "")
        .enrollment(
            "D",
            "21HA",
            HO,
            "34402",
            "2021-09-01",
            "2022-06-30",
            "ja",
            "",
        )
        .enrolled("I", "21HA", HO, "34402", "2021-09-01", "2022-06-30")
        .enrolled("I", "21HA", HO, "34139", "2022-09-01", "")
        .enrolled("E", "21HA", HO, "34402", "2021-09-01", "2022-06-30")
        .enrolled("E", "21HB", HO, "34139", "2022-09-01", "")
        .enrolled("S", "21HA", HO, "34402", "2021-09-01", "2022-06-30")
        .enrolled("S", "25MA", "mbo", "25180", "2022-09-01", "")
        .enrolled("U", "21HA", HO, "34402", "2021-09-01", "2022-02-01")
        .run();
    o.assert_ok();
    // Hand-computed from the §4 table: U=1, S=1, E=1, I=1, D=1, Z=1 of 6.
    let expect = [
        ("uitval_onderwijs", 1),
        ("uitval_sector", 2),
        ("uitval_instelling", 3),
        ("uitval_opleiding", 4),
        ("switch_binnen_sector", 2),
        ("nog_in_sector", 4),
        ("startersresultaat", 3),
    ];
    for (indicator, n) in expect {
        assert_eq!(
            o.regio(2021, "direct", indicator),
            Some((n, 6)),
            "{indicator}"
        );
        assert_eq!(
            o.get(
                2021,
                "diploma",
                "direct",
                "opleiding",
                "21HA:34402",
                indicator
            ),
            Some((n, 6)),
            "{indicator}"
        );
        assert_eq!(
            o.get(2021, "diploma", "direct", "sector", "HO", indicator),
            Some((n, 6)),
            "{indicator}"
        );
    }
}

#[test]
fn gap_year_entrant_enters_on_the_next_peildatum() {
    // Diploma 2021, first enrolled 2022-09-01: only on the binnen_1_jaar basis, E = P(2022),
    // F = P(2023), cohort still 2021.
    let o = havo(Region::new("2025-10-01"), "A", 2021)
        .enrolled("A", "21HA", HO, "34402", "2022-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(
        o.regio(2021, "binnen_1_jaar", "jaar1_zelfde_opleiding"),
        Some((1, 1))
    );
    assert_eq!(o.regio(2021, "direct", "jaar1_zelfde_opleiding"), None);
}

// ---------- §5 diploma within n years ----------

#[test]
fn diploma_within_n_years_of_entry() {
    // Entry P(2021); hbo diploma ended 2025-06-30. Within 3 years: before P(2024)? no. Within 4
    // (before P(2025)): yes. Within 5 needs P(2026) <= data_until.
    let o = entrant("2025-06-30", "ja").run();
    o.assert_ok();
    assert_eq!(
        o.regio(2021, "direct", "diploma_binnen_3_jaar"),
        Some((0, 1))
    );
    assert_eq!(
        o.regio(2021, "direct", "diploma_binnen_4_jaar"),
        Some((1, 1))
    );
    assert_eq!(o.regio(2021, "direct", "diploma_binnen_5_jaar"), None);
}

#[test]
fn diploma_counts_at_any_brin_in_the_entry_sector_group_only() {
    // Switched to wo (HO) and graduated there: counts. A mbo diploma would not.
    let o = entrant("2022-06-30", "nee")
        .enrollment(
            "A",
            "21WA",
            "wo",
            "50206",
            "2022-09-01",
            "2024-07-01",
            "ja",
            "",
        )
        .run();
    assert_eq!(
        o.regio(2021, "direct", "diploma_binnen_4_jaar"),
        Some((1, 1))
    );
    let o = entrant("2022-06-30", "nee")
        .enrollment(
            "A",
            "25MA",
            "mbo",
            "25180",
            "2022-09-01",
            "2024-07-01",
            "ja",
            "",
        )
        .run();
    assert_eq!(
        o.regio(2021, "direct", "diploma_binnen_4_jaar"),
        Some((0, 1))
    );
}

// ---------- §6 instroom cohort basis ----------

#[test]
fn a_person_only_in_enrollments_counts_on_the_instroom_basis() {
    let o = havo(Region::new("2025-10-01"), "A", 2021)
        .enrolled("A", "21HA", HO, "34402", "2021-09-01", "")
        .enrolled("X", "21HA", HO, "34402", "2021-09-01", "2022-03-01")
        .run();
    o.assert_ok();
    assert_eq!(
        o.get(2021, "instroom", "", "instelling", "21HA", "jaar1_uitval"),
        Some((1, 2))
    );
    assert_eq!(
        o.get(
            2021,
            "instroom",
            "",
            "opleiding",
            "21HA:34402",
            "jaar1_zelfde_opleiding"
        ),
        Some((1, 2))
    );
    assert_eq!(
        o.get(2021, "instroom", "", "sector", "HO", "nog_in_sector"),
        Some((1, 2))
    );
}

#[test]
fn enrollment_after_october_first_counts_next_year_and_one_never_active_never_counts() {
    let o = havo(Region::new("2025-10-01"), "A", 2021)
        .enrolled("X", "21HA", HO, "34402", "2022-11-01", "")
        .enrolled("Y", "21HB", HO, "34402", "2022-11-01", "2023-06-01")
        .run();
    o.assert_ok();
    assert_eq!(
        o.get(
            2023,
            "instroom",
            "",
            "instelling",
            "21HA",
            "jaar1_zelfde_opleiding"
        ),
        Some((1, 1))
    );
    assert_eq!(
        o.get(
            2022,
            "instroom",
            "",
            "instelling",
            "21HA",
            "jaar1_zelfde_opleiding"
        ),
        None
    );
    assert!(
        o.rows.keys().all(|k| k.5 != "21HB"),
        "a never-active enrollment starts no instroom cohort"
    );
}

#[test]
fn instroom_entry_is_picked_within_the_unit() {
    // On P(2022) the person's destination is wo, but for hbo institution 21HA the entry is there.
    let o = havo(Region::new("2025-10-01"), "A", 2022)
        .enrolled("A", "21WA", "wo", "50206", "2022-09-01", "")
        .enrolled("A", "21HA", HO, "34402", "2022-09-01", "2023-02-01")
        .run();
    o.assert_ok();
    assert_eq!(
        o.get(
            2022,
            "instroom",
            "",
            "instelling",
            "21HA",
            "jaar1_switch_extern"
        ),
        Some((1, 1))
    );
    assert_eq!(
        o.get(
            2022,
            "instroom",
            "",
            "instelling",
            "21WA",
            "jaar1_zelfde_opleiding"
        ),
        Some((1, 1))
    );
    // The first year in sector group HO: N is the §2 pick (wo), still there on F.
    assert_eq!(
        o.get(
            2022,
            "instroom",
            "",
            "sector",
            "HO",
            "jaar1_zelfde_opleiding"
        ),
        Some((1, 1))
    );
}

// ---------- §7 units ----------

#[test]
fn unit_ids_are_normalised() {
    let o = Region::new("2025-10-01")
        .alumnus("A", "97xa01", "VMBO-GL", "2022-06-30")
        .alumnus("B", "97XA01", "vmbo-tl", "2022-06-30")
        .enrolled("A", "25ma", "MBO", " 25180 ", "2022-09-01", "")
        .enrolled("B", "25MA", "mbo", "25180", "2022-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(
        o.get(
            2022,
            "diploma",
            "",
            "afdeling",
            "97XA01:vmbo-gl",
            "instroom_direct"
        ),
        Some((1, 1))
    );
    assert_eq!(
        o.get(
            2022,
            "diploma",
            "",
            "afdeling",
            "97XA01:vmbo-tl",
            "instroom_direct"
        ),
        Some((1, 1))
    );
    assert_eq!(
        o.get(2022, "diploma", "", "school", "97XA01", "instroom_direct"),
        Some((2, 2))
    );
    assert_eq!(
        o.get(
            2022,
            "diploma",
            "direct",
            "opleiding",
            "25MA:25180",
            "jaar1_zelfde_opleiding"
        ),
        Some((2, 2))
    );
    assert_eq!(
        o.get(
            2022,
            "diploma",
            "direct",
            "afdeling",
            "97XA01:vmbo-gl",
            "jaar1_zelfde_opleiding"
        ),
        Some((1, 1))
    );
}

// ---------- §8 statistics ----------

#[test]
fn wilson_interval_matches_a_hand_computation() {
    // 1 of 4: Wilson with z = 1.959964 (computed with Python's math module).
    let mut r = Region::new("2025-10-01");
    for p in ["A", "B", "C", "D"] {
        r = havo(r, p, 2020);
    }
    let o = r.enrolled("A", "21HA", HO, "34402", "2020-09-01", "").run();
    let key = (
        2020,
        "diploma".into(),
        "".into(),
        1,
        "regio".into(),
        "regio".into(),
        "instroom_direct".into(),
    );
    let row = &o.rows[&key];
    assert!((row.value - 0.25).abs() < 1e-12);
    assert!(
        (row.ci_low - 0.04558726029536886).abs() < 1e-9,
        "{}",
        row.ci_low
    );
    assert!(
        (row.ci_high - 0.6993581599030918).abs() < 1e-9,
        "{}",
        row.ci_high
    );
}

#[test]
fn pooling_sums_three_cohort_values_and_does_not_skip_a_gap() {
    // Cohorts 2018 (1 of 1 direct), 2019 (0 of 2), none in 2020, 2021 (1 of 1).
    let o = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2018-06-30")
        .alumnus("B", "97XA01", "havo", "2019-06-30")
        .alumnus("C", "97XA01", "havo", "2019-06-30")
        .alumnus("D", "97XA01", "havo", "2021-06-30")
        .enrolled("A", "21HA", HO, "34402", "2018-09-01", "")
        .enrolled("D", "21HA", HO, "34402", "2021-09-01", "")
        .run();
    o.assert_ok();
    let pooled = |c| o.get_window(c, "diploma", "", 3, "regio", "regio", "instroom_direct");
    assert_eq!(pooled(2018), Some((1, 1)));
    assert_eq!(pooled(2019), Some((1, 3)));
    assert_eq!(
        pooled(2021),
        Some((1, 3)),
        "2019 + 2021: the gap year 2020 is not skipped over"
    );
    assert_eq!(
        pooled(2020),
        None,
        "no pooled row without a single-cohort row"
    );
}

#[test]
fn no_row_without_a_denominator() {
    // No alumnus entered: no diploma-basis year-one rows, but the inflow rows with zero numerators.
    // (X, enrolled only, gives instroom-basis rows.)
    let o = havo(Region::new("2025-10-01"), "A", 2021)
        .enrolled("X", "21HA", HO, "34402", "2023-09-01", "")
        .run();
    o.assert_ok();
    assert_eq!(o.regio(2021, "", "instroom_direct"), Some((0, 1)));
    assert!(o
        .rows
        .keys()
        .all(|k| !(k.1 == "diploma" && k.6.starts_with("jaar1_"))));
    assert!(o
        .rows
        .keys()
        .any(|k| k.1 == "instroom" && k.6.starts_with("jaar1_")));
}
