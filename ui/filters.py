"""The global filters of the sidebar, bound to the URL so a link reproduces the view.

Streamlit binds each widget to a query parameter of the same name as its key
(`bind="query-params"`). Invalid values in a shared link are detected here first,
so the user is told that the default was used instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.format import fmt_month
from ui.safe import plain
from warehouse import clock

COMPARISONS = {"meta": "Meta", "anio_anterior": "Año anterior", "periodo_anterior": "Periodo anterior"}
PERIOD_KINDS = {"mes": "Mes", "anio": "Año"}
PENDING = "_filtros_pendientes"
SCROLL_TOP = "_subir_al_inicio"  # a drill happened: the next run brings the top of the page into view
_ARTICLED = {
    "region": "La región",
    "entidad": "La entidad",
    "ooad": "El OOAD",
    "umae": "La UMAE",
    "unidad": "La unidad médica",
}


@dataclass(frozen=True)
class Filters:
    """What the sidebar says: period, comparison and the geographic scope (región › entidad › OOAD)."""

    periodo: str  # 'YYYY-MM' or 'YYYY'
    comparacion: str
    region: str | None
    ooad: str | None
    ooad_nombre: str | None = None
    entidad: str | None = None  # INEGI code of the state
    entidad_nombre: str | None = None
    umae: str | None = None  # a UMAE of the OOAD: hospital KPIs go one level down (ui.cards.card_scope)
    umae_nombre: str | None = None
    unidad: str | None = None  # a medical unit (UMF, HGZ) of the OOAD: consultations KPIs go to it
    unidad_nombre: str | None = None

    @property
    def ambito(self) -> str:
        """Nation, region or OOAD: the scope of every KPI (a UMAE narrows hospital KPIs only)."""
        if self.ooad:
            return f"ooad:{self.ooad}"
        if self.entidad:
            return f"entidad:{self.entidad}"
        if self.region:
            return f"region:{self.region}"
        return "nacional"

    def as_dict(self) -> dict[str, str]:
        """The filters in words, for export headers and audit records."""
        return (
            {
                "Periodo": self.periodo,
                "Comparación": COMPARISONS[self.comparacion],
                "Región": self.region or "Todas",
                "Entidad federativa": self.entidad_nombre or "Todas",
                "OOAD": self.ooad_nombre or "Todos",
            }
            | ({"UMAE": self.umae_nombre or self.umae} if self.umae else {})
            | ({"Unidad médica": self.unidad_nombre or self.unidad} if self.unidad else {})
        )


def request_drilldown(
    region: str | None,
    ooad: str | None,
    entidad: str | None = None,
    umae: str | None = None,
    unidad: str | None = None,
) -> None:
    """Ask for new region/state/OOAD/UMAE/unit filters; applied before the sidebar is drawn on the rerun.

    An OOAD brings its own state along; `entidad` (INEGI code) alone stops at the state.
    """
    st.session_state[PENDING] = {
        "region": region,
        "ooad": ooad,
        "entidad": entidad,
        "umae": umae,
        "unidad": unidad,
    }
    st.session_state[SCROLL_TOP] = time.time_ns()  # a new mark for each drill
    st.rerun()


def _check_query(options: dict[str, list[str]], outside: dict[str, list[str]], scope: str) -> list[str]:
    """Spanish notices for query parameters that are not valid values (checked once a session).

    `outside` holds the regions and OOAD that exist but lie beyond the user's scope: those are
    refused as such and the view falls back to the scope's own level. URL text is echoed inert.
    """
    notices = []
    names = {"tipo": "tipo de periodo", "mes": "mes", "anio": "año", "comparacion": "comparación"}
    names |= {"region": "región", "entidad": "entidad federativa", "ooad": "OOAD", "umae": "UMAE"}
    names |= {"unidad": "unidad médica"}
    for key, valid in options.items():
        raw = st.query_params.get(key)
        if raw in (None, "") or raw in valid:
            continue
        if raw in outside.get(key, []):
            notices.append(
                f"{_ARTICLED[key]} «{plain(raw)}» de la dirección está fuera de su ámbito "
                f"({plain(scope_label(scope))}); se muestra su ámbito."
            )
        else:
            notices.append(
                f"El valor «{plain(raw)}» de {names[key]} en la dirección no es válido; se usa el predeterminado."
            )
        st.query_params.pop(key, None)
    return notices


_PLACE_NOUNS = {"entidad": "entidad", "ooad": "OOAD", "umae": "UMAE", "unidad": "unidad médica"}


def scope_label(scope: str, places: Places | None = None) -> str:
    """An ámbito as people say it: «nacional», «región Centro», and with the catalogs' `places` by name:
    «OOAD Jalisco», «entidad Jalisco», «UMAE Hospital de Especialidades, CMN La Raza», «unidad médica
    UMF 20 Vallejo» (without them, or for a code not in them, the code: «OOAD 23»)."""
    level, _, key = scope.partition(":")
    if places is not None:
        rows = {"entidad": places.states, "ooad": places.ooad, "umae": places.umae, "unidad": places.units}
        name = next((row[1] for row in rows.get(level, ()) if row[0] == key), None)
        if name is not None:
            return f"{_PLACE_NOUNS[level]} {name}"
    return {
        "region": f"región {key}",
        "entidad": f"entidad {key}",
        "ooad": f"OOAD {key}",
        "umae": f"UMAE {key}",
        "unidad": f"unidad {key}",
    }.get(level, "nacional")


def code_names(column: str, places: Places) -> dict[str, str]:
    """Code -> name for a catalog column a person picks from (an export's column filter): the OOAD,
    state, UMAE or medical unit by its name, never the bare code; {} for other columns."""
    rows = {"cve_ooad": places.ooad, "cve_entidad": places.states, "cve_umae": places.umae}
    rows["cve_unidad"] = places.units
    return {row[0]: row[1] for row in rows.get(column, ())}


def month_options(months: list[date], partial: dict[date, str] | None = None) -> dict[str, str]:
    """Label -> 'YYYY-MM' of every month; a partial month says so («… (parcial: 3 de 35 OOAD)»)."""
    partial = partial or {}
    return {fmt_month(m) + (f" ({partial[m]})" if m in partial else ""): f"{m:%Y-%m}" for m in months}


@dataclass(frozen=True)
class Places:
    """The catalogs the filters offer, as plain tuples: built once per data version and shared."""

    regions: tuple[str, ...]
    states: tuple[tuple[str, str, str], ...]  # (cve_entidad, nombre, region) in name order
    ooad: tuple[tuple[str, str, str, str], ...]  # (cve_ooad, nombre, region, cve_entidad) in name order
    umae: tuple[tuple[str, str, str], ...]  # (cve_umae, nombre, cve_ooad)
    units: tuple[tuple[str, str, str], ...]  # (cve_unidad, nombre, cve_ooad)


def places_of(cats: dict[str, pd.DataFrame]) -> Places:
    """Places from the engine's catalogs (regions, OOAD, states, UMAE, medical units)."""
    ooad = cats["ooad"]
    region_of_state = ooad.groupby("cve_entidad")["region"].min().to_dict()  # a state lies in one region
    names = dict(zip(cats["entidades"]["cve_entidad"], cats["entidades"]["nombre"], strict=True))
    return Places(
        tuple(cats["regiones"]["region"]),
        tuple(
            sorted(((c, names[c], r) for c, r in region_of_state.items() if c in names), key=lambda s: s[1])
        ),
        tuple(ooad[["cve_ooad", "nombre", "region", "cve_entidad"]].itertuples(index=False, name=None)),
        tuple(cats["umae"][["cve_umae", "nombre", "cve_ooad"]].itertuples(index=False, name=None)),
        tuple(cats["unidades"][["cve_unidad", "nombre", "cve_ooad"]].itertuples(index=False, name=None)),
    )


def render(
    months: list[date],
    places: Places,
    user_scope: str = "nacional",
    partial: dict[date, str] | None = None,
    latest: date | None = None,
) -> Filters:
    """Draw the sidebar filters (restricted to a user's region/OOAD scope) and return them.

    Bound widgets write their option label to the URL, so options are the Spanish labels
    people read (?mes=octubre+2026&region=Centro) and are mapped back to codes here. The
    default month is `latest`, the latest complete one: a partial month is chosen explicitly.
    """
    month_labels = month_options(months, partial)
    years = sorted({f"{m:%Y}" for m in months}, reverse=True)
    regions = list(places.regions)
    ooad = list(places.ooad)
    every = {
        "region": list(regions),
        "entidad": [s[1] for s in places.states],
        "ooad": [o[1] for o in ooad],
        "umae": [u[1] for u in places.umae],
        "unidad": [u[1] for u in places.units],
    }
    if user_scope.startswith("region:"):
        regions = [user_scope.split(":", 1)[1]]
        ooad = [o for o in ooad if o[2] == regions[0]]
    elif user_scope.startswith("ooad:"):
        code = user_scope.split(":", 1)[1]
        ooad = [o for o in ooad if o[0] == code]
        regions = [o[2] for o in ooad]
    ooad_codes = {o[1]: o[0] for o in ooad}
    offices = set(ooad_codes.values())
    state_keys = {o[3] for o in ooad}
    states = [s for s in places.states if s[0] in state_keys]
    state_codes = {s[1]: s[0] for s in states}
    umae = [u for u in places.umae if u[2] in offices]
    umae_codes = {u[1]: u[0] for u in umae}
    units = [u for u in places.units if u[2] in offices]
    unit_codes = {u[1]: u[0] for u in units}
    comparisons = {label: code for code, label in COMPARISONS.items()}
    options = {
        "tipo": list(PERIOD_KINDS.values()),
        "mes": list(month_labels),
        "anio": years,
        "comparacion": list(comparisons),
        "region": regions,
        "entidad": list(state_codes),
        "ooad": list(ooad_codes),
        "umae": list(umae_codes),
        "unidad": list(unit_codes),
    }
    if not st.session_state.get("_filtros_revisados"):
        st.session_state["_avisos_filtros"] = _check_query(options, every, user_scope)
        st.session_state["_filtros_revisados"] = True
    pending = st.session_state.pop(PENDING, None)
    if pending:
        names = {code: name for name, code in ooad_codes.items()}
        state_of = {o[0]: o[3] for o in ooad}
        state = state_of.get(pending["ooad"]) or pending.get("entidad")
        st.session_state["region"] = pending["region"]
        st.session_state["entidad"] = {c: n for n, c in state_codes.items()}.get(state)
        st.session_state["ooad"] = names.get(pending["ooad"])
        st.session_state["umae"] = {c: n for n, c in umae_codes.items()}.get(pending.get("umae"))
        st.session_state["unidad"] = {c: n for n, c in unit_codes.items()}.get(pending.get("unidad"))

    side = st.session_state.get("_caja_filtros") or st.sidebar  # dashboard.py reserves the top slot
    side.subheader("Filtros")
    kind = side.segmented_control(
        "Periodo", options["tipo"], default="Mes", key="tipo", required=True, bind="query-params"
    )
    if kind == "Año":
        periodo = side.selectbox("Año", years, key="anio", bind="query-params")
    else:
        default = months.index(latest) if latest in months else 0
        periodo = month_labels.get(
            side.selectbox("Mes", options["mes"], index=default, key="mes", bind="query-params")
        )
    comparison = side.selectbox(
        "Comparar contra", options["comparacion"], key="comparacion", bind="query-params"
    )
    scoped = user_scope != "nacional"  # a scoped user starts at (and cannot leave) their scope
    region = side.selectbox(
        "Región",
        regions,
        index=0 if scoped else None,
        placeholder="Todas (nacional)",
        key="region",
        bind="query-params",
    )
    region = region or (regions[0] if scoped and regions else None)
    own_ooad = user_scope.startswith("ooad:")
    state_name = _narrowed(
        side,
        "Entidad federativa",
        [s[1] for s in states if region is None or s[2] == region],
        "entidad",
        own_ooad,
        "Todas",
        "CDMX, Estado de México y Veracruz suman sus dos OOAD; un indicador sin dato por"
        " entidad lo dice en su tarjeta.",
    )
    state = state_codes.get(state_name) if state_name else None
    in_scope = [o[1] for o in ooad if (region is None or o[2] == region) and (state is None or o[3] == state)]
    ooad_name = _narrowed(side, "OOAD", in_scope, "ooad", own_ooad, "Todos")
    office = ooad_codes.get(ooad_name) if ooad_name else None
    hosted = [u[1] for u in umae if u[2] == office]
    if st.session_state.get("umae") not in (None, *hosted):
        st.session_state["umae"] = None
    umae_name = None
    if hosted:  # one level below the OOAD, for hospital KPIs
        umae_name = side.selectbox(
            "UMAE", hosted, index=None, placeholder="Todas (el OOAD)", key="umae", bind="query-params"
        )
    own_units = [u[1] for u in units if u[2] == office]
    if st.session_state.get("unidad") not in (None, *own_units) or umae_name:
        st.session_state["unidad"] = None  # a UMAE and a unit are two views of the OOAD: one at a time
    unit_name = None
    if own_units and not umae_name:
        unit_name = side.selectbox(
            "Unidad médica",
            own_units,
            index=None,
            placeholder="Todas (el OOAD)",
            key="unidad",
            bind="query-params",
            help="UMF (primer nivel) y HGZ (segundo nivel) del OOAD; solo los indicadores de consultas"
            " y actividad hospitalaria se miden por unidad.",
        )
    filters = Filters(
        periodo
        or (f"{latest:%Y-%m}" if latest else next(iter(month_labels.values()), f"{clock.today():%Y-%m}")),
        comparisons.get(comparison, "meta"),
        region,
        office,
        ooad_name,
        state,
        state_name,
        umae_codes.get(umae_name) if umae_name else None,
        umae_name,
        unit_codes.get(unit_name) if unit_name else None,
        unit_name,
    )
    side.divider()
    # other pages (agreements, export) read these plain keys
    st.session_state["f_periodo"] = filters.periodo
    st.session_state["f_comparacion"] = filters.comparacion
    st.session_state["f_region"] = filters.region
    st.session_state["f_ooad"] = filters.ooad
    st.session_state["f_entidad"] = filters.entidad
    st.session_state["f_umae"] = filters.umae
    st.session_state["f_unidad"] = filters.unidad
    return filters


def _narrowed(
    side: DeltaGenerator,
    label: str,
    names: list[str],
    key: str,
    fixed: bool,
    everything: str,
    hint: str | None = None,
) -> str | None:
    """A scope selector whose options follow the level above: a value no longer offered is cleared.

    `fixed`: a user bound to one OOAD sees only its own state and office, already chosen.
    """
    if st.session_state.get(key) not in (None, *names):
        st.session_state[key] = None
    chosen = side.selectbox(
        label,
        names,
        index=0 if fixed else None,
        placeholder=everything,
        key=key,
        bind="query-params",
        help=hint,
    )
    return chosen or (names[0] if fixed and names else None)
