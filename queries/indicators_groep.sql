-- indicators_groep: the same indicators per groep of a school (alumni_units.sql), in
-- warehouse/indicators_groep.parquet with indicators.parquet's columns; unit_type `groep`, unit_id
-- school + ':' + groep (empty after the colon: the school's alumni without a groep).
-- materialized: output

with rates as (
    select * from indicator_rates
),

final as (
    select * from rates where unit_type = 'groep'
)

select * from final
order by cohort_basis, inflow_basis, unit_type, unit_id, indicator, cohort_window, cohort
