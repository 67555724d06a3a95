-- site_rows: every row a site shows: the published bundle (site_indicators) and the three sums of
-- year-one outcomes the report needs (definitions.md §4).
--
-- The bundle publishes the year-one outcomes as their partition (bundle_candidates.sql); a sum is
-- shown where every part is published, with the numbers the indicator stage computed for it — a
-- sum of published counts reveals nothing new — and as suppressed where a part is. Everything
-- else comes from site_indicators only, so no page sees a suppressed value.
-- materialized: table

with published as (
    select * from site_indicators
),

computed as (
    select * from indicators_output
),

derived_parts as (
    select * from (values
        ('nog_in_sector', 'jaar1_zelfde_opleiding'),
        ('nog_in_sector', 'jaar1_diploma'),
        ('nog_in_sector', 'jaar1_switch_intern'),
        ('nog_in_sector', 'jaar1_switch_extern'),
        ('switch_binnen_sector', 'jaar1_switch_intern'),
        ('switch_binnen_sector', 'jaar1_switch_extern'),
        ('uitval_onderwijs', 'jaar1_uitval')
    ) as parts (indicator, part)
),

part_counts as (
    select indicator, count(*) as parts from derived_parts group by indicator
),

derived_known as (
    select
        published.cohort,
        published.cohort_basis,
        published.inflow_basis,
        published.cohort_window,
        published.unit_type,
        published.unit_id,
        derived_parts.indicator,
        count(*) as parts,
        bool_or(published.suppressed) as suppressed
    from published
    inner join derived_parts on published.indicator = derived_parts.part
    group by
        published.cohort, published.cohort_basis, published.inflow_basis,
        published.cohort_window, published.unit_type, published.unit_id, derived_parts.indicator
),

-- A sum whose parts are the bundle's rows for a slot with denominator 0 (bundle_candidates.sql's
-- grid; always suppressed) has no computed row: it is shown suppressed too, as its parts are, so
-- that a page does not tell by an empty cell what the bundle hides (found when the demo's masters'
-- programmes had no entrants in their first cohorts).
derived as (
    select
        known.cohort,
        known.cohort_basis,
        known.inflow_basis,
        known.cohort_window,
        known.unit_type,
        known.unit_id,
        known.indicator,
        case when known.suppressed then null else computed.numerator end as numerator,
        case when known.suppressed then null else computed.denominator end as denominator,
        case when known.suppressed then null else computed.value end as value,
        case when known.suppressed then null else computed.ci_low end as ci_low,
        case when known.suppressed then null else computed.ci_high end as ci_high,
        known.suppressed
    from derived_known as known
    inner join part_counts
        on known.indicator = part_counts.indicator and known.parts = part_counts.parts
    left join computed
        on computed.cohort = known.cohort
        and computed.cohort_basis = known.cohort_basis
        and computed.inflow_basis = known.inflow_basis
        and computed.cohort_window = known.cohort_window
        and computed.unit_type = known.unit_type
        and computed.unit_id = known.unit_id
        and computed.indicator = known.indicator
    where known.suppressed or computed.indicator is not null
),

shown as (
    select
        cohort, cohort_basis, inflow_basis, cohort_window, unit_type, unit_id, indicator,
        numerator, denominator, value, ci_low, ci_high, suppressed
    from published
    union all
    select
        cohort, cohort_basis, inflow_basis, cohort_window, unit_type, unit_id, indicator,
        numerator, denominator, value, ci_low, ci_high, suppressed
    from derived
)

select * from shown
