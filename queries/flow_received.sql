-- flow_received: per region and school, cohort, destination sector and the destination D0's
-- `brin` and `opleidingscode`, the unit's alumni whose D0 is there (definitions.md §2–§3): the
-- finest grain of the flows (ind_flows.sql). A table of its own, as is flow_names.sql: in one query
-- the flows' plan nested too deep for a Ballista scheduler to decode (prost's recursion limit).
-- materialized: table

with status as (
    select * from inflow_status
),

units as (
    select * from alumni_units
    where unit_type in ('regio', 'school')
),

final as (
    select
        status.cohort,
        units.unit_type,
        units.unit_id,
        status.d0_sector,
        status.d0_brin as brin,
        status.d0_opleidingscode as programme,
        count(*) as numerator
    from status
    join units
        on units.record_id = status.record_id
    where status.observed_0 and status.d0_sector is not null
    group by
        status.cohort,
        units.unit_type,
        units.unit_id,
        status.d0_sector,
        status.d0_brin,
        status.d0_opleidingscode
)

select * from final
