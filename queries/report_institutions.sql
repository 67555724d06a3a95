-- report_institutions: display names of the receiving institutions and programmes (the most common
-- spelling wins, then the smallest), for headings only; without `instellingsnaam` or
-- `opleidingsnaam` in the input the page shows the codes.
-- materialized: view

with enrollments as (
    select brin, opleidingscode, instellingsnaam, opleidingsnaam from inschrijvingen
),

spellings as (
    -- Casts in both branches: a UNION ALL of differently typed strings fails (docs/datafusion-notes.md).
    select cast('instelling' as varchar) as unit_type, cast(brin as varchar) as unit_id,
        cast(instellingsnaam as varchar) as name, count(*) as n
    from enrollments
    where instellingsnaam is not null and instellingsnaam <> ''
    group by brin, instellingsnaam
    union all
    select cast('opleiding' as varchar) as unit_type,
        cast(brin || ':' || opleidingscode as varchar) as unit_id,
        cast(opleidingsnaam as varchar) as name, count(*) as n
    from enrollments
    where opleidingsnaam is not null and opleidingsnaam <> ''
    group by brin || ':' || opleidingscode, opleidingsnaam
),

ranked as (
    select unit_type, unit_id, name,
        row_number() over (partition by unit_type, unit_id order by n desc, name) as pick
    from spellings
),

final as (
    select unit_type, unit_id, name from ranked where pick = 1
)

select * from final
order by unit_type, unit_id
