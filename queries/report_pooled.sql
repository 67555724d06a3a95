-- report_pooled: the three-cohort pooled figures of small schools and afdelingen (definitions.md
-- §8, `[privacy] pool_below`; the windows are chosen in bundle_candidates.sql) as their pages show
-- them, from site_rows, with the region's figure over the same window beside them. The region has
-- no pooled rows in the bundle: its figure here is the sum of its published single cohorts
-- (report_trends.sql), shown only when all three are published (a sum of published counts reveals
-- nothing new).
-- materialized: view

with shown as (
    -- The indicators of the trend tables, joined rather than `in (select …)`: this is the form the
    -- Ballista test ran (tests/it/ballista.rs); the subquery form was not tried there.
    select distinct indicator from report_trends
),

pooled as (
    select site_rows.*
    from site_rows
    inner join shown on shown.indicator = site_rows.indicator
    where site_rows.cohort_basis = 'diploma'
        and site_rows.cohort_window = 3
        and site_rows.unit_type in ('school', 'afdeling')
        and site_rows.inflow_basis in ('', 'direct')
),

windows as (
    select distinct cohort, indicator from pooled
),

region_singles as (
    select
        windows.cohort,
        windows.indicator,
        sum(trends.numerator) as numerator,
        sum(trends.denominator) as denominator,
        count(*) as cohorts,
        count(trends.numerator) as published
    from windows
    inner join report_trends as trends
        on trends.unit_type = 'regio'
        and trends.indicator = windows.indicator
        and trends.cohort between windows.cohort - 2 and windows.cohort
    group by windows.cohort, windows.indicator
),

region as (
    select
        cohort,
        cast('regio' as varchar) as unit_type,
        cast('regio' as varchar) as unit_id,
        indicator,
        numerator,
        denominator,
        cast(numerator as double) / cast(denominator as double) as value,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high,
        false as suppressed
    from region_singles
    where cohorts = 3 and published = 3 and denominator > 0
),

units as (
    select
        cohort,
        unit_type,
        unit_id,
        indicator,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        suppressed
    from pooled
),

final as (
    -- Casts in both branches: a UNION ALL of differently typed columns fails (docs/datafusion-notes.md).
    select cohort, cast(unit_type as varchar) as unit_type, cast(unit_id as varchar) as unit_id,
        cast(indicator as varchar) as indicator, cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator, value, ci_low, ci_high, suppressed
    from units
    union all
    select cohort, unit_type, unit_id, cast(indicator as varchar) as indicator,
        cast(numerator as bigint) as numerator, cast(denominator as bigint) as denominator,
        value, ci_low, ci_high, suppressed
    from region
)

select * from final
order by unit_type, unit_id, indicator, cohort
