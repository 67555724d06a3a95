-- site_reconcile_rows (registered as reconcile_rows on a site): our variants as a site may show
-- them: the published, unsuppressed rows of site_rows only, in reconcile_rows' shape. So
-- reconcile_published.sql, run over these, compares, rounds, finds the nearest variant and
-- weighs the interval with published numbers alone: nothing on the sources page can reveal a
-- suppressed cell. (The data owner's `doorstroom reconcile` runs the same comparison over every
-- variant, unsuppressed.)
-- materialized: table

with scope as (
    select * from reconcile_scope
),

shown as (
    select site_rows.*
    from site_rows
    inner join scope
        on site_rows.unit_type = scope.unit_type
        and site_rows.unit_id = scope.unit_id
        and site_rows.cohort = scope.cohort
    where not site_rows.suppressed
),

final as (
    select
        cohort,
        cohort_basis,
        inflow_basis,
        cohort_window,
        unit_type,
        unit_id,
        indicator,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        cast('1_oktober' as varchar) as peildatum,
        case
            when indicator like 'instroom_%' or indicator like 'bestemming_%' then 'instroom'
            when indicator like 'diploma_binnen_%' then 'diploma'
            else 'jaar1'
        end as family
    from shown
)

select * from final
