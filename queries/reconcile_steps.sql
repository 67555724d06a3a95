-- reconcile_steps: from one definition to the next, one named step at a time, with the count each
-- step adds (definitions.md §3 and §4):
--   dropout:  uitval_onderwijs + switch to another sector = uitval_sector
--                              + switch to another instelling = uitval_instelling
--                              + switch within the instelling = uitval_opleiding
--   inflow:   instroom_direct + after one gap year = instroom_binnen_1_jaar
--                             + after two gap years = instroom_binnen_2_jaar
--   basis:    a year-one indicator on the direct basis + those who entered after a gap year
--   pooling:  a single cohort + the two cohorts before it = the three-cohort window
--   peildatum: instroom_direct on 1 October + enrolled only at another moment of the year
--             = instroom_direct counted over the whole year (reconcile_peildatum)
-- Each step keeps every other part of the definition fixed.
-- materialized: view

with all_rows as (
    select * from reconcile_rows
),

rows as (
    select * from all_rows where peildatum = '1_oktober'
),

chain as (
    select * from (values
        ('uitval', 1, 'uitval_onderwijs', 'jaar1_switch_sector', 'uitval_sector'),
        ('uitval', 2, 'uitval_sector', 'jaar1_switch_extern', 'uitval_instelling'),
        ('uitval', 3, 'uitval_instelling', 'jaar1_switch_intern', 'uitval_opleiding'),
        ('instroom', 1, 'instroom_direct', 'na_1_jaar', 'instroom_binnen_1_jaar'),
        ('instroom', 2, 'instroom_binnen_1_jaar', 'na_2_jaar', 'instroom_binnen_2_jaar')
    ) as steps (concept, step, from_indicator, added, to_indicator)
),

-- Each step as a pair of keys; the numbers are joined once, below.
definition_steps as (
    select
        a.unit_type, a.unit_id, a.cohort,
        chain.concept, chain.step, chain.added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        chain.to_indicator, a.inflow_basis as to_inflow_basis, a.cohort_window as to_window
    from chain
    inner join rows as a on a.indicator = chain.from_indicator
),

basis_steps as (
    select
        a.unit_type, a.unit_id, a.cohort,
        'basis' as concept, 1 as step, 'na_tussenjaar' as added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        a.indicator as to_indicator, 'binnen_1_jaar' as to_inflow_basis, a.cohort_window as to_window
    from rows as a
    where a.inflow_basis = 'direct'
),

pooling_steps as (
    select
        a.unit_type, a.unit_id, a.cohort,
        'pooling' as concept, 1 as step, 'eerdere_cohorten' as added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        a.indicator as to_indicator, a.inflow_basis as to_inflow_basis, 3 as to_window
    from rows as a
    where a.cohort_window = 1
),

pairs as (
    select * from definition_steps
    union all
    select * from basis_steps
    union all
    select * from pooling_steps
),

-- The peildatum step compares two rows of the same key that differ in peildatum only.
peildatum_steps as (
    select
        a.unit_type, a.unit_id, a.cohort,
        'peildatum' as concept, 1 as step, 'ander_moment' as added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        a.numerator as from_numerator, a.denominator as from_denominator, a.value as from_value,
        b.indicator as to_indicator, b.inflow_basis as to_inflow_basis,
        b.cohort_window as to_window,
        b.numerator as to_numerator, b.denominator as to_denominator, b.value as to_value
    from rows as a
    inner join all_rows as b
        on b.unit_type = a.unit_type
        and b.unit_id = a.unit_id
        and b.cohort = a.cohort
        and b.indicator = a.indicator
        and b.cohort_basis = a.cohort_basis
        and b.inflow_basis = a.inflow_basis
        and b.cohort_window = a.cohort_window
        and b.peildatum = 'heel_jaar'
),

joined as (
    select
        s.unit_type,
        s.unit_id,
        s.cohort,
        s.concept,
        s.step,
        s.added,
        s.cohort_basis,
        s.from_indicator,
        s.from_inflow_basis,
        s.from_window,
        a.numerator as from_numerator,
        a.denominator as from_denominator,
        a.value as from_value,
        s.to_indicator,
        s.to_inflow_basis,
        s.to_window,
        b.numerator as to_numerator,
        b.denominator as to_denominator,
        b.value as to_value
    from pairs as s
    inner join rows as a
        on a.unit_type = s.unit_type
        and a.unit_id = s.unit_id
        and a.cohort = s.cohort
        and a.indicator = s.from_indicator
        and a.cohort_basis = s.cohort_basis
        and a.inflow_basis = s.from_inflow_basis
        and a.cohort_window = s.from_window
    inner join rows as b
        on b.unit_type = s.unit_type
        and b.unit_id = s.unit_id
        and b.cohort = s.cohort
        and b.indicator = s.to_indicator
        and b.cohort_basis = s.cohort_basis
        and b.inflow_basis = s.to_inflow_basis
        and b.cohort_window = s.to_window
    union all
    select * from peildatum_steps
),

final as (
    select
        s.unit_type,
        s.unit_id,
        s.cohort,
        s.concept,
        s.step,
        s.cohort_basis,
        s.from_inflow_basis,
        s.from_window,
        s.from_indicator,
        s.from_numerator,
        s.from_denominator,
        s.from_value,
        s.added,
        s.to_numerator - s.from_numerator as added_numerator,
        s.to_denominator - s.from_denominator as added_denominator,
        s.to_indicator,
        s.to_inflow_basis,
        s.to_window,
        s.to_numerator,
        s.to_denominator,
        s.to_value,
        s.to_value - s.from_value as points
    from joined as s
)

select * from final
order by unit_type, unit_id, cohort, concept, cohort_basis, from_inflow_basis, from_window, step, from_indicator
