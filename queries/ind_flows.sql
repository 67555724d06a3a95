-- ind_flows: where the alumni were on 1 October of the diploma year per receiving institution and
-- programme (definitions.md §2–§3): per region and per school, cohort, destination sector, the
-- `brin` of the destination D0 and its `opleidingscode`, the alumni whose D0 is there. Indicators
-- `bestemming_<sector>:<brin>` and `bestemming_<sector>:<brin>:<opleidingscode>`, inflow basis
-- empty; the denominator is the unit's alumni with P(Y) observed, as for `bestemming_<sector>`. A
-- sector's institutions (with `overig`, below) sum to it, and a named institution's programmes
-- (with their own `overig`) sum to the institution (the disclosure stage knows both). Only parts
-- that received someone have a row, except under `both` (below). For the flows page (region or
-- school → sector → institution → programme); written to warehouse/indicators_flows.parquet,
-- never to indicators.parquet.
-- The shared bundle takes the region's rows, the schools' or both (`[privacy] institution_flows`,
-- by default the region's; src/publish.rs). With `schools` each school has its own `overig`; with
-- `both` the schools take the region's (below), so they sum to it. Measured on the demo against
-- `region` (which leaves every other figure's suppression as it was), before the programme level:
-- `schools` hid 70 school, 78 afdeling and 7 region figures more (and published 34, 59 and 2
-- others), among them all five of the region's 2024 destinations; `both` hid 104 afdeling, 58
-- school, 9 groep and 4 region figures more (and published 8, 11, 1 and 1 others). With a row per
-- institution (no `overig`) for the region and the schools, the audit refused to publish.
-- Indicators (read by the report's definitions page):
-- indicator: bestemming_<sector>:<brin> (§2–§3)
--   nl: Het aandeel oud-leerlingen dat op 1 oktober na het diploma in die sector aan die instelling (brin) staat ingeschreven; bij twee inschrijvingen telt de bestemming van §2. Per sector tellen de instellingen op tot de bestemming.
--   en: The share of former students enrolled in that sector at that institution (brin) on 1 October after the diploma; with two enrollments the §2 destination counts. Per sector the institutions add up to the destination.
-- indicator: bestemming_<sector>:<brin>:<opleidingscode> (§2–§3)
--   nl: Het aandeel oud-leerlingen dat op 1 oktober na het diploma aan die instelling in die opleiding (crebo- of crohocode) staat ingeschreven. Per instelling tellen de opleidingen op tot de instelling; opleidingen met weinig oud-leerlingen staan samen als overig.
--   en: The share of former students enrolled at that institution in that programme (crebo or croho code) on 1 October after the diploma. Per institution the programmes add up to the institution; programmes with few former students are counted together as overig.
-- Its counts (flow_received.sql) and names (flow_names.sql) are tables of their own: in one query
-- the plan nested too deep for a Ballista scheduler to decode (prost's recursion limit). It is a
-- table too, computed on its own, so its joins do not share the memory pool with
-- indicators_single.sql's plan (inlined there, under a 40 MiB limit on the demo, that plan failed
-- in a hash aggregate; as a table the run got past it).
-- materialized: table

with status as (
    select * from inflow_status
),

units as (
    select * from alumni_units
    where unit_type in ('regio', 'school')
),

received as (
    select * from flow_received
),

names as (
    select * from flow_names
),

params as (
    select institution_flows from run_params
),

levels as (
    select * from (values (1), (2)) as levels(level)
),

alumni as (
    select
        status.cohort,
        units.unit_type,
        units.unit_id,
        sum(case when status.observed_0 then 1 else 0 end) as denominator
    from status
    join units
        on units.record_id = status.record_id
    group by status.cohort, units.unit_type, units.unit_id
),

-- An institution is split into programmes only where at least one programme is named: otherwise
-- its one `overig` row would repeat the institution's.
split as (
    select distinct cohort, unit_type, unit_id, d0_sector, parent as brin
    from names
    where level = 2 and name <> 'overig'
),

-- Whose names a unit's rows take: its own, but under `[privacy] institution_flows = "both"` the
-- schools take the region's — an institution or programme the region names keeps its code in
-- every school's rows (small counts there are suppressed like any other), the region's `overig`
-- is every school's — and every school has a row, 0 where it sent nobody, for every row of the
-- region (`zeros`). So a school's rows sum to its destination (institution), the schools' rows sum
-- to the region's, and a missing row is never a hidden zero (without the zero rows the audit
-- pinned the schools that have no row, as the sum of the region's institutions leaves them
-- nothing).
namer as (
    select
        received.*,
        case
            when received.unit_type = 'school' and params.institution_flows = 'both' then 'regio'
            else received.unit_type
        end as namer_type,
        case
            when received.unit_type = 'school' and params.institution_flows = 'both' then 'regio'
            else received.unit_id
        end as namer_id
    from received
    cross join params
),

assigned as (
    select
        namer.cohort,
        namer.unit_type,
        namer.unit_id,
        namer.d0_sector,
        coalesce(institution.name, 'overig') as institution,
        coalesce(programme.name, 'overig') as programme,
        institution.name <> 'overig' and split.brin is not null as is_split,
        namer.numerator
    from namer
    left join names as institution
        on institution.cohort = namer.cohort
        and institution.unit_type = namer.namer_type
        and institution.unit_id = namer.namer_id
        and institution.d0_sector = namer.d0_sector
        and institution.level = 1
        and institution.part = namer.brin
    left join names as programme
        on programme.cohort = namer.cohort
        and programme.unit_type = namer.namer_type
        and programme.unit_id = namer.namer_id
        and programme.d0_sector = namer.d0_sector
        and programme.level = 2
        and programme.parent = namer.brin
        and programme.part = namer.programme
    left join split
        on split.cohort = namer.cohort
        and split.unit_type = namer.namer_type
        and split.unit_id = namer.namer_id
        and split.d0_sector = namer.d0_sector
        and split.brin = namer.brin
),

-- The rows: level 1 per institution, level 2 per programme of a split institution.
counted as (
    select
        assigned.cohort,
        assigned.unit_type,
        assigned.unit_id,
        assigned.d0_sector,
        levels.level,
        assigned.institution,
        case when levels.level = 1 then '' else assigned.programme end as programme,
        sum(assigned.numerator) as numerator
    from assigned
    cross join levels
    where levels.level = 1 or coalesce(assigned.is_split, false)
    group by
        assigned.cohort,
        assigned.unit_type,
        assigned.unit_id,
        assigned.d0_sector,
        levels.level,
        assigned.institution,
        case when levels.level = 1 then '' else assigned.programme end
),

zeros as (
    select
        alumni.cohort,
        alumni.unit_type,
        alumni.unit_id,
        region.d0_sector,
        region.level,
        region.institution,
        region.programme
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
        coalesce(counted.level, zeros.level) as level,
        coalesce(counted.institution, zeros.institution) as institution,
        coalesce(counted.programme, zeros.programme) as programme,
        coalesce(counted.numerator, 0) as numerator
    from counted
    full join zeros
        on zeros.cohort = counted.cohort
        and zeros.unit_type = counted.unit_type
        and zeros.unit_id = counted.unit_id
        and zeros.d0_sector = counted.d0_sector
        and zeros.level = counted.level
        and zeros.institution = counted.institution
        and zeros.programme = counted.programme
),

final as (
    select
        grouped.cohort,
        cast('diploma' as varchar) as cohort_basis,
        cast('' as varchar) as inflow_basis,
        grouped.unit_type,
        grouped.unit_id,
        cast(
            'bestemming_' || grouped.d0_sector || ':' || grouped.institution
            || case when grouped.level = 2 then ':' || grouped.programme else '' end
            as varchar
        ) as indicator,
        grouped.numerator,
        alumni.denominator
    from grouped
    join alumni
        on alumni.cohort = grouped.cohort
        and alumni.unit_type = grouped.unit_type
        and alumni.unit_id = grouped.unit_id
)

select * from final
