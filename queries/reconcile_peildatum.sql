-- reconcile_peildatum: direct inflow counted on another peildatum (domain.md "Why the same cohort
-- has different numbers", item 2): enrolled at any moment of the school year after the diploma
-- (from the diplomadatum up to 31 July of Y+1), instead of on 1 October of the diploma year
-- (definitions.md §3 `instroom_direct`). It adds those who stopped before 1 October and those who
-- started later in the year (a February intake); a gap-year entrant starts in the next school
-- year and is not counted. A source that counts "ingeschreven in het jaar na het examen" gives
-- this figure. Every alumni record counts on its own (§1); the variant needs the whole school
-- year, so it is observed when 31 July of Y+1 <= data_until. It is a count to set beside a
-- published figure: no interval.
-- Data-owner output, for the units and cohorts of reconcile_scope only.
-- materialized: view

with params as (
    select data_until from run_params
),

scope as (
    select * from reconcile_scope
),

records as (
    select
        stg_alumni.record_id,
        stg_alumni.persoon_nr,
        stg_alumni.diplomadatum,
        stg_alumni.cohort,
        alumni_units.unit_type,
        alumni_units.unit_id
    from stg_alumni
    inner join alumni_units on alumni_units.record_id = stg_alumni.record_id
    inner join scope
        on scope.unit_type = alumni_units.unit_type
        and scope.unit_id = alumni_units.unit_id
        and scope.cohort = stg_alumni.cohort
    cross join params
    where make_date(stg_alumni.cohort + 1, 7, 31) <= params.data_until
),

-- Records with an enrollment that overlaps [diplomadatum, 1 August Y+1).
enrolled as (
    select distinct records.record_id, records.unit_type, records.unit_id
    from records
    inner join stg_enrollments on stg_enrollments.persoon_nr = records.persoon_nr
    where stg_enrollments.startdatum < make_date(records.cohort + 1, 8, 1)
        and (stg_enrollments.einddatum is null
            or stg_enrollments.einddatum >= records.diplomadatum)
),

counts as (
    select
        records.unit_type,
        records.unit_id,
        records.cohort,
        count(enrolled.record_id) as numerator,
        count(*) as denominator
    from records
    left join enrolled
        on enrolled.record_id = records.record_id
        and enrolled.unit_type = records.unit_type
        and enrolled.unit_id = records.unit_id
    group by records.unit_type, records.unit_id, records.cohort
),

final as (
    select
        cast(cohort as int) as cohort,
        cast('diploma' as varchar) as cohort_basis,
        cast('' as varchar) as inflow_basis,
        cast(1 as int) as cohort_window,
        unit_type,
        unit_id,
        cast('instroom_direct' as varchar) as indicator,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        cast(numerator as double) / cast(denominator as double) as value,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high,
        cast('heel_jaar' as varchar) as peildatum
    from counts
)

select * from final
