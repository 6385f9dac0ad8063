"""pages/exportar.py on a tiny warehouse: real tables, real scope, real download buttons."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_query import set_filters
from tests.warehouses import embedded_only
from ui.session import User
from warehouse.settings import ROOT

pytestmark = embedded_only

PAGE = ROOT / "pages" / "exportar.py"

ANALYST = User("ana", "Ana Analista", frozenset({"analista"}))
NORTE = User("nora", "Nora Norte", frozenset({"analista"}), ambito="region:Norte")


def _page(user: User, **state) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = user
    set_filters(at, **state)
    return at.run()


def _download_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_dataset_view_shows_rows_and_export_buttons(tiny_db):
    at = _page(ANALYST, f_periodo="2024", f_region=None, f_ooad=None)
    assert not at.exception
    at.selectbox[0].select_index(0).run()  # consultas
    assert at.metric[0].value == "6"  # 3 OOAD × 2 months of 2024
    frame = at.dataframe[0].value
    assert frame["Clave OOAD"].tolist() == ["01", "05", "09", "01", "05", "09"]
    assert frame["Consultas de medicina familiar"].tolist() == [120, 220, 1200, 130, 230, 1300]
    assert _download_labels(at)[:3] == ["Descargar CSV", "Descargar Excel", "Descargar Parquet"]


def test_region_scoped_user_sees_only_its_region(tiny_db):
    at = _page(NORTE, f_periodo="2024-02", f_region=None, f_ooad=None)
    assert not at.exception
    assert at.metric[0].value == "2"
    assert at.dataframe[0].value["Clave OOAD"].tolist() == ["01", "05"]


def test_kpi_view_by_ooad_is_the_engine_breakdown(tiny_db):
    at = _page(ANALYST, f_periodo="2024", f_region="Norte", f_ooad=None)
    at.radio[0].set_value("Vista de indicador").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame["Clave"].tolist() == ["01", "05"]
    assert frame["Valor"].tolist() == [250.0, 450.0]
    assert "Descargar Excel" in _download_labels(at)


@pytest.mark.parametrize("periodo", ["2024-02"])
def test_report_button_offers_the_html(tiny_db, periodo):
    at = _page(ANALYST, f_periodo=periodo, f_region=None, f_ooad=None)
    report = next(b for b in at.button if b.label == "Generar reporte ejecutivo")
    report.click().run()
    assert not at.exception
    assert "Descargar reporte (HTML)" in _download_labels(at)
    html = at.session_state["_reporte_html"]
    assert "Resumen" in html and "Oportunidad quirúrgica" in html


def test_signed_out_visitor_is_stopped(tiny_db):
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert at.warning[0].value.startswith("Inicie sesión")
    assert not at.dataframe


def test_agreements_board_export_is_scoped(tiny_db):
    at = _page(NORTE, f_periodo="2024", f_region=None, f_ooad=None)
    at.radio[0].set_value("Tablero de acuerdos").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert sorted(frame["Folio"].tolist()) == ["A", "B", "E"]  # Norte only
    assert "Descargar CSV" in _download_labels(at)


def test_large_detail_streams_to_a_file_with_progress(tiny_db):
    import pandas as pd

    import warehouse
    from warehouse.connection import connect

    connect(tiny_db).execute(
        "INSERT INTO asegurados_detalle (periodo, cve_delegacion, sexo, asegurados) "
        "SELECT DATE '2024-02-01', CASE WHEN i % 2 = 0 THEN '1' ELSE '9' END, '1', i FROM range(300000) t(i)"
    )
    warehouse.close_all()
    at = _page(NORTE, f_periodo="2024-02", f_region=None, f_ooad=None)
    names = [o for o in at.selectbox[0].options]
    at.selectbox[0].select_index(names.index("Asegurados IMSS (detalle mensual)")).run()
    assert not at.exception
    assert at.metric[0].value == "150,000"  # Norte: only delegación 1 (OOAD 01)
    assert len(at.dataframe[0].value) == 1_000  # a sample on screen
    next(b for b in at.button if b.label == "Preparar archivo").click().run()
    assert not at.exception
    assert any(label.startswith("Descargar PARQUET") for label in _download_labels(at))
    exported = pd.read_parquet(at.session_state["_export_file"])
    assert len(exported) == 150_000
    assert set(exported["Delegación IMSS"]) == {"1"}
    assert exported["Asegurados"].sum() == sum(range(0, 300000, 2))


def test_role_without_access_is_stopped(tiny_db):
    at = _page(User("p", "Planeación", frozenset({"planeacion"})), f_periodo="2024")
    assert at.error[0].value.startswith("No tiene acceso")
    assert not at.dataframe
