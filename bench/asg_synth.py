"""Synthetic files in the real IMSS `asg-YYYY-MM-DD.csv` format (for tests and the ingest benchmark).

Every row is one cell of the aggregated cube (unique key), generated inside DuckDB so millions of
rows cost seconds and little memory. The header can carry the real file's quirks: latin-1 or
UTF-8 with BOM, and the `tamaño_patron` mojibake variants.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

# the real file's columns, as the loader knows them (its names fold `tamaño_patron` to ASCII)
from loaders.asg import DIMENSIONS, MEASURES
from warehouse.rows import one_row

HEADER_VARIANTS = {
    "ok": "tamaño_patron",
    "fffd": "tama\ufffdo_patron",
    "double": "tamaÃ±o_patron",
}

_SELECT = """
WITH base AS (
    SELECT i, i % {ndeleg} AS d, i // {ndeleg} AS j, hash(i) AS h
    FROM range(?) t(i)
), cells AS (
    SELECT *,
        d + 1 AS deleg,
        j % 2 AS sx, (j // 2) % 14 AS ed, (j // 28) % 25 AS sal, (j // 700) % 7 AS tam,
        (j // 4900) % 9 AS s1, j // 44100 AS mun,
        CAST(h % 10 AS BIGINT) AS ta,
        CAST((h // 10) % 3 AS BIGINT) AS ev,
        CAST((h // 30) % 3 AS BIGINT) AS nt
    FROM base
)
SELECT
    deleg::VARCHAR AS cve_delegacion,
    ((mun % 4) + 1)::VARCHAR AS cve_subdelegacion,
    (((deleg - 1) % 32) + 1)::VARCHAR AS cve_entidad,
    CASE WHEN mun % 50 = 49 THEN NULL ELSE (deleg * 1000 + mun + 1)::VARCHAR END AS cve_municipio,
    (s1 + 1)::VARCHAR AS sector_economico_1,
    ((s1 + 1) * 10 + mun % 3)::VARCHAR AS sector_economico_2,
    ((s1 + 1) * 1000 + mun % 7)::VARCHAR AS sector_economico_4,
    CASE WHEN tam = 6 THEN NULL ELSE 'S' || (tam + 1) END AS tamano_patron,
    CASE WHEN sx = 1 AND j % 997 = 1 THEN '3' ELSE (sx + 1)::VARCHAR END AS sexo,
    'E' || (ed + 1) AS rango_edad,
    'W' || (sal + 1) AS rango_salarial,
    CASE WHEN sal = 24 THEN 'NA' ELSE 'U' || (sal + 1) END AS rango_uma,
    ta + nt AS asegurados,
    nt AS no_trabajadores,
    ta,
    least(ev, ta) AS teu,
    0 AS tec,
    ta - least(ev, ta) - (ta // 10) AS tpu,
    ta // 10 AS tpc,
    ta AS ta_sal,
    least(ev, ta) AS teu_sal,
    0 AS tec_sal,
    ta - least(ev, ta) - (ta // 10) AS tpu_sal,
    ta // 10 AS tpc_sal,
    round(ta * (150 + sal * 40 + (h % 100) / 100.0), 2) AS masa_sal_ta,
    round(least(ev, ta) * (150 + sal * 40), 2) AS masa_sal_teu,
    0.0 AS masa_sal_tec,
    round((ta - least(ev, ta) - (ta // 10)) * (150 + sal * 40), 2) AS masa_sal_tpu,
    round((ta // 10) * (150 + sal * 40), 2) AS masa_sal_tpc
FROM cells
"""


def write_asg(
    path: Path | str,
    rows: int,
    encoding: str = "utf-8-sig",
    header: str = "ok",
    delegaciones: int = 35,
    extra_lines: list[str] | None = None,
) -> dict[str, int]:
    """Write a real-format asg file; return its totals {"rows", "ta"} (Σ ta)."""
    path = Path(path)
    names = [HEADER_VARIANTS[header] if d == "tamano_patron" else d for d in DIMENSIONS] + list(MEASURES)
    select = _SELECT.format(ndeleg=int(delegaciones))
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "body.csv"
        con.execute(
            f"COPY ({select}) TO '{body}' (FORMAT csv, DELIMITER '|', HEADER false, QUOTE '')",
            [rows],
        )
        totals = one_row(con, f"SELECT count(*), coalesce(sum(ta), 0) FROM ({select})", [rows])
        with path.open("wb") as out, body.open("rb") as src:
            out.write(("|".join(names) + "\n").encode(encoding))
            shutil.copyfileobj(src, out, 16 * 1024 * 1024)
            for line in extra_lines or []:
                out.write((line + "\n").encode("utf-8"))
    con.close()
    return {"rows": int(totals[0]), "ta": int(totals[1])}
