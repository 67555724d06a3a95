-- cycle_interventions: the pre/post comparison of every intervention in the register and its
-- difference-in-differences against the rest of the region, per indicator, from cycle_trends
-- (published numbers only).
--
-- Each period pools its cohorts that are not left out: p = Σ numerator / Σ denominator.
--   change  = p_na(unit) − p_voor(unit), 95% interval ± 1.959964 · √(Σ p(1−p)/n over both periods)
--   did     = change(unit) − change(rest), 95% interval ± 1.959964 · √(Σ p(1−p)/n over all four)
-- (Wald intervals of independent proportions.) Without a cohort on either side, or a period whose
-- rest is empty, the comparison is not made (nulls); an intervention whose unit has no published
-- rows still appears, so the register is always shown whole.
-- materialized: view

-- Only interventions of the site's own schools: a partner bundle shows no other school's register.
with register as (
    select * from interventions
    where split_part(unit_id, ':', 1) in (select unit_id from site_rows where unit_type = 'school')
),

periods as (
    select
        volgorde,
        indicator,
        period,
        min(case when not left_out then cohort end) as first_cohort,
        max(case when not left_out then cohort end) as last_cohort,
        sum(case when not left_out then 1 else 0 end) as cohorts,
        sum(case when left_out then 1 else 0 end) as cohorts_left_out,
        sum(unit_numerator) as unit_numerator,
        sum(unit_denominator) as unit_denominator,
        sum(rest_numerator) as rest_numerator,
        sum(rest_denominator) as rest_denominator
    from cycle_trends
    group by volgorde, indicator, period
),

rates as (
    select
        periods.*,
        cast(unit_numerator as double) / cast(unit_denominator as double) as unit_value,
        cast(rest_numerator as double) / cast(rest_denominator as double) as rest_value
    from periods
    where cohorts > 0 and unit_denominator > 0 and rest_denominator > 0
),

indicators as (
    select distinct volgorde, indicator from cycle_trends
),

compared as (
    select
        indicators.volgorde,
        indicators.indicator,
        voor.first_cohort as voor_first,
        voor.last_cohort as voor_last,
        coalesce(voor.cohorts, 0) as voor_cohorts,
        voor.unit_numerator as voor_numerator,
        voor.unit_denominator as voor_denominator,
        voor.unit_value as voor_value,
        voor.rest_value as voor_rest_value,
        na.first_cohort as na_first,
        na.last_cohort as na_last,
        coalesce(na.cohorts, 0) as na_cohorts,
        na.unit_numerator as na_numerator,
        na.unit_denominator as na_denominator,
        na.unit_value as na_value,
        na.rest_value as na_rest_value,
        coalesce(voor_all.cohorts_left_out, 0) + coalesce(na_all.cohorts_left_out, 0)
            as cohorts_left_out,
        voor.unit_value * (1 - voor.unit_value) / voor.unit_denominator
            + na.unit_value * (1 - na.unit_value) / na.unit_denominator as unit_variance,
        voor.rest_value * (1 - voor.rest_value) / voor.rest_denominator
            + na.rest_value * (1 - na.rest_value) / na.rest_denominator as rest_variance
    from indicators
    left join rates as voor
        on voor.volgorde = indicators.volgorde
        and voor.indicator = indicators.indicator
        and voor.period = 'voor'
    left join rates as na
        on na.volgorde = indicators.volgorde
        and na.indicator = indicators.indicator
        and na.period = 'na'
    left join periods as voor_all
        on voor_all.volgorde = indicators.volgorde
        and voor_all.indicator = indicators.indicator
        and voor_all.period = 'voor'
    left join periods as na_all
        on na_all.volgorde = indicators.volgorde
        and na_all.indicator = indicators.indicator
        and na_all.period = 'na'
),

measured as (
    select
        compared.*,
        na_value - voor_value as change,
        1.959964 * sqrt(unit_variance) as change_margin,
        (na_value - voor_value) - (na_rest_value - voor_rest_value) as did,
        1.959964 * sqrt(unit_variance + rest_variance) as did_margin
    from compared
),

final as (
    select
        register.volgorde,
        register.naam,
        register.unit_type,
        register.unit_id,
        register.groep,
        register.eerste_cohort,
        register.beschrijving,
        measured.indicator,
        measured.voor_first,
        measured.voor_last,
        measured.voor_cohorts,
        measured.voor_numerator,
        measured.voor_denominator,
        measured.voor_value,
        measured.voor_rest_value,
        measured.na_first,
        measured.na_last,
        measured.na_cohorts,
        measured.na_numerator,
        measured.na_denominator,
        measured.na_value,
        measured.na_rest_value,
        measured.cohorts_left_out,
        measured.change,
        measured.change - measured.change_margin as change_low,
        measured.change + measured.change_margin as change_high,
        measured.did,
        measured.did - measured.did_margin as did_low,
        measured.did + measured.did_margin as did_high
    from register
    left join measured on measured.volgorde = register.volgorde
)

select * from final
order by volgorde, indicator
