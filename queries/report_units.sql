-- report_units: display names of the origin schools (the most common spelling wins, then the
-- smallest), for headings only.
-- materialized: view

with alumni as (
    select brin, vestiging, schoolnaam from gediplomeerden where schoolnaam is not null
),

spellings as (
    select brin || vestiging as unit_id, schoolnaam, count(*) as n
    from alumni
    group by brin || vestiging, schoolnaam
),

ranked as (
    select unit_id, schoolnaam,
        row_number() over (partition by unit_id order by n desc, schoolnaam) as pick
    from spellings
),

final as (
    select unit_id, schoolnaam as name from ranked where pick = 1
)

select * from final
order by unit_id
