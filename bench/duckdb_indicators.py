"""The indicator stage in DuckDB: the same queries/*.sql models, in the same order, over the same
warehouse Parquet, for bench/run's DataFusion/DuckDB ratio. Reads the model list from
src/engine/mod.rs (INDICATOR_MODELS) and each model's `-- materialized:` header, so nothing is
restated here. Checks that DuckDB's rows equal doorstroom's indicators.parquet (values to 12
significant digits), so the two engines are shown to have computed the same thing.

Usage: duckdb_indicators.py REPO WAREHOUSE DATA_UNTIL MIN_CELL MIN_DENOMINATOR MEMORY_LIMIT THREADS
Prints `duckdb: model <name>: <seconds> s` for each materialized model (a table or an output file;
views are computed where they are read, in both engines), then
`duckdb: indicators: <seconds> s, <rows> rows, same as doorstroom: yes|no`.
"""

import re
import sys
import tempfile
import time
from pathlib import Path

import duckdb


def models(repo: Path):
    engine = (repo / "src" / "engine" / "mod.rs").read_text()
    block = engine.split("pub const INDICATOR_MODELS", 1)[1].split("];", 1)[0]
    for name, file in re.findall(r'model!\("([a-z_0-9]+)"(?:,\s*"([a-z_0-9]+)")?\)', block):
        sql = (repo / "queries" / f"{file or name}.sql").read_text()
        kind = re.search(r"--\s*materialized:\s*(\w+)", sql)
        yield name, sql, kind.group(1) if kind else "view"


def main():
    repo, warehouse = Path(sys.argv[1]), Path(sys.argv[2])
    data_until, min_cell, min_denominator = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    memory_limit, threads = sys.argv[6], int(sys.argv[7])
    with tempfile.TemporaryDirectory(dir=warehouse.parent) as tmp:
        db = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        db.execute(f"set memory_limit = '{memory_limit}'")
        db.execute(f"set threads = {threads}")
        db.execute(f"set temp_directory = '{tmp}'")
        start = time.perf_counter()
        for table in ["gediplomeerden", "inschrijvingen", "published", "survey"]:
            db.execute(
                f"create view {table} as select * from read_parquet('{warehouse / (table + '.parquet')}')"
            )
        db.execute(
            "create table run_params as select "
            f"date '{data_until}' as data_until, {min_cell}::bigint as min_cell, "
            f"{min_denominator}::bigint as min_denominator, false as hide_extremes, "
            "'region' as institution_flows, 'region' as programme_flows"
        )
        out = Path(tmp) / "indicators.parquet"
        model_seconds = []
        for name, sql, kind in models(repo):
            body = sql.strip().rstrip(";")
            model_start = time.perf_counter()
            if kind == "table":
                db.execute(f"create table {name} as {body}")
            elif kind == "output":
                # Each output to its own file, as doorstroom writes them; indicators.parquet is compared.
                db.execute(f"copy ({body}) to '{Path(tmp) / (name + '.parquet')}' (format parquet)")
            else:
                db.execute(f"create view {name} as {body}")
            if kind != "view":
                model_seconds.append((name, time.perf_counter() - model_start))
        seconds = time.perf_counter() - start
        rows = db.execute(f"select count(*) from read_parquet('{out}')").fetchone()[0]
        ours = warehouse / "indicators.parquet"
        rounded = (
            "select cohort, cohort_basis, inflow_basis, cohort_window, unit_type, unit_id, "
            "indicator, numerator, denominator, round(value, 12) as v, round(ci_low, 12) as lo, "
            "round(ci_high, 12) as hi from read_parquet('{}')"
        )
        differ = db.execute(
            f"select count(*) from (({rounded.format(out)}) except all ({rounded.format(ours)})) "
            f"union all select count(*) from (({rounded.format(ours)}) except all "
            f"({rounded.format(out)}))"
        ).fetchall()
        same = all(n == 0 for (n,) in differ)
        for name, model in model_seconds:
            print(f"duckdb: model {name}: {model:.3f} s")
        print(
            f"duckdb: indicators: {seconds:.2f} s, {rows} rows, "
            f"same as doorstroom: {'yes' if same else 'no'}"
        )


if __name__ == "__main__":
    main()
