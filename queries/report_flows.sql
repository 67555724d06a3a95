-- report_flows: where the alumni of a cohort were on 1 October after the diploma (definitions.md
-- §2–§3), for the flows page's Sankey diagrams: per region and school, the published destination
-- counts (bestemming_*) and the alumni without funded education (the complement of
-- instroom_direct, which the primary rules keep out of 1..min_cell-1 wherever instroom_direct is
-- published), below each destination its institutions (`bestemming_<sector>:<brin>`,
-- ind_flows.sql; `instelling` empty on the sector's own row) and below an institution its
-- programmes (`bestemming_<sector>:<brin>:<opleidingscode>`; `opleiding` empty on every other
-- row). Published rows only (site_rows): a unit-cohort whose instroom_direct is suppressed has no
-- rows, and a suppressed destination, institution or programme has no count.
-- materialized: view

with shown as (
    select * from site_rows
    where cohort_basis = 'diploma'
        and cohort_window = 1
        and inflow_basis = ''
        and unit_type in ('regio', 'school')
),

direct as (
    select cohort, unit_type, unit_id, denominator as alumni, numerator as direct
    from shown
    where indicator = 'instroom_direct' and not suppressed
),

destinations as (
    select
        cohort,
        unit_type,
        unit_id,
        cast(split_part(indicator, '_', 2) as varchar) as destination,
        cast('' as varchar) as instelling,
        cast('' as varchar) as opleiding,
        numerator as alumni_count,
        suppressed
    from shown
    where indicator in
        ('bestemming_wo', 'bestemming_hbo', 'bestemming_mbo', 'bestemming_vo', 'bestemming_vavo')
),

institutions as (
    select
        cohort,
        unit_type,
        unit_id,
        cast(split_part(split_part(indicator, ':', 1), '_', 2) as varchar) as destination,
        cast(split_part(indicator, ':', 2) as varchar) as instelling,
        cast(split_part(indicator, ':', 3) as varchar) as opleiding,
        numerator as alumni_count,
        suppressed
    from shown
    -- An institution or programme a school sent nobody to has a 0 row when the schools follow
    -- the region's (ind_flows.sql); the page lists only where alumni went.
    where indicator like 'bestemming_%:%' and (suppressed or numerator <> 0)
),

without as (
    select
        cohort,
        unit_type,
        unit_id,
        cast('geen' as varchar) as destination,
        cast('' as varchar) as instelling,
        cast('' as varchar) as opleiding,
        alumni - direct as alumni_count,
        false as suppressed
    from direct
),

parts as (
    select cohort, unit_type, unit_id, destination, instelling, opleiding, alumni_count, suppressed
    from destinations
    union all
    select cohort, unit_type, unit_id, destination, instelling, opleiding, alumni_count, suppressed
    from institutions
    union all
    select cohort, unit_type, unit_id, destination, instelling, opleiding, alumni_count, suppressed
    from without
),

final as (
    select
        direct.cohort,
        direct.unit_type,
        direct.unit_id,
        direct.alumni,
        direct.direct,
        parts.destination,
        parts.instelling,
        parts.opleiding,
        parts.alumni_count,
        parts.suppressed,
        case parts.destination
            when 'wo' then 1 when 'hbo' then 2 when 'mbo' then 3 when 'vo' then 4 when 'vavo' then 5
            else 6
        end as destination_order
    from direct
    inner join parts
        on parts.cohort = direct.cohort
        and parts.unit_type = direct.unit_type
        and parts.unit_id = direct.unit_id
)

select
    cohort, unit_type, unit_id, alumni, direct, destination, instelling, opleiding, alumni_count,
    suppressed
from final
order by unit_type, unit_id, cohort, destination_order, instelling, opleiding
