-- ind_inflow: inflow (instroom) and destinations on the diploma cohort basis (definitions.md §3).
-- Each indicator's denominator is the unit's records whose needed peildatum is observed; a record
-- not observed is left out of numerator and denominator (censoring, §1). Inflow basis is empty.
-- Indicators (read by the report's definitions page):
-- indicator: instroom_direct (§3)
--   nl: Het aandeel oud-leerlingen dat op 1 oktober na het diploma ingeschreven staat in bekostigd vervolgonderwijs (mbo, hbo, wo, vo of vavo).
--   en: The share of former students enrolled in funded further education (mbo, hbo, wo, vo or vavo) on 1 October after the diploma.
-- indicator: instroom_binnen_1_jaar (§3)
--   nl: Zoals direct ingestroomd, plus wie pas een jaar later (na een tussenjaar) op 1 oktober ingeschreven staat.
--   en: As direct inflow, plus those first enrolled on 1 October a year later (after a gap year).
-- indicator: instroom_binnen_2_jaar (§3)
--   nl: Zoals binnen 1 jaar, plus wie pas na twee tussenjaren ingeschreven staat.
--   en: As within 1 year, plus those first enrolled after two gap years.
-- indicator: bestemming_wo (§2–§3)
--   nl: Het aandeel oud-leerlingen dat op 1 oktober na het diploma aan een universiteit (wo) staat ingeschreven; bij twee inschrijvingen telt de hoogste sector.
--   en: The share enrolled at a university (wo) on 1 October after the diploma; with two enrollments the highest sector counts.
-- indicator: bestemming_hbo (§2–§3)
--   nl: Idem, in het hbo.
--   en: The same, in hbo.
-- indicator: bestemming_mbo (§2–§3)
--   nl: Idem, in het mbo.
--   en: The same, in mbo.
-- indicator: bestemming_vo (§2–§3)
--   nl: Idem, in het voortgezet onderwijs (stapelen, bijvoorbeeld van vmbo naar havo).
--   en: The same, in secondary school (stacking, e.g. from vmbo to havo).
-- indicator: bestemming_vavo (§2–§3)
--   nl: Idem, in het vavo (voortgezet algemeen volwassenenonderwijs).
--   en: The same, in vavo (adult general secondary education).
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
    select v.indicator
    from (values
        ('instroom_direct'),
        ('instroom_binnen_1_jaar'),
        ('instroom_binnen_2_jaar'),
        ('bestemming_wo'),
        ('bestemming_hbo'),
        ('bestemming_mbo'),
        ('bestemming_vo'),
        ('bestemming_vavo')
    ) as v(indicator)
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
