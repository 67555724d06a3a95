-- quality_censoring: for each diploma cohort in the data, which figures can already be followed to
-- the end (definitions.md §1: a status that needs peildatum P is observed only when
-- P <= data_until). A cohort's figures that need a later peildatum are censored: left out, never
-- counted as dropout. Year-one outcomes and diplomas are those of direct entrants (E = P(Y)).
-- materialized: view

with params as (
    select data_until from run_params
),

cohorts as (
    select distinct cohort from stg_alumni
),

final as (
    select
        cohorts.cohort,
        make_date(cohorts.cohort, 10, 1) <= params.data_until as instroom_direct,
        make_date(cohorts.cohort + 1, 10, 1) <= params.data_until as instroom_binnen_1_jaar,
        make_date(cohorts.cohort + 1, 10, 1) <= params.data_until as jaar1,
        make_date(cohorts.cohort + 2, 10, 1) <= params.data_until as instroom_binnen_2_jaar,
        make_date(cohorts.cohort + 3, 10, 1) <= params.data_until as diploma_binnen_3_jaar,
        make_date(cohorts.cohort + 4, 10, 1) <= params.data_until as diploma_binnen_4_jaar,
        make_date(cohorts.cohort + 5, 10, 1) <= params.data_until as diploma_binnen_5_jaar
    from cohorts
    cross join params
)

select * from final
order by cohort
