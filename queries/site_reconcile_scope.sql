-- site_reconcile_scope (registered as reconcile_scope on a site): the units and cohorts of a
-- site's sources page: every published figure that names an indicator for a unit the site shows
-- (a partner's site: the region and that partner's schools only).
-- materialized: view

with units as (
    select distinct unit_type, unit_id from site_rows
),

final as (
    select distinct
        published.eenheid_type as unit_type,
        published.eenheid_id as unit_id,
        published.cohort
    from published
    inner join units
        on units.unit_type = published.eenheid_type
        and units.unit_id = published.eenheid_id
    where published.indicator <> ''
)

select * from final
