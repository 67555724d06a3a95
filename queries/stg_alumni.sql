-- stg_alumni: one row per valid alumni record, with its diploma cohort.
-- Implements definitions.md §1 (diploma cohort: year of the diploma, plus 1 from October on).
-- Persons are joined on `persoon_nr` (a number per person given at ingest, src/ingest/persons.rs),
-- not on the 64-character pseudonym: cheaper to hash and compare (BENCHMARKS.md, "A number per person").
-- materialized: view

with source as (
    select * from gediplomeerden
),

final as (
    select
        record_id,
        persoon_nr,
        brin,
        vestiging,
        niveau,
        diplomadatum,
        nullif(trim(groep), '') as groep,
        cast(date_part('year', diplomadatum) as int)
            + case when date_part('month', diplomadatum) >= 10 then 1 else 0 end as cohort
    from source
)

select * from final
