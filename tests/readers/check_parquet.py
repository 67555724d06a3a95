"""Reads doorstroom's Parquet output with pyarrow and DuckDB, independently of the Rust code, and
checks that both see the same tables as indicators.csv (formats.md §5: readable by any Parquet reader).

Usage: python3 tests/readers/check_parquet.py OUT_DIR
"""
import csv
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

COLUMNS = ["cohort", "cohort_basis", "inflow_basis", "cohort_window", "unit_type", "unit_id",
           "indicator", "numerator", "denominator", "value", "ci_low", "ci_high"]


def main(out: Path) -> int:
    warehouse = out / "warehouse"
    with open(warehouse / "indicators.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    csv_num = sum(int(r["numerator"]) for r in rows)

    table = pq.read_table(warehouse / "indicators.parquet")
    assert table.column_names == COLUMNS, table.column_names
    assert table.num_rows == len(rows), (table.num_rows, len(rows))
    assert sum(table.column("numerator").to_pylist()) == csv_num

    con = duckdb.connect()
    n, num = con.execute(
        f"select count(*), sum(numerator) from read_parquet('{warehouse / 'indicators.parquet'}')"
    ).fetchone()
    assert (n, num) == (len(rows), csv_num), (n, num)

    manifest_loaded = {}
    published_figures = 0
    import json
    for entry in json.loads((out / "manifest.json").read_text())["inputs"]:
        if entry["table"] == "published":
            # One source row may give several figures: the table holds the figures.
            published_figures += entry["published"]["figures"]
            continue
        manifest_loaded[entry["table"]] = manifest_loaded.get(entry["table"], 0) + entry["loaded"]
    for name, loaded in manifest_loaded.items():
        path = warehouse / f"{name}.parquet"
        if name == "survey":
            # One row per answer: every loaded respondent's row (by its line) answered something
            # in the demo; nothing identifies a respondent.
            columns = pq.read_schema(path).names
            assert "persoon_id" not in columns and "respondent" not in columns, columns
            lines = set(pq.read_table(path).column("source_line").to_pylist())
            (count,) = con.execute(
                f"select count(distinct source_line) from read_parquet('{path}')"
            ).fetchone()
            assert len(lines) == count == loaded, (name, len(lines), count, loaded)
            continue
        assert pq.read_table(path).num_rows == loaded, name
        (count,) = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()
        assert count == loaded, name
        if name == "interventions":
            # The intervention register holds no student: units and cohorts only.
            columns = pq.read_schema(path).names
            assert "persoon_id" not in columns and "unit_id" in columns, columns
            continue
        ids = con.execute(f"select min(length(persoon_id)), max(length(persoon_id)) from read_parquet('{path}')").fetchone()
        assert ids == (64, 64), ids
    # persoon_nr stands for the pseudonym in the queries' joins: one number per pseudonym and one
    # pseudonym per number, the same in both tables.
    both = " union all ".join(
        f"select persoon_id, persoon_nr from read_parquet('{warehouse / name}.parquet')"
        for name in ["gediplomeerden", "inschrijvingen"])
    ids, numbers, pairs, low = con.execute(
        f"select count(distinct persoon_id), count(distinct persoon_nr), "
        f"count(distinct (persoon_id, persoon_nr)), min(persoon_nr) from ({both})").fetchone()
    assert ids == numbers == pairs and low == 1, (ids, numbers, pairs, low)
    # The groep and survey indicator files beside indicators.parquet: the same columns.
    for extra in ["indicators_groep", "indicators_enquete", "indicators_flows"]:
        path = warehouse / f"{extra}.parquet"
        assert pq.read_table(path).column_names == COLUMNS, extra
        (count,) = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()
        assert count == pq.read_table(path).num_rows > 0, extra
    published = warehouse / "published.parquet"
    assert pq.read_table(published).num_rows == published_figures, "published"
    (count,) = con.execute(f"select count(*) from read_parquet('{published}')").fetchone()
    assert count == published_figures, "published"
    print(f"parquet readers: ok ({len(rows)} indicator rows; {manifest_loaded})")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
