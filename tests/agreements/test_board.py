"""Every board figure on the hand-built set (tests/agreements/hand_built.py), worked out by hand.

As of 2026-06-30 nine agreements exist (RR-CEN-2026-0006 is registered later):
- concluded: CEN-0001 (Jan 20 → Mar 15 = 54 days, before its Mar 31 deadline) and CEN-0002
  (Jan 20 → Apr 10 = 80 days, after its Feb 28 deadline). CEN-0005 concludes on Jul 5: still open.
- cancelled: CEN-0003. Open: CEN-0004 (no deadline), CEN-0005, NOR-0001/0002/0003, NOR-2025-0001.
- overdue: NOR-0001 (Jun 10, 20 days), NOR-0002 (Mar 15, 107 days), NOR-2025-0001 (Dec 1, 211 days).
"""

from __future__ import annotations

import pytest

from agreements import board as ag
from tests.agreements.hand_built import AS_OF


def test_kpis_all(board_db):
    k = ag.kpis(board_db, as_of=AS_OF)
    assert (k.registrados, k.concluidos, k.en_proceso, k.vencidos, k.cancelados) == (9, 2, 6, 3, 1)
    assert k.cumplimiento == pytest.approx(25.0)  # 2 / (9 - 1)
    assert k.en_plazo == pytest.approx(50.0)  # CEN-0001 on time, CEN-0002 late
    assert k.dias_promedio == pytest.approx(67.0)  # (54 + 80) / 2


def test_kpis_later_cut_counts_late_conclusion_and_new_registration(board_db):
    k = ag.kpis(board_db, as_of=AS_OF.replace(month=7, day=10))
    # CEN-0005 concluded Jul 5 (15 days early; Jan 20 → Jul 5 = 166 days); CEN-0006 now exists
    assert (k.registrados, k.concluidos, k.en_proceso, k.cancelados) == (10, 3, 6, 1)
    assert k.cumplimiento == pytest.approx(100 * 3 / 9)
    assert k.en_plazo == pytest.approx(100 * 2 / 3)
    assert k.dias_promedio == pytest.approx((54 + 80 + 166) / 3)


def test_kpis_directorate_scope_includes_coresponsible(board_db):
    dpm = ag.kpis(board_db, as_of=AS_OF, direccion="DPM")
    # DPM: responsible for CEN-0001/0004/0005, NOR-0003; co-responsible of NOR-0001
    assert (dpm.registrados, dpm.concluidos, dpm.en_proceso, dpm.vencidos) == (5, 1, 4, 1)
    assert dpm.cumplimiento == pytest.approx(20.0)
    assert dpm.en_plazo == pytest.approx(100.0)
    assert dpm.dias_promedio == pytest.approx(54.0)
    df = ag.kpis(board_db, as_of=AS_OF, direccion="DF")  # only the cancelled one
    assert (df.registrados, df.cancelados, df.cumplimiento, df.en_plazo, df.dias_promedio) == (
        1,
        1,
        None,
        None,
        None,
    )


def test_breakdowns(board_db):
    region = ag.breakdown("region", board_db, as_of=AS_OF).set_index("clave")
    assert region.loc[
        "Centro", ["registrados", "concluidos", "en_proceso", "vencidos", "cancelados"]
    ].tolist() == [
        5,
        2,
        2,
        0,
        1,
    ]
    assert region.loc["Centro", "cumplimiento"] == pytest.approx(50.0)
    assert region.loc["Norte", ["registrados", "concluidos", "vencidos"]].tolist() == [4, 0, 3]
    direccion = ag.breakdown("direccion", board_db, as_of=AS_OF).set_index("clave")
    assert direccion["registrados"].to_dict() == {"DPM": 4, "DA": 3, "DF": 1, "DIR": 1}
    assert direccion.loc["DPM", "grupo"] == "Dirección de Prestaciones Médicas"
    reunion = ag.breakdown("reunion", board_db, as_of=AS_OF).set_index("clave")
    assert reunion["registrados"].to_dict() == {"R1": 5, "R2": 3, "R3": 1}
    unidad = ag.breakdown("unidad", board_db, as_of=AS_OF).set_index("clave")
    assert unidad.loc["U01", "grupo"] == "Hospital de Cardiología, CMN Siglo XXI"  # the full UMAE name
    assert unidad.loc["09", "registrados"] == 4
    mesa = ag.breakdown("mesa", board_db, as_of=AS_OF).set_index("clave")
    assert mesa.loc["M1", "registrados"] == 4
    tema = ag.breakdown("tema", board_db, as_of=AS_OF).set_index("clave")
    assert tema.loc["", "grupo"] == "Sin tema"
    assert tema["registrados"].to_dict() == {"T1": 3, "": 5, "T2": 1}
    with pytest.raises(ValueError, match="Desglose desconocido"):
        ag.breakdown("1; DROP TABLE acuerdos", board_db, as_of=AS_OF)


def test_aging_and_upcoming(board_db):
    aging = ag.aging(board_db, as_of=AS_OF)
    assert aging["tramo"].tolist() == list(ag.AGING_BUCKETS)
    assert aging["acuerdos"].tolist() == [1, 0, 1, 1]
    nxt = ag.upcoming(board_db, as_of=AS_OF)
    assert nxt["folio"].tolist() == ["RR-NOR-2026-0003", "RR-CEN-2026-0005"]
    assert nxt["dias_restantes"].tolist() == [15, 20]


def test_completion_curve_per_meeting(board_db):
    curves = ag.completion_curves(board_db, as_of=AS_OF)
    r1 = curves[curves["cve_reunion"] == "R1"]
    # four non-cancelled agreements; CEN-0001 concluded in March, CEN-0002 in April
    assert [c.isoformat()[:10] for c in r1["corte"]] == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
    ]
    assert r1["cumplimiento"].tolist() == [0, 0, 25, 50, 50, 50]
    assert len(curves[curves["cve_reunion"] == "R3"]) == 8  # Nov 2025 → Jun 2026


def test_filtered_list(board_db):
    def folios(**kw):
        return ag.agreements(board_db, as_of=AS_OF, filtros=ag.BoardFilters(**kw))["folio"].tolist()

    assert folios(estado="Vencido") == ["RR-NOR-2025-0001", "RR-NOR-2026-0002", "RR-NOR-2026-0001"]
    assert folios(texto="capacitacion") == ["RR-CEN-2026-0004"]  # accents ignored
    assert sorted(folios(texto="0002")) == ["RR-CEN-2026-0002", "RR-NOR-2026-0002"]
    assert folios(cve_mesa="M4") == ["RR-NOR-2026-0002"]
    assert sorted(folios(region="Norte", cve_ooad="05")) == ["RR-NOR-2025-0001", "RR-NOR-2026-0003"]
    assert folios(estado="Cancelado") == ["RR-CEN-2026-0003"]
    assert sorted(folios(cve_direccion="DA")) == ["RR-CEN-2026-0002", "RR-NOR-2025-0001", "RR-NOR-2026-0001"]
    assert ag.count(board_db, as_of=AS_OF, filtros=ag.BoardFilters(estado="En proceso")) == 3
    assert folios(texto="x' OR 1=1 --") == []
