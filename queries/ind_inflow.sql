-- ind_inflow: inflow (instroom) and destinations on the diploma cohort basis (definitions.md §3).
-- Each indicator's denominator is the unit's records whose needed peildatum is observed; a record
-- not observed is left out of numerator and denominator (censoring, §1). Inflow basis is empty.
-- materialized: view

with status as (
    select * from inflow_status
),

units as (
    select * from alumni_units
),

counts as (
    select
        status.cohort,
        units.unit_type,
        units.unit_id,
        sum(case when status.observed_0 then 1 else 0 end) as observed_0,
        sum(case when status.observed_1 then 1 else 0 end) as observed_1,
        sum(case when status.observed_2 then 1 else 0 end) as observed_2,
        sum(case when status.observed_0 and status.status = 'direct' then 1 else 0 end) as n_direct,
        sum(case when status.observed_1 and status.status in ('direct', 'na_1_jaar') then 1 else 0 end)
            as n_within_1,
        sum(case when status.observed_2 and status.status <> 'geen' then 1 else 0 end) as n_within_2,
        sum(case when status.observed_0 and status.d0_sector = 'wo' then 1 else 0 end) as n_wo,
        sum(case when status.observed_0 and status.d0_sector = 'hbo' then 1 else 0 end) as n_hbo,
        sum(case when status.observed_0 and status.d0_sector = 'mbo' then 1 else 0 end) as n_mbo,
        sum(case when status.observed_0 and status.d0_sector = 'vo' then 1 else 0 end) as n_vo,
        sum(case when status.observed_0 and status.d0_sector = 'vavo' then 1 else 0 end) as n_vavo
    from status
    join units
        on units.record_id = status.record_id
    group by status.cohort, units.unit_type, units.unit_id
),

indicator_list as (
    select column1 as indicator
    from (values
        ('instroom_direct'),
        ('instroom_binnen_1_jaar'),
        ('instroom_binnen_2_jaar'),
        ('bestemming_wo'),
        ('bestemming_hbo'),
        ('bestemming_mbo'),
        ('bestemming_vo'),
        ('bestemming_vavo')
    )
),

final as (
    select
        counts.cohort,
        cast('diploma' as varchar) as cohort_basis,
        cast('' as varchar) as inflow_basis,
        counts.unit_type,
        counts.unit_id,
        indicator_list.indicator,
        case indicator_list.indicator
            when 'instroom_direct' then counts.n_direct
            when 'instroom_binnen_1_jaar' then counts.n_within_1
            when 'instroom_binnen_2_jaar' then counts.n_within_2
            when 'bestemming_wo' then counts.n_wo
            when 'bestemming_hbo' then counts.n_hbo
            when 'bestemming_mbo' then counts.n_mbo
            when 'bestemming_vo' then counts.n_vo
            when 'bestemming_vavo' then counts.n_vavo
        end as numerator,
        case indicator_list.indicator
            when 'instroom_binnen_1_jaar' then counts.observed_1
            when 'instroom_binnen_2_jaar' then counts.observed_2
            else counts.observed_0
        end as denominator
    from counts
    cross join indicator_list
)

select * from final
