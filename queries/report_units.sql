-- report_units: display names of the origin schools the site shows (the most common spelling wins,
-- then the smallest), for headings only. Only schools with rows in the site: a partner's bundle
-- names no other school, on any page.
-- materialized: view

with alumni as (
    select brin, vestiging, schoolnaam from gediplomeerden where schoolnaam is not null
),

shown as (
    select distinct unit_id from site_rows where unit_type = 'school'
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
    select ranked.unit_id, ranked.schoolnaam as name
    from ranked
    inner join shown on shown.unit_id = ranked.unit_id
    where ranked.pick = 1
)

select * from final
order by unit_id
