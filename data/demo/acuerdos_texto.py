"""Spanish wording of demo agreements: templates per mesa or transversal theme."""

from __future__ import annotations

import re

import numpy as np

TEMPLATES: dict[str, tuple[str, ...]] = {
    "M1": (
        "Reducir el diferimiento quirúrgico de {especialidad} a menos de 20 días hábiles en el {unidad}",
        "Implementar jornadas quirúrgicas de fin de semana en el {unidad} para atender {n} cirugías en lista de espera",
        "Incrementar en {pct} % la productividad de la consulta externa de {especialidad} en el {unidad}",
        "Ajustar el gasto de tiempo extraordinario del {unidad} al techo presupuestal autorizado",
        "Alcanzar una ocupación hospitalaria de {ocupacion} % en el {unidad}",
        "Reforzar el programa de consulta de primer nivel en turno vespertino del {unidad}",
        "Disminuir en {pct} % las referencias no procedentes a segundo nivel desde el {unidad}",
    ),
    "M2": (
        "Regularizar el abasto de {insumo} en la farmacia del {unidad}",
        "Concluir el procedimiento de adquisición de {insumo} para el {unidad}",
        "Reducir a menos de {n} las claves de medicamento en desabasto en {ooad}",
        "Actualizar el inventario del almacén delegacional de {ooad} en el sistema institucional",
        "Redistribuir excedentes de {insumo} entre unidades médicas de {ooad}",
    ),
    "M3": (
        "Concluir el mantenimiento correctivo de {equipo} en el {unidad}",
        "Rehabilitar {area} del {unidad}",
        "Atender {n} órdenes de servicio de conservación pendientes en el {unidad}",
        "Poner en operación {equipo} de nueva adquisición en el {unidad}",
        "Elaborar el programa anual de mantenimiento preventivo de {equipo} en {ooad}",
    ),
    "M4": (
        "Concluir la contratación de {n} plazas de {categoria} en el {unidad}",
        "Cubrir {n} plazas vacantes de {categoria} mediante la bolsa de trabajo de {ooad}",
        "Reducir el ausentismo no programado del personal de {categoria} en el {unidad}",
        "Regularizar el pago de {n} trabajadores de {categoria} con incidencias en nómina en {ooad}",
        "Capacitar a {n} trabajadores de {categoria} del {unidad} en trato digno",
    ),
    "M5": (
        "Reducir a {dias} días el tiempo de resolución de pensiones en {ooad}",
        "Incrementar la ocupación de las guarderías de {ooad} al {ocupacion} %",
        "Concluir el proyecto del Centro de Educación y Cuidado Infantil (CECI) en {ooad}",
        "Depurar {n} expedientes de incapacidades prolongadas en {ooad}",
        "Ampliar la oferta de cursos de los centros de seguridad social de {ooad}",
    ),
    "T1": (
        "Concluir la obra de ampliación del servicio de urgencias del {unidad}",
        "Sustituir {n} equipos médicos con vida útil vencida en el {unidad}",
        "Integrar el expediente técnico para la sustitución del {unidad}",
    ),
    "T2": (
        "Atender {n} observaciones de auditoría pendientes en {ooad}",
        "Actualizar la matriz de riesgos institucionales de {ooad}",
        "Implementar el control de asistencia biométrico en el {unidad}",
    ),
    "T3": (
        "Implementar el expediente clínico electrónico en el {unidad}",
        "Habilitar la cita digital para consulta de especialidades en el {unidad}",
        "Incrementar en {pct} % los trámites digitales de {ooad}",
    ),
    "T4": (
        "Dar seguimiento a {n} juicios fiscales en trámite de {ooad}",
        "Reducir en {pct} % las sentencias desfavorables en juicios fiscales de {ooad}",
    ),
    "T5": (
        "Revisar {n} certificados de incapacidad atípicos emitidos en el {unidad}",
        "Reducir en {pct} % los días de incapacidad por enfermedad general en {ooad}",
        "Instalar el comité de control de incapacidades del {unidad}",
    ),
    "T6": (
        "Incorporar a {n} personas trabajadoras del hogar al régimen obligatorio en {ooad}",
        "Recuperar {n} millones de pesos de cartera en mora en {ooad}",
        "Realizar {n} visitas de fiscalización a patrones omisos en {ooad}",
    ),
    "T7": (
        "Atender {n} laudos laborales pendientes de cumplimiento en {ooad}",
        "Reducir en {pct} % las demandas laborales en trámite de {ooad}",
    ),
    "T8": (
        "Concluir la transferencia de {n} unidades médicas al esquema IMSS-Bienestar en {ooad}",
        "Coordinar la referencia de pacientes de IMSS-Bienestar al {unidad}",
    ),
}

SPECIALTIES = ("ortopedia", "cirugía general", "oftalmología", "urología", "ginecología", "cardiología",
               "oncología", "pediatría", "medicina interna", "otorrinolaringología")  # fmt: skip
SUPPLIES = ("insulina", "material de curación", "antibióticos", "medicamentos oncológicos",
            "soluciones parenterales", "reactivos de laboratorio", "material de osteosíntesis")  # fmt: skip
EQUIPMENT = ("equipos de rayos X", "tomógrafos", "elevadores", "plantas de emergencia",
             "equipos de aire acondicionado", "calderas", "equipos de hemodiálisis")  # fmt: skip
AREAS = ("el área de quirófanos", "la sala de urgencias", "el área de hospitalización",
         "la red hidráulica", "la cocina y el comedor", "los sanitarios públicos")  # fmt: skip
CATEGORIES = ("enfermería", "médicos especialistas", "médicos familiares", "asistentes médicas",
              "camilleros", "personal de intendencia", "químicos")  # fmt: skip
# Masculine unit names only: the templates say "el {unidad}" / "del {unidad}".
UNIT_KINDS = ("HGZ No. {k}", "HGR No. {k}", "HGZ/MF No. {k}", "HGSZ No. {k}")


def unit_name(rng: np.random.Generator) -> str:
    return str(rng.choice(UNIT_KINDS)).format(k=int(rng.integers(1, 90)))


# Agreements whose text names a KPI target: (pattern, KPI id); the target is the number in the text.
AIMS = (
    (re.compile(r"^Alcanzar una ocupación hospitalaria de (\d+) %"), "ocupacion_hospitalaria"),
    (re.compile(r"^Incrementar la ocupación de las guarderías de .* al (\d+) %$"), "ocupacion_guarderias"),
)


def kpi_aim(text: str) -> tuple[str | None, float | None]:
    """The KPI an agreement's text aims at and its target value, when the text names one."""
    for pattern, kpi in AIMS:
        match = pattern.match(text)
        if match:
            return kpi, float(match.group(1))
    return None, None


def describe(rng: np.random.Generator, key: str, ooad: str, unit: str) -> str:
    """One agreement text for a mesa or theme key, filled with plausible details."""
    template = str(rng.choice(TEMPLATES[key]))
    return template.format(
        unidad=unit,
        ooad=ooad,
        n=int(rng.choice([3, 5, 8, 10, 12, 15, 20, 25, 30, 45, 60, 120])),
        pct=int(rng.choice([5, 10, 15, 20, 25])),
        ocupacion=int(rng.choice([85, 88, 90])),
        dias=int(rng.choice([30, 45, 60])),
        especialidad=rng.choice(SPECIALTIES),
        insumo=rng.choice(SUPPLIES),
        equipo=rng.choice(EQUIPMENT),
        area=rng.choice(AREAS),
        categoria=rng.choice(CATEGORIES),
    )
