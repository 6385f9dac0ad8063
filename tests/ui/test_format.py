from datetime import date

from indicators.catalog import get
from ui.format import (
    fmt_change,
    fmt_date_long,
    fmt_mdp,
    fmt_millions,
    fmt_month,
    fmt_number,
    fmt_pct,
    fmt_value,
)


def test_es_mx_numbers():
    assert fmt_number(1234567.8, 1) == "1,234,567.8"
    assert fmt_number(None) == "—"
    assert fmt_number(float("nan")) == "—"
    assert fmt_millions(92_600_000) == "92.6 M"
    assert fmt_millions(117_235) == "117,235"
    assert fmt_mdp(350_110) == "$350,110 MDP"
    assert fmt_pct(80.94) == "80.9 %"
    assert fmt_change(0.04) == "+4.0 %"
    assert fmt_change(None) is None


def test_values_follow_the_catalog_format():
    assert fmt_value(get("consultas_medicina_familiar"), 92_600_000) == "92.6 M"
    assert fmt_value(get("ingresos_obrero_patronales"), 350_110.4) == "$350,110 MDP"
    assert fmt_value(get("satisfaccion_atencion_medica"), 80.9) == "80.9 %"
    assert fmt_value(get("patrones_registrados"), 1_001_793) == "1,001,793"
    assert fmt_value(get("salario_base_cotizacion_promedio"), 663.4) == "$663.40"


def test_spanish_months_and_dates():
    assert fmt_month(date(2026, 10, 1)) == "octubre 2026"
    assert fmt_date_long(date(2026, 10, 31)) == "31 de octubre de 2026"
