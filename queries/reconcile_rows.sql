-- reconcile_rows: every indicator row of the unit and cohort being reconciled (reconcile_params),
-- under every variant computed — dropout onderwijs / sector / instelling / opleiding, inflow basis
-- direct / binnen_1_jaar, cohort basis diploma / instroom, window 1 / 3 — with its family, so
-- a published figure can be set beside each (definitions.md §3–§6; domain.md "Why the same cohort
-- has different numbers"). Data-owner output: unsuppressed, never written to site/.
-- materialized: view

with params as (
    select unit_type, unit_id, cohort from reconcile_params
),

indicators as (
    select * from indicators_output
),

final as (
    select
        indicators.*,
        case
            when indicators.indicator like 'instroom_%' or indicators.indicator like 'bestemming_%'
                then 'instroom'
            when indicators.indicator like 'diploma_binnen_%' then 'diploma'
            else 'jaar1'
        end as family
    from indicators
    inner join params
        on indicators.unit_type = params.unit_type
        and indicators.unit_id = params.unit_id
        and indicators.cohort = params.cohort
)

select * from final
order by family, indicator, cohort_basis, inflow_basis, cohort_window
