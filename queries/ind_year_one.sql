-- ind_year_one: the year-one outcome distribution and the dropout, switch and starters indicators
-- built from it (definitions.md §4), per cohort basis, inflow basis and unit. Denominator: entrants
-- of the unit with F observed. Counting per outcome column keeps zero numerators.
-- Indicators (read by the report's definitions page):
-- indicator: jaar1_zelfde_opleiding (§4)
--   nl: Van wie instroomde: het aandeel dat een jaar later nog in dezelfde opleiding bij dezelfde instelling zit.
--   en: Of those who entered: the share still in the same programme at the same institution a year later.
-- indicator: jaar1_diploma (§4)
--   nl: Het aandeel dat binnen het eerste jaar het diploma van die opleiding haalde.
--   en: The share who obtained the diploma of that programme within the first year.
-- indicator: jaar1_switch_intern (§4)
--   nl: Het aandeel dat na een jaar een andere opleiding volgt bij dezelfde instelling, in dezelfde sector.
--   en: The share in another programme at the same institution, same sector, a year later.
-- indicator: jaar1_switch_extern (§4)
--   nl: Het aandeel dat na een jaar bij een andere instelling in dezelfde sector zit.
--   en: The share at another institution in the same sector a year later.
-- indicator: jaar1_switch_sector (§4)
--   nl: Het aandeel dat na een jaar in een andere sector zit (bijvoorbeeld van hbo naar mbo).
--   en: The share in another sector a year later (e.g. from hbo to mbo).
-- indicator: jaar1_uitval (§4)
--   nl: Het aandeel dat na een jaar nergens meer ingeschreven staat en geen diploma haalde.
--   en: The share no longer enrolled anywhere a year later, without a diploma.
-- indicator: uitval_onderwijs (§4)
--   nl: Uitval uit het onderwijs: wie na een jaar nergens meer ingeschreven staat (switchers tellen niet als uitval).
--   en: Dropout from education: no longer enrolled anywhere after a year (switchers are not dropouts).
-- indicator: uitval_sector (§4)
--   nl: Uitval uit de sector: uitval uit het onderwijs plus wie naar een andere sector overstapte (dicht bij 'niet meer ingeschreven' van de Vereniging Hogescholen).
--   en: Dropout from the sector: dropout from education plus switches to another sector (close to the Vereniging Hogescholen's 'no longer enrolled').
-- indicator: uitval_instelling (§4)
--   nl: Uitval uit de instelling: uitval uit de sector plus wie naar een andere instelling overstapte (het complement van het startersresultaat van de Inspectie).
--   en: Dropout from the institution: dropout from the sector plus switches to another institution (the complement of the Inspectie's startersresultaat).
-- indicator: uitval_opleiding (§4)
--   nl: Uitval uit de opleiding: elke switch telt als uitval.
--   en: Dropout from the programme: every switch counts as dropout.
-- indicator: switch_binnen_sector (§4)
--   nl: Gewisseld binnen de sector: een andere opleiding, bij dezelfde of een andere instelling (studiewissel).
--   en: Switched within the sector: another programme at the same or another institution (studiewissel).
-- indicator: nog_in_sector (§4)
--   nl: Na één jaar nog in de sector: alles behalve uitval uit de sector (zoals 'na één jaar nog' in Vensters).
--   en: Still in the sector after one year: everything but dropout from the sector (like Vensters' 'still there after one year').
-- indicator: startersresultaat (§4)
--   nl: Dezelfde opleiding, een diploma of een switch binnen de instelling na één jaar (zoals de Inspectie, maar één cohort).
--   en: The same programme, a diploma or a switch within the institution after one year (as the Inspectie, but one cohort).
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
    select v.indicator
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
    ) as v(indicator)
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
