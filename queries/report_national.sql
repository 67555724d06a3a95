-- report_national: national figures to set beside the region's, a school's and an afdeling's own:
-- the published figures with `eenheid_type = land` (formats.md §2) that name an indicator of
-- definitions.md. `kenmerken` empty: the figure for the region and school pages; `niveau=<niveau>`
-- (one pair, any case): for the afdelingen of that niveau (Vensters and NCO publish national
-- averages per onderwijssoort). Other breakdowns (geslacht, …) are not set beside anything.
-- A masked value stays out, and so does a figure whose own counts fall under our primary rules
-- (definitions.md §9), as on the sources page: a hand-made file may hold counts that were never
-- public. A national figure is the source's own, in the source's definition: the page names it.
-- materialized: view

with params as (
    select min_cell, min_denominator from run_params
),

national as (
    select * from published
    where eenheid_type = 'land' and indicator <> ''
),

valued as (
    select
        cohort,
        case
            when kenmerken = '' then ''
            when kenmerken like 'niveau=%' and kenmerken not like '%;%'
                then lower(trim(split_part(kenmerken, '=', 2)))
        end as niveau,
        indicator,
        bron,
        bron_indicator,
        teller,
        noemer,
        coalesce(
            percentage / 100.0,
            cast(teller as double) / cast(noemer as double)
        ) as value
    from national
),

final as (
    select distinct
        valued.cohort,
        cast(valued.niveau as varchar) as niveau,
        valued.indicator,
        valued.bron,
        valued.bron_indicator,
        valued.value
    from valued
    cross join params
    where valued.niveau is not null
        and valued.value is not null
        and not coalesce(
            valued.noemer < params.min_denominator
                or valued.teller between 1 and params.min_cell - 1
                or valued.noemer - valued.teller between 1 and params.min_cell - 1,
            false
        )
)

select * from final
order by niveau, indicator, cohort, bron, bron_indicator, value
