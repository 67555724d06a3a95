-- entrants: who entered where, per cohort basis and inflow basis (definitions.md §4, §6).
-- Diploma basis, inflow basis `direct`: `direct` records, E = P(Y), N = D0.
-- Diploma basis, inflow basis `binnen_1_jaar`: also `na_1_jaar` records, with E = P(Y+1), N = D1.
-- Instroom basis: each person's first peildatum in a unit (instroom_cohorts), inflow basis empty.
-- E is entry_date, F = E + 1 year is next_date; N's fields are carried as n_*, from the pick that
-- chose N (inflow_status.sql, instroom_cohorts.sql) rather than by a join back to stg_enrollments.
-- entrant_id: 2 * record_id (+1 for binnen_1_jaar) on the diploma basis, minus instroom_id on the
-- instroom basis; unique without a window over the union.
-- materialized: table

with status as (
    select * from inflow_status
),

instroom as (
    select * from instroom_cohorts
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
        cast(null as varchar) as unit_type,
        cast(null as varchar) as unit_id,
        d0_brin as n_brin,
        d0_opleidingscode as n_opleidingscode,
        d0_sector_group as n_sector_group,
        d0_diploma as n_diploma,
        d0_einddatum as n_einddatum
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
        cast(null as varchar) as unit_type,
        cast(null as varchar) as unit_id,
        case when status = 'direct' then d0_brin else d1_brin end as n_brin,
        case when status = 'direct' then d0_opleidingscode else d1_opleidingscode end
            as n_opleidingscode,
        case when status = 'direct' then d0_sector_group else d1_sector_group end as n_sector_group,
        case when status = 'direct' then d0_diploma else d1_diploma end as n_diploma,
        case when status = 'direct' then d0_einddatum else d1_einddatum end as n_einddatum
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
        cast(unit_type as varchar) as unit_type,
        cast(unit_id as varchar) as unit_id,
        brin as n_brin,
        opleidingscode as n_opleidingscode,
        sector_group as n_sector_group,
        diploma as n_diploma,
        einddatum as n_einddatum
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
        cast(entrant_id as bigint) as entrant_id,
        cohort_basis,
        inflow_basis,
        cast(cohort as int) as cohort,
        record_id,
        persoon_nr,
        cast(entry_year as int) as entry_year,
        make_date(entry_year, 10, 1) as entry_date,
        make_date(entry_year + 1, 10, 1) as next_date,
        unit_type,
        unit_id,
        n_brin,
        n_opleidingscode,
        n_sector_group,
        n_diploma,
        n_einddatum
    from all_entrants
)

select * from final
