-- indicators_single: every single-cohort indicator row (cohort_window = 1) of the three families,
-- kept where the denominator is at least 1 (definitions.md §8). Casts in every branch give the
-- union one schema.
-- materialized: table

with inflow as (
    select * from ind_inflow
),

year_one as (
    select * from ind_year_one
),

diploma as (
    select * from ind_diploma
),

survey as (
    select * from ind_survey
),

flows as (
    select * from ind_flows
),

unioned as (
    select cast(cohort as int) as cohort, cast(cohort_basis as varchar) as cohort_basis,
        cast(inflow_basis as varchar) as inflow_basis, cast(unit_type as varchar) as unit_type,
        cast(unit_id as varchar) as unit_id, cast(indicator as varchar) as indicator,
        cast(numerator as bigint) as numerator, cast(denominator as bigint) as denominator
    from inflow
    union all
    select cast(cohort as int), cast(cohort_basis as varchar), cast(inflow_basis as varchar),
        cast(unit_type as varchar), cast(unit_id as varchar), cast(indicator as varchar),
        cast(numerator as bigint), cast(denominator as bigint)
    from year_one
    union all
    select cast(cohort as int), cast(cohort_basis as varchar), cast(inflow_basis as varchar),
        cast(unit_type as varchar), cast(unit_id as varchar), cast(indicator as varchar),
        cast(numerator as bigint), cast(denominator as bigint)
    from diploma
    union all
    select cast(cohort as int), cast(cohort_basis as varchar), cast(inflow_basis as varchar),
        cast(unit_type as varchar), cast(unit_id as varchar), cast(indicator as varchar),
        cast(numerator as bigint), cast(denominator as bigint)
    from survey
    union all
    select cast(cohort as int), cast(cohort_basis as varchar), cast(inflow_basis as varchar),
        cast(unit_type as varchar), cast(unit_id as varchar), cast(indicator as varchar),
        cast(numerator as bigint), cast(denominator as bigint)
    from flows
),

final as (
    select * from unioned where denominator >= 1
)

select * from final
