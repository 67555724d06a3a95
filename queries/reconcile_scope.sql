-- reconcile_scope: the units and cohorts being reconciled. The one asked for (`--unit` with
-- `--cohort`), and every unit and cohort of a published figure that names an indicator
-- (formats.md §2), narrowed by whichever of `--unit` and `--cohort` was given (reconcile_filter:
-- one row, null where not given). A national figure (`land`) has no unit of ours to reconcile
-- with: the pages set it beside ours instead (report_national.sql).
-- materialized: view

with filter as (
    select unit_type, unit_id, cohort from reconcile_filter
),

asked as (
    select unit_type, unit_id, cohort
    from filter
    where unit_type is not null and cohort is not null
),

figures as (
    select distinct
        published.eenheid_type as unit_type,
        published.eenheid_id as unit_id,
        published.cohort
    from published
    cross join filter
    where published.indicator <> ''
        and published.eenheid_type <> 'land'
        and (filter.unit_type is null
            or (published.eenheid_type = filter.unit_type
                and published.eenheid_id = filter.unit_id))
        and (filter.cohort is null or published.cohort = filter.cohort)
),

final as (
    select unit_type, unit_id, cohort from asked
    union
    select unit_type, unit_id, cohort from figures
)

select * from final
