-- destinations: the destination of each alumni record on P(Y), P(Y+1), P(Y+2) (definitions.md §2).
-- Among the person's enrollments active on the peildatum (also ones begun before the diploma),
-- the one first in the §2 order, i.e. the lowest pick_order of stg_enrollments, with the fields the
-- entry enrollment N needs (entrants.sql, flow_received.sql), so those need no join back to it.
-- materialized: table

with alumni as (
    select * from stg_alumni
),

enrollments as (
    select * from stg_enrollments
),

offsets as (
    select v.k from (values (0), (1), (2)) as v(k)
),

peildata as (
    select
        alumni.record_id,
        alumni.persoon_nr,
        offsets.k,
        make_date(alumni.cohort + offsets.k, 10, 1) as peildatum
    from alumni
    cross join offsets
),

picked as (
    select
        peildata.record_id,
        peildata.k,
        min(enrollments.pick_order) as pick_order
    from peildata
    join enrollments
        on enrollments.persoon_nr = peildata.persoon_nr
    where enrollments.startdatum <= peildata.peildatum
        and (enrollments.einddatum is null or enrollments.einddatum >= peildata.peildatum)
    group by peildata.record_id, peildata.k
),

final as (
    select
        picked.record_id,
        picked.k,
        enrollments.enrollment_id,
        enrollments.sector,
        enrollments.brin,
        enrollments.opleidingscode,
        enrollments.sector_group,
        enrollments.diploma,
        enrollments.einddatum
    from picked
    join enrollments
        on enrollments.pick_order = picked.pick_order
)

select * from final
