"""Every sentence that counts something on the screens, each agreeing in number through `fmt_count`.

One function per sentence, so each is tested for 0, 1 and many (tests/ui/test_counts.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from ui.format import fmt_count, fmt_number


def agreements(n: int) -> str:
    """«1 acuerdo», «2 acuerdos»."""
    return fmt_count(n, "acuerdo", "acuerdos")


def open_agreements(n: int) -> str:
    """«1 acuerdo abierto», «2 acuerdos abiertos»."""
    return fmt_count(n, "acuerdo abierto", "acuerdos abiertos")


def requests_waiting(n: int) -> str:
    """The «Por validar» tab's sentence."""
    return (
        fmt_count(n, "solicitud de conclusión espera", "solicitudes de conclusión esperan")
        + " a la Dirección General."
    )


def due_soon(n: int, days: int = 30) -> str:
    sentence = fmt_count(n, "acuerdo abierto vence", "acuerdos abiertos vencen")
    return f"{sentence} en los próximos {days} días."


def aiming(n: int) -> str:
    return fmt_count(n, "acuerdo apunta", "acuerdos apuntan") + " a este indicador."


def days(n: int) -> str:
    """«1 día», «2 días»."""
    return fmt_count(int(n), "día", "días")


def unread_notices(n: int) -> str:
    return fmt_count(n, "notificación sin leer", "notificaciones sin leer") + "."


def marked_read(n: int) -> str:
    return fmt_count(n, "notificación marcada como leída", "notificaciones marcadas como leídas") + "."


def years(n: int) -> str:
    return fmt_count(n, "año", "años")


def months(n: int) -> str:
    return fmt_count(n, "mes", "meses")


def remaining_months(n: int) -> str:
    """«en el mes restante», «en los 2 meses restantes»."""
    return "en el mes restante" if n == 1 else f"en los {fmt_number(n)} meses restantes"


def files(n: int) -> str:
    return fmt_count(n, "archivo", "archivos")


def records(n: int) -> str:
    return fmt_count(n, "registro", "registros")


def findings(n: int) -> str:
    return fmt_count(n, "hallazgo", "hallazgos")


def rows(n: int) -> str:
    return fmt_count(n, "fila", "filas")


def objectives(n: int) -> str:
    return fmt_count(n, "objetivo", "objetivos")


def projects(n: int) -> str:
    return fmt_count(n, "proyecto estratégico", "proyectos estratégicos")


def objectives_by_status(counts: Mapping[str, int], order: tuple[str, ...]) -> str:
    """«6 objetivos: 2 En meta, 4 En riesgo»: the statuses with none are left out."""
    total = sum(int(counts.get(s, 0)) for s in order)
    parts = [f"{fmt_number(int(counts[s]))} {s}" for s in order if int(counts.get(s, 0))]
    return objectives(total) + (": " + ", ".join(parts) if parts else "")
