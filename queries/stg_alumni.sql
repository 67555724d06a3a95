-- stg_alumni: one row per valid alumni record, with its diploma cohort.
-- Implements definitions.md §1 (diploma cohort: year of the diploma, plus 1 from October on).
-- materialized: view

with source as (
    select * from gediplomeerden
),

final as (
    select
        record_id,
        persoon_id,
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
