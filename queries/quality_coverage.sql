-- quality_coverage: per school and for the region, the share of alumni records whose person has
-- no enrollment at all in the data, over the cohorts whose P(Y+2) is observed (domain.md "Why the
-- same cohort has different numbers", item 7: a student who moved outside the region, or a
-- partner that did not deliver, looks like no inflow and like dropout). For a shared page: a
-- whole percentage only, and only where the records, those without and those with an enrollment
-- pass the primary rules (definitions.md §9); no counts; only units the site shows (a partner's
-- site: the region and that partner's schools).
-- materialized: view

with params as (
    select data_until, min_cell, min_denominator from run_params
),

alumni as (
    select stg_alumni.record_id, stg_alumni.persoon_nr, stg_alumni.brin || stg_alumni.vestiging as school
    from stg_alumni
    cross join params
    where make_date(stg_alumni.cohort + 2, 10, 1) <= params.data_until
),

enrolled as (
    select distinct persoon_nr from stg_enrollments
),

flagged as (
    select
        alumni.school,
        case when enrolled.persoon_nr is null then 1 else 0 end as without
    from alumni
    left join enrolled on enrolled.persoon_nr = alumni.persoon_nr
),

units as (
    select cast('school' as varchar) as unit_type, school as unit_id, without from flagged
    union all
    select cast('regio' as varchar), cast('regio' as varchar), without from flagged
),

shown as (
    select distinct unit_type, unit_id from site_rows
),

counts as (
    select units.unit_type, units.unit_id, count(*) as records, sum(units.without) as without
    from units
    inner join shown on shown.unit_type = units.unit_type and shown.unit_id = units.unit_id
    group by units.unit_type, units.unit_id
),

final as (
    select
        counts.unit_type,
        counts.unit_id,
        case
            when counts.records >= params.min_denominator
                and counts.without >= params.min_cell
                and counts.records - counts.without >= params.min_cell
                then round(100.0 * cast(counts.without as double) / cast(counts.records as double))
        end as percent_without_enrollment
    from counts
    cross join params
)

select * from final
order by unit_type, unit_id
