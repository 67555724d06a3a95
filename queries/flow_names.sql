-- flow_names: how each region and school names the parts of its flows (ind_flows.sql): per
-- cohort and destination sector its institutions (level 1, parent '') and per institution its
-- programmes (level 2, parent the brin), each under its own code or, when small, as `overig`.
-- materialized: table

with received as (
    select * from flow_received
),

params as (
    select min_cell from run_params
),

-- The two levels of the split: 1 the institution (a destination's parts), 2 the programme (an
-- institution's parts). One list crossed with the rows instead of a UNION ALL of two branches
-- (docs/datafusion-notes.md), so one rule names the parts of both levels.
levels as (
    select * from (values (1), (2)) as levels(level)
),

parts as (
    select
        received.cohort,
        received.unit_type,
        received.unit_id,
        received.d0_sector,
        levels.level,
        case when levels.level = 1 then '' else received.brin end as parent,
        case when levels.level = 1 then received.brin else received.programme end as part,
        sum(received.numerator) as numerator
    from received
    cross join levels
    group by
        received.cohort,
        received.unit_type,
        received.unit_id,
        received.d0_sector,
        levels.level,
        case when levels.level = 1 then '' else received.brin end,
        case when levels.level = 1 then received.brin else received.programme end
),

-- Parts that received fewer than `min_cell` of the unit's alumni are counted together, as
-- `overig` (DUO's "niet onderscheiden"), and while that sum is itself in 1..min_cell-1 the next
-- smallest parts join it (ascending count, then code): so no row of this family is a small count
-- unless the whole destination (institution) is, and which institution or programme one or two
-- alumni went to is never a row of its own. The choice depends on the true counts, but only
-- through what the published rows show (every named row is at least min_cell).
ranked as (
    select
        parts.*,
        coalesce(
            sum(parts.numerator) over (
                partition by parts.cohort, parts.unit_type, parts.unit_id, parts.d0_sector,
                    parts.level, parts.parent
                order by parts.numerator, parts.part
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as smaller
    from parts
),

final as (
    select
        ranked.cohort,
        ranked.unit_type,
        ranked.unit_id,
        ranked.d0_sector,
        ranked.level,
        ranked.parent,
        ranked.part,
        case
            when ranked.numerator < params.min_cell
                or (ranked.smaller > 0 and ranked.smaller < params.min_cell)
                then 'overig'
            else ranked.part
        end as name
    from ranked
    cross join params
)

select * from final
