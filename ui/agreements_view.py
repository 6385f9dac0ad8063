"""The agreements screens' data (cached by revision and scope) and their Spanish tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import agreements as ag
from ui.format import fmt_pct

# Every cached function takes `direccion` (the user's scope) and `rev` (agreements revision):
# a directorate's result is never served to another, and an edit shows up at once.


def revision() -> tuple[str, int, int, int]:
    return ag.revision()


@st.cache_data(max_entries=500, show_spinner=False)
def kpis(direccion: str | None, as_of: date, filtros: ag.Filters, rev: tuple) -> ag.BoardKpis:
    return ag.kpis(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def breakdown(dim: str, direccion: str | None, as_of: date, filtros: ag.Filters, rev: tuple) -> pd.DataFrame:
    return ag.breakdown(dim, direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def aging(direccion: str | None, as_of: date, filtros: ag.Filters, rev: tuple) -> pd.DataFrame:
    return ag.aging(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def upcoming(direccion: str | None, as_of: date, filtros: ag.Filters, rev: tuple) -> pd.DataFrame:
    return ag.upcoming(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def curves(direccion: str | None, as_of: date, filtros: ag.Filters, rev: tuple) -> pd.DataFrame:
    return ag.completion_curves(direccion=direccion, as_of=as_of, filtros=filtros)


@st.cache_data(max_entries=500, show_spinner=False)
def listing(
    direccion: str | None, as_of: date, filtros: ag.Filters, rev: tuple, open_only: bool = False
) -> pd.DataFrame:
    return ag.agreements(direccion=direccion, as_of=as_of, filtros=filtros, open_only=open_only)


@st.cache_data(max_entries=50, show_spinner=False)
def options(rev: tuple) -> dict[str, dict[str, str]]:
    return ag.options()


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
                f"{e} · vencido {int(d)} días" if v else e
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
            "Días restantes": frame["dias_restantes"],
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
            "En proceso": frame["en_proceso"],
            "Vencidos": frame["vencidos"],
            "Cancelados": frame["cancelados"],
            "Cumplimiento": [fmt_pct(c) for c in frame["cumplimiento"]],
        }
    )


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Fecha": [f"{pd.Timestamp(f):%d/%m/%Y %H:%M}" for f in frame["fecha"]],
            "Usuario": frame["usuario"],
            "Campo": frame["campo"],
            "Antes": frame["valor_anterior"].fillna(""),
            "Después": frame["valor_nuevo"].fillna(""),
            "Comentario": frame["comentario"].fillna(""),
        }
    )
