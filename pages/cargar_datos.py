"""Cargar datos: upload a file, see what was detected and found, confirm; history with undo; templates."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

import loaders
from exports.datasets import export
from ui import counts
from ui.auth import require_screen
from ui.safe import plain
from ui.session import current_user
from ui.upload_door import UPLOAD_MAX_MB

PREVALIDATE_MAX_BYTES = 50_000_000  # larger files are validated when loading (one read, not two)
AUTO = "Detectar por las columnas"
MODE_LABELS = {"agregar": "Agregar periodos nuevos", "reemplazar": "Reemplazar los periodos del archivo"}
CATALOG_MODE_LABELS = {"agregar": "Agregar claves nuevas", "reemplazar": "Reemplazar el catálogo completo"}


def _user() -> str:
    user = current_user()
    return getattr(user, "usuario", None) or st.session_state.get("usuario", "planeacion")


def _save_upload(upload: UploadedFile) -> Path:
    """Write the upload to disk once per file (readers work on files, never on memory).

    The copy lives in the server's private scratch folder (0700); the previous upload of this
    session is removed when another one arrives, and each copy once its load ends.
    """
    key = hashlib.sha1(f"{upload.file_id}-{upload.name}".encode()).hexdigest()[:16]
    target = loaders.private_dir() / f"{key}{Path(upload.name).suffix.lower()}"
    previous = st.session_state.get("_carga_copia")
    if previous and previous != str(target):
        loaders.discard(previous)
    st.session_state["_carga_copia"] = str(target)
    if not target.exists() or target.stat().st_size != upload.size:
        upload.seek(0)
        try:
            with target.open("wb") as fh:
                shutil.copyfileobj(upload, fh, 16 * 1024 * 1024)
        except OSError:
            loaders.discard(target)  # a full disk leaves no partial copy behind
            raise
    return target


def _refused_upload(upload: UploadedFile, path: Path | None, exc: BaseException) -> None:
    """A file refused before validation: Spanish message, one audit row per upload, copy removed."""
    if isinstance(exc, (loaders.UnreadableFile, loaders.UnreadableFileError)):
        message = str(exc)
    else:
        message = loaders.unreadable_message(upload.name, exc)
    st.error(plain(message), icon=":material/block:")
    _audit_refusal_once(upload, message)
    loaders.discard(path)


def _audit_refusal_once(upload: UploadedFile, message: str) -> None:
    """One audit row per refused upload, however often the page reruns with it."""
    key = f"{upload.file_id}:{st.session_state.get('carga_dataset')}:{st.session_state.get('carga_modo')}"
    if st.session_state.get("_carga_rechazo_auditado") != key:
        loaders.refuse_upload(_user(), upload.name, message)
        st.session_state["_carga_rechazo_auditado"] = key


def _show_findings(result: loaders.LoadResult) -> None:
    if result.report.total:
        st.caption(
            counts.findings(result.report.total)
            + (
                f"; se muestran los primeros {len(result.report.findings):,}."
                if result.report.total > len(result.report.findings)
                else "."
            )
        )
        st.dataframe(
            result.report.frame()[["fila", "columna", "valor", "problema"]], hide_index=True, width="stretch"
        )


def _show_result(result: loaders.LoadResult) -> None:
    if result.loaded:
        st.success(plain(result.message), icon=":material/check_circle:")
    elif result.status == "validada":
        st.info(plain(result.message), icon=":material/fact_check:")
    elif result.status == "duplicada":
        st.warning(plain(result.message), icon=":material/content_copy:")
    else:
        st.error(plain(result.message) or "El archivo no se cargó.", icon=":material/block:")
    for warning in result.warnings:
        st.warning(plain(warning), icon=":material/warning:")
    _show_findings(result)
    if result.changes:
        st.markdown("**Cambios por medida**\n\n" + "\n".join(f"- {plain(line)}" for line in result.changes))
    if result.cautions.total:
        if result.loaded:
            st.info(f"Advertencias aceptadas ({result.cautions.total:,}); quedan en la bitácora.")
        else:
            st.warning(
                f"**Advertencias de plausibilidad ({result.cautions.total:,})**: el archivo es válido, pero"
                " revise estas filas antes de cargarlo.",
                icon=":material/report:",
            )
        frame = result.cautions.frame()[["fila", "columna", "valor", "problema"]]
        st.dataframe(frame.astype({"fila": "Int64"}), hide_index=True, width="stretch")


def _period_input(dataset: str | None, info: loaders.FileInfo) -> datetime | None:
    if dataset != "asg" or info.name_period:
        return None
    text = st.text_input(
        "Periodo del archivo (AAAA-MM)", key="carga_periodo", help="El nombre no trae el mes."
    )
    try:
        return datetime.strptime(text.strip(), "%Y-%m") if text.strip() else None
    except ValueError:
        st.error("Escriba el periodo como AAAA-MM, por ejemplo 2025-01.")
        return None


def _catalog_help(name: str) -> None:
    """A catalog is edited whole: download the current one, change it, upload it back."""
    st.caption(
        f"{loaders.contract(name).description} Descargue el catálogo actual, edítelo y súbalo completo;"
        " la carga queda en el historial y puede deshacerse."
    )

    def current() -> bytes:
        target = loaders.private_dir() / f"{name}_actual.csv"
        try:
            export(name, fmt="csv", out=target, user=_user())  # audited like every export
            return target.read_bytes()
        finally:
            loaders.discard(target)

    st.download_button(
        f"Descargar el catálogo actual ({name}.csv)",
        data=current,
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"catalogo_actual_{name}",
        icon=":material/download:",
    )


def upload_tab() -> None:
    names = [AUTO, *loaders.DATASET_TITLES]
    choice = st.selectbox(
        "Conjunto de datos",
        names,
        format_func=lambda n: n if n == AUTO else f"{loaders.DATASET_TITLES[n]} ({n})",
        key="carga_dataset",
    )
    only_add = (
        choice != AUTO and not loaders.contract(choice).is_table
    )  # each row is new: no periods to replace
    whole = choice != AUTO and loaders.contract(choice).whole
    modes = ["agregar"] if only_add else list(MODE_LABELS)
    labels = CATALOG_MODE_LABELS if whole else MODE_LABELS
    mode = st.radio(
        "Modo",
        modes,
        index=1 if whole else 0,
        format_func=labels.__getitem__,
        horizontal=True,
        key="carga_modo",
    )
    if whole:
        _catalog_help(choice)
    upload = st.file_uploader(
        f"Archivo (CSV, Parquet o Excel .xlsx; máx. {UPLOAD_MAX_MB} MB)",
        type=["csv", "txt", "parquet", "xlsx"],
        key="carga_archivo",
        max_upload_size=UPLOAD_MAX_MB,
    )
    if upload is None:
        st.info("Suelte un archivo para ver qué contiene antes de cargarlo.", icon=":material/upload_file:")
        return
    if upload.size > UPLOAD_MAX_MB * 1024 * 1024:  # the server refuses it first; checked here as well
        message = (
            f"«{upload.name}» pesa {upload.size / 1024 / 1024:,.1f} MB; por esta página se cargan archivos de hasta "
            f"{UPLOAD_MAX_MB} MB. Cárguelo con la línea de comandos (python -m loaders load)."
        )
        st.error(plain(message), icon=":material/block:")
        _audit_refusal_once(upload, message)
        return
    progress = st.progress(5, text="Guardando el archivo en disco…")
    path = None
    try:
        path = _save_upload(upload)
        progress.progress(30, text="Analizando codificación, delimitador y columnas…")
        inspection = loaders.inspect(path, name=upload.name)
    except (loaders.UnreadableFile, loaders.UnreadableFileError, *loaders.UNREADABLE, OSError) as exc:
        progress.empty()
        _refused_upload(upload, path, exc)
        return
    dataset = None if choice == AUTO else choice
    dataset = dataset or inspection.dataset
    details = inspection.details()
    if dataset:
        details["conjunto a cargar"] = f"{loaders.DATASET_TITLES.get(dataset, dataset)} ({dataset})"
    st.subheader("Lo que se detectó")
    st.table({"": list(details.keys()), "valor": list(details.values())})
    st.subheader("Vista previa")
    st.dataframe(inspection.rows, hide_index=True, width="stretch")
    period = _period_input(dataset, inspection.info)
    check = None
    if dataset and dataset != "asg" and upload.size <= PREVALIDATE_MAX_BYTES:
        progress.progress(60, text="Validando…")
        check = loaders.load_file(
            path, dataset=dataset, mode=mode, user=_user(), name=upload.name, dry_run=True
        )
        _show_result(check)
        if check.status in ("rechazada", "duplicada"):  # it cannot be confirmed: the refusal is audited now
            _audit_refusal_once(upload, check.message)
    progress.progress(100, text="Listo para cargar." if dataset else "Elija el conjunto de datos.")
    blocked = dataset is None or (check is not None and check.status != "validada")
    blocked = blocked or (dataset == "asg" and inspection.info.name_period is None and period is None)
    last = st.session_state.get("carga_resultado")
    cautions = (check is not None and check.cautions.total) or (
        last is not None and last.file == upload.name and last.cautions.total
    )
    accept = False
    if cautions:
        accept = st.checkbox(
            "Revisé las advertencias y confirmo que los datos son correctos",
            key="carga_aceptar_advertencias",
        )
        blocked = blocked or not accept
    if st.button("Confirmar y cargar", type="primary", disabled=blocked, key="carga_confirmar"):
        with st.spinner("Cargando en una sola transacción…"):
            result = loaders.load_file(
                path,
                dataset=dataset,
                mode=mode,
                user=_user(),
                name=upload.name,
                period=period.date() if period else None,
                accept_warnings=accept,
            )
        st.session_state["carga_resultado"] = result
        loaders.discard(path)  # loaded or refused, the copy is not needed any more
    last = st.session_state.get("carga_resultado")
    if last is not None and last.file == upload.name:
        _show_result(last)


def history_tab() -> None:
    frame = loaders.history()
    if frame.empty:
        st.info("Todavía no hay cargas registradas.")
        return
    shown = frame.assign(estado=loaders.history_state(frame)).drop(columns=["sha256", "revierte_a"])
    shown = shown.rename(columns={"id": "carga", "fecha": "fecha y hora", "dataset": "conjunto"})
    st.dataframe(shown, hide_index=True, width="stretch")
    undoable = frame[(frame["estado"] == "aplicada") & (frame["modo"] != "deshacer")]
    if undoable.empty:
        return
    st.subheader("Deshacer una carga")
    labels = {
        int(
            r.id
        ): f"{r.id} · {r.dataset} · {r.archivo} · {r.periodos} · {r.usuario} · {r.fecha:%Y-%m-%d %H:%M}"
        for r in undoable.itertuples()
    }
    target = st.selectbox(
        "Carga a deshacer",
        list(labels),
        index=None,
        placeholder="Elija la carga…",
        format_func=labels.__getitem__,
        key="carga_deshacer",
    )
    if target is None:
        return
    possible, lines = loaders.undo_preview(target)
    st.markdown("**Al deshacerla:**\n\n" + "\n".join(f"- {plain(line)}" for line in lines))
    sure = st.checkbox(f"Confirmo que quiero deshacer la carga {target}", key=f"carga_deshacer_ok_{target}")
    if st.button("Deshacer carga", key="carga_deshacer_boton", disabled=not (possible and sure)):
        result = loaders.undo(target, _user())
        st.session_state["carga_deshecha"] = result
        st.rerun()


def _undo_notice() -> None:
    """The result of the last undo, shown once after the rerun that refreshed the history."""
    result = st.session_state.pop("carga_deshecha", None)
    if result is not None:
        (st.success if result.loaded else st.error)(plain(result.message))


def templates_tab() -> None:
    st.write("Plantillas en blanco (encabezado y una fila de ejemplo) de cada conjunto de datos:")
    st.caption(
        "CSV en UTF-8 con BOM (Excel muestra bien los acentos) o libro de Excel. Los datos por entidad"
        " federativa llevan cve_entidad (clave INEGI, 01 a 32) en lugar de cve_ooad; los nacionales, ninguna"
        " de las dos. Claves válidas: python -m loaders catalogo ooad|entidad|region|objetivo|indicador|direccion."
    )
    cols = st.columns(3)
    for i, name in enumerate(loaders.CONTRACTS):
        with cols[i % 3]:
            st.download_button(
                f"Plantilla de {name}",
                loaders.template_csv_bom(name),
                file_name=f"plantilla_{name}.csv",
                mime="text/csv",
                key=f"plantilla_{name}",
            )
            st.download_button(
                f"Plantilla de {name} (Excel)",
                loaders.template_xlsx(name),
                file_name=f"plantilla_{name}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"plantilla_xlsx_{name}",
            )
    st.subheader("Diccionario de datos")
    which = st.selectbox("Conjunto", list(loaders.CONTRACTS), key="diccionario_conjunto")
    st.caption(loaders.contract(which).description)
    st.dataframe(loaders.data_dictionary(which), hide_index=True, width="stretch")


require_screen(__file__)
st.title("Cargar datos")
st.caption(
    "Cada archivo se valida completo antes de cargarse; si tiene un error no cambia nada. "
    "Toda carga queda registrada y puede deshacerse."
)
tab_upload, tab_history, tab_blank = st.tabs(
    ["Cargar archivo", "Historial de cargas", "Plantillas y diccionario"]
)
with tab_upload:
    upload_tab()
with tab_history:
    _undo_notice()
    history_tab()
with tab_blank:
    templates_tab()
