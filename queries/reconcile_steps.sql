-- reconcile_steps: from one definition to the next, one named step at a time, with the count each
-- step adds (definitions.md §3 and §4):
--   dropout:  uitval_onderwijs + switch to another sector = uitval_sector
--                              + switch to another instelling = uitval_instelling
--                              + switch within the instelling = uitval_opleiding
--   inflow:   instroom_direct + after one gap year = instroom_binnen_1_jaar
--                             + after two gap years = instroom_binnen_2_jaar
--   basis:    a year-one indicator on the direct basis + those who entered after a gap year
--   pooling:  a single cohort + the two cohorts before it = the three-cohort window
-- Each step keeps every other part of the definition fixed.
-- materialized: view

with rows as (
    select * from reconcile_rows
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
        chain.concept, chain.step, chain.added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        chain.to_indicator, a.inflow_basis as to_inflow_basis, a.cohort_window as to_window
    from chain
    inner join rows as a on a.indicator = chain.from_indicator
),

basis_steps as (
    select
        'basis' as concept, 1 as step, 'na_tussenjaar' as added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        a.indicator as to_indicator, 'binnen_1_jaar' as to_inflow_basis, a.cohort_window as to_window
    from rows as a
    where a.inflow_basis = 'direct'
),

pooling_steps as (
    select
        'pooling' as concept, 1 as step, 'eerdere_cohorten' as added, a.cohort_basis,
        a.indicator as from_indicator, a.inflow_basis as from_inflow_basis,
        a.cohort_window as from_window,
        a.indicator as to_indicator, a.inflow_basis as to_inflow_basis, 3 as to_window
    from rows as a
    where a.cohort_window = 1
),

all_steps as (
    select * from definition_steps
    union all
    select * from basis_steps
    union all
    select * from pooling_steps
),

final as (
    select
        s.concept,
        s.step,
        s.cohort_basis,
        s.from_inflow_basis,
        s.from_window,
        s.from_indicator,
        a.numerator as from_numerator,
        a.denominator as from_denominator,
        a.value as from_value,
        s.added,
        b.numerator - a.numerator as added_numerator,
        b.denominator - a.denominator as added_denominator,
        s.to_indicator,
        s.to_inflow_basis,
        s.to_window,
        b.numerator as to_numerator,
        b.denominator as to_denominator,
        b.value as to_value,
        b.value - a.value as points
    from all_steps as s
    inner join rows as a
        on a.indicator = s.from_indicator
        and a.cohort_basis = s.cohort_basis
        and a.inflow_basis = s.from_inflow_basis
        and a.cohort_window = s.from_window
    inner join rows as b
        on b.indicator = s.to_indicator
        and b.cohort_basis = s.cohort_basis
        and b.inflow_basis = s.to_inflow_basis
        and b.cohort_window = s.to_window
)

select * from final
order by concept, cohort_basis, from_inflow_basis, from_window, step, from_indicator
