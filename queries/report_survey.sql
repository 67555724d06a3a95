-- report_survey: the published alumni-survey rows (cohort basis enquete, ind_survey.sql) the unit
-- pages show beside the outcomes: per region, school and afdeling, the share agreeing with each
-- item, in report_trends.sql's columns (from site_rows: published rows only).
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
    where cohort_basis = 'enquete'
        and cohort_window = 1
        and unit_type in ('regio', 'school', 'afdeling')
)

select * from final
order by unit_type, unit_id, indicator, cohort
