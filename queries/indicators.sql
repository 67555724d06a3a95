-- indicators: the indicator table of formats.md §5 (warehouse/indicators.parquet and .csv): every
-- row of indicator_rates.sql for the units of definitions.md §7. The groep rows go to
-- indicators_groep.sql, the survey's to indicators_enquete.sql, the destinations per institution to
-- indicators_flows.sql.
-- materialized: output

with rates as (
    select * from indicator_rates
),

final as (
    select * from rates
    where unit_type <> 'groep'
        and cohort_basis <> 'enquete'
        and indicator not like 'bestemming_%:%'
)

-- A stable order makes runs on the same input byte-identical (an ORDER BY inside a CTE is dropped).
select * from final
order by cohort_basis, inflow_basis, unit_type, unit_id, indicator, cohort_window, cohort
