-- stg_enrollments: every valid enrollment with its sector rank, sector group and its place in the
-- destination order of definitions.md §2.
-- Persons are joined on `persoon_nr` (a number per person given at ingest, src/ingest/persons.rs),
-- not on the 64-character pseudonym: cheaper to hash and compare (BENCHMARKS.md, "A number per person").
-- The §2 tie-break depends only on the enrollment itself, so it is one total order over all
-- enrollments (`pick_order`): "the first by §2 among some enrollments" is the one with the lowest
-- pick_order, an aggregate instead of a window per peildatum.
-- materialized: table

with source as (
    select * from inschrijvingen
),

ranked as (
    select
        record_id as enrollment_id,
        persoon_nr,
        brin,
        sector,
        opleidingscode,
        startdatum,
        einddatum,
        diploma,
        hoofdinschrijving,
        case sector
            when 'wo' then 1
            when 'hbo' then 2
            when 'mbo' then 3
            when 'vo' then 4
            when 'vavo' then 5
        end as sector_rank,
        case
            when sector in ('hbo', 'wo') then 'HO'
            when sector = 'mbo' then 'MBO'
            else 'VO'
        end as sector_group
    from source
),

final as (
    select
        enrollment_id,
        persoon_nr,
        brin,
        sector,
        opleidingscode,
        startdatum,
        einddatum,
        diploma,
        hoofdinschrijving,
        sector_rank,
        sector_group,
        row_number() over (
            order by
                sector_rank,
                hoofdinschrijving desc,
                startdatum,
                brin,
                opleidingscode,
                einddatum desc nulls first,
                diploma desc,
                enrollment_id
        ) as pick_order
    from ranked
)

select * from final
