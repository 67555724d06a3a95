-- indicators_flows: the alumni per receiving institution (ind_flows.sql) as indicator rows, single
-- cohorts, in warehouse/indicators_flows.parquet with indicators.parquet's columns; indicator
-- `bestemming_<sector>:<brin>` per region and school. Not in indicators.parquet: that table holds
-- the indicators of definitions.md, unit by unit; these split `bestemming_<sector>` by institution.
-- materialized: output

with rates as (
    select * from indicator_rates
),

final as (
    select * from rates
    where indicator like 'bestemming_%:%' and cohort_window = 1
)

select * from final
order by cohort_basis, inflow_basis, unit_type, unit_id, indicator, cohort_window, cohort
