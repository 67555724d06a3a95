-- reconcile_published: each published figure of the units and cohorts being reconciled that names an indicator
-- (formats.md §2 `indicator`) beside our value for the matching definition, the difference in
-- percentage points and what explains it (domain.md "Why the same cohort has different numbers"):
--   equal        teller and noemer are ours
--   masking      the source masked the figure; `mask_fits` says whether our count fits the mask
--   rounding     the source gave a percentage only, within half a point of ours
--   definition   another of our variants gives the figure (its exact counts, or within half a
--                point of a percentage): `closest_*` names it, and what it changes is the cause
--   interval     inside our 95% interval
--   unexplained  none of these: a data problem or a definition we do not compute; `closest_*`
--                is still our nearest variant
-- The matching definition: the unit's own cohort basis (instroom for sector, instelling and
-- opleiding when we have it, else diploma), inflow basis direct for year-one and diploma figures
-- on the diploma basis, a single cohort, peildatum 1 October.
-- A table, not a view: inlined into site_reconcile.sql its plan nests deeper than the 100 levels
-- Ballista's scheduler decodes (prost's recursion limit, docs/ballista.md).
-- materialized: table

with scope as (
    select * from reconcile_scope
),

published as (
    select published.*
    from published
    inner join scope
        on published.eenheid_type = scope.unit_type
        and published.eenheid_id = scope.unit_id
        and published.cohort = scope.cohort
    where published.indicator <> ''
),

rows as (
    select * from reconcile_rows
),

has_instroom as (
    select distinct unit_type, unit_id, cohort from rows where cohort_basis = 'instroom'
),

matching as (
    select rows.*
    from rows
    left join has_instroom
        on has_instroom.unit_type = rows.unit_type
        and has_instroom.unit_id = rows.unit_id
        and has_instroom.cohort = rows.cohort
    where rows.cohort_window = 1
        and rows.peildatum = '1_oktober'
        and rows.cohort_basis = case
            when rows.unit_type in ('sector', 'instelling', 'opleiding')
                and has_instroom.unit_id is not null
                then 'instroom'
            else 'diploma'
        end
        and rows.inflow_basis = case
            when rows.cohort_basis = 'instroom' or rows.family = 'instroom' then ''
            else 'direct'
        end
),

-- The precision a source publishes a figure in: the most decimals any percentage of that file,
-- source and figure shows (a one-decimal series also has values that end in .0). All its
-- percentages count, not only those reconciled now.
decimals as (
    select
        bron_bestand,
        bron,
        bron_indicator,
        max(case
            when abs(percentage - round(percentage)) < 1e-6 then 0
            when abs(percentage * 10 - round(percentage * 10)) < 1e-6 then 1
            when abs(percentage * 100 - round(percentage * 100)) < 1e-6 then 2
            else 3
        end) as decimals
    from published
    where percentage is not null
    group by bron_bestand, bron, bron_indicator
),

figures as (
    select
        published.*,
        coalesce(
            published.percentage / 100.0,
            cast(published.teller as double) / cast(published.noemer as double)
        ) as published_value,
        -- Half a unit of the last published digit, in percentage points (plus float slack);
        -- null where the source gave exact counts, which rounding cannot explain.
        case
            when published.teller is null or published.noemer is null
                then 0.5 / power(10.0, coalesce(decimals.decimals, 0)) + 1e-9
        end as rounding_points
    from published
    left join decimals
        on decimals.bron_bestand = published.bron_bestand
        and decimals.bron = published.bron
        and decimals.bron_indicator = published.bron_indicator
),

compared as (
    select
        figures.eenheid_type as unit_type,
        figures.eenheid_id as unit_id,
        figures.cohort,
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
        figures.rounding_points,
        figures.definition_version,
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
    left join matching
        on matching.unit_type = figures.eenheid_type
        and matching.unit_id = figures.eenheid_id
        and matching.cohort = figures.cohort
        and matching.indicator = figures.indicator
),

-- Each of our variants of the figure's family (any cohort basis, inflow basis, window, peildatum
-- and indicator) with its distance to the figure and what it changes against the matching
-- definition (domain.md items 1, 2, 3, 5 and 6).
variants as (
    select
        compared.bron_bestand,
        compared.bron_regel,
        rows.indicator,
        rows.cohort_basis,
        rows.inflow_basis,
        rows.cohort_window,
        rows.peildatum,
        rows.value,
        coalesce(compared.teller = rows.numerator and compared.noemer = rows.denominator, false)
            as counts_equal,
        abs(compared.published_value - rows.value) as distance,
        rows.indicator = compared.indicator as same_indicator,
        coalesce(rows.indicator <> compared.indicator and rows.indicator like 'instroom_%', false)
            as changes_inflow_window,
        coalesce(rows.indicator <> compared.indicator and rows.indicator not like 'instroom_%',
            false) as changes_what_counts,
        coalesce(rows.cohort_basis <> compared.cohort_basis, false) as changes_cohort_basis,
        coalesce(rows.inflow_basis <> compared.inflow_basis, false) as changes_inflow_basis,
        rows.cohort_window <> 1 as changes_pooling,
        rows.peildatum <> '1_oktober' as changes_peildatum
    from compared
    inner join rows
        on rows.unit_type = compared.unit_type
        and rows.unit_id = compared.unit_id
        and rows.cohort = compared.cohort
        and rows.family = case
            when compared.indicator like 'instroom_%' or compared.indicator like 'bestemming_%'
                then 'instroom'
            when compared.indicator like 'diploma_binnen_%' then 'diploma'
            else 'jaar1'
        end
    where compared.published_value is not null
),

-- The nearest: a variant with the figure's own teller and noemer first, then the smallest
-- distance; between equally near variants the figure's own indicator under another definition.
ranked as (
    select
        variants.*,
        row_number() over (
            partition by bron_bestand, bron_regel
            order by
                case when counts_equal then 0 else 1 end,
                distance,
                case when same_indicator then 0 else 1 end,
                indicator, cohort_basis, inflow_basis, cohort_window, peildatum
        ) as rank
    from variants
),

nearest as (
    select * from ranked where rank = 1
),

-- Every variant as near as the nearest (the same counts, or the same value): when two
-- definitions give the figure, both are named.
ties as (
    select
        nearest.bron_bestand,
        nearest.bron_regel,
        count(*) as closest_ties,
        bool_or(ranked.changes_inflow_window) as inflow_window,
        bool_or(ranked.changes_what_counts) as what_counts,
        bool_or(ranked.changes_cohort_basis) as cohort_basis,
        bool_or(ranked.changes_inflow_basis) as inflow_basis,
        bool_or(ranked.changes_pooling) as pooling,
        bool_or(ranked.changes_peildatum) as peildatum
    from nearest
    inner join ranked
        on ranked.bron_bestand = nearest.bron_bestand
        and ranked.bron_regel = nearest.bron_regel
        and ranked.counts_equal = nearest.counts_equal
        and ranked.distance <= nearest.distance + 1e-12
    group by nearest.bron_bestand, nearest.bron_regel
),

with_closest as (
    select
        compared.*,
        nearest.indicator as closest_indicator,
        nearest.cohort_basis as closest_cohort_basis,
        nearest.inflow_basis as closest_inflow_basis,
        nearest.cohort_window as closest_window,
        nearest.peildatum as closest_peildatum,
        nearest.value as closest_value,
        nearest.counts_equal as closest_counts_equal,
        ties.closest_ties,
        concat_ws(
            ',',
            case when ties.inflow_window then 'inflow_window' end,
            case when ties.what_counts then 'what_counts' end,
            case when ties.cohort_basis then 'cohort_basis' end,
            case when ties.inflow_basis then 'inflow_basis' end,
            case when ties.pooling then 'pooling' end,
            case when ties.peildatum then 'peildatum' end
        ) as closest_changes
    from compared
    left join nearest
        on nearest.bron_bestand = compared.bron_bestand
        and nearest.bron_regel = compared.bron_regel
    left join ties
        on ties.bron_bestand = compared.bron_bestand
        and ties.bron_regel = compared.bron_regel
),

explained as (
    select
        with_closest.*,
        case
            when teller_masker <> '' or noemer_masker <> '' or percentage_masker <> ''
                then 'masking'
            when value is null then 'no_match'
            when teller = numerator and noemer = denominator then 'equal'
            -- Rounding explains a difference only where the source gave no exact counts.
            when abs(difference_points) <= rounding_points then 'rounding'
            -- Another of our definitions gives the figure: a definition mismatch, named.
            when (closest_counts_equal
                    or abs(closest_value - published_value) * 100.0 <= rounding_points)
                and concat_ws(',', closest_indicator, closest_cohort_basis, closest_inflow_basis,
                        cast(closest_window as varchar), closest_peildatum)
                    <> concat_ws(',', indicator, cohort_basis, inflow_basis,
                        cast(1 as varchar), '1_oktober')
                then 'definition'
            when published_value between ci_low and ci_high then 'interval'
            else 'unexplained'
        end as explanation,
        case
            when teller_masker = '<5' then numerator < 5
            when percentage_masker = '<5' then value < 0.05
            when teller_masker <> '' or percentage_masker <> '' then true
        end as mask_fits
    from with_closest
),

final as (
    select
        explained.*,
        -- What the nearest variants change against the matching definition: the likely cause of
        -- a difference; empty when the difference is equal, rounding, masking or interval.
        case
            when explanation in ('definition', 'unexplained') then closest_changes
            else ''
        end as cause
    from explained
)

select * from final
order by unit_type, unit_id, cohort, bron, indicator, bron_bestand, bron_regel
