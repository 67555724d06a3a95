-- entrants: who entered where, per cohort basis and inflow basis (definitions.md §4, §6).
-- Diploma basis, inflow basis `direct`: `direct` records, E = P(Y), N = D0.
-- Diploma basis, inflow basis `binnen_1_jaar`: also `na_1_jaar` records, with E = P(Y+1), N = D1.
-- Instroom basis: each person's first peildatum in a unit (instroom_cohorts), inflow basis empty.
-- E is entry_date, F = E + 1 year is next_date; N's fields are carried as n_*.
-- entrant_id: 2 * record_id (+1 for binnen_1_jaar) on the diploma basis, minus instroom_id on the
-- instroom basis; unique without a window over the union.
-- materialized: table

with status as (
    select * from inflow_status
),

instroom as (
    select * from instroom_cohorts
),

enrollments as (
    select * from stg_enrollments
),

diploma_direct as (
    select
        cast('diploma' as varchar) as cohort_basis,
        cast('direct' as varchar) as inflow_basis,
        2 * record_id as entrant_id,
        cohort,
        record_id,
        persoon_nr,
        cohort as entry_year,
        d0_enrollment_id as entry_enrollment_id,
        cast(null as varchar) as unit_type,
        cast(null as varchar) as unit_id
    from status
    where status = 'direct'
),

diploma_within_one_year as (
    select
        cast('diploma' as varchar) as cohort_basis,
        cast('binnen_1_jaar' as varchar) as inflow_basis,
        2 * record_id + 1 as entrant_id,
        cohort,
        record_id,
        persoon_nr,
        case when status = 'direct' then cohort else cohort + 1 end as entry_year,
        case when status = 'direct' then d0_enrollment_id else d1_enrollment_id end as entry_enrollment_id,
        cast(null as varchar) as unit_type,
        cast(null as varchar) as unit_id
    from status
    where status in ('direct', 'na_1_jaar')
),

receiving as (
    select
        cast('instroom' as varchar) as cohort_basis,
        cast('' as varchar) as inflow_basis,
        0 - cast(instroom_id as bigint) as entrant_id,
        cohort,
        cast(null as bigint) as record_id,
        persoon_nr,
        cohort as entry_year,
        enrollment_id as entry_enrollment_id,
        cast(unit_type as varchar) as unit_type,
        cast(unit_id as varchar) as unit_id
    from instroom
),

all_entrants as (
    select * from diploma_direct
    union all
    select * from diploma_within_one_year
    union all
    select * from receiving
),

final as (
    select
        cast(all_entrants.entrant_id as bigint) as entrant_id,
        all_entrants.cohort_basis,
        all_entrants.inflow_basis,
        cast(all_entrants.cohort as int) as cohort,
        all_entrants.record_id,
        all_entrants.persoon_nr,
        cast(all_entrants.entry_year as int) as entry_year,
        make_date(all_entrants.entry_year, 10, 1) as entry_date,
        make_date(all_entrants.entry_year + 1, 10, 1) as next_date,
        all_entrants.unit_type,
        all_entrants.unit_id,
        enrollments.brin as n_brin,
        enrollments.opleidingscode as n_opleidingscode,
        enrollments.sector_group as n_sector_group,
        enrollments.diploma as n_diploma,
        enrollments.einddatum as n_einddatum
    from all_entrants
    join enrollments
        on enrollments.enrollment_id = all_entrants.entry_enrollment_id
)

select * from final
