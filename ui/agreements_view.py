"""The agreements screens' data (cached by revision and scope) and their Spanish tables."""

from __future__ import annotations

from datetime import date
from types import ModuleType

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from agreements import board as ag
from agreements import rights
from indicators import engine
from indicators.catalog import get as get_kpi
from indicators.periods import InvalidArgumentError, parse_period
from ui import counts
from ui.format import fmt_count, fmt_date_long, fmt_number, fmt_pct, fmt_value
from ui.safe import plain
from ui.session import User
from warehouse import clock


def today() -> date:
    """The agreements' cut date: the business calendar's today (`warehouse.clock`, CMI_HOY)."""
    return clock.today()


# Every cached function takes `direccion` (the user's scope) and `rev` (agreements revision):
# a directorate's result is never served to another, and an edit shows up at once.


def revision() -> tuple[str, int, int, int]:
    return ag.revision()


def cut(periodo: str | None = None) -> ag.Cut:
    """The agreements' cut for the period of the sidebar: its last day, or today while it runs."""
    return ag.cut(periodo, today())


def cut_choice(periodo: str | None, key: str) -> ag.Cut:
    """The period's cut (as Resumen and the report read it) or, on request, today's figures:
    a closed period leaves the board at its close, and those who follow agreements day by day
    choose «Hoy». A period still running is already read as of today: no choice is drawn."""
    closed = cut(periodo)
    if not closed.en_curso and closed.corte < today():
        name = parse_period(periodo).label if periodo else "el periodo"
        options = {"cierre": f"Cierre de {name}", "hoy": f"Hoy, {fmt_date_long(today())}"}
        picked = st.radio(
            "Cifras al", list(options), format_func=options.__getitem__, horizontal=True, key=key
        )
        if picked == "hoy":
            return cut(None)
    return closed


@st.cache_data(max_entries=500, show_spinner=False)
def kpis(
    direccion: str | None, as_of: date, filtros: ag.BoardFilters, rev: tuple, desde: date | None = None
) -> ag.BoardKpis:
    return ag.kpis(direccion=direccion, as_of=as_of, filtros=filtros, desde=desde)


@st.cache_data(max_entries=500, show_spinner=False)
def breakdown(
    dim: str, direccion: str | None, as_of: date, filtros: ag.BoardFilters, rev: tuple
) -> pd.DataFrame:
    return ag.breakdown(dim, direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def aging(direccion: str | None, as_of: date, filtros: ag.BoardFilters, rev: tuple) -> pd.DataFrame:
    return ag.aging(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def upcoming(direccion: str | None, as_of: date, filtros: ag.BoardFilters, rev: tuple) -> pd.DataFrame:
    return ag.upcoming(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def curves(direccion: str | None, as_of: date, filtros: ag.BoardFilters, rev: tuple) -> pd.DataFrame:
    return ag.completion_curves(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def listing(
    direccion: str | None, as_of: date, filtros: ag.BoardFilters, rev: tuple, open_only: bool = False
) -> pd.DataFrame:
    return ag.agreements(direccion=direccion, as_of=as_of, filtros=filtros, open_only=open_only)


@st.cache_data(max_entries=50, show_spinner=False)
def options(rev: tuple) -> dict[str, dict[str, str]]:
    return ag.options()


def relations(user: User, record: dict) -> frozenset[str]:
    """The user's relations to the agreement (their delegations read from the warehouse)."""
    return rights.relations(
        user, record["cve_direccion"], record["corresponsables"], ag.delegations_of(user.usuario)
    )


def kpi_progress(record: dict, within: str = "nacional") -> dict | None:
    """The linked KPI's latest value where the agreement aims (OOAD, else region, else nation).

    Only scopes inside the reader's ámbito `within` are tried: a figure outside it is never shown.
    """
    try:
        kpi = get_kpi(str(record["cve_kpi"]))
    except (KeyError, ValueError):
        return None
    last = engine.last_month_with_data(kpi)
    if last is None:
        return None
    ooad = record.get("cve_ooad")
    scopes = [(f"ooad:{ooad}", record["unidad"])] if isinstance(ooad, str) and ooad else []
    scopes += [(f"region:{record['region']}", f"la región {record['region']}"), ("nacional", "el país")]
    for ambito, where in scopes:
        try:
            v = engine.value(kpi.id, f"{last:%Y-%m}", ambito, within=within)
        except InvalidArgumentError:
            continue
        if v.ambito != ambito:  # the engine cut it to the reader's ámbito: not the figure named here
            continue
        meta = record.get("meta_kpi")
        return {
            "nombre": kpi.nombre,
            "donde": where,
            "periodo": f"{last:%m/%Y}",
            "actual": fmt_value(kpi, v.valor),
            "meta": "—" if meta is None or meta != meta else fmt_value(kpi, float(meta)),
        }
    return None


def count_label(n: int, singular: str = "acuerdo", plural: str = "acuerdos") -> str:
    """«1 acuerdo», «2,355 acuerdos» (the one plural rule, `ui.format.fmt_count`)."""
    return fmt_count(n, singular, plural)


def days_label(n: int) -> str:
    return counts.days(n)


def fmt_day(x: object) -> str:
    """dd/mm/aaaa, or — when missing."""
    if x is None or pd.isna(x):
        return "—"
    return f"{pd.Timestamp(x):%d/%m/%Y}"


def list_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The agreements list with Spanish headers, dd/mm/aaaa dates and a readable status."""
    return pd.DataFrame(
        {
            "Folio": frame["folio"],
            "Estado": [
                f"{e} · vencido hace {days_label(d)}" if v else e
                for e, v, d in zip(
                    frame["estado"], frame["vencido"], frame["dias_vencido"].fillna(0), strict=True
                )
            ],
            "Avance": [fmt_pct(a, 0) for a in frame["avance"]],
            "Compromiso": [fmt_day(d) for d in frame["fecha_compromiso"]],
            "Responsable": frame["cve_direccion"],
            "Corresponsables": frame["corresponsables"].fillna(""),
            "Reunión": frame["reunion"],
            "OOAD / UMAE": frame["unidad"],
            "Mesa": frame["cve_mesa"],
            "Descripción": frame["descripcion"],
        }
    )


def upcoming_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Folio": frame["folio"],
            "Compromiso": [fmt_day(d) for d in frame["fecha_compromiso"]],
            "Días restantes": [int(d) for d in frame["dias_restantes"]],
            "Avance": [fmt_pct(a, 0) for a in frame["avance"]],
            "Responsable": frame["cve_direccion"],
            "Descripción": frame["descripcion"],
        }
    )


def breakdown_table(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            label: frame["grupo"],
            "Registrados": frame["registrados"],
            "Concluidos": frame["concluidos"],
            "Abiertos en plazo": frame["abiertos_en_plazo"],  # the chart's segments, to the unit
            "Vencidos": frame["vencidos"],
            "Cancelados": frame["cancelados"],
            "Cumplimiento": [fmt_pct(c) for c in frame["cumplimiento"]],
        }
    )


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Fecha": [f"{pd.Timestamp(f):%d/%m/%Y %H:%M}" for f in frame["fecha"]],
            "Persona": frame["persona"],
            "En nombre de": frame["en_nombre_de"].fillna(""),
            "Campo": frame["campo"],
            "Antes": frame["valor_anterior"].fillna(""),
            "Después": frame["valor_nuevo"].fillna(""),
            "Comentario": frame["comentario"].fillna(""),
        }
    )


HEADLINE = (
    "registrados",
    "concluidos",
    "concluidos_mes",
    "en_proceso",
    "por_validar",
    "vencidos",
    "cumplimiento",
)
HELP = {
    "registrados": "Acuerdos registrados hasta la fecha de corte.",
    "concluidos": "Conclusiones validadas por la Dirección General hasta la fecha de corte.",
    "concluidos_mes": "Conclusiones validadas del primer día del periodo a la fecha de corte.",
    "en_proceso": "Abiertos: registrados, en proceso o con solicitud de conclusión.",
    "por_validar": "Solicitudes de conclusión que esperan a la Dirección General.",
    "vencidos": "Abiertos con la fecha compromiso ya pasada.",
    "cumplimiento": "Concluidos / (registrados − cancelados).",
    "en_plazo": "Concluidos a más tardar en su fecha compromiso, de los que la tienen.",
    "dias_promedio": "Promedio en días enteros, del registro a la conclusión.",
}


def metric_label(key: str) -> str:
    """«Concluidos · en el periodo»: each figure says the period it covers (`ag.label`)."""
    return ag.label(key)


def metric_value(k: ag.BoardKpis, key: str) -> str:
    value = getattr(k, key)
    if key in ("cumplimiento", "en_plazo"):
        return fmt_pct(value)
    return fmt_number(value)


def headline(k: ag.BoardKpis, keys: tuple[str, ...] = HEADLINE) -> None:
    """The agreement figures, one metric each, as every page shows them (same function, same labels)."""
    for start in range(0, len(keys), 4):  # four to a row: the labels stay whole
        row = keys[start : start + 4]
        for col, key in zip(st.columns(4), row, strict=False):
            col.metric(metric_label(key), metric_value(k, key), help=HELP[key])


def scoped_kpis(user: User, at: ag.Cut | date, filtros: ag.BoardFilters | None = None) -> ag.BoardKpis:
    """The viewer's figures: their directorate (if restricted) and their ámbito, as of the cut
    (a period's `Cut`, or a day: «en el periodo» is then that day's month)."""
    base = filtros or ag.BoardFilters(ambito=user.ambito)
    if isinstance(at, ag.Cut):
        return kpis(user.agreements_scope, at.corte, base, revision(), at.desde)
    return kpis(user.agreements_scope, at, base, revision())


@st.cache_data(max_entries=200, show_spinner=False)
def _aiming(
    kpi_id: str, direccion: str | None, ambito: str, as_of: date, rev: tuple
) -> tuple[pd.DataFrame, int]:
    total = ag.count(direccion=direccion, as_of=as_of, filtros=ag.BoardFilters(cve_kpi=kpi_id, ambito=ambito))
    return ag.kpi_agreements(kpi_id, direccion=direccion, ambito=ambito, as_of=as_of), total


def aiming_table(kpi_id: str, user: User | None) -> None:
    """The agreements that aim at this KPI (within the viewer's scope), with their status."""
    if user is None:
        return
    frame, total = _aiming(kpi_id, user.agreements_scope, user.ambito, clock.today(), revision())
    st.markdown("**Acuerdos que apuntan a este indicador**")
    if frame.empty:
        st.caption("Ningún acuerdo de su ámbito apunta a este indicador.")
        return
    shown = (
        f" Se muestran los primeros {fmt_number(len(frame))}, vencidos primero." if total > len(frame) else ""
    )
    st.caption(view_count(total) + shown)
    table = list_table(frame)
    table.insert(
        3, "Meta del acuerdo", [("—" if m is None or m != m else fmt_number(m, 1)) for m in frame["meta_kpi"]]
    )
    st.dataframe(table.drop(columns=["Corresponsables", "Mesa"]), hide_index=True)


def view_count(n: int) -> str:
    return counts.aiming(n)


def link(
    page: str, label: str, query: dict[str, str] | None = None, container: DeltaGenerator | ModuleType = st
) -> None:
    """A link to another page of the app that keeps the session (`st.page_link`).

    Outside the app's navigation (a page run on its own, as AppTest does) Streamlit cannot link
    pages; a plain relative link with the same URL stands in.
    """
    from urllib.parse import urlencode

    from streamlit.errors import StreamlitPageNotFoundError

    label = plain(label)  # Markdown in both: a label may carry stored text (a folio from a file)
    try:
        container.page_link(page, label=label, icon=":material/open_in_new:", query_params=query)
    except StreamlitPageNotFoundError:
        slug = page.removeprefix("pages/").removesuffix(".py")
        container.markdown(f"[{label}]({slug}{'?' + urlencode(query) if query else ''})")


def record_link(folio: str, label: str = "Abrir", container: DeltaGenerator | ModuleType = st) -> None:
    """A link that opens the agreement's record (`?folio=` on the board page)."""
    link("pages/acuerdos.py", label, {"folio": folio}, container)
