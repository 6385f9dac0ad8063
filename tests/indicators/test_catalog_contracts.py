"""Every KPI reads real columns of a real dataset contract: the contract is the one source."""

from __future__ import annotations

import re

import pytest

from indicators import queries
from indicators.catalog import CATALOG
from loaders.contracts import CONTRACTS

TABLES = {c.table: c for c in CONTRACTS.values() if c.is_table}


def _identifiers(sql: str | None) -> set[str]:
    without_strings = re.sub(r"'[^']*'", "", sql or "")
    return set(re.findall(r"\b[a-z_][a-z0-9_]*\b", without_strings))


@pytest.mark.parametrize("kpi", [k for k in CATALOG if k.fuente != "acuerdos"], ids=lambda k: k.id)
def test_a_data_kpi_names_columns_of_its_contract(kpi) -> None:
    contract = TABLES[kpi.fuente]
    used = _identifiers(kpi.numerador) | _identifiers(kpi.denominador) | _identifiers(kpi.filtro)
    assert used and used <= set(contract.names)


@pytest.mark.parametrize("kpi", [k for k in CATALOG if k.fuente == "acuerdos"], ids=lambda k: k.id)
def test_an_agreement_kpi_names_a_measure_of_the_agreements_query(kpi) -> None:
    assert "acuerdos" in TABLES
    assert kpi.numerador in queries._AGREEMENT_MEASURES


def test_the_check_catches_a_misspelt_column() -> None:
    assert not _identifiers("puestos_trabajos") <= set(TABLES["afiliacion"].names)
    assert _identifiers("satisfechos") <= set(TABLES["satisfaccion"].names)
