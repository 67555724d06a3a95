-- instroom_cohorts: the receiving institution's view (definitions.md §6). For every person and every
-- unit (sector group, instelling, opleiding) in which they have an enrollment: the first year t with
-- one of those enrollments active on P(t), P(t) observed; the entry enrollment N is the §2 pick among
-- the unit's enrollments active on P(t).
-- An enrollment starting after 1 October first counts at the next year's peildatum; one that ended
-- before that peildatum is never active on one and never starts an instroom cohort. Any enrollment
-- active on P(t) has that P(t) as its own first peildatum, so the candidates are exactly the unit's
-- enrollments whose first peildatum is t.
-- materialized: table

with enrollments as (
    select * from stg_enrollments
),

params as (
    select data_until from run_params
),

in_units as (
    select enrollment_id, persoon_nr, startdatum, einddatum, pick_order,
        cast('sector' as varchar) as unit_type, cast(sector_group as varchar) as unit_id
    from enrollments
    union all
    select enrollment_id, persoon_nr, startdatum, einddatum, pick_order,
        cast('instelling' as varchar), cast(brin as varchar)
    from enrollments
    union all
    select enrollment_id, persoon_nr, startdatum, einddatum, pick_order,
        cast('opleiding' as varchar), cast(brin || ':' || opleidingscode as varchar)
    from enrollments
),

first_peildatum as (
    select
        in_units.*,
        cast(date_part('year', startdatum) as int)
            + case
                when startdatum <= make_date(cast(date_part('year', startdatum) as int), 10, 1) then 0
                else 1
            end as first_year
    from in_units
),

active_first as (
    select first_peildatum.*
    from first_peildatum
    cross join params
    where make_date(first_year, 10, 1) <= params.data_until
        and (einddatum is null or einddatum >= make_date(first_year, 10, 1))
),

-- The first year and, among the unit's enrollments of that year, the §2 pick, in one aggregate:
-- (first_year << 40) | pick_order orders by the year, then by pick_order (below 2^40). Before, a
-- min(first_year) per (person, unit) joined back to its rows for min(pick_order); figures in
-- BENCHMARKS.md, "A number per person".
firsts as (
    select
        persoon_nr,
        unit_type,
        unit_id,
        min((cast(first_year as bigint) << 40) | cast(pick_order as bigint)) as first_key
    from active_first
    group by persoon_nr, unit_type, unit_id
),

picked as (
    select
        persoon_nr,
        unit_type,
        unit_id,
        cast(first_key >> 40 as int) as cohort,
        first_key & 1099511627775 as pick_order
    from firsts
),

-- instroom_id: unique without a window, because an enrollment lies in one unit of each type and
-- so is the pick of at most one row per unit type; at least 1, as entrants.sql needs. A
-- row_number() over all rows sorted every (person, unit) row in one partition (BENCHMARKS.md,
-- "Query shape").
final as (
    select
        3 * enrollments.enrollment_id
            + case picked.unit_type when 'sector' then 1 when 'instelling' then 2 else 3 end
            as instroom_id,
        picked.persoon_nr,
        picked.unit_type,
        picked.unit_id,
        picked.cohort,
        enrollments.enrollment_id,
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
