"""Provenance: the loads behind a KPI's numbers, and each dataset's origin from what is loaded."""

from __future__ import annotations

from pathlib import Path

from indicators import provenance
from loaders import load_file
from warehouse import query_rows


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_name_the_loads_of_every_grain_read_for_the_period(db: Path, tmp_path: Path) -> None:
    states = _csv(
        tmp_path / "estados.csv", "periodo,cve_entidad,puestos_trabajo\n2024-01,09,10\n2024-02,09,11\n"
    )
    offices = _csv(tmp_path / "oficinas.csv", "periodo,cve_ooad,puestos_trabajo\n2024-02,09,5\n")
    first = load_file(states, user="ana", db=db, accept_warnings=True)
    second = load_file(offices, user="luis", db=db, accept_warnings=True)
    assert first.loaded and second.loaded
    january = provenance.sources(["puestos_trabajo_afiliados"], "2024-01", db)
    assert january[["carga", "archivo", "usuario"]].values.tolist() == [[first.load_id, "estados.csv", "ana"]]
    year = provenance.sources(["puestos_trabajo_afiliados"], "2024", db)
    assert year["archivo"].tolist() == ["estados.csv", "oficinas.csv"]
    text = provenance.sources_text(year)
    assert text.startswith(f"carga {first.load_id}: estados.csv (ana, ") and "oficinas.csv (luis, " in text
    assert provenance.sources(["consultas_medicina_familiar"], "2024-01", db).empty


def test_origin_is_demo_real_or_mixed_by_the_loads_of_each_dataset(db: Path, tmp_path: Path) -> None:
    assert provenance.origins(db) == {}
    load = load_file(
        _csv(tmp_path / "afiliacion.csv", "periodo,cve_ooad,puestos_trabajo\n2024-01,09,1\n"),
        db=db,
        accept_warnings=True,
    )
    assert provenance.origins(db) == {"afiliacion": "real"}
    query_rows("UPDATE cargas SET usuario = 'demo' WHERE id = ?", [load.load_id], db)
    assert provenance.origins(db) == {"afiliacion": "demostración"}
    load_file(_csv(tmp_path / "nacional.csv", "periodo,patrones\n2024-01,7\n"), db=db, accept_warnings=True)
    assert provenance.origins(db) == {"afiliacion": "mezcla"}
