-- site_indicators: the indicator table as it may leave the data owner (definitions.md §9, primary
-- rules). A rate is suppressed when its denominator is below min_denominator, or its numerator or
-- its complement is in 1..min_cell-1; a suppressed row keeps its keys and loses every number, here,
-- before any report code sees it.
-- materialized: view

with params as (
    select min_cell, min_denominator from run_params
),

indicators as (
    select * from indicators_output
),

flagged as (
    select
        indicators.*,
        indicators.denominator < params.min_denominator
            or (indicators.numerator between 1 and params.min_cell - 1)
            or (indicators.denominator - indicators.numerator between 1 and params.min_cell - 1)
            as suppressed
    from indicators
    cross join params
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
        case when suppressed then null else numerator end as numerator,
        case when suppressed then null else denominator end as denominator,
        case when suppressed then null else value end as value,
        case when suppressed then null else ci_low end as ci_low,
        case when suppressed then null else ci_high end as ci_high,
        suppressed
    from flagged
)

select * from final
