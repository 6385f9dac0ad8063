"""The agreements board (*Seguimiento de acuerdos*): KPIs, breakdowns, aging, deadlines, curves, lists.

Every function computes in DuckDB with bound parameters and takes:

- `direccion`: the directorate whose agreements the caller may see (responsible or
  co-responsible), or None for all (Dirección General, executives). Applied in the SQL.
- `as_of`: the day the board is computed for (default today), so results are reproducible.
  An agreement exists from its registration date; it counts as concluded from its conclusion
  date; cancelled agreements are cancelled whatever the day.
- `filtros`: the screen's filters (global region/OOAD plus status, directorate, mesa, text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from access.scope import agreement_sql, directorate_sql
from agreements.rights import OPEN_STATES, REQUESTED, STATES
from indicators.periods import cut as period_cut
from indicators.periods import month_end, parse_period
from indicators.queries import agreement_states_sql
from warehouse import clock, db_path, query_df, query_rows
from warehouse.catalogs import umae_name_sql

Db = Path | str | None
__all__ = ["OPEN_STATES", "REQUESTED", "STATES"]
OVERDUE = "Vencido"  # a filter value: open and past its deadline
AGING_BUCKETS = ("0-30 días", "31-90 días", "91-180 días", "Más de 180 días")

# dimension → (key expression, label expression) over the `b` relation
DIMENSIONS: dict[str, tuple[str, str]] = {
    "reunion": ("cve_reunion", "reunion_nombre"),
    "region": ("region", "region"),
    "unidad": ("unidad_clave", "unidad_nombre"),
    "mesa": ("cve_mesa", "mesa_nombre"),
    "tema": ("tema_clave", "tema_nombre"),
    "direccion": ("cve_direccion", "direccion_nombre"),
}
DIMENSION_LABELS = {
    "reunion": "Reunión",
    "region": "Región",
    "unidad": "OOAD / UMAE",
    "mesa": "Mesa de trabajo",
    "tema": "Tema",
    "direccion": "Dirección responsable",
}


@dataclass(frozen=True)
class BoardFilters:
    """What the screen narrows the board to (None = no restriction)."""

    region: str | None = None
    cve_ooad: str | None = None
    estado: str | None = None  # one of STATES, or OVERDUE
    cve_direccion: str | None = None  # responsible directorate
    cve_mesa: str | None = None
    cve_reunion: str | None = None
    texto: str | None = None  # searched in folio and description
    cve_kpi: str | None = None  # agreements aiming at this KPI
    ambito: str = "nacional"  # the viewer's scope (nacional | region:X | ooad:NN), intersected in SQL


NO_FILTERS = BoardFilters()


@dataclass(frozen=True)
class BoardKpis:
    """The one set of agreement figures every page shows (board, Resumen, Mis pendientes, CLI).

    Cumulative figures count everything registered up to `as_of`; «en el periodo» figures count
    the events from the period's first day up to `as_of`; the open ones are a cut at `as_of`.
    The engine's agreement KPIs (indicators/queries.py) count by the same state rule:
    acuerdos_registrados = registrados_mes, acuerdos_concluidos = concluidos_mes,
    cumplimiento_acuerdos = cumplimiento, acuerdos_vencidos = vencidos.
    """

    registrados: int  # acumulado
    concluidos: int  # acumulado
    en_proceso: int  # open at the cut: Registrado, En proceso or Solicitud de conclusión
    vencidos: int  # open at the cut with the deadline already passed
    cancelados: int  # acumulado
    cumplimiento: float | None  # % concluidos / (registrados - cancelados), acumulado
    en_plazo: float | None  # % of concluded-with-deadline concluded on or before it
    dias_promedio: float | None  # mean whole days from registration to conclusion
    por_validar: int = 0  # waiting for the DG (Solicitud de conclusión)
    registrados_mes: int = 0  # registered in the period, up to the cut
    concluidos_mes: int = 0  # concluded in the period, up to the cut

    def as_dict(self) -> dict:
        return asdict(self)


# How each figure is labelled wherever it is shown: its name and the period it covers.
PERIOD_LABELS: dict[str, tuple[str, str]] = {
    "registrados": ("Registrados", "acumulado"),
    "concluidos": ("Concluidos", "acumulado"),
    "registrados_mes": ("Registrados", "en el periodo"),
    "concluidos_mes": ("Concluidos", "en el periodo"),
    "en_proceso": ("Abiertos", "al corte"),
    "vencidos": ("Vencidos", "al corte"),
    "cancelados": ("Cancelados", "acumulado"),
    "por_validar": ("Por validar", "al corte"),
    "cumplimiento": ("Cumplimiento", "acumulado"),
    "en_plazo": ("En plazo", "acumulado"),
    "dias_promedio": ("Días para concluir", "promedio"),
}


# The catalog KPI each board figure is (same rule, same cut): the report and the scorecard name
# them by the board's label.
CATALOG_FIGURES: dict[str, str] = {
    "acuerdos_registrados": "registrados_mes",
    "acuerdos_concluidos": "concluidos_mes",
    "cumplimiento_acuerdos": "cumplimiento",
    "acuerdos_vencidos": "vencidos",
}


def label(key: str) -> str:
    """«Concluidos · en el periodo»: a figure's name and the period it covers, wherever it is shown."""
    name, period = PERIOD_LABELS[key]
    return f"{name} · {period}"


@dataclass(frozen=True)
class Cut:
    """The day a period's agreement figures are read as of."""

    desde: date  # the period's first day: «en el periodo» figures count from it
    corte: date  # the period's last day, or today while the period runs
    hasta: date  # the period's last day

    @property
    def en_curso(self) -> bool:
        """The period has not ended: its figures are as of today."""
        return self.corte < self.hasta

    @property
    def span(self) -> dict[str, date]:
        """`as_of` and `desde` for `kpis`."""
        return {"as_of": self.corte, "desde": self.desde}


def cut(periodo: str | None = None, today: date | None = None) -> Cut:
    """The cut of a period of the screens' filter («2026-11», «2026»): as of its last day, or of
    `today` (the business calendar's, `warehouse.clock`) while it runs. None: today's month."""
    day = _today(today)
    period = parse_period(periodo or f"{day:%Y-%m}")
    return Cut(desde=period.start, corte=period_cut(period.end, day), hasta=month_end(period.end))


def _scope_sql(direccion: str | None, filtros: BoardFilters, as_of: date) -> tuple[str, dict]:
    """The WHERE of every board query: existence at as_of, directorate scope, filters."""
    where = ["a.fecha_registro <= $as_of"]
    params: dict = {"as_of": as_of}
    if direccion is not None:
        where.append(
            "(a.cve_direccion = $scope OR a.folio IN "
            "(SELECT c.folio FROM acuerdos_corresponsables c WHERE c.cve_direccion = $scope))"
        )
        params["scope"] = direccion
    in_scope, bound = agreement_sql("a", filtros.ambito)
    where.append(in_scope)
    params |= bound
    for column, value in (
        ("region", filtros.region),
        ("cve_ooad", filtros.cve_ooad),
        ("cve_direccion", filtros.cve_direccion),
        ("cve_mesa", filtros.cve_mesa),
        ("cve_reunion", filtros.cve_reunion),
        ("cve_kpi", filtros.cve_kpi),
    ):
        if value:
            where.append(f"a.{column} = ${column}")
            params[column] = value
    if filtros.texto and filtros.texto.strip():
        where.append(
            "(contains(strip_accents(lower(a.folio)), strip_accents(lower($texto))) "
            "OR contains(strip_accents(lower(a.descripcion)), strip_accents(lower($texto))))"
        )
        params["texto"] = filtros.texto.strip()
    return " AND ".join(where), params


def _base_cte(direccion: str | None, filtros: BoardFilters, as_of: date) -> tuple[str, dict]:
    """`b`: the visible agreements with their state at as_of (`agreement_states_sql`) and catalog labels."""
    where, params = _scope_sql(direccion, filtros, as_of)
    sql = f"""
    WITH a0 AS (
        SELECT a.*, $as_of::DATE AS corte,
            coalesce(r.nombre, a.cve_reunion) AS reunion_nombre,
            coalesce(a.cve_umae, a.cve_ooad, '') AS unidad_clave,
            CASE WHEN a.cve_umae IS NOT NULL THEN coalesce({umae_name_sql("u")}, a.cve_umae)
                 WHEN a.cve_ooad IS NOT NULL THEN coalesce(o.nombre, a.cve_ooad)
                 ELSE 'Sin OOAD ni UMAE' END AS unidad_nombre,
            coalesce(m.nombre, a.cve_mesa) AS mesa_nombre,
            coalesce(a.cve_tema, '') AS tema_clave,
            coalesce(t.nombre, a.cve_tema, 'Sin tema') AS tema_nombre,
            coalesce(d.nombre, a.cve_direccion) AS direccion_nombre
        FROM acuerdos a
        LEFT JOIN reuniones r ON r.cve_reunion = a.cve_reunion
        LEFT JOIN ooad o ON o.cve_ooad = a.cve_ooad
        LEFT JOIN umae u ON u.cve_umae = a.cve_umae
        LEFT JOIN mesas m ON m.cve_mesa = a.cve_mesa
        LEFT JOIN temas t ON t.cve_tema = a.cve_tema
        LEFT JOIN direcciones d ON d.cve_direccion = a.cve_direccion
        WHERE {where}
    ), a1 AS ({agreement_states_sql("a0", "corte")}
    ), b0 AS (
        SELECT *, CASE WHEN vencido THEN date_diff('day', fecha_compromiso, corte) END AS dias_vencido
        FROM a1
    ), b AS (
        SELECT * FROM b0 WHERE $estado IS NULL OR estado_al = $estado
            OR ($estado = 'Vencido' AND vencido)
    )
    """
    params["estado"] = filtros.estado or None
    return sql, params


_COUNTS = """
    count(*) AS registrados,
    coalesce(count_if(estado_al = 'Concluido'), 0) AS concluidos,
    coalesce(count_if(abierto), 0) AS en_proceso,
    coalesce(count_if(abierto AND NOT vencido), 0) AS abiertos_en_plazo,
    coalesce(count_if(vencido), 0) AS vencidos,
    coalesce(count_if(estado_al = 'Cancelado'), 0) AS cancelados
"""


def _today(as_of: date | None) -> date:
    return as_of or clock.today()


def kpis(
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
    desde: date | None = None,
) -> BoardKpis:
    """The board's headline figures as of `as_of`; «en el periodo» ones count from `desde`
    (default: the first day of as_of's month). Pass a `Cut` as `**cut.span`."""
    day = _today(as_of)
    cte, params = _base_cte(direccion, filtros, day)
    params["desde"] = desde or day.replace(day=1)
    sql = f"""{cte}
    , k AS (
        SELECT {_COUNTS},
            count_if(estado_al = 'Concluido' AND fecha_compromiso IS NOT NULL) AS con_plazo,
            count_if(estado_al = 'Concluido' AND fecha_conclusion <= fecha_compromiso) AS en_plazo,
            avg(date_diff('day', fecha_registro, fecha_conclusion))
                FILTER (WHERE estado_al = 'Concluido') AS dias_promedio,
            count_if(estado_al = 'Solicitud de conclusión') AS por_validar,
            count_if(fecha_registro >= $desde) AS registrados_mes,
            count_if(estado_al = 'Concluido' AND fecha_conclusion >= $desde) AS concluidos_mes
        FROM b
    )
    SELECT registrados, concluidos, en_proceso, vencidos, cancelados,
        100.0 * concluidos / nullif(registrados - cancelados, 0),
        100.0 * en_plazo / nullif(con_plazo, 0),
        round(dias_promedio), por_validar, registrados_mes, concluidos_mes
    FROM k
    """
    row = query_rows(sql, params, db)[0]
    return BoardKpis(
        registrados=int(row[0]),
        concluidos=int(row[1]),
        en_proceso=int(row[2]),
        vencidos=int(row[3]),
        cancelados=int(row[4]),
        cumplimiento=None if row[5] is None else float(row[5]),
        en_plazo=None if row[6] is None else float(row[6]),
        dias_promedio=None if row[7] is None else float(row[7]),
        por_validar=int(row[8] or 0),
        registrados_mes=int(row[9] or 0),
        concluidos_mes=int(row[10] or 0),
    )


def breakdown(
    dimension: str,
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
) -> pd.DataFrame:
    """Counts and % de cumplimiento per meeting, region, OOAD/UMAE, mesa, theme or directorate."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Desglose desconocido: «{dimension}». Opciones: {', '.join(DIMENSIONS)}.")
    key, label = DIMENSIONS[dimension]
    cte, params = _base_cte(direccion, filtros, _today(as_of))
    sql = f"""{cte}
    SELECT {key} AS clave, any_value({label}) AS grupo, {_COUNTS},
        100.0 * count_if(estado_al = 'Concluido')
            / nullif(count(*) - count_if(estado_al = 'Cancelado'), 0) AS cumplimiento
    FROM b GROUP BY {key} ORDER BY registrados DESC, grupo
    """
    return query_df(sql, params, db)


def aging(
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
) -> pd.DataFrame:
    """Open agreements past their deadline by days overdue: 0-30, 31-90, 91-180, >180 (all four rows)."""
    cte, params = _base_cte(direccion, filtros, _today(as_of))
    sql = f"""{cte}
    , tramos(orden, tramo) AS (VALUES (1, '{AGING_BUCKETS[0]}'), (2, '{AGING_BUCKETS[1]}'),
                                       (3, '{AGING_BUCKETS[2]}'), (4, '{AGING_BUCKETS[3]}'))
    , v AS (
        SELECT CASE WHEN dias_vencido <= 30 THEN 1 WHEN dias_vencido <= 90 THEN 2
                    WHEN dias_vencido <= 180 THEN 3 ELSE 4 END AS orden
        FROM b WHERE vencido
    )
    SELECT t.tramo, count(v.orden) AS acuerdos
    FROM tramos t LEFT JOIN v ON v.orden = t.orden
    GROUP BY t.orden, t.tramo ORDER BY t.orden
    """
    return query_df(sql, params, db)


_LIST_COLUMNS = """
    b.folio, b.cve_reunion, b.reunion_nombre AS reunion, b.region, b.cve_ooad, b.cve_umae,
    b.unidad_nombre AS unidad, b.cve_mesa, b.mesa_nombre AS mesa, b.tema_nombre AS tema,
    b.descripcion, b.cve_direccion, b.direccion_nombre AS direccion,
    (SELECT string_agg(c.cve_direccion, ', ' ORDER BY c.cve_direccion)
        FROM acuerdos_corresponsables c WHERE c.folio = b.folio) AS corresponsables,
    b.fecha_registro, b.fecha_compromiso, b.estado_al AS estado, b.avance, b.fecha_conclusion,
    b.vencido, b.dias_vencido, b.version, b.cve_kpi, b.meta_kpi
"""


def upcoming(
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
    days: int = 30,
) -> pd.DataFrame:
    """Open agreements whose deadline falls between as_of and as_of + days, soonest first."""
    cte, params = _base_cte(direccion, filtros, _today(as_of))
    params["days"] = days
    sql = f"""{cte}
    SELECT {_LIST_COLUMNS}, date_diff('day', $as_of::DATE, b.fecha_compromiso) AS dias_restantes
    FROM b WHERE b.abierto AND b.fecha_compromiso BETWEEN $as_of AND $as_of::DATE + $days::INTEGER
    ORDER BY b.fecha_compromiso, b.folio
    """
    return query_df(sql, params, db)


def completion_curves(
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
) -> pd.DataFrame:
    """Per meeting and month-end cut (the last cut is as_of): % of its non-cancelled agreements concluded."""
    cte, params = _base_cte(direccion, filtros, _today(as_of))
    sql = f"""{cte}
    , cortes AS (
        SELECT least((g + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE, $as_of::DATE) AS corte
        FROM generate_series(
            (SELECT date_trunc('month', min(fecha_registro)) FROM b),
            date_trunc('month', $as_of::DATE), INTERVAL 1 MONTH) t(g)
    ), inicio AS (
        SELECT cve_reunion, any_value(reunion_nombre) AS reunion, min(fecha_registro) AS primero
        FROM b GROUP BY cve_reunion
    )
    SELECT i.cve_reunion, i.reunion, c.corte,
        count_if(b.estado_al <> 'Cancelado' AND b.fecha_registro <= c.corte) AS registrados,
        count_if(b.estado_al = 'Concluido' AND b.fecha_conclusion <= c.corte) AS concluidos,
        100.0 * count_if(b.estado_al = 'Concluido' AND b.fecha_conclusion <= c.corte)
            / nullif(count_if(b.estado_al <> 'Cancelado' AND b.fecha_registro <= c.corte), 0)
            AS cumplimiento
    FROM inicio i
    JOIN cortes c ON c.corte >= i.primero
    JOIN b ON b.cve_reunion = i.cve_reunion
    GROUP BY i.cve_reunion, i.reunion, c.corte
    ORDER BY i.cve_reunion, c.corte
    """
    return query_df(sql, params, db)


def agreements(
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
    limit: int = 500,
    open_only: bool = False,
) -> pd.DataFrame:
    """The filtered list, overdue first (most overdue first), then by deadline and folio."""
    cte, params = _base_cte(direccion, filtros, _today(as_of))
    params["limit"] = limit
    where = "WHERE b.abierto" if open_only else ""
    sql = f"""{cte}
    SELECT {_LIST_COLUMNS} FROM b {where}
    ORDER BY b.vencido DESC, b.dias_vencido DESC NULLS LAST, b.fecha_compromiso NULLS LAST, b.folio
    LIMIT $limit
    """
    return query_df(sql, params, db)


def count(
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    filtros: BoardFilters = NO_FILTERS,
) -> int:
    """How many agreements the filtered list holds (the list itself may be truncated)."""
    cte, params = _base_cte(direccion, filtros, _today(as_of))
    return int(query_rows(f"{cte} SELECT count(*) FROM b", params, db)[0][0])


def agreement(
    folio: str,
    db: Db = None,
    *,
    direccion: str | None = None,
    as_of: date | None = None,
    ambito: str | None = None,
) -> dict | None:
    """One agreement as a dict, or None when it does not exist or lies outside the caller's scope.

    The scope is the directorate and the ámbito (the board's predicate): an agreement outside
    them is answered exactly like one that does not exist.
    """
    cte, params = _base_cte(direccion, BoardFilters(ambito=ambito or "nacional"), _today(as_of))
    params["folio"] = folio
    frame = query_df(f"{cte} SELECT {_LIST_COLUMNS} FROM b WHERE b.folio = $folio", params, db)
    if frame.empty:
        return None
    record = frame.iloc[0].to_dict()
    corr = record.get("corresponsables")
    record["corresponsables"] = [] if corr is None or corr != corr else corr.split(", ")
    return record


def visible(folio: str, direccion: str | None, db: Db = None, *, ambito: str | None = None) -> bool:
    """Whether the directorate (None = all) with this ámbito (None = nacional) may see the agreement."""
    in_scope, bound = agreement_sql("a", ambito)
    sql = f"SELECT 1 FROM acuerdos a WHERE a.folio = $folio AND {in_scope}"
    params: dict = {"folio": folio, **bound}
    if direccion is not None:
        sql += " AND " + directorate_sql("a", "$scope")
        params["scope"] = direccion
    return bool(query_rows(sql, params, db))


def history(
    folio: str, db: Db = None, *, direccion: str | None = None, ambito: str | None = None
) -> pd.DataFrame:
    """The agreement's history, oldest first (empty when outside the caller's scope)."""
    sql = """
    SELECT h.id, h.fecha, h.usuario, coalesce(u.nombre, h.usuario) AS persona, n.en_nombre_de,
        h.campo, h.valor_anterior, h.valor_nuevo, h.comentario
    FROM acuerdos_historial h LEFT JOIN usuarios u ON u.usuario = h.usuario
    LEFT JOIN acuerdos_historial_en_nombre n ON n.historial_id = h.id
    WHERE h.folio = $folio
    """
    in_scope, bound = agreement_sql("a", ambito)
    params: dict = {"folio": folio, **bound}
    sql += f" AND EXISTS (SELECT 1 FROM acuerdos a WHERE a.folio = h.folio AND {in_scope}"
    if direccion is not None:
        sql += " AND " + directorate_sql("a", "$scope")
        params["scope"] = direccion
    return query_df(sql + ") ORDER BY h.id", params, db)


def evidences(
    folio: str, db: Db = None, *, direccion: str | None = None, ambito: str | None = None
) -> pd.DataFrame:
    """Evidence files attached to the agreement (empty when outside the caller's scope)."""
    if not visible(folio, direccion, db, ambito=ambito):
        return pd.DataFrame(columns=["id", "fecha", "usuario", "nombre_original", "tipo", "tamano_bytes"])
    return query_df(
        "SELECT id, fecha, usuario, nombre_original, tipo, tamano_bytes, ruta FROM acuerdos_evidencias "
        "WHERE folio = ? ORDER BY id",
        [folio],
        db,
    )


def options(db: Db = None) -> dict[str, dict[str, str]]:
    """Catalog choices for filters and forms: code → name for directorates, mesas, meetings, OOAD, UMAE, themes."""
    out: dict[str, dict[str, str]] = {}
    for key, sql in (
        ("direcciones", "SELECT cve_direccion, nombre FROM direcciones ORDER BY cve_direccion"),
        ("mesas", "SELECT cve_mesa, nombre FROM mesas ORDER BY cve_mesa"),
        ("reuniones", "SELECT cve_reunion, nombre FROM reuniones ORDER BY fecha_inicio, cve_reunion"),
        ("ooad", "SELECT cve_ooad, nombre FROM ooad ORDER BY nombre"),
        ("umae", f"SELECT cve_umae, {umae_name_sql('umae')} AS nombre FROM umae ORDER BY nombre"),
        ("temas", "SELECT cve_tema, nombre FROM temas ORDER BY cve_tema"),
    ):
        out[key] = {str(k): str(v) for k, v in query_rows(sql, path=db)}
    return out


def revision(db: Db = None) -> tuple[str, int, int, int]:
    """Changes whenever an agreement is registered or edited: the cache key of the board (with the file)."""
    row = query_rows(
        "SELECT (SELECT coalesce(max(id), 0) FROM acuerdos_historial), (SELECT count(*) FROM acuerdos), "
        "(SELECT coalesce(sum(version), 0) FROM acuerdos)",
        path=db,
    )[0]
    return str(Path(db) if db is not None else db_path()), int(row[0]), int(row[1]), int(row[2])


def delegations_of(usuario: str, db: Db = None) -> list[str]:
    """The directorates this person is enlace of (table `enlaces`)."""
    return [r[0] for r in query_rows("SELECT cve_direccion FROM enlaces WHERE usuario = ?", [usuario], db)]


def kpi_agreements(
    kpi_id: str,
    db: Db = None,
    *,
    direccion: str | None = None,
    ambito: str = "nacional",
    as_of: date | None = None,
) -> pd.DataFrame:
    """The agreements that aim at a KPI, with their status (for its rubric page and ficha)."""
    filtros = BoardFilters(cve_kpi=kpi_id, ambito=ambito)
    return agreements(db, direccion=direccion, as_of=as_of, filtros=filtros, limit=200)
