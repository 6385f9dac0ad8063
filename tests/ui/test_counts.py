"""Every count sentence agrees in number: 0, 1 and 2 of each (es-MX: only 1 is singular)."""

from __future__ import annotations

import pytest

from ui import counts
from ui.agreements_view import count_label, days_label, view_count
from ui.format import fmt_count

SENTENCES = {
    counts.agreements: ("0 acuerdos", "1 acuerdo", "2 acuerdos"),
    counts.open_agreements: ("0 acuerdos abiertos", "1 acuerdo abierto", "2 acuerdos abiertos"),
    counts.requests_waiting: (
        "0 solicitudes de conclusión esperan a la Dirección General.",
        "1 solicitud de conclusión espera a la Dirección General.",
        "2 solicitudes de conclusión esperan a la Dirección General.",
    ),
    counts.due_soon: (
        "0 acuerdos abiertos vencen en los próximos 30 días.",
        "1 acuerdo abierto vence en los próximos 30 días.",
        "2 acuerdos abiertos vencen en los próximos 30 días.",
    ),
    counts.aiming: (
        "0 acuerdos apuntan a este indicador.",
        "1 acuerdo apunta a este indicador.",
        "2 acuerdos apuntan a este indicador.",
    ),
    counts.days: ("0 días", "1 día", "2 días"),
    counts.unread_notices: (
        "0 notificaciones sin leer.",
        "1 notificación sin leer.",
        "2 notificaciones sin leer.",
    ),
    counts.marked_read: (
        "0 notificaciones marcadas como leídas.",
        "1 notificación marcada como leída.",
        "2 notificaciones marcadas como leídas.",
    ),
    counts.years: ("0 años", "1 año", "2 años"),
    counts.months: ("0 meses", "1 mes", "2 meses"),
    counts.remaining_months: ("en los 0 meses restantes", "en el mes restante", "en los 2 meses restantes"),
    counts.files: ("0 archivos", "1 archivo", "2 archivos"),
    counts.records: ("0 registros", "1 registro", "2 registros"),
    counts.findings: ("0 hallazgos", "1 hallazgo", "2 hallazgos"),
    counts.rows: ("0 filas", "1 fila", "2 filas"),
    counts.objectives: ("0 objetivos", "1 objetivo", "2 objetivos"),
    counts.projects: ("0 proyectos estratégicos", "1 proyecto estratégico", "2 proyectos estratégicos"),
    # the older names in the agreements view go through the same rule
    count_label: ("0 acuerdos", "1 acuerdo", "2 acuerdos"),
    days_label: ("0 días", "1 día", "2 días"),
    view_count: (
        "0 acuerdos apuntan a este indicador.",
        "1 acuerdo apunta a este indicador.",
        "2 acuerdos apuntan a este indicador.",
    ),
}


@pytest.mark.parametrize("sentence", list(SENTENCES), ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [0, 1, 2])
def test_each_count_sentence_agrees_with_its_number(sentence, n):
    assert sentence(n) == SENTENCES[sentence][n]


def test_the_one_rule_groups_thousands_and_only_1_is_singular():
    assert fmt_count(2355, "acuerdo", "acuerdos") == "2,355 acuerdos"
    assert fmt_count(1, "acuerdo", "acuerdos") == "1 acuerdo"
    assert fmt_count(0, "acuerdo", "acuerdos") == "0 acuerdos"


@pytest.mark.parametrize(
    ("by_status", "expected"),
    [
        ({}, "0 objetivos"),
        ({"En meta": 1}, "1 objetivo: 1 En meta"),
        ({"En meta": 2, "Sin meta": 0}, "2 objetivos: 2 En meta"),  # no «Sin meta: 0»
        ({"En riesgo": 1, "Fuera de meta": 1}, "2 objetivos: 1 En riesgo, 1 Fuera de meta"),
    ],
)
def test_the_strategy_map_summary_names_only_the_statuses_it_has(by_status, expected):
    order = ("En meta", "En riesgo", "Fuera de meta", "Sin meta")
    assert counts.objectives_by_status(by_status, order) == expected
