-- cycle_trends: per intervention (the register, `interventions`), indicator and cohort around its
-- first cohort: the unit's published figure and the rest of the region's (the region minus the
-- unit), from published numbers only (site_rows), so nothing here depends on a suppressed cell.
--
-- Window: the three cohorts before `eerste_cohort` (period `voor`) and `eerste_cohort` with the
-- two after it (period `na`), as far as they are observed. A cohort where the unit's or the
-- region's row is suppressed is left out of both sides (`left_out`), so unit and rest always
-- cover the same cohorts. The rest's interval is the 95% Wilson score interval (definitions.md §8).
-- materialized: table

-- Only interventions of the site's own schools: a partner bundle shows no other school's register.
with register as (
    select * from interventions
    where split_part(unit_id, ':', 1) in (select unit_id from site_rows where unit_type = 'school')
),

shown as (
    select * from site_rows
    where cohort_basis = 'diploma' and cohort_window = 1 and inflow_basis in ('', 'direct')
),

wanted as (
    select
        register.volgorde,
        register.unit_type,
        register.unit_id,
        register.eerste_cohort,
        indicators.indicator
    from register
    inner join (select distinct indicator from shown) as indicators
        on strpos(';' || register.indicatoren || ';', ';' || indicators.indicator || ';') > 0
),

paired as (
    select
        wanted.volgorde,
        wanted.indicator,
        unit.cohort,
        case when unit.cohort < wanted.eerste_cohort then 'voor' else 'na' end as period,
        unit.suppressed or region.suppressed or region.denominator = unit.denominator
            as left_out,
        unit.numerator as unit_numerator,
        unit.denominator as unit_denominator,
        unit.value as unit_value,
        unit.ci_low as unit_ci_low,
        unit.ci_high as unit_ci_high,
        region.numerator - unit.numerator as rest_numerator,
        region.denominator - unit.denominator as rest_denominator
    from wanted
    inner join shown as unit
        on unit.unit_type = wanted.unit_type
        and unit.unit_id = wanted.unit_id
        and unit.indicator = wanted.indicator
        and unit.cohort between wanted.eerste_cohort - 3 and wanted.eerste_cohort + 2
    inner join shown as region
        on region.unit_type = 'regio'
        and region.indicator = unit.indicator
        and region.inflow_basis = unit.inflow_basis
        and region.cohort = unit.cohort
),

-- Wilson score interval of the rest (z = 1.959964), where it is used.
rest as (
    select
        paired.*,
        cast(rest_numerator as double) / cast(rest_denominator as double) as rest_value,
        cast(rest_denominator as double) as n,
        1.959964 * 1.959964 as z2
    from paired
),

final as (
    select
        volgorde,
        indicator,
        cohort,
        period,
        left_out,
        case when left_out then null else unit_numerator end as unit_numerator,
        case when left_out then null else unit_denominator end as unit_denominator,
        case when left_out then null else unit_value end as unit_value,
        case when left_out then null else unit_ci_low end as unit_ci_low,
        case when left_out then null else unit_ci_high end as unit_ci_high,
        case when left_out then null else rest_numerator end as rest_numerator,
        case when left_out then null else rest_denominator end as rest_denominator,
        case when left_out then null else rest_value end as rest_value,
        case when left_out then null else greatest(0.0,
            (rest_value + z2 / (2 * n)
                - 1.959964 * sqrt(rest_value * (1 - rest_value) / n + z2 / (4 * n * n)))
            / (1 + z2 / n)) end as rest_ci_low,
        case when left_out then null else least(1.0,
            (rest_value + z2 / (2 * n)
                + 1.959964 * sqrt(rest_value * (1 - rest_value) / n + z2 / (4 * n * n)))
            / (1 + z2 / n)) end as rest_ci_high
    from rest
)

select * from final
order by volgorde, indicator, cohort
