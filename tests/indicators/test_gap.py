"""Gap decomposition: contributions add up exactly to the national gap (sum and ratio KPIs)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators import engine, gap
from indicators.catalog import get

JOBS = get("patrones_registrados")  # an additive stock, higher is better
BEDS = get("ocupacion_hospitalaria")  # a ratio of sums
SICK = get("dias_incapacidad_eg")  # an additive flow, lower is better


def test_sum_kpi_contributions_are_each_units_own_gap() -> None:
    units = pd.DataFrame(
        {
            "clave": ["01", "02", "03", "04"],
            "nombre": ["A", "B", "C", "D"],
            "valor": [100.0, 80.0, 50.0, 30.0],
            "meta": [90.0, 100.0, 70.0, 30.0],
        }
    )
    # national 260 against 290: gap −30 = +10 − 20 − 20 + 0
    frame = gap.ordered(JOBS, gap.decompose_sum(units, 260.0, 290.0))
    assert list(frame["clave"]) == ["02", "03", "04", "01"]  # most harmful first
    assert list(frame["contribucion"]) == [-20.0, -20.0, 0.0, 10.0]
    assert frame["contribucion"].sum() == -30.0
    assert gap.sentence(JOBS, frame, -30.0) == (
        "2 OOAD explican el 133 % de la brecha: B (67 %), C (67 %)."
        " En sentido contrario, 1 OOAD la compensa en 33 %: su resultado es mejor que su meta."
    )


def test_sum_kpi_national_meta_not_the_sum_of_units_leaves_an_exact_unassigned_row() -> None:
    units = pd.DataFrame(
        {"clave": ["01", "02"], "nombre": ["A", "B"], "valor": [10.0, 20.0], "meta": [12.0, None]}
    )
    frame = gap.decompose_sum(units, 30.0, 35.0)
    assert frame.set_index("clave")["contribucion"].to_dict() == {"01": -2.0, "02": 0.0, gap.UNASSIGNED: -3.0}
    assert frame["contribucion"].sum() == -5.0


def test_ratio_kpi_rate_and_mix_effects_add_up_to_the_national_gap() -> None:
    # two units: A 30/40 beds (75 %, target 80 %), B 54/60 (90 %, target 85 %); national 84/100 = 84 %
    units = pd.DataFrame(
        {
            "clave": ["A", "B"],
            "nombre": ["A", "B"],
            "valor": [75.0, 90.0],
            "meta": [80.0, 85.0],
            "peso": [40.0, 60.0],
        }
    )
    frame = gap.decompose_ratio(units, 84.0, 85.0).set_index("clave")
    # rate: 0.4 × (75 − 80) = −2, 0.6 × (90 − 85) = +3; mix: 0.4 × (80 − 85) = −2, 0.6 × (85 − 85) = 0
    assert frame["efecto_tasa"].to_dict() == pytest.approx({"A": -2.0, "B": 3.0})
    assert frame["efecto_mezcla"].to_dict() == pytest.approx({"A": -2.0, "B": 0.0})
    assert frame["contribucion"].to_dict() == pytest.approx({"A": -4.0, "B": 3.0})
    assert frame["contribucion"].sum() == pytest.approx(84.0 - 85.0, abs=1e-12)
    assert gap.UNASSIGNED not in frame.index
    assert gap.sentence(BEDS, frame.reset_index(), -1.0) == (
        "1 OOAD explica el 400 % de la brecha: A (400 %)."
        " En sentido contrario, 1 OOAD la compensa en 300 %: su resultado es mejor que su meta."
    )


def test_descending_kpi_gap_is_above_the_meta() -> None:
    units = pd.DataFrame(
        {"clave": ["N", "S"], "nombre": ["Norte", "Sureste"], "valor": [70.0, 40.0], "meta": [50.0, 45.0]}
    )
    frame = gap.ordered(SICK, gap.decompose_sum(units, 110.0, 95.0))
    assert list(frame["nombre"]) == ["Norte", "Sureste"]
    assert gap.sentence(SICK, frame, 15.0, "region") == (
        "1 región explica el 133 % de la brecha: Norte (133 %)."
        " En sentido contrario, 1 región la compensa en 33 %: su resultado es mejor que su meta."
    )
    assert gap.sentence(JOBS, frame, 15.0) == "El indicador no tiene brecha desfavorable frente a su meta."


def test_a_share_over_100_percent_says_who_offsets_it() -> None:
    # gap −100 = −111 (A, under its meta) + 11 (B, over it): A explains 111 %, B closes 11 %
    units = pd.DataFrame(
        {"clave": ["A", "B"], "nombre": ["UMF 1", "UMF 2"], "valor": [89.0, 111.0], "meta": [200.0, 100.0]}
    )
    frame = gap.ordered(JOBS, gap.decompose_sum(units, 200.0, 300.0))
    assert gap.sentence(JOBS, frame, -100.0, "unidad") == (
        "1 unidad médica explica el 111 % de la brecha: UMF 1 (111 %)."
        " En sentido contrario, 1 unidad médica la compensa en 11 %: su resultado es mejor que su meta."
    )
    units = units.assign(valor=[89.0, 100.0])  # nobody offsets: the one sentence alone, 100 %
    frame = gap.ordered(JOBS, gap.decompose_sum(units, 189.0, 300.0))
    assert gap.sentence(JOBS, frame, -111.0, "unidad") == (
        "1 unidad médica explica el 100 % de la brecha: UMF 1 (100 %)."
    )


@pytest.mark.parametrize(
    "kpi_id",
    [
        "patrones_registrados",
        "dias_incapacidad_eg",
        "ocupacion_hospitalaria",
        "salario_base_cotizacion_promedio",
    ],
)
@pytest.mark.parametrize("nivel", ["ooad", "region"])
def test_demo_warehouse_contributions_reconcile_with_the_national_gap(
    demo_db: Path, kpi_id: str, nivel: str
) -> None:
    value, meta, frame = gap.decompose(kpi_id, "2019-12", nivel, "nacional", demo_db)
    national = engine.value(kpi_id, "2019-12", "nacional", demo_db)
    assert (value, meta) == (national.valor, national.meta)
    assert frame["contribucion"].sum() == pytest.approx(value - meta, rel=1e-9, abs=1e-9)
    units = engine.breakdown(kpi_id, "2019-12", nivel, "nacional", demo_db)
    assert len(frame[frame["clave"] != gap.UNASSIGNED]) == len(units) == (35 if nivel == "ooad" else 4)
    if get(kpi_id).agregacion != "razon":  # additive: national meta is the sum of the units' metas
        assert gap.UNASSIGNED not in set(frame["clave"])
        own = (units["valor"] - units["meta"]).set_axis(units["clave"])
        assert frame.set_index("clave")["contribucion"].to_dict() == pytest.approx(own.to_dict())
