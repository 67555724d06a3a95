-- reconcile_rows: every indicator row of the units and cohorts being reconciled (reconcile_scope),
-- under every variant computed — dropout onderwijs / sector / instelling / opleiding, inflow basis
-- direct / binnen_1_jaar, cohort basis diploma / instroom, window 1 / 3, peildatum 1 October or
-- any moment of the year (reconcile_peildatum) — with its family, so a published figure can be
-- set beside each (definitions.md §3–§6; domain.md "Why the same cohort has different numbers").
-- Data-owner output: unsuppressed, never written to site/.
-- materialized: view

with scope as (
    select * from reconcile_scope
),

indicators as (
    select
        indicators_output.cohort,
        indicators_output.cohort_basis,
        indicators_output.inflow_basis,
        indicators_output.cohort_window,
        indicators_output.unit_type,
        indicators_output.unit_id,
        indicators_output.indicator,
        indicators_output.numerator,
        indicators_output.denominator,
        indicators_output.value,
        indicators_output.ci_low,
        indicators_output.ci_high,
        cast('1_oktober' as varchar) as peildatum
    from indicators_output
    inner join scope
        on indicators_output.unit_type = scope.unit_type
        and indicators_output.unit_id = scope.unit_id
        and indicators_output.cohort = scope.cohort
),

variants as (
    select * from indicators
    union all
    select * from reconcile_peildatum
),

final as (
    select
        variants.*,
        case
            when variants.indicator like 'instroom_%' or variants.indicator like 'bestemming_%'
                then 'instroom'
            when variants.indicator like 'diploma_binnen_%' then 'diploma'
            else 'jaar1'
        end as family
    from variants
)

select * from final
order by unit_type, unit_id, cohort, family, indicator, cohort_basis, inflow_basis, cohort_window,
    peildatum
