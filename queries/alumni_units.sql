-- alumni_units: the origin units every alumni record counts in (definitions.md §7):
-- regio, school (brin + vestiging), afdeling (school + ':' + niveau), niveau.
-- materialized: view

with alumni as (
    select * from stg_alumni
),

final as (
    select record_id, cast('regio' as varchar) as unit_type, cast('regio' as varchar) as unit_id
    from alumni
    union all
    select record_id, cast('school' as varchar), cast(brin || vestiging as varchar)
    from alumni
    union all
    select record_id, cast('afdeling' as varchar), cast(brin || vestiging || ':' || niveau as varchar)
    from alumni
    union all
    select record_id, cast('niveau' as varchar), cast(niveau as varchar)
    from alumni
)

select * from final
