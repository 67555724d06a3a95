-- cycle_run_changes: what changed since the last run, key by key: this run's bundle
-- (site_indicators) against the bundle an earlier run published (`previous_indicators`, read from
-- its site/data/indicators.csv). Both sides are published tables, so the comparison shows nothing
-- either run did not already show.
--
-- status: `nieuw` (a key only this run has, e.g. a new cohort), `vervallen` (only the earlier run),
-- `gewijzigd` (published by both, other numbers), `nu_onderdrukt` (published then, suppressed now),
-- `nu_gepubliceerd` (suppressed then, published now). Keys with the same numbers are left out.
-- materialized: table

with now_rows as (
    select * from site_indicators
),

before_rows as (
    select * from previous_indicators
),

joined as (
    select
        coalesce(now_rows.cohort, before_rows.cohort) as cohort,
        coalesce(now_rows.cohort_basis, before_rows.cohort_basis) as cohort_basis,
        coalesce(now_rows.inflow_basis, before_rows.inflow_basis) as inflow_basis,
        coalesce(now_rows.cohort_window, before_rows.cohort_window) as cohort_window,
        coalesce(now_rows.unit_type, before_rows.unit_type) as unit_type,
        coalesce(now_rows.unit_id, before_rows.unit_id) as unit_id,
        coalesce(now_rows.indicator, before_rows.indicator) as indicator,
        now_rows.suppressed as now_suppressed,
        before_rows.suppressed as before_suppressed,
        before_rows.numerator as before_numerator,
        before_rows.denominator as before_denominator,
        before_rows.value as before_value,
        now_rows.numerator as now_numerator,
        now_rows.denominator as now_denominator,
        now_rows.value as now_value
    from now_rows
    full outer join before_rows
        on now_rows.cohort = before_rows.cohort
        and now_rows.cohort_basis = before_rows.cohort_basis
        and now_rows.inflow_basis = before_rows.inflow_basis
        and now_rows.cohort_window = before_rows.cohort_window
        and now_rows.unit_type = before_rows.unit_type
        and now_rows.unit_id = before_rows.unit_id
        and now_rows.indicator = before_rows.indicator
),

classified as (
    select
        joined.*,
        case
            when before_suppressed is null then 'nieuw'
            when now_suppressed is null then 'vervallen'
            when not before_suppressed and now_suppressed then 'nu_onderdrukt'
            when before_suppressed and not now_suppressed then 'nu_gepubliceerd'
            when not before_suppressed and not now_suppressed
                and (before_numerator <> now_numerator or before_denominator <> now_denominator)
                then 'gewijzigd'
        end as status
    from joined
),

final as (
    select
        status,
        cohort,
        cohort_basis,
        inflow_basis,
        cohort_window,
        unit_type,
        unit_id,
        indicator,
        before_numerator,
        before_denominator,
        before_value,
        now_numerator,
        now_denominator,
        now_value
    from classified
    where status is not null
)

select * from final
order by status, unit_type, unit_id, indicator, cohort
