"""The shape of a KPI definition (ficha técnica) and the vocabulary it uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import overload

RUBRICS: dict[str, str] = {
    "servicios_medicos": "Servicios médicos",
    "incorporacion_recaudacion": "Incorporación y recaudación",
    "prestaciones_economicas_sociales": "Prestaciones económicas y sociales",
    "procesos_administrativos": "Procesos administrativos",
    "finanzas": "Finanzas",
    "acuerdos": "Seguimiento de acuerdos",
}

FLOW, STOCK, RATIO = "flujo", "saldo", "razon"
UP, DOWN = "ascendente", "descendente"
# How often a KPI has a new figure; each frequency names its periods in its own terms
# (indicators/periodicity.py): «octubre 2026», «T3 2026», «Encuesta 2026».
MONTHLY, QUARTERLY, ANNUAL = "mensual", "trimestral", "anual"
FREQUENCIES = (MONTHLY, QUARTERLY, ANNUAL)
ALL_LEVELS = ("nacional", "region", "entidad", "ooad")


@dataclass(frozen=True)
class Kpi:
    """One indicator: its ficha técnica and how the engine computes it."""

    id: str
    nombre: str
    rubro: str
    definicion: str
    metodo: str
    unidad: str
    formato: str  # entero | millones | porcentaje | mdp | pesos | decimal
    fuente: str  # dataset (warehouse table)
    agregacion: str  # flujo | saldo | razon
    numerador: str  # SQL expression over the dataset's columns
    denominador: str | None = None
    factor: float = 1.0
    base_razon: str = FLOW  # for ratios: sum over months (flujo) or the last month (saldo)
    filtro: str | None = None  # extra SQL predicate on the dataset
    frecuencia: str = MONTHLY  # mensual | trimestral | anual
    periodo_nombre: str = ""  # what one period is called: «Encuesta» → «Encuesta 2026»
    sentido: str = UP
    niveles: tuple[str, ...] = ALL_LEVELS
    umbral_verde: float = 1.0  # cumplimiento (valor/meta, or meta/valor when descending) for "En meta"
    umbral_amarillo: float = 0.95  # … and for "En riesgo"; below it, "Fuera de meta"
    notas: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def rubro_nombre(self) -> str:
        return RUBRICS[self.rubro]

    def measured_at(self, ambito: str) -> bool:
        """Whether the KPI has figures at this scope's level (the nation always)."""
        return ambito.startswith("nacional") or ambito.split(":")[0] in self.niveles

    @overload
    def scope_or(self, ambito: str, fallback: str = "nacional") -> str: ...
    @overload
    def scope_or(self, ambito: str, fallback: None) -> str | None: ...
    def scope_or(self, ambito: str, fallback: str | None = "nacional") -> str | None:
        """The scope itself where the KPI is measured at its level, else `fallback`."""
        return ambito if self.measured_at(ambito) else fallback

    def shown_at(self, ambito: str) -> str | None:
        """The scope whose figure a screen shows for this KPI under the filter `ambito`: the scope
        itself where the KPI is measured there; the nation for a KPI measured only nationally (its
        figure holds under any filter); None for a KPI measured below the nation but not at that level
        (agreements by state). Cards and the executive report both ask here."""
        if self.measured_at(ambito):
            return ambito
        return "nacional" if self.niveles == ("nacional",) else None

    def ficha(self) -> dict[str, object]:
        """The ficha técnica as plain data (CLI, catalog page)."""
        return {
            "id": self.id,
            "nombre": self.nombre,
            "rubro": self.rubro_nombre,
            "definicion": self.definicion,
            "metodo_calculo": self.metodo,
            "unidad": self.unidad,
            "frecuencia": self.frecuencia,
            "periodo_nombre": self.periodo_nombre,
            "sentido": self.sentido,
            "fuente": self.fuente,
            "tipo_agregacion": self.agregacion,
            "niveles": list(self.niveles),
            "umbrales": {"en_meta": self.umbral_verde, "en_riesgo": self.umbral_amarillo},
        }
