-- bundle_candidates: every row the shared bundle (`site/`) may publish, with its true numbers and
-- the verdict of the primary rules (definitions.md §9). Data-owner side only: the disclosure stage
-- (src/disclosure/) adds secondary suppression and audits the pattern before anything is written,
-- and the report reads the result (`site_indicators`), never this model.
--
-- Scope: the diploma cohort basis per region, school, afdeling and groep, single cohorts, inflow basis
-- direct (empty for the inflow rows), with the pooled windows of schools and afdelingen below, and
-- per region and school the destinations per institution (ind_flows.sql; src/publish.rs keeps the
-- region's, the schools' or both, `[privacy] institution_flows`); and the instroom cohort basis
-- (definitions.md §6) per sector,
-- instelling and opleiding, single cohorts — the receiving partners' view; and the alumni survey
-- (cohort basis enquete) per region, school and afdeling. Every indicator of a
-- family is in scope, so every relation an outsider can write between published rows is one the
-- disclosure stage knows.
-- materialized: view

with params as (
    select min_cell, min_denominator, hide_extremes, institution_flows, programme_flows
    from run_params
),

scoped as (
    select * from indicators_output
    where (cohort_window = 1
            or (cohort_window = 3 and cohort_basis = 'diploma' and unit_type in ('school', 'afdeling')))
        and (
            (cohort_basis = 'diploma'
                and unit_type in ('regio', 'school', 'afdeling', 'groep')
                and inflow_basis in ('', 'direct'))
            or (cohort_basis = 'instroom'
                and unit_type in ('sector', 'instelling', 'opleiding'))
            or (cohort_basis = 'enquete'
                and unit_type in ('regio', 'school', 'afdeling'))
        )
        -- Year-one outcomes as their partition only: every derived indicator is a sum of them,
        -- and publishing each sum beside its parts would force hiding most of a unit's family
        -- as soon as one part is small. The report adds the parts it shows (report_trends.sql).
        and indicator not in (
            'uitval_onderwijs', 'uitval_sector', 'uitval_instelling', 'uitval_opleiding',
            'switch_binnen_sector', 'nog_in_sector', 'startersresultaat'
        )
),

-- Pooled rows (definitions.md §8) for small schools and afdelingen, in fixed windows that end on a
-- cohort leaving 2 when divided by 3 (2019–2021, 2022–2024, …) whose three cohorts all have rows.
-- Fixed, because overlapping windows chain every cohort of a unit into one disclosure problem
-- (tried on the demo: the audit failed on one component of 11,821 hidden cells) and a window that
-- moved with the data would let two years' sites be subtracted. Which units are small enough to
-- get them is decided in the disclosure stage (src/disclosure/pooling.rs, `[privacy] pool_below`).
cohort_slots as (
    select distinct cohort_basis, inflow_basis, indicator, cohort
    from scoped
    where cohort_window = 1
),

complete_windows as (
    select last.cohort_basis, last.inflow_basis, last.indicator, last.cohort
    from cohort_slots as last
    inner join cohort_slots as member
        on member.cohort_basis = last.cohort_basis
        and member.inflow_basis = last.inflow_basis
        and member.indicator = last.indicator
        and member.cohort between last.cohort - 2 and last.cohort
    where last.cohort % 3 = 2
    group by last.cohort_basis, last.inflow_basis, last.indicator, last.cohort
    having count(*) = 3
),

indicators as (
    select scoped.*
    from scoped
    left join complete_windows
        on scoped.cohort_basis = complete_windows.cohort_basis
        and scoped.inflow_basis = complete_windows.inflow_basis
        and scoped.indicator = complete_windows.indicator
        and scoped.cohort = complete_windows.cohort
    where scoped.cohort_window = 1 or complete_windows.cohort is not null
),

-- A row for every unit in every slot (cohort and indicator) its basis has, also where the unit's
-- denominator is 0 and the indicator stage wrote no row: a missing row would tell a reader that a
-- count is 0 (a unit absent from the year-one rows has no direct entrants).
units as (
    select distinct cohort_basis, cohort_window, unit_type, unit_id from indicators
),

slots as (
    select distinct cohort, cohort_basis, inflow_basis, cohort_window, indicator from indicators
),

-- A school's groepen exist in the cohorts where it named groups (alumni_units.sql), and so do the
-- survey's afdelingen where its respondents named them (ind_survey.sql): only there do they get a
-- row in every slot. A cohort without them has none at all, which says that the school did not
-- split that cohort, not that a groep had no alumni.
grouped_cohorts as (
    select distinct cohort, cohort_basis, unit_type, split_part(unit_id, ':', 1) as school
    from indicators
    where unit_type = 'groep' or (cohort_basis = 'enquete' and unit_type = 'afdeling')
),

grid as (
    select
        slots.cohort,
        slots.cohort_basis,
        slots.inflow_basis,
        slots.cohort_window,
        units.unit_type,
        units.unit_id,
        slots.indicator
    from slots
    inner join units
        on units.cohort_basis = slots.cohort_basis
        and units.cohort_window = slots.cohort_window
    left join grouped_cohorts
        on grouped_cohorts.cohort = slots.cohort
        and grouped_cohorts.cohort_basis = units.cohort_basis
        and grouped_cohorts.unit_type = units.unit_type
        and grouped_cohorts.school = split_part(units.unit_id, ':', 1)
    where (grouped_cohorts.school is not null
            or not (units.unit_type = 'groep'
                or (units.cohort_basis = 'enquete' and units.unit_type = 'afdeling')))
        -- The destinations per institution (ind_flows.sql) are not gridded here: they have a row
        -- where an institution received someone (and, under `institution_flows = "both"`, a 0 row
        -- for every school at each of the region's institutions); a grid of every school by every
        -- institution would be mostly zeros.
        and slots.indicator not like 'bestemming_%:%'
),

-- The destinations per institution and per programme of the units `[privacy] institution_flows`
-- and `programme_flows` name (`region`, `schools`, `both`; `none` for no programme rows). Only
-- these reach the disclosure stage: measured on the demo, all units' rows (region and schools,
-- both levels) made this model's final sort fail under a 60 MiB memory limit, where the rows that
-- may be published pass at 40 MiB.
flows as (
    select indicators.*
    from indicators
    cross join params
    where indicators.indicator like 'bestemming_%:%'
        and case
            when indicators.indicator like 'bestemming_%:%:%' then params.programme_flows
            else params.institution_flows
        end in (
            'both',
            case indicators.unit_type when 'regio' then 'region' when 'school' then 'schools' end
        )
),

complete as (
    -- Casts in both branches give the union one schema (docs/datafusion-notes.md).
    select
        cast(grid.cohort as int) as cohort,
        cast(grid.cohort_basis as varchar) as cohort_basis,
        cast(grid.inflow_basis as varchar) as inflow_basis,
        cast(grid.cohort_window as int) as cohort_window,
        cast(grid.unit_type as varchar) as unit_type,
        cast(grid.unit_id as varchar) as unit_id,
        cast(grid.indicator as varchar) as indicator,
        cast(coalesce(indicators.numerator, 0) as bigint) as numerator,
        cast(coalesce(indicators.denominator, 0) as bigint) as denominator,
        cast(indicators.value as double) as value,
        cast(indicators.ci_low as double) as ci_low,
        cast(indicators.ci_high as double) as ci_high
    from grid
    left join indicators
        on grid.cohort = indicators.cohort
        and grid.cohort_basis = indicators.cohort_basis
        and grid.inflow_basis = indicators.inflow_basis
        and grid.cohort_window = indicators.cohort_window
        and grid.unit_type = indicators.unit_type
        and grid.unit_id = indicators.unit_id
        and grid.indicator = indicators.indicator
    union all
    select
        cast(cohort as int),
        cast(cohort_basis as varchar),
        cast(inflow_basis as varchar),
        cast(cohort_window as int),
        cast(unit_type as varchar),
        cast(unit_id as varchar),
        cast(indicator as varchar),
        cast(numerator as bigint),
        cast(denominator as bigint),
        cast(value as double),
        cast(ci_low as double),
        cast(ci_high as double)
    from flows
),

flagged as (
    select
        complete.*,
        complete.denominator = 0
            or complete.denominator < params.min_denominator
            or (complete.numerator between 1 and params.min_cell - 1)
            or (complete.denominator - complete.numerator between 1 and params.min_cell - 1)
            -- [privacy] extremes = "nco": below 5 % (20·n < d) or above 95 % (20·n > 19·d).
            or (params.hide_extremes
                and (20 * complete.numerator < complete.denominator
                    or 20 * complete.numerator > 19 * complete.denominator))
            as primary_suppressed
    from complete
    cross join params
),

final as (
    select
        cohort,
        cohort_basis,
        inflow_basis,
        cohort_window,
        unit_type,
        unit_id,
        indicator,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        primary_suppressed
    from flagged
)

select * from final
-- A total order (every key column), so the published CSV is the same bytes on every engine.
order by cohort, unit_type, unit_id, indicator, cohort_basis, inflow_basis, cohort_window
