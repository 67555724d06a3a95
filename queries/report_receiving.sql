-- report_receiving: the published rows of the receiving partners' view: the instroom cohort basis
-- (definitions.md §6) per sector, instelling and opleiding, single cohorts — what became of the
-- students who entered the unit in a year, whatever school they came from (from site_rows).
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
    where cohort_basis = 'instroom'
        and cohort_window = 1
        and unit_type in ('sector', 'instelling', 'opleiding')
        and indicator in (
            'nog_in_sector',
            'switch_binnen_sector',
            'jaar1_switch_sector',
            'uitval_onderwijs',
            'diploma_binnen_3_jaar',
            'diploma_binnen_4_jaar',
            'diploma_binnen_5_jaar'
        )
)

select * from final
order by unit_type, unit_id, indicator, cohort
