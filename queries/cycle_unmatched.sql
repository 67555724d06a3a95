-- cycle_unmatched: interventions of the register whose school has no row in the site's bundle (a
-- typing error in `school`, or a school without alumni in the input). The run warns about them;
-- the quality cycle page, which shows the site's own schools only, leaves them out.
-- materialized: view

with register as (
    select * from interventions
),

schools as (
    select distinct unit_id from site_rows where unit_type = 'school'
),

final as (
    select register.volgorde, register.naam, register.unit_id
    from register
    where split_part(register.unit_id, ':', 1) not in (select unit_id from schools)
)

select * from final
order by volgorde
