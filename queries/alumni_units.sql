-- alumni_units: the origin units every alumni record counts in (definitions.md §7):
-- regio, school (brin + vestiging), afdeling (school + ':' + niveau), niveau; and, beyond §7, the
-- school's own `groep` (school + ':' + groep, formats.md §1) in the cohorts where the school names
-- groups: then every alumni record of that school and cohort is in one groep, those without a name
-- in `school + ':'` (shown as "zonder groep"), so a school's groepen sum to the school. Groep rows go to their own output
-- (indicators_groep.sql), never to indicators.parquet, whose units are §7's.
-- materialized: view

with alumni as (
    select * from stg_alumni
),

grouped_cohorts as (
    select distinct brin, vestiging, cohort from alumni where groep is not null
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
    union all
    select alumni.record_id, cast('groep' as varchar),
        cast(alumni.brin || alumni.vestiging || ':' || coalesce(alumni.groep, '') as varchar)
    from alumni
    inner join grouped_cohorts
        on grouped_cohorts.brin = alumni.brin
        and grouped_cohorts.vestiging = alumni.vestiging
        and grouped_cohorts.cohort = alumni.cohort
)

select * from final
