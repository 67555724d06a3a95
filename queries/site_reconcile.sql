-- site_reconcile: the rows of a site's sources page: each published figure for a unit the site
-- shows, beside our published figure for the matching definition, with what explains the
-- difference (reconcile_published.sql over site_reconcile_rows: published numbers only).
--   suppressed    our figure is suppressed on this site: neither the source's figure nor a
--                 comparison is shown (a source figure equal to a suppressed cell would put
--                 that cell on the site)
--   source_small  the source's own counts fall under our primary rules (definitions.md §9): a
--                 hand-made file may hold counts that were never public; it is not shown
-- Otherwise the explanation of reconcile_published.sql.
-- materialized: view

with params as (
    select min_cell, min_denominator from run_params
),

compared as (
    select * from reconcile_published
),

ours as (
    select cohort, unit_type, unit_id, indicator, bool_or(suppressed) as suppressed
    from site_rows
    -- Both bases: the instroom basis has its own unit types (sector, instelling, opleiding).
    where cohort_window = 1 and inflow_basis in ('', 'direct')
    group by cohort, unit_type, unit_id, indicator
),

flagged as (
    select
        compared.*,
        coalesce(ours.suppressed, false) as ours_suppressed,
        coalesce(
            compared.noemer < params.min_denominator
                or compared.teller between 1 and params.min_cell - 1
                or compared.noemer - compared.teller between 1 and params.min_cell - 1,
            false
        ) as source_small
    from compared
    cross join params
    left join ours
        on ours.cohort = compared.cohort
        and ours.unit_type = compared.unit_type
        and ours.unit_id = compared.unit_id
        and ours.indicator = compared.indicator
),

hidden as (
    select
        flagged.*,
        source_small or ours_suppressed as hide
    from flagged
),

final as (
    select
        unit_type,
        unit_id,
        cohort,
        bron,
        bron_indicator,
        indicator,
        definition_version,
        bron_bestand,
        bron_regel,
        case when hide then null else teller end as teller,
        case when hide then null else noemer end as noemer,
        case when hide then null else percentage end as percentage,
        case when hide then '' else teller_masker end as teller_masker,
        case when hide then '' else noemer_masker end as noemer_masker,
        case when hide then '' else percentage_masker end as percentage_masker,
        case when hide then null else published_value end as published_value,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        case when hide then null else difference_points end as difference_points,
        case
            when ours_suppressed then 'suppressed'
            when source_small then 'source_small'
            else explanation
        end as explanation,
        case when hide then '' else cause end as cause,
        case when hide then null else closest_indicator end as closest_indicator,
        case when hide then null else closest_inflow_basis end as closest_inflow_basis,
        case when hide then null else closest_value end as closest_value,
        case when hide then null else closest_ties end as closest_ties
    from hidden
)

select * from final
order by unit_type, unit_id, indicator, bron, bron_indicator, cohort, bron_bestand, bron_regel
