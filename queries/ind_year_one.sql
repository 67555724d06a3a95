-- ind_year_one: the year-one outcome distribution and the dropout, switch and starters indicators
-- built from it (definitions.md §4), per cohort basis, inflow basis and unit. Denominator: entrants
-- of the unit with F observed. Counting per outcome column keeps zero numerators.
-- materialized: view

with outcomes as (
    select * from year_one
),

units as (
    select * from entrant_units
),

counts as (
    select
        outcomes.cohort,
        outcomes.cohort_basis,
        outcomes.inflow_basis,
        units.unit_type,
        units.unit_id,
        count(*) as entrants,
        sum(case when outcomes.outcome = 'zelfde_opleiding' then 1 else 0 end) as n_zelfde_opleiding,
        sum(case when outcomes.outcome = 'diploma' then 1 else 0 end) as n_diploma,
        sum(case when outcomes.outcome = 'switch_intern' then 1 else 0 end) as n_switch_intern,
        sum(case when outcomes.outcome = 'switch_extern' then 1 else 0 end) as n_switch_extern,
        sum(case when outcomes.outcome = 'switch_sector' then 1 else 0 end) as n_switch_sector,
        sum(case when outcomes.outcome = 'uitval' then 1 else 0 end) as n_uitval
    from outcomes
    join units
        on units.entrant_id = outcomes.entrant_id
    group by outcomes.cohort, outcomes.cohort_basis, outcomes.inflow_basis, units.unit_type, units.unit_id
),

indicator_list as (
    select column1 as indicator
    from (values
        ('jaar1_zelfde_opleiding'),
        ('jaar1_diploma'),
        ('jaar1_switch_intern'),
        ('jaar1_switch_extern'),
        ('jaar1_switch_sector'),
        ('jaar1_uitval'),
        ('uitval_onderwijs'),
        ('uitval_sector'),
        ('uitval_instelling'),
        ('uitval_opleiding'),
        ('switch_binnen_sector'),
        ('nog_in_sector'),
        ('startersresultaat')
    )
),

final as (
    select
        counts.cohort,
        counts.cohort_basis,
        counts.inflow_basis,
        counts.unit_type,
        counts.unit_id,
        indicator_list.indicator,
        case indicator_list.indicator
            when 'jaar1_zelfde_opleiding' then n_zelfde_opleiding
            when 'jaar1_diploma' then n_diploma
            when 'jaar1_switch_intern' then n_switch_intern
            when 'jaar1_switch_extern' then n_switch_extern
            when 'jaar1_switch_sector' then n_switch_sector
            when 'jaar1_uitval' then n_uitval
            when 'uitval_onderwijs' then n_uitval
            when 'uitval_sector' then n_uitval + n_switch_sector
            when 'uitval_instelling' then n_uitval + n_switch_extern + n_switch_sector
            when 'uitval_opleiding' then n_uitval + n_switch_intern + n_switch_extern + n_switch_sector
            when 'switch_binnen_sector' then n_switch_intern + n_switch_extern
            when 'nog_in_sector' then entrants - (n_uitval + n_switch_sector)
            when 'startersresultaat' then n_zelfde_opleiding + n_diploma + n_switch_intern
        end as numerator,
        counts.entrants as denominator
    from counts
    cross join indicator_list
)

select * from final
