-- ind_flows: where the alumni were on 1 October of the diploma year per receiving institution
-- (definitions.md §2–§3): per region and per school, cohort, destination sector and the `brin` of
-- the destination D0, the alumni whose D0 is there. Indicator `bestemming_<sector>:<brin>`, inflow
-- basis empty; the denominator is the unit's alumni with P(Y) observed, as for
-- `bestemming_<sector>`, and a sector's institutions (with `overig`, below) sum to it (the
-- disclosure stage knows it). Only institutions that received someone have a row, except under
-- `both` (below). For the flows page (region or school → sector → institution); written to
-- warehouse/indicators_flows.parquet, never to indicators.parquet.
-- The shared bundle takes the region's rows, the schools' or both (`[privacy] institution_flows`,
-- by default the region's; src/publish.rs). With `schools` each school has its own `overig`; with
-- `both` the schools take the region's (below), so they sum to it. Measured on the demo against
-- `region` (which leaves every other figure's suppression as it was): `schools` hid 70 school, 78
-- afdeling and 7 region figures more (and published 34, 59 and 2 others), among them all five of
-- the region's 2024 destinations; `both` hid 104 afdeling, 58 school, 9 groep and 4 region figures
-- more (and published 8, 11, 1 and 1 others). With a row per institution (no `overig`) for the
-- region and the schools, the audit refused to publish.
-- Indicators (read by the report's definitions page):
-- indicator: bestemming_<sector>:<brin> (§2–§3)
--   nl: Het aandeel oud-leerlingen dat op 1 oktober na het diploma in die sector aan die instelling (brin) staat ingeschreven; bij twee inschrijvingen telt de bestemming van §2. Per sector tellen de instellingen op tot de bestemming.
--   en: The share of former students enrolled in that sector at that institution (brin) on 1 October after the diploma; with two enrollments the §2 destination counts. Per sector the institutions add up to the destination.
-- materialized: view

with status as (
    select * from inflow_status
),

units as (
    select * from alumni_units
    where unit_type in ('regio', 'school')
),

enrollments as (
    select enrollment_id, brin from stg_enrollments
),

params as (
    select min_cell, institution_flows from run_params
),

placed as (
    select
        status.cohort,
        units.unit_type,
        units.unit_id,
        status.observed_0,
        status.d0_sector,
        enrollments.brin
    from status
    join units
        on units.record_id = status.record_id
    left join enrollments
        on enrollments.enrollment_id = status.d0_enrollment_id
),

alumni as (
    select cohort, unit_type, unit_id, sum(case when observed_0 then 1 else 0 end) as denominator
    from placed
    group by cohort, unit_type, unit_id
),

received as (
    select cohort, unit_type, unit_id, d0_sector, brin, count(*) as numerator
    from placed
    where observed_0 and d0_sector is not null
    group by cohort, unit_type, unit_id, d0_sector, brin
),

-- Institutions that received fewer than `min_cell` of the unit's alumni are counted together, as
-- `overig` (DUO's "niet onderscheiden"), and while that sum is itself in 1..min_cell-1 the next
-- smallest institutions join it (ascending count, then brin): so no row of this family is a small
-- count unless the whole destination is, and which institution one or two alumni went to is never
-- a row of its own. The choice depends on the true counts, but only through what the published
-- rows show (every named row is at least min_cell).
ranked as (
    select
        received.*,
        coalesce(
            sum(received.numerator) over (
                partition by received.cohort, received.unit_type, received.unit_id,
                    received.d0_sector
                order by received.numerator, received.brin
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as smaller
    from received
),

named as (
    select
        ranked.cohort,
        ranked.unit_type,
        ranked.unit_id,
        ranked.d0_sector,
        ranked.brin,
        case
            when ranked.numerator < params.min_cell
                or (ranked.smaller > 0 and ranked.smaller < params.min_cell)
                then 'overig'
            else ranked.brin
        end as institution,
        ranked.numerator
    from ranked
    cross join params
),

-- `[privacy] institution_flows = "both"`: the schools take the region's institutions, not their
-- own — an institution the region names keeps its brin in every school's rows (small counts
-- there are suppressed like any other), the region's `overig` is every school's — and every school
-- has a row, 0 where it sent nobody, for every institution row of the region. So a school's rows
-- sum to its destination, the schools' rows sum to the region's, and a missing row is never a
-- hidden zero (without the zero rows the audit pinned the schools that have no row, as the sum of
-- the region's institutions leaves them nothing).
region_named as (
    select distinct cohort, d0_sector, institution
    from named
    where unit_type = 'regio' and institution <> 'overig'
),

assigned as (
    select
        named.cohort,
        named.unit_type,
        named.unit_id,
        named.d0_sector,
        case
            when named.unit_type = 'school' and params.institution_flows = 'both'
                then coalesce(region_named.institution, 'overig')
            else named.institution
        end as institution,
        named.numerator
    from named
    cross join params
    left join region_named
        on region_named.cohort = named.cohort
        and region_named.d0_sector = named.d0_sector
        and region_named.institution = named.brin
),

counted as (
    select cohort, unit_type, unit_id, d0_sector, institution, sum(numerator) as numerator
    from assigned
    group by cohort, unit_type, unit_id, d0_sector, institution
),

zeros as (
    select
        alumni.cohort,
        alumni.unit_type,
        alumni.unit_id,
        region.d0_sector,
        region.institution
    from alumni
    join counted as region
        on region.cohort = alumni.cohort
        and region.unit_type = 'regio'
    cross join params
    where alumni.unit_type = 'school' and params.institution_flows = 'both'
),

-- Every counted row, and a 0 for every zero cell (a full join rather than a UNION ALL: the two
-- branches would differ in nullability, docs/datafusion-notes.md).
grouped as (
    select
        coalesce(counted.cohort, zeros.cohort) as cohort,
        coalesce(counted.unit_type, zeros.unit_type) as unit_type,
        coalesce(counted.unit_id, zeros.unit_id) as unit_id,
        coalesce(counted.d0_sector, zeros.d0_sector) as d0_sector,
        coalesce(counted.institution, zeros.institution) as institution,
        coalesce(counted.numerator, 0) as numerator
    from counted
    full join zeros
        on zeros.cohort = counted.cohort
        and zeros.unit_type = counted.unit_type
        and zeros.unit_id = counted.unit_id
        and zeros.d0_sector = counted.d0_sector
        and zeros.institution = counted.institution
),

final as (
    select
        grouped.cohort,
        cast('diploma' as varchar) as cohort_basis,
        cast('' as varchar) as inflow_basis,
        grouped.unit_type,
        grouped.unit_id,
        cast('bestemming_' || grouped.d0_sector || ':' || grouped.institution as varchar)
            as indicator,
        grouped.numerator,
        alumni.denominator
    from grouped
    join alumni
        on alumni.cohort = grouped.cohort
        and alumni.unit_type = grouped.unit_type
        and alumni.unit_id = grouped.unit_id
)

select * from final
