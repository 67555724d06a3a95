-- indicator_rates: every indicator row of every unit (the groep units included): single-cohort rows
-- and, for every one of them, the three-cohort pooled row, with value and 95% Wilson score interval (definitions.md §8).
-- Pooling sums the single rows whose cohort value is Y-2, Y-1 or Y: an aggregate over the rows
-- shifted by 0, 1 and 2 cohorts, joined back (a window frame by value is ~3x slower in DataFusion 55,
-- see docs/datafusion-notes.md), which never skips over a missing cohort.
-- materialized: view

with single as (
    select * from indicators_single
),

shifts as (
    select v.shift from (values (0), (1), (2)) as v(shift)
),

pooled_sums as (
    select
        single.cohort + shifts.shift as cohort,
        single.cohort_basis,
        single.inflow_basis,
        single.unit_type,
        single.unit_id,
        single.indicator,
        sum(single.numerator) as numerator,
        sum(single.denominator) as denominator
    from single
    cross join shifts
    group by single.cohort + shifts.shift, single.cohort_basis, single.inflow_basis,
        single.unit_type, single.unit_id, single.indicator
),

pooled as (
    select
        single.cohort,
        single.cohort_basis,
        single.inflow_basis,
        cast(3 as int) as cohort_window,
        single.unit_type,
        single.unit_id,
        single.indicator,
        cast(pooled_sums.numerator as bigint) as numerator,
        cast(pooled_sums.denominator as bigint) as denominator
    from single
    join pooled_sums
        on pooled_sums.cohort = single.cohort
        and pooled_sums.cohort_basis = single.cohort_basis
        and pooled_sums.inflow_basis = single.inflow_basis
        and pooled_sums.unit_type = single.unit_type
        and pooled_sums.unit_id = single.unit_id
        and pooled_sums.indicator = single.indicator
),

both_windows as (
    select cohort, cohort_basis, inflow_basis, cast(1 as int) as cohort_window, unit_type, unit_id,
        indicator, numerator, denominator
    from single
    union all
    select cohort, cohort_basis, inflow_basis, cohort_window, unit_type, unit_id,
        indicator, numerator, denominator
    from pooled
),

rates as (
    select
        both_windows.*,
        cast(numerator as double) / cast(denominator as double) as p,
        cast(denominator as double) as n,
        1.959964 as z
    from both_windows
),

final as (
    select
        cohort,
        cohort_basis,
        inflow_basis,
        cohort_window,
        unit_type,
        unit_id,
        indicator,
        numerator,
        denominator,
        p as value,
        greatest(0.0, (p + z * z / (2.0 * n) - z * sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)))
            / (1.0 + z * z / n)) as ci_low,
        least(1.0, (p + z * z / (2.0 * n) + z * sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)))
            / (1.0 + z * z / n)) as ci_high
    from rates
)

select * from final
