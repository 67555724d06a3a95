-- reconcile_published: each published figure of the unit and cohort that names an indicator
-- (formats.md §2 `indicator`) beside our value for the matching definition, the difference in
-- percentage points and what explains it (domain.md "Why the same cohort has different numbers"):
--   equal        teller and noemer are ours
--   masking      the source masked the figure; `mask_fits` says whether our count fits the mask
--   rounding     within half a percentage point of ours (the source rounds to whole percents)
--   definition   another of our variants gives the figure (within half a point): `closest_*`
--                names it, and what it changes is the cause
--   interval     inside our 95% interval
--   unexplained  none of these: a data problem or a definition we do not compute; `closest_*`
--                is still our nearest variant
-- The matching definition: the unit's own cohort basis (instroom for sector, instelling and
-- opleiding when we have it, else diploma), inflow basis direct for year-one and diploma figures
-- on the diploma basis, a single cohort.
-- materialized: view

with params as (
    select unit_type, unit_id, cohort from reconcile_params
),

published as (
    select published.*
    from published
    inner join params
        on published.eenheid_type = params.unit_type
        and published.eenheid_id = params.unit_id
        and published.cohort = params.cohort
    where published.indicator <> ''
),

rows as (
    select * from reconcile_rows
),

has_instroom as (
    select count(*) > 0 as yes from rows where cohort_basis = 'instroom'
),

matching as (
    select rows.*
    from rows
    cross join has_instroom
    where rows.cohort_window = 1
        and rows.cohort_basis = case
            when rows.unit_type in ('sector', 'instelling', 'opleiding') and has_instroom.yes
                then 'instroom'
            else 'diploma'
        end
        and rows.inflow_basis = case
            when rows.cohort_basis = 'instroom' or rows.family = 'instroom' then ''
            else 'direct'
        end
),

figures as (
    select
        published.*,
        coalesce(
            published.percentage / 100.0,
            cast(published.teller as double) / cast(published.noemer as double)
        ) as published_value
    from published
),

compared as (
    select
        figures.bron,
        figures.bron_indicator,
        figures.indicator,
        figures.kenmerken,
        figures.teller,
        figures.noemer,
        figures.percentage,
        figures.teller_masker,
        figures.noemer_masker,
        figures.percentage_masker,
        figures.published_value,
        figures.bron_bestand,
        figures.bron_regel,
        matching.cohort_basis,
        matching.inflow_basis,
        matching.numerator,
        matching.denominator,
        matching.value,
        matching.ci_low,
        matching.ci_high,
        (figures.published_value - matching.value) * 100.0 as difference_points
    from figures
    left join matching on matching.indicator = figures.indicator
),

-- Our variant nearest to each figure (any cohort basis, inflow basis, window and indicator of
-- the figure's family).
variants as (
    select
        compared.bron_bestand,
        compared.bron_regel,
        rows.indicator as closest_indicator,
        rows.cohort_basis as closest_cohort_basis,
        rows.inflow_basis as closest_inflow_basis,
        rows.cohort_window as closest_window,
        rows.value as closest_value,
        row_number() over (
            partition by compared.bron_bestand, compared.bron_regel
            order by abs(compared.published_value - rows.value), rows.indicator,
                rows.cohort_basis, rows.inflow_basis, rows.cohort_window
        ) as rank
    from compared
    inner join rows
        on rows.family = case
            when compared.indicator like 'instroom_%' or compared.indicator like 'bestemming_%'
                then 'instroom'
            when compared.indicator like 'diploma_binnen_%' then 'diploma'
            else 'jaar1'
        end
    where compared.published_value is not null
),

with_closest as (
    select
        compared.*,
        variants.closest_indicator,
        variants.closest_cohort_basis,
        variants.closest_inflow_basis,
        variants.closest_window,
        variants.closest_value
    from compared
    left join variants
        on variants.bron_bestand = compared.bron_bestand
        and variants.bron_regel = compared.bron_regel
        and variants.rank = 1
),

final as (
    select
        with_closest.*,
        case
            when teller_masker <> '' or noemer_masker <> '' or percentage_masker <> ''
                then 'masking'
            when value is null then 'no_match'
            when teller = numerator and noemer = denominator then 'equal'
            when abs(difference_points) <= 0.5 then 'rounding'
            -- Another of our definitions gives the figure: a definition mismatch, named.
            when abs(closest_value - published_value) * 100.0 <= 0.5 then 'definition'
            when published_value between ci_low and ci_high then 'interval'
            else 'unexplained'
        end as explanation,
        case
            when teller_masker = '<5' then numerator < 5
            when percentage_masker = '<5' then value < 0.05
            when teller_masker <> '' or percentage_masker <> '' then true
        end as mask_fits,
        -- What our nearest variant changes against the matching definition: the likely cause of
        -- a difference (domain.md items 1, 3, 5 and 6); empty when it changes none of these.
        concat_ws(
            ',',
            case
                when closest_indicator <> indicator and closest_indicator like 'instroom_%'
                    then 'inflow_window'
                when closest_indicator <> indicator then 'what_counts'
            end,
            case when closest_cohort_basis <> cohort_basis then 'cohort_basis' end,
            case when closest_inflow_basis <> inflow_basis then 'inflow_basis' end,
            case when closest_window <> 1 then 'pooling' end
        ) as cause
    from with_closest
)

select * from final
order by bron, indicator, bron_regel
