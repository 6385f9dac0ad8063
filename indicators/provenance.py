"""Provenance: which loads (file, user, time) feed a KPI's numbers, and where each dataset comes from.

Every fact row carries `carga_id`; the demo generator records its loads as user `demo`, so a
dataset is «demostración», «real» or «mezcla» by the loads its rows come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from indicators.catalog import get
from indicators.grains import GRAINED
from indicators.periods import Period, parse_period
from warehouse import query_df, query_rows

Db = Path | str | None
DEMO_USER = "demo"
ORIGIN_DATASETS = (*GRAINED, "finanzas", "satisfaccion", "acuerdos")
SOURCE_COLUMNS = ["carga", "conjunto", "archivo", "usuario", "fecha"]


def _tables(fuente: str) -> tuple[str, ...]:
    return (fuente, f"{fuente}_entidad", f"{fuente}_nacional") if fuente in GRAINED else (fuente,)


def _loads_sql(fuente: str, start: date, end: date) -> tuple[str, list]:
    """SQL: the distinct carga_id of the dataset's rows that a period reads."""
    if fuente == "acuerdos":  # agreement KPIs count every agreement registered up to the period
        return "SELECT DISTINCT carga_id FROM acuerdos WHERE fecha_registro <= ?", [end]
    if fuente == "satisfaccion":  # the latest survey up to the period's year
        return (
            "SELECT DISTINCT carga_id FROM satisfaccion WHERE anio ="
            " (SELECT max(anio) FROM satisfaccion WHERE anio <= ?)",
            [end.year],
        )
    parts = [f"SELECT DISTINCT carga_id FROM {t} WHERE periodo BETWEEN ? AND ?" for t in _tables(fuente)]
    return " UNION ".join(parts), [d for _ in parts for d in (start, end)]


def sources(kpi_ids: Sequence[str], periodo: str | Period, db: Db = None) -> pd.DataFrame:
    """The loads whose rows the KPIs read for the period: carga, conjunto, archivo, usuario, fecha."""
    period = parse_period(periodo) if isinstance(periodo, str) else periodo
    fuentes = sorted({get(k).fuente for k in kpi_ids})
    sqls, params = [], []
    for fuente in fuentes:
        sql, p = _loads_sql(fuente, period.start, period.end)
        sqls.append(sql)
        params += p
    if not sqls:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    return query_df(
        "SELECT c.id AS carga, c.dataset AS conjunto, c.archivo, c.usuario, c.fecha FROM cargas c"
        f" WHERE c.id IN ({' UNION '.join(sqls)}) ORDER BY c.id",
        params,
        path=db,
    )


def sources_text(frame: pd.DataFrame) -> str:
    """The loads in one line: «carga 12: afiliacion.csv (maria, 2026-11-27 09:10); …»."""
    if frame.empty:
        return "ninguna carga"
    return "; ".join(
        f"carga {r.carga}: {r.archivo} ({r.usuario}, {pd.Timestamp(r.fecha):%Y-%m-%d %H:%M})"
        for r in frame.itertuples()
    )


def origins(db: Db = None) -> dict[str, str]:
    """Per dataset with rows: «demostración», «real» or «mezcla», from the loads its rows come from."""
    parts = [
        f"SELECT '{fuente}' AS d, c.usuario = '{DEMO_USER}' AS demo FROM {t} f LEFT JOIN cargas c ON c.id = f.carga_id"
        for fuente in ORIGIN_DATASETS
        for t in _tables(fuente)
    ]
    rows = query_rows(
        f"SELECT d, bool_and(coalesce(demo, false)), bool_or(coalesce(demo, false))"
        f" FROM ({' UNION ALL '.join(parts)}) GROUP BY d",
        path=db,
    )
    words = {}
    for dataset, all_demo, any_demo in rows:
        words[dataset] = "demostración" if all_demo else "mezcla" if any_demo else "real"
    return {d: words[d] for d in ORIGIN_DATASETS if d in words}
