-- ind_diploma: diploma within 3, 4 and 5 years of entry (definitions.md §5). An entrant with entry
-- year e and entry sector group G counts in the numerator when the person has any enrollment in G,
-- at any brin, whenever it started, with diploma = ja and E <= einddatum < P(e+n); observed when
-- P(e+n) <= data_until.
-- Indicators (read by the report's definitions page):
-- indicator: diploma_binnen_3_jaar (§5)
--   nl: Van wie instroomde: het aandeel met een diploma in dezelfde sector binnen 3 jaar na de instroom.
--   en: Of those who entered: the share with a diploma in the same sector within 3 years of entry.
-- indicator: diploma_binnen_4_jaar (§5)
--   nl: Idem, binnen 4 jaar.
--   en: The same, within 4 years.
-- indicator: diploma_binnen_5_jaar (§5)
--   nl: Idem, binnen 5 jaar.
--   en: The same, within 5 years.
-- materialized: view

with params as (
    select data_until from run_params
),

entrants as (
    select * from entrants
),

enrollments as (
    select * from stg_enrollments
),

units as (
    select * from entrant_units
),

horizons as (
    select v.years from (values (3), (4), (5)) as v(years)
),

-- The entrant's earliest diploma in the entry sector group ending on or after entry: a diploma
-- within n years exists exactly when this one ends before P(e+n), so the enrollments are joined
-- once per entrant, not once per entrant and horizon (figures in BENCHMARKS.md, "A number per
-- person").
first_diploma as (
    select
        entrants.entrant_id,
        min(enrollments.einddatum) as einddatum
    from entrants
    join enrollments
        on enrollments.persoon_nr = entrants.persoon_nr
        and enrollments.sector_group = entrants.n_sector_group
    where enrollments.diploma
        and enrollments.einddatum >= entrants.entry_date
    group by entrants.entrant_id
),

per_entrant as (
    select
        entrants.entrant_id,
        entrants.cohort,
        entrants.cohort_basis,
        entrants.inflow_basis,
        horizons.years,
        case
            when first_diploma.einddatum < make_date(entrants.entry_year + horizons.years, 10, 1)
                then 1
            else 0
        end as hit
    from entrants
    cross join horizons
    cross join params
    left join first_diploma
        on first_diploma.entrant_id = entrants.entrant_id
    where make_date(entrants.entry_year + horizons.years, 10, 1) <= params.data_until
),

final as (
    select
        per_entrant.cohort,
        per_entrant.cohort_basis,
        per_entrant.inflow_basis,
        units.unit_type,
        units.unit_id,
        'diploma_binnen_' || cast(per_entrant.years as varchar) || '_jaar' as indicator,
        sum(per_entrant.hit) as numerator,
        count(*) as denominator
    from per_entrant
    join units
        on units.entrant_id = per_entrant.entrant_id
    group by per_entrant.cohort, per_entrant.cohort_basis, per_entrant.inflow_basis,
        units.unit_type, units.unit_id, per_entrant.years
)

select * from final
