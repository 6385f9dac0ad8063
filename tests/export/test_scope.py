"""The user's scope (region, OOAD, directorate) is part of every export's SQL."""

from __future__ import annotations

import pandas as pd
import pytest

from exports.selection import ExportFilters, count_rows, fetch, narrow_scope, select_sql
from indicators.periods import InvalidArgumentError


def test_region_scoped_user_gets_only_its_rows(tiny_db):
    sql, params = select_sql("consultas", ExportFilters(periodo="2024"), "region:Centro", db=tiny_db)
    frame = fetch(sql, params, tiny_db)
    assert frame["Clave OOAD"].tolist() == ["09", "09"]
    # a filter for an OOAD of another region cannot widen the scope: no rows
    sql, params = select_sql(
        "consultas", ExportFilters(periodo="2024", ooad="01"), "region:Centro", db=tiny_db
    )
    assert count_rows(sql, params, tiny_db) == 0


def test_ooad_scope_and_column_filter(tiny_db):
    sql, params = select_sql(
        "incapacidades",
        ExportFilters(periodo="2024", columnas={"cve_ooad": ("05", "09")}),
        "ooad:05",
        db=tiny_db,
    )
    frame = fetch(sql, params, tiny_db)
    assert frame["Clave OOAD"].tolist() == ["05", "05"]
    assert frame["Días de incapacidad (EG)"].tolist() == [10, 30]


def test_agreements_restricted_to_directorate_and_region(tiny_db):
    sql, params = select_sql(
        "acuerdos", ExportFilters(periodo="2024"), "nacional", direccion="DPM", db=tiny_db
    )
    assert fetch(sql, params, tiny_db)["Folio"].tolist() == ["A", "C", "D"]  # D: DPM co-responsible
    sql, params = select_sql("acuerdos", ExportFilters(periodo="2024"), "region:Norte", db=tiny_db)
    assert fetch(sql, params, tiny_db)["Folio"].tolist() == ["A", "B", "E"]


def test_national_dataset_refuses_a_geographic_scope(tiny_db):
    with pytest.raises(InvalidArgumentError, match="solo tiene datos nacionales"):
        select_sql("finanzas", ExportFilters(), "region:Norte", db=tiny_db)


def test_narrow_scope_keeps_filters_inside_the_user_scope(tiny_db):
    assert narrow_scope("nacional", "Norte", None, tiny_db) == "region:Norte"
    assert narrow_scope("region:Norte", None, "5", tiny_db) == "ooad:05"
    assert narrow_scope("region:Norte", None, None, tiny_db) == "region:Norte"
    with pytest.raises(InvalidArgumentError):
        narrow_scope("region:Norte", None, "09", tiny_db)
    with pytest.raises(InvalidArgumentError):
        narrow_scope("ooad:01", "Centro", None, tiny_db)


def _detail_rows(db) -> None:
    from warehouse.connection import connect

    con = connect(db)
    for deleg, asegurados in (("1", 10), ("5", 20), ("9", 40), ("39", 80)):
        con.execute(
            "INSERT INTO asegurados_detalle (periodo, cve_delegacion, sexo, asegurados) "
            "VALUES ('2024-02-01', ?, '1', ?)",
            [deleg, asegurados],
        )
    # delegación 39 belongs to OOAD 09 by the IMSS catalog (not by ooad.cve_delegacion_imss)
    con.execute("INSERT INTO delegaciones_imss VALUES ('39', 'CDMX Norte', '09', NULL)")


def test_imss_detail_scope_goes_through_the_delegacion(tiny_db):
    _detail_rows(tiny_db)
    sql, params = select_sql(
        "asegurados_detalle", ExportFilters(periodo="2024-02"), "region:Norte", db=tiny_db
    )
    frame = fetch(sql, params, tiny_db)
    assert sorted(frame["Asegurados"].tolist()) == [10, 20]
    sql, params = select_sql(
        "asegurados_detalle", ExportFilters(periodo="2024-02", ooad="09"), "nacional", db=tiny_db
    )
    assert sorted(fetch(sql, params, tiny_db)["Asegurados"].tolist()) == [40, 80]
    sql, params = select_sql("asegurados_detalle", ExportFilters(periodo="2024"), "nacional", db=tiny_db)
    assert count_rows(sql, params, tiny_db) == 4


EXPORT_ROLES = ("analista", "direccion_general", "ejecutivo", "administrador")


@pytest.mark.parametrize("rol", EXPORT_ROLES)
@pytest.mark.parametrize(("ambito", "claves"), [("region:Norte", ["01", "05"]), ("ooad:09", ["09"])])
def test_the_export_page_stays_inside_each_roles_scope_whatever_the_link(tiny_db, rol, ambito, claves):
    """a link to an OOAD of another region cannot widen a scoped user's export."""
    from streamlit.testing.v1 import AppTest

    from tests.page_query import set_filters
    from ui.session import User
    from warehouse.settings import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "exportar.py"), default_timeout=60)
    at.session_state["user"] = User("u", "U", frozenset({rol}), ambito=ambito)
    outside = "09" if ambito == "region:Norte" else "05"
    set_filters(at, f_periodo="2024-02", f_ooad=outside)
    at.run()
    assert not at.exception
    assert any("fuera de su ámbito" in w.value for w in at.warning)
    assert at.dataframe[0].value["Clave OOAD"].tolist() == claves


@pytest.mark.parametrize("rol", EXPORT_ROLES)
def test_the_export_cli_cuts_to_the_accounts_scope(tiny_db, tmp_path, capsys, rol):
    from access import users
    from loaders.cli import main

    users.add_user("norte", "Norte", None, [rol], ambito="region:Norte", path=tiny_db)
    users.add_user("cdmx", "CDMX", None, [rol], ambito="ooad:09", path=tiny_db)
    for usuario, claves in (("norte", {"01", "05"}), ("cdmx", {"09"}), (None, {"01", "05", "09"})):
        out = tmp_path / f"{usuario}.csv"
        args = ["export", "consultas", "--desde", "2024-01", "--salida", str(out)]
        assert main(args + (["--usuario", usuario] if usuario else [])) == 0
        assert set(pd.read_csv(out, dtype=str)["cve_ooad"]) == claves
    assert main(["export", "finanzas", "--salida", str(tmp_path / "f.csv"), "--usuario", "cdmx"]) == 2
    assert "solo tiene datos nacionales" in capsys.readouterr().err
