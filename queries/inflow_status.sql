-- inflow_status: per alumni record its inflow status (direct, na_1_jaar, na_2_jaar, geen), its
-- destinations D0..D2 and which of P(Y), P(Y+1), P(Y+2) are observed (definitions.md §1, §3).
-- D0's and D1's fields are carried (d0_*, d1_*): they are N on the diploma basis (entrants.sql).
-- materialized: table

with alumni as (
    select * from stg_alumni
),

params as (
    select data_until from run_params
),

destinations as (
    select * from destinations
),

final as (
    select
        alumni.record_id,
        alumni.persoon_nr,
        alumni.cohort,
        d0.enrollment_id as d0_enrollment_id,
        d0.sector as d0_sector,
        d0.brin as d0_brin,
        d0.opleidingscode as d0_opleidingscode,
        d0.sector_group as d0_sector_group,
        d0.diploma as d0_diploma,
        d0.einddatum as d0_einddatum,
        d1.enrollment_id as d1_enrollment_id,
        d1.brin as d1_brin,
        d1.opleidingscode as d1_opleidingscode,
        d1.sector_group as d1_sector_group,
        d1.diploma as d1_diploma,
        d1.einddatum as d1_einddatum,
        make_date(alumni.cohort, 10, 1) <= params.data_until as observed_0,
        make_date(alumni.cohort + 1, 10, 1) <= params.data_until as observed_1,
        make_date(alumni.cohort + 2, 10, 1) <= params.data_until as observed_2,
        case
            when d0.record_id is not null then 'direct'
            when d1.record_id is not null then 'na_1_jaar'
            when d2.record_id is not null then 'na_2_jaar'
            else 'geen'
        end as status
    from alumni
    cross join params
    left join destinations as d0
        on d0.record_id = alumni.record_id and d0.k = 0
    left join destinations as d1
        on d1.record_id = alumni.record_id and d1.k = 1
    left join destinations as d2
        on d2.record_id = alumni.record_id and d2.k = 2
)

select * from final
