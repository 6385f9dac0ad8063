"""Year-end projection: a known seasonal pattern lands in its interval; meta, probability, pace."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators import engine, forecast
from indicators.catalog import get
from indicators.definitions import DOWN
from warehouse import query_rows, transaction

pytestmark = pytest.mark.calendario  # reads the demo's dates: `make test` runs it on other days too

FLOW_KPI = get("consultas_medicina_familiar")
STOCK_KPI = get("puestos_trabajo_afiliados")
SEASON = np.array([0.99, 0.97, 1.04, 1.02, 1.04, 1.03, 0.95, 1.05, 1.02, 1.06, 1.03, 0.80])


def seasonal_series(years: int = 6, noise: float = 0.004, seed: int = 7) -> pd.Series:
    """Monthly values: 1,000 growing 0.3 % a month, times a fixed seasonal profile, small noise."""
    months = pd.date_range("2019-01-01", periods=12 * years, freq="MS")
    rng = np.random.default_rng(seed)
    trend = 1000 * 1.003 ** np.arange(len(months))
    values = trend * SEASON[months.month - 1] * (1 + noise * rng.standard_normal(len(months)))
    return pd.Series(values, index=months)


def test_synthetic_seasonal_year_end_lands_within_its_interval() -> None:
    y = seasonal_series()
    last_year = y.index[-1].year
    for cut in (3, 6, 9):  # projections made in March, June and September of the last year
        upto = y[y.index <= pd.Timestamp(last_year, cut, 1)]
        truth = float(y[y.index.year == last_year].sum())
        f = forecast.project_year_end(FLOW_KPI, upto, meta=truth)
        assert f is not None and f.meses_restantes == 12 - cut
        assert f.inferior <= truth <= f.superior, (cut, f.inferior, truth, f.superior)
        assert abs(f.proyeccion - truth) / truth < 0.01
        # the seasonal dip of December is in the monthly projection, not a flat line
        november, december = f.mensual["pronostico"].iloc[-2:]
        assert december < 0.85 * november


def test_monthly_interval_holds_the_held_out_months() -> None:
    y = seasonal_series()
    upto = y[y.index <= pd.Timestamp(y.index[-1].year, 4, 1)]
    f = forecast.project_year_end(STOCK_KPI, upto, meta=None)
    actual = y[y.index > upto.index[-1]].to_numpy()
    inside = (f.mensual["inferior"].to_numpy() <= actual) & (actual <= f.mensual["superior"].to_numpy())
    assert inside.sum() >= 7  # 8 months, 90 % intervals


def test_probability_and_pace_needed_for_a_flow() -> None:
    y = seasonal_series()
    upto = y[y.index <= pd.Timestamp(y.index[-1].year, 6, 1)]
    observed = float(upto[upto.index.year == upto.index[-1].year].sum())
    easy = forecast.project_year_end(FLOW_KPI, upto, meta=observed * 1.5)
    hard = forecast.project_year_end(FLOW_KPI, upto, meta=observed * 3)
    assert easy.observado == pytest.approx(observed)
    assert easy.probabilidad > 0.99 and hard.probabilidad < 0.01
    assert easy.ritmo_necesario == pytest.approx(observed * 0.5 / 6)  # (meta − observed) / months left
    assert hard.ritmo_necesario == pytest.approx(observed * 2 / 6)
    assert easy.share(easy.proyeccion) == pytest.approx(easy.proyeccion / (observed * 1.5))
    # lower is better: the same meta is now almost surely met when it is the easy one to stay under
    down = replace(FLOW_KPI, sentido=DOWN)
    assert forecast.project_year_end(down, upto, meta=observed * 3).probabilidad > 0.99


def test_stock_takes_december_level_and_monthly_change_needed() -> None:
    y = seasonal_series()
    upto = y[y.index <= pd.Timestamp(y.index[-1].year, 8, 1)]
    last = float(upto.iloc[-1])
    f = forecast.project_year_end(STOCK_KPI, upto, meta=last + 400)
    assert f.observado == last
    assert f.ritmo_necesario == pytest.approx(100.0)  # 400 more in the 4 months left
    assert f.proyeccion == pytest.approx(float(np.median(forecast.simulate(upto, 4)[-1])))


def test_no_projection_for_ratios_complete_years_or_short_history() -> None:
    y = seasonal_series()
    assert forecast.project_year_end(get("ocupacion_hospitalaria"), y, 90.0) is None
    assert forecast.project_year_end(FLOW_KPI, y, 1.0) is None  # history ends in December
    assert not forecast.projectable(get("cumplimiento_acuerdos"))  # a percentage


def test_year_meta_and_projection_from_the_demo_warehouse(demo_db: Path) -> None:
    # the published 2019 meta of the Ley de Ingresos: $343,865 MDP, the sum of twelve months
    assert forecast.year_meta(get("ingresos_obrero_patronales"), 2019, db=demo_db) == pytest.approx(343_865)
    december = query_rows(
        "SELECT valor FROM metas WHERE kpi = 'puestos_trabajo_afiliados' AND ambito = 'nacional' "
        "AND periodo = DATE '2019-12-01'",
        path=demo_db,
    )[0][0]
    assert forecast.year_meta(STOCK_KPI, 2019, db=demo_db) == december
    f = forecast.year_end("consultas_medicina_familiar", "2019-06", "nacional", demo_db)
    first_half = query_rows(
        "SELECT sum(consultas_medicina_familiar) FROM consultas "
        "WHERE periodo BETWEEN DATE '2019-01-01' AND DATE '2019-06-01'",
        path=demo_db,
    )[0][0]
    assert (f.anio, f.hasta, f.meses_restantes) == (2019, date(2019, 6, 1), 6)
    assert f.observado == first_half
    assert f.meta == forecast.year_meta(FLOW_KPI, 2019, db=demo_db)
    assert forecast.year_end("ocupacion_hospitalaria", "2019-06", "nacional", demo_db) is None


def flat(values: list[float], start: str = "2024-01-01") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


def test_a_level_shift_leaves_too_few_months_and_the_projection_is_not_trusted() -> None:
    # 24 months at 100, then 6 at 300 (January to June 2026): the medians of the six months
    # before and from January 2026 are 100 and 300, a +200 % shift; 6 months since it, 12 needed
    y = flat([100.0] * 24 + [300.0] * 6)
    assert forecast.level_shift(y) == (pd.Timestamp("2026-01-01"), pytest.approx(2.0))
    f = forecast.project_year_end(STOCK_KPI, y, meta=310.0)
    assert isinstance(f, forecast.Unreliable)
    assert (f.anio, f.hasta, f.meta) == (2026, date(2026, 6, 1), 310.0)
    assert f.motivo == (
        "la serie cambió de nivel en enero 2026 (+200 %): desde entonces hay 6 meses de datos y se necesitan 12"
    )


def test_after_an_old_level_shift_the_model_sees_the_months_since() -> None:
    # a drop to half 30 months before the end: the projection is made from those 30 months only
    y = seasonal_series(years=5)
    y.iloc[:30] *= 2
    assert forecast.level_shift(y) == (y.index[30], pytest.approx(-0.5, abs=0.05))
    upto = y.iloc[:-6]  # to June of the last year
    f = forecast.project_year_end(STOCK_KPI, upto, meta=float(y.iloc[-1]))
    assert isinstance(f, forecast.YearEnd)
    since = upto.iloc[30:]
    assert f.proyeccion == pytest.approx(float(np.median(forecast.simulate(since, 6)[-1])))
    assert forecast.level_shift(seasonal_series()) is None  # a seasonal dip of 20 % is not a shift


def test_too_few_months_is_said_not_projected() -> None:
    f = forecast.project_year_end(FLOW_KPI, flat([10.0, 11, 12, 11, 12, 13, 12, 13], "2026-01-01"), 150.0)
    assert isinstance(f, forecast.Unreliable)
    assert f.motivo == "hay 8 meses de datos (desde enero 2026) y se necesitan 12"


def test_an_interval_outside_half_to_twice_the_meta_is_not_trusted() -> None:
    y = seasonal_series()
    upto = y[y.index <= pd.Timestamp(y.index[-1].year, 6, 1)]
    truth = float(y[y.index.year == y.index[-1].year].sum())
    f = forecast.project_year_end(FLOW_KPI, upto, meta=truth / 3)  # a meta a third of the series
    assert isinstance(f, forecast.Unreliable)
    assert f.motivo.startswith("su intervalo (29") and "sale del rango creíble de 50–200 %" in f.motivo
    assert isinstance(forecast.project_year_end(FLOW_KPI, upto, meta=truth / 1.9), forecast.YearEnd)
    assert forecast.guard(upto, 100.0, (49.0, 120.0)) is not None  # below half the meta
    assert forecast.guard(upto, 100.0, (50.0, 200.0)) is None  # the edges are credible


def test_annual_meta_rule_per_kind_of_kpi(demo_db: Path) -> None:
    def metas(kpi: str, ambito: str, where: str) -> list[float]:
        return [
            r[0]
            for r in query_rows(
                f"SELECT valor FROM metas WHERE kpi = ? AND ambito = ? AND {where} ORDER BY periodo",
                [kpi, ambito],
                path=demo_db,
            )
        ]

    # flow: the sum of the twelve monthly metas
    twelve = metas("consultas_urgencias", "ooad:09", "year(periodo) = 2025")
    assert len(twelve) == 12
    assert forecast.year_meta(get("consultas_urgencias"), 2025, "ooad:09", demo_db) == pytest.approx(
        sum(twelve)
    )
    # stock: December's, the meta the card shows for December
    [december] = metas("patrones_registrados", "ooad:09", "periodo = DATE '2025-12-01'")
    assert forecast.year_meta(get("patrones_registrados"), 2025, "ooad:09", demo_db) == december
    card = engine.value("patrones_registrados", "2025-12", "ooad:09", db=demo_db)
    assert card.meta == december
    # a state sums its OOAD's metas (Veracruz, entidad 30, holds two OOAD) as its card does
    dec = engine.value("patrones_registrados", "2025-12", "entidad:30", db=demo_db).meta
    assert forecast.year_meta(get("patrones_registrados"), 2025, "entidad:30", demo_db) == pytest.approx(dec)
    # ratio: December's rate, the national one where the scope has none
    [rate] = metas("ocupacion_hospitalaria", "nacional", "periodo = DATE '2025-12-01'")
    assert forecast.year_meta(get("ocupacion_hospitalaria"), 2025, "nacional", demo_db) == rate == 85.0
    assert "suma de las doce metas mensuales" in forecast.annual_meta_rule(get("consultas_urgencias"))
    assert forecast.annual_meta_rule(get("patrones_registrados")).startswith("La meta de diciembre")


def test_no_annual_meta_for_a_flow_missing_a_month(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "cmi.duckdb"
    shutil.copy(demo_db, db)
    with transaction(db) as cur:
        cur.execute(
            "DELETE FROM metas WHERE kpi = 'consultas_urgencias' AND ambito = 'nacional' "
            "AND periodo = DATE '2025-03-01'"
        )
    assert forecast.year_meta(get("consultas_urgencias"), 2025, "nacional", db) is None
    assert forecast.year_meta(get("consultas_urgencias"), 2024, "nacional", db) is not None


OPENBLAS_THREADS = """
import ctypes, os
import numpy as np, pandas as pd
from indicators import engine, forecast
y = pd.Series(np.linspace(100, 200, 36), index=pd.date_range("2020-01-01", periods=36, freq="MS"))
forecast.fit(y)  # loads statsmodels, scipy and scipy's OpenBLAS
lib = next(line.split()[-1] for line in open("/proc/self/maps") if "libscipy_openblas" in line)
print(os.environ.get("OPENBLAS_NUM_THREADS"), ctypes.CDLL(lib).scipy_openblas_get_num_threads())
"""


def test_the_projection_runs_openblas_on_one_thread_unless_the_operator_chose() -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    ran = subprocess.run(
        [sys.executable, "-c", OPENBLAS_THREADS], cwd=root, env=env, capture_output=True, text=True
    )
    assert ran.stdout.split() == ["1", "1"], ran.stderr
    ran = subprocess.run(
        [sys.executable, "-c", OPENBLAS_THREADS],
        cwd=root,
        env=env | {"OPENBLAS_NUM_THREADS": "2"},
        capture_output=True,
        text=True,
    )
    assert ran.stdout.split() == ["2", "2"], ran.stderr
