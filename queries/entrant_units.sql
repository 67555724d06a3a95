-- entrant_units: the units an entrant counts in (definitions.md §7). On the diploma basis: the four
-- origin units of the alumni record and the three entry units of N; on the instroom basis: the unit
-- whose instroom cohort it is.
-- materialized: view

with entrants as (
    select * from entrants
),

origin as (
    select * from alumni_units
),

final as (
    select entrants.entrant_id, origin.unit_type, origin.unit_id
    from entrants
    join origin
        on origin.record_id = entrants.record_id
    where entrants.cohort_basis = 'diploma'
    union all
    select entrant_id, cast('sector' as varchar), cast(n_sector_group as varchar)
    from entrants
    where cohort_basis = 'diploma'
    union all
    select entrant_id, cast('instelling' as varchar), cast(n_brin as varchar)
    from entrants
    where cohort_basis = 'diploma'
    union all
    select entrant_id, cast('opleiding' as varchar), cast(n_brin || ':' || n_opleidingscode as varchar)
    from entrants
    where cohort_basis = 'diploma'
    union all
    select entrant_id, cast(unit_type as varchar), cast(unit_id as varchar)
    from entrants
    where cohort_basis = 'instroom'
)

select * from final
