"""Contracts equal the warehouse tables; templates and the dictionary come from them."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from loaders import CONTRACTS, data_dictionary, load_file, template
from warehouse import query_rows, transaction


@pytest.mark.parametrize("name", [n for n, c in CONTRACTS.items() if c.is_table])
def test_contract_columns_equal_table_columns(db: Path, name: str) -> None:
    c = CONTRACTS[name]
    rows = query_rows(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
        " WHERE table_name = ? AND column_name <> 'carga_id' ORDER BY ordinal_position",
        [c.table],
        path=db,
    )
    assert [r[0] for r in rows] == c.names
    assert [r[1] for r in rows] == [col.type for col in c.columns]
    for (column, _type, nullable), col in zip(rows, c.columns, strict=True):
        if nullable == "NO":
            assert col.required, f"{name}.{column} is NOT NULL in the table but optional in the contract"


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_template_is_a_valid_file_of_its_dataset(db: Path, tmp_path: Path, name: str) -> None:
    text = template(name)
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    assert list(frame.columns) == CONTRACTS[name].names and len(frame) == 1
    path = tmp_path / f"plantilla_{name}.csv"
    path.write_text(text, encoding="utf-8")
    if "cve_reunion" in frame.columns:  # meetings are not a CSV catalog: the example one must exist
        with transaction(db) as cur:
            cur.execute(
                "INSERT INTO reuniones (cve_reunion, nombre, ronda, region, sede, fecha_inicio, fecha_fin) VALUES (?, 'Reunión de ejemplo', 8, 'Centro', NULL, DATE '2023-04-27',"
                " DATE '2023-04-28')",
                [frame["cve_reunion"].iloc[0]],
            )
    if CONTRACTS[name].whole:  # a catalog's template is a valid catalog of its own, loaded into an empty one
        with transaction(db) as cur:
            dependents = ("indicadores_estrategia", "proyectos_estrategicos") if name == "objetivos" else ()
            for table in (*dependents, CONTRACTS[name].table):
                cur.execute(f"DELETE FROM {table}")
    result = load_file(path, db=db, dry_run=True, accept_warnings=True)
    assert result.dataset == name
    assert result.status == "validada", [f.message for f in result.report.findings]


def test_data_dictionary_has_every_column_in_spanish() -> None:
    frame = data_dictionary()
    # every column, plus the cve_entidad alternative of each dataset that also comes by state
    keyed_grains = sum(1 for c in CONTRACTS.values() for g in c.grains if g.key)
    assert len(frame) == sum(len(c.columns) for c in CONTRACTS.values()) + keyed_grains
    state = frame[(frame.conjunto == "afiliacion") & (frame.columna == "cve_entidad")].iloc[0]
    assert state.obligatoria == "en lugar de cve_ooad" and "catálogo entidades" in state.reglas
    row = frame[(frame.conjunto == "consultas") & (frame.columna == "cve_ooad")].iloc[0]
    assert row.obligatoria == "sí" and row.llave == "sí"
    assert "catálogo ooad" in row.reglas
    assert data_dictionary("acuerdos").query("columna == 'avance'").reglas.iloc[0] == "entre 0 y 100"


def test_registration_contract_columns_are_new_agreement_fields() -> None:
    from dataclasses import fields

    from agreements.register import NewAgreement

    c = CONTRACTS["acuerdos_registro"]
    assert not c.is_table and c.table == "acuerdos"
    assert set(c.names) <= {f.name for f in fields(NewAgreement)}
    assert not {"folio", "estado", "avance", "version"} & set(c.names)
