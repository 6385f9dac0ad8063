import shutil
import tempfile
from pathlib import Path

import streamlit as st

from access.scope import scope_name
from agreements import board
from exports.selection import (
    AGREEMENTS,
    ExportFilters,
    available,
    columns,
    count_rows,
    data_version,
    distinct_values,
    fetch,
    label,
    narrow_scope,
    select_sql,
)
from exports.table import ExportFailed, stream_to_file
from indicators import commentary, engine
from indicators.catalog import CATALOG, get
from indicators.periods import InvalidArgumentError, add_months, parse_period
from loaders.tempfiles import private_dir
from ui import counts
from ui.auth import require_screen
from ui.commentary_view import history_table
from ui.export import audit_export, column_config, export_buttons, file_stem
from ui.format import fmt_number
from ui.layout import code_names, page_filters
from ui.report import build_report_html
from ui.report_pdf import PdfError, html_to_pdf
from ui.safe import plain

IN_MEMORY_ROWS = 100_000  # above this, the file streams from DuckDB and the screen shows a sample
PREVIEW_ROWS = 1_000
VIEWS = {
    "ooad": "Indicador por OOAD",
    "region": "Indicador por región",
    "serie": "Serie mensual",
    "comentarios": "Comentarios del responsable",
}

NO_PERIOD = "El almacén todavía no tiene datos de indicadores. Cárguelos en «Cargar datos»."

user = require_screen(__file__)
chosen_filters, _, _ = page_filters(needs_kpi_data=False)  # the global sidebar filters

latest = engine.latest_period()
periodo = chosen_filters.periodo or (f"{latest:%Y-%m}" if latest else None)
region = chosen_filters.region
ooad = chosen_filters.ooad
direccion = user.agreements_scope
version = data_version()

st.title("Exportar")
st.caption(
    f"Periodo: {plain(periodo or 'todos')} · Región: {plain(region or 'todas')} · OOAD: {plain(chosen_filters.ooad_nombre or ooad or 'todos')}"
    f" · Su ámbito: {plain(scope_name(user.ambito))}"
    + (f" · Acuerdos de la dirección {plain(direccion)}" if direccion else "")
)

kinds = ["Conjunto de datos", "Vista de indicador", "Tablero de acuerdos"]
kind = st.radio("¿Qué desea exportar?", kinds, horizontal=True)


def show(frame, name: str, described: dict) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config(frame))
    export_buttons(frame, name, described, data_version=version)


if kind == "Conjunto de datos":
    options = available()
    dataset = st.selectbox("Conjunto de datos", options, format_func=lambda d: d.nombre)
    chosen: dict[str, tuple] = {}
    with st.expander("Filtros por columna"):
        for col, kind_ in columns(dataset.id):
            if kind_ != "VARCHAR" or col in ("descripcion", "folio"):
                continue
            values = distinct_values(  # only values inside the user's scope
                dataset.id,
                col,
                limit=201,
                ambito=user.ambito,
                direccion=direccion if dataset.id == AGREEMENTS else None,
            )
            if 1 < len(values) <= 200:
                names = code_names(col)  # «Jalisco», not «14»
                picked = st.multiselect(
                    label(col).removeprefix("Clave ") if names else label(col),
                    values,
                    format_func=lambda v: str(names.get(v, v)),  # noqa: B023 (used at once)
                    key=f"col_{dataset.id}_{col}",
                )
                if picked:
                    chosen[col] = tuple(picked)
    filters = ExportFilters(periodo=periodo, region=region, ooad=ooad, columnas=chosen)
    described = {**filters.describe(), "Ámbito": scope_name(user.ambito)}
    try:
        sql, params = select_sql(
            dataset.id, filters, user.ambito, direccion if dataset.id == AGREEMENTS else None
        )
    except InvalidArgumentError as exc:
        st.warning(plain(exc))
        st.stop()
    total = count_rows(sql, params)
    st.metric("Filas a exportar", fmt_number(total))
    name = f"{dataset.id}_{periodo or 'todos'}"
    if total <= IN_MEMORY_ROWS:
        show(fetch(sql, params), name, described)
    else:
        sample = fetch(sql, params, limit=PREVIEW_ROWS)
        st.caption(f"Muestra de las primeras {fmt_number(PREVIEW_ROWS)} filas; el archivo lleva todas.")
        st.dataframe(sample, hide_index=True, width="stretch", column_config=column_config(sample))
        fmt = st.radio("Formato", ["parquet", "csv"], horizontal=True, format_func=str.upper)
        if st.button("Preparar archivo", icon=":material/build:"):
            previous = st.session_state.pop("_export_file", None)
            if previous:  # one prepared file per session: the previous one is removed
                shutil.rmtree(Path(previous).parent, ignore_errors=True)
            # a 0700 folder inside this server's private scratch folder, removed when the server stops
            folder = tempfile.mkdtemp(prefix="archivo_", dir=private_dir("exportar"))
            target = Path(folder) / f"{file_stem(name)}.{fmt}"
            bar = st.progress(0.0, text="Exportando…")
            try:
                rows = stream_to_file(
                    sql,
                    params,
                    target,
                    fmt,
                    progress=lambda n: bar.progress(
                        min(n / total, 1.0), text=f"{fmt_number(n)} de {counts.rows(total)}"
                    ),
                )
            except ExportFailed as exc:
                shutil.rmtree(target.parent, ignore_errors=True)
                bar.empty()
                audit_export(user, dataset.id, described, 0, fmt, failed=str(exc))
                st.error(str(exc), icon=":material/error:")
                st.stop()
            bar.progress(1.0, text=f"Listo: {counts.rows(rows)}")
            audit_export(user, dataset.id, described, rows, fmt)
            st.session_state["_export_file"] = str(target)
        ready = st.session_state.get("_export_file")
        if ready and Path(ready).exists() and Path(ready).stem == file_stem(name):
            with open(ready, "rb") as handle:
                st.download_button(
                    f"Descargar {Path(ready).suffix[1:].upper()} ({fmt_number(Path(ready).stat().st_size / 1e6, 1)} MB)",
                    data=handle,
                    file_name=Path(ready).name,
                    type="primary",
                )
elif kind == "Tablero de acuerdos":
    try:
        ambito = narrow_scope(user.ambito, region, ooad)
    except InvalidArgumentError as exc:
        st.warning(plain(exc))
        st.stop()
    level, _, key = ambito.partition(":")
    board_filters = board.BoardFilters(
        region=key if level == "region" else None, cve_ooad=key if level == "ooad" else None
    )
    total = board.count(direccion=direccion, filtros=board_filters)
    frame = board.agreements(direccion=direccion, filtros=board_filters, limit=max(total, 1))
    frame = frame.rename(columns={c: label(c) for c in frame.columns})
    described = {
        "Vista": "Tablero de acuerdos",
        "Ámbito": scope_name(ambito),
        "Dirección": direccion or "Todas",
    }
    st.metric("Filas a exportar", fmt_number(len(frame)))
    show(frame, "tablero_acuerdos", described)
else:
    if periodo is None:
        st.info(NO_PERIOD, icon=":material/database:")
        st.stop()
    kpi_id = st.selectbox("Indicador", [k.id for k in CATALOG], format_func=lambda k: get(k).nombre)
    view = st.radio("Vista", list(VIEWS), format_func=VIEWS.__getitem__, horizontal=True)
    kpi = get(kpi_id)
    try:
        ambito = narrow_scope(user.ambito, region, ooad)
        scoped_dir = direccion if kpi.fuente == "acuerdos" else None
        if view == "comentarios":  # every commentary of the KPI, newest first (history kept)
            frame = history_table(commentary.history(kpi_id, within=ambito))  # inside the ámbito
        elif view == "serie":
            period = parse_period(periodo)
            frame = engine.series(
                kpi_id,
                add_months(period.end, -11),
                period.end,
                ambito,
                direccion=scoped_dir,
                within=user.ambito,
            )
        else:
            frame = engine.breakdown(kpi_id, periodo, view, ambito, direccion=scoped_dir, within=user.ambito)
    except InvalidArgumentError as exc:
        st.warning(plain(exc))
        st.stop()
    frame = frame.rename(columns={c: label(c) for c in frame.columns})
    described = {
        "Indicador": kpi.nombre,
        "Vista": VIEWS[view],
        "Periodo": periodo,
        "Ámbito": scope_name(ambito),
    }
    st.metric("Filas a exportar", fmt_number(len(frame)))
    show(frame, f"{kpi_id}_{view}_{periodo}", described)

st.divider()
st.subheader("Reporte ejecutivo")
st.caption("Un archivo HTML autónomo (se abre sin conexión y se imprime a PDF desde el navegador).")
if st.button("Generar reporte ejecutivo", icon=":material/description:"):
    if periodo is None:
        st.info(NO_PERIOD, icon=":material/database:")
        st.stop()
    try:
        report_scope = narrow_scope(user.ambito, region, ooad)
    except InvalidArgumentError as exc:
        st.warning(plain(exc))
        st.stop()
    st.session_state.pop("_reporte_pdf", None)
    with st.spinner("Generando reporte…"):
        st.session_state["_reporte_html"] = build_report_html(periodo, report_scope, direccion=direccion)
    audit_export(
        user, "reporte_ejecutivo", {"Periodo": periodo, "Ámbito": report_scope}, len(CATALOG), "html"
    )
if st.session_state.get("_reporte_html"):
    st.download_button(
        "Descargar reporte (HTML)",
        data=st.session_state["_reporte_html"],
        file_name=f"reporte_ejecutivo_{periodo}.html",
        mime="text/html",
        type="primary",
        icon=":material/download:",
    )
    if st.button("Preparar PDF", icon=":material/picture_as_pdf:"):
        with st.spinner("Imprimiendo el PDF con Chromium…"), tempfile.TemporaryDirectory() as tmp:
            try:
                pdf = html_to_pdf(st.session_state["_reporte_html"], Path(tmp) / "reporte.pdf")
                st.session_state["_reporte_pdf"] = pdf.read_bytes()
            except PdfError as exc:
                st.error(str(exc))
    if st.session_state.get("_reporte_pdf"):
        st.download_button(
            "Descargar reporte (PDF)",
            data=st.session_state["_reporte_pdf"],
            file_name=f"reporte_ejecutivo_{periodo}.pdf",
            mime="application/pdf",
            icon=":material/download:",
        )
