-- report_trends: the published rows the report's unit pages show: region, schools, afdelingen and
-- groepen, diploma cohort basis,
-- single cohorts, inflow basis direct for the year-one and diploma indicators (from site_rows).
-- materialized: view

with shown as (
    select * from site_rows
),

final as (
    select
        cohort,
        unit_type,
        unit_id,
        indicator,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        suppressed
    from shown
    where cohort_basis = 'diploma'
        and cohort_window = 1
        and unit_type in ('regio', 'school', 'afdeling', 'groep')
        and inflow_basis in ('', 'direct')
        and indicator in (
            'instroom_direct',
            'instroom_binnen_1_jaar',
            'bestemming_mbo',
            'bestemming_hbo',
            'bestemming_wo',
            'nog_in_sector',
            'switch_binnen_sector',
            'uitval_onderwijs',
            'diploma_binnen_5_jaar'
        )
)

select * from final
order by unit_type, unit_id, indicator, cohort
