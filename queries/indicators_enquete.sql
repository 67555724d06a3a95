-- indicators_enquete: the alumni survey's rows (ind_survey.sql, cohort basis `enquete`) in
-- warehouse/indicators_enquete.parquet, with indicators.parquet's columns.
-- materialized: output

with rates as (
    select * from indicator_rates
),

final as (
    select * from rates where cohort_basis = 'enquete'
)

select * from final
order by cohort_basis, inflow_basis, unit_type, unit_id, indicator, cohort_window, cohort
