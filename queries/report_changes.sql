-- report_changes: which figures changed significantly against the cohorts before (definitions.md
-- §8): the two-sided two-proportion z-test (pooled variance) of cohort Y against the pooled
-- cohorts Y-3..Y-1, p < 0.05 (|z| > 1.959964) and a difference of at least 5 percentage points.
-- From published numbers only (site_rows): where one of the earlier cohorts is suppressed, or
-- none exists, there is no flag, so a flag never depends on a suppressed cell.
-- materialized: view

with shown as (
    select * from site_rows
    where cohort_basis = 'diploma' and cohort_window = 1 and inflow_basis in ('', 'direct')
),

earlier as (
    select
        current_row.cohort,
        current_row.unit_type,
        current_row.unit_id,
        current_row.indicator,
        current_row.inflow_basis,
        count(*) as cohorts,
        bool_or(before.suppressed) as any_suppressed,
        sum(before.numerator) as numerator,
        sum(before.denominator) as denominator
    from shown as current_row
    inner join shown as before
        on before.unit_type = current_row.unit_type
        and before.unit_id = current_row.unit_id
        and before.indicator = current_row.indicator
        and before.inflow_basis = current_row.inflow_basis
        and before.cohort between current_row.cohort - 3 and current_row.cohort - 1
    group by current_row.cohort, current_row.unit_type, current_row.unit_id,
        current_row.indicator, current_row.inflow_basis
),

tested as (
    select
        shown.cohort,
        shown.unit_type,
        shown.unit_id,
        shown.indicator,
        shown.value,
        cast(earlier.numerator as double) / cast(earlier.denominator as double) as before_value,
        cast(shown.numerator + earlier.numerator as double)
            / cast(shown.denominator + earlier.denominator as double) as pooled,
        cast(shown.denominator as double) as n1,
        cast(earlier.denominator as double) as n0
    from shown
    inner join earlier
        on earlier.cohort = shown.cohort
        and earlier.unit_type = shown.unit_type
        and earlier.unit_id = shown.unit_id
        and earlier.indicator = shown.indicator
        and earlier.inflow_basis = shown.inflow_basis
    where not shown.suppressed and not earlier.any_suppressed and earlier.denominator > 0
),

final as (
    select
        cohort,
        unit_type,
        unit_id,
        indicator,
        value,
        before_value,
        case when value > before_value then 'up' else 'down' end as direction
    from tested
    where pooled > 0 and pooled < 1
        and abs(value - before_value) >= 0.05
        and abs(value - before_value) / sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0)) > 1.959964
)

select * from final
order by unit_type, unit_id, indicator, cohort
