-- report_norms: each published figure beside the school's own norm for it (`[[norms]]` in
-- doorstroom.toml, registered as report_norm_settings): a norm without `niveau` applies to the
-- region and the schools, one with `niveau` to the afdelingen of that level. A figure is below its
-- norm when it is under `min` or above `max`. Published figures only.
-- materialized: view

with norms as (
    select * from report_norm_settings
),

shown as (
    select * from site_rows
    where cohort_basis = 'diploma' and cohort_window = 1 and inflow_basis in ('', 'direct')
        and not suppressed
),

final as (
    select
        shown.cohort,
        shown.unit_type,
        shown.unit_id,
        shown.indicator,
        shown.value,
        norms.min_value,
        norms.max_value,
        coalesce(shown.value < norms.min_value, false)
            or coalesce(shown.value > norms.max_value, false) as below_norm
    from shown
    inner join norms
        on norms.indicator = shown.indicator
        and (
            (norms.niveau is null and shown.unit_type in ('regio', 'school'))
            or (shown.unit_type = 'afdeling' and shown.unit_id like '%:' || norms.niveau)
        )
)

select * from final
order by unit_type, unit_id, indicator, cohort
