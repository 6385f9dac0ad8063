"""Write a validated file (`_conv`) by key: what it adds, what it replaces, what each measure changes.

*Reemplazar* replaces exactly the keys and the measures the file holds: a stored row whose key
is in the file is archived for undo and written back with the file's measures and its own
values for every measure the file does not carry. Rows whose key is not in the file stay,
except in a whole catalog (`Contract.whole`), whose file is the complete table.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from loaders.contracts import Contract
from loaders.findings import Finding, Report
from loaders.readers import quote_ident as q
from loaders.store import archive, periods_text
from warehouse.rows import one_row, scalar


def _on(keys: tuple[str, ...], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{q(k)} IS NOT DISTINCT FROM {right}.{q(k)}" for k in keys)


def overlap_findings(cur: duckdb.DuckDBPyConnection, c: Contract, file: str) -> Report:
    """Rows of the file whose key is already stored (refused in agregar mode), first one per period."""
    report = Report()
    part = q(c.partition)
    rows = cur.execute(
        f"SELECT min(s._fila), CAST(s.{part} AS VARCHAR), count(*) FROM _conv s"
        f" WHERE EXISTS (SELECT 1 FROM {q(c.table)} t WHERE {_on(c.key, 't', 's')})"
        f" GROUP BY s.{part} ORDER BY 1"
    ).fetchall()
    for first, value, count in rows:
        shown = value[:7] if c.partition == "periodo" else value
        what = "ya está cargado" if count == 1 else f"ya está cargado ({count:,} filas de este periodo)"
        report.add(
            Finding(
                file, int(first), c.partition, shown, f"{what}; use el modo «reemplazar» para sustituirlo"
            )
        )
    return report


@dataclass(frozen=True)
class MeasureChange:
    """What a load does to one measure over the file's keys."""

    measure: str
    rows: int  # file rows carrying the measure
    replaced: int  # of them, rows whose key was already stored
    before: float | None  # stored total over the file's keys
    after: float | None  # the file's total

    def text(self, periods: str) -> str:
        def fmt(x: float | None) -> str:
            if x is None:
                return "sin dato"
            return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"

        swap = f", {self.replaced:,} ya cargadas" if self.replaced else ", todas nuevas"
        return (
            f"{self.measure}: {self.rows:,} filas ({periods}{swap}): {fmt(self.before)} → {fmt(self.after)}"
        )


def measure_changes(cur: duckdb.DuckDBPyConnection, c: Contract, names: list[str]) -> list[MeasureChange]:
    """Per measure the file carries: rows, rows already stored, stored total → file total."""
    measures = [m for m in c.measures if m in names and c.column(m).type in ("BIGINT", "INTEGER", "DOUBLE")]
    if not measures:
        return []
    cols = ", ".join(
        f"count(f.{q(m)}), count(f.{q(m)}) FILTER (WHERE t._hay), sum(t.{q(m)}), sum(f.{q(m)})"
        for m in measures
    )
    row = one_row(
        cur,
        f"SELECT {cols} FROM _conv f LEFT JOIN (SELECT *, true AS _hay FROM {q(c.table)}) t ON {_on(c.key, 't', 'f')}",
    )
    out = []
    for i, m in enumerate(measures):
        rows, replaced, before, after = row[4 * i : 4 * i + 4]
        out.append(MeasureChange(m, int(rows), int(replaced), before, after))
    return out


def unchanged_measures(cur: duckdb.DuckDBPyConnection, c: Contract, names: list[str]) -> list[str]:
    """Measures the file does not carry that stored rows of its keys hold: they stay as they are."""
    missing = [m for m in c.measures if m not in names]
    if not missing:
        return []
    counts = ", ".join(f"count(t.{q(m)})" for m in missing)
    row = one_row(
        cur,
        f"SELECT {counts} FROM {q(c.table)} t WHERE EXISTS (SELECT 1 FROM _conv f WHERE {_on(c.key, 't', 'f')})",
    )
    return [m for m, n in zip(missing, row, strict=True) if n]


def changes_text(cur: duckdb.DuckDBPyConnection, c: Contract, names: list[str], periods: list) -> list[str]:
    """The confirmation lines: one per measure the file carries, then the ones left untouched."""
    span = periods_text(periods) if c.partition != "folio" else f"{len(periods)} folios"
    lines = [m.text(span) for m in measure_changes(cur, c, names)]
    kept = unchanged_measures(cur, c, names)
    if kept:
        lines.append(f"Sin cambio (el archivo no las trae): {', '.join(kept)}")
    return lines


def _replaced_where(c: Contract, table: str) -> str:
    """The stored rows a reemplazar load archives: those of the file's keys, or all of a whole catalog."""
    return "TRUE" if c.whole else f"EXISTS (SELECT 1 FROM _conv f WHERE {_on(c.key, table, 'f')})"


def final_view(cur: duckdb.DuckDBPyConnection, c: Contract, mode: str | None) -> None:
    """`_final`: the table as the load would leave it (mode None: as it is now, after an undo)."""
    cols = ", ".join(q(n) for n in c.names)
    if mode is None:
        sql = f"SELECT {cols} FROM {q(c.table)}"
    else:
        kept = "TRUE" if mode == "agregar" else f"NOT ({_replaced_where(c, 't')})"
        sql = f"SELECT {cols} FROM _conv UNION ALL SELECT {cols} FROM {q(c.table)} t WHERE {kept}"
    cur.execute(f"CREATE OR REPLACE TEMP VIEW _final AS {sql}")


def invariant_findings(cur: duckdb.DuckDBPyConnection, c: Contract, file: str, mode: str | None) -> Report:
    """The contract's rules over the whole resulting table; each names the file's first row of its key."""
    report = Report()
    if not c.invariants:
        return report
    final_view(cur, c, mode)
    for rule in c.invariants:
        for key, problem in cur.execute(rule.sql).fetchall():
            row = None
            if mode is not None:
                where = q(rule.key_column or rule.column)
                first = cur.execute(f"SELECT min(_fila) FROM _conv WHERE {where} = ?", [key]).fetchone()
                row = int(first[0]) if first and first[0] is not None else None
            report.add(Finding(file, row, rule.column, None, problem))  # the problem names the key
    return report


def removed_text(cur: duckdb.DuckDBPyConnection, c: Contract) -> str | None:
    """For a whole catalog replaced: the stored keys the file does not carry (they are removed)."""
    keys = ", ".join(q(k) for k in c.key)
    gone = cur.execute(
        f"SELECT {keys} FROM {q(c.table)} t WHERE NOT EXISTS (SELECT 1 FROM _conv f WHERE {_on(c.key, 't', 'f')})"
        " ORDER BY ALL"
    ).fetchall()
    after = scalar(cur, "SELECT count(*) FROM _conv")
    if not gone:
        return None
    shown = ", ".join(" ".join(str(v) for v in row) for row in gone[:12]) + (" …" if len(gone) > 12 else "")
    return (
        f"El catálogo queda con las {after:,} filas del archivo; se quitan {len(gone):,} que no trae: {shown}"
    )


def write(cur: duckdb.DuckDBPyConnection, c: Contract, names: list[str], mode: str, load_id: int) -> int:
    """Insert the file's rows; in reemplazar mode archive the stored rows of its keys first and
    keep their values for the measures the file lacks. Returns the number of rows replaced."""
    replaced = 0
    cols = c.names
    if mode == "reemplazar":
        where = _replaced_where(c, q(c.table))
        replaced = archive(cur, c.table, where, [], load_id)
        values = ", ".join(f"f.{q(n)}" if n in names or n in c.key else f"a.{q(n)}" for n in cols)
        cur.execute(
            f"INSERT INTO {q(c.table)} ({', '.join(q(n) for n in cols)}, carga_id)"
            f" SELECT {values}, ? FROM _conv f LEFT JOIN"
            f" (SELECT * FROM {q(c.table + '_archivo')} WHERE archivada_por = ?) a ON {_on(c.key, 'a', 'f')}"
            " ORDER BY f._fila",
            [load_id, load_id],
        )
        return replaced
    listed = ", ".join(q(n) for n in cols)
    cur.execute(
        f"INSERT INTO {q(c.table)} ({listed}, carga_id) SELECT {listed}, ? FROM _conv ORDER BY _fila",
        [load_id],
    )
    return replaced
