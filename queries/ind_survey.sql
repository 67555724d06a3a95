-- ind_survey: the alumni survey (`[inputs] survey`, formats.md §7) per diploma cohort and unit: for
-- every item, the respondents who answered it (denominator) and those who agreed, a score of 4 or
-- 5 (numerator). Units: regio, school, and afdeling (school + ':' + niveau) in the cohorts where
-- the school's respondents name afdelingen — then those without one are in school + ':', so the
-- afdelingen sum to the school. Cohort basis `enquete`, inflow basis empty. The rows go to
-- warehouse/indicators_enquete.parquet (indicators_enquete.sql), never to indicators.parquet.
-- Indicators (read by the report's definitions page):
-- indicator: enquete:<item> (formats.md §7)
--   nl: Het aandeel respondenten van de alumni-enquête dat het (eens of helemaal eens, score 4 of 5) eens is met de stelling, van wie de vraag beantwoordde.
--   en: The share of the alumni survey's respondents who agree (agree or strongly agree, score 4 or 5) with the statement, of those who answered it.
-- materialized: view

with answers as (
    select * from survey
),

split_cohorts as (
    select distinct cohort, school from answers where niveau is not null
),

units as (
    select cohort, item, score, cast('regio' as varchar) as unit_type,
        cast('regio' as varchar) as unit_id
    from answers
    union all
    select cohort, item, score, cast('school' as varchar), cast(school as varchar)
    from answers
    union all
    select answers.cohort, answers.item, answers.score, cast('afdeling' as varchar),
        cast(answers.school || ':' || coalesce(answers.niveau, '') as varchar)
    from answers
    inner join split_cohorts
        on split_cohorts.cohort = answers.cohort and split_cohorts.school = answers.school
),

final as (
    select
        cohort,
        cast('enquete' as varchar) as cohort_basis,
        cast('' as varchar) as inflow_basis,
        unit_type,
        unit_id,
        cast('enquete:' || item as varchar) as indicator,
        sum(case when score >= 4 then 1 else 0 end) as numerator,
        count(*) as denominator
    from units
    group by cohort, unit_type, unit_id, item
)

select * from final
