"""Regional meetings and their agreements: folios, mesas, directorates, progress and history."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from data.demo.acuerdos_texto import describe, kpi_aim, unit_name
from data.demo.context import Context
from data.demo.series import exact_round
from warehouse.config import CATALOG_DIR


@dataclass(frozen=True)
class Meeting:
    cve: str
    nombre: str
    ronda: int
    region: str
    sede: str
    inicio: date
    fin: date
    total: int
    umae: tuple[str, ...]
    umae_share: float


REGION_PREFIX = {"Norte": "NOR", "Occidente": "OCC", "Centro": "CEN", "Sureste": "SUR"}
CENTRO_UMAE = tuple(f"U{i:02d}" for i in range(1, 15))
MEETINGS = (
    Meeting("RR4-NOR-2023", "4ª Reunión Regional Norte", 4, "Norte", "Monterrey, N.L.",
            date(2023, 4, 18), date(2023, 4, 21), 574, ("U20", "U21", "U22", "U23"), 0.06),
    Meeting("RR4-OCC-2023", "4ª Reunión Regional Occidente", 4, "Occidente", "Guadalajara, Jal.",
            date(2023, 4, 25), date(2023, 4, 28), 592, ("U16", "U17", "U18", "U19"), 0.06),
    Meeting("RR4-SUR-2023", "4ª Reunión Regional Sureste", 4, "Sureste", "Mérida, Yuc.",
            date(2023, 5, 9), date(2023, 5, 12), 603, ("U24", "U25"), 0.03),
    Meeting("RR4-CEN-2023", "4ª Reunión Regional Centro", 4, "Centro", "Ciudad de México",
            date(2023, 5, 23), date(2023, 5, 26), 772, (*CENTRO_UMAE, "U15"), 0.15),
    Meeting("RR8-CEN-2026", "8ª Reunión Regional Centro", 8, "Centro", "Querétaro, Qro.",
            date(2026, 4, 27), date(2026, 4, 30), 816, CENTRO_UMAE, 0.30),
)  # fmt: skip

MESA_ODDS = {"ooad": {"M1": 0.25, "M2": 0.15, "M3": 0.12, "M4": 0.15, "M5": 0.13, "MT": 0.20},
             "umae": {"M1": 0.36, "M2": 0.2, "M3": 0.16, "M4": 0.18, "MT": 0.10}}  # fmt: skip
THEMES = {"ooad": ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"), "umae": ("T1", "T2", "T3", "T5", "T7")}
RESPONSIBLE = {"M1": "DPM", "M2": "DA", "M3": "DA", "M4": "DA", "M5": "DPES", "T1": "DA", "T2": "DPEI",
               "T3": "DIDT", "T4": "DJ", "T5": "DPES", "T6": "DIR", "T7": "DJ", "T8": "DVIED"}  # fmt: skip
USUAL_PARTNERS = {"M1": ("DF", "DA", "DPEI"), "M2": ("DPM", "DF"), "M3": ("DPM", "DF", "DIDT"),
                  "M4": ("DF", "DPM", "DJ"), "M5": ("DF", "DIDT", "DJ"), "T1": ("DPM", "DF"),
                  "T2": ("DOE", "SG"), "T3": ("DPM", "DIR"), "T4": ("DIR", "DF"), "T5": ("DPM", "DJ"),
                  "T6": ("DJ", "DIDT"), "T7": ("DA", "SG"), "T8": ("DPM", "DA", "DF")}  # fmt: skip
DIRECTORATES = ("DPM", "DPES", "DIR", "DA", "DF", "DIDT", "DVIED", "DJ", "DPEI", "DOE", "SG")
DEADLINE_DAYS = (30, 45, 60, 90, 120, 180, 240, 365)
# Regions differ in how fast they close agreements (Sureste lags).
REGION_PACE = {"Norte": 1.04, "Occidente": 1.0, "Centro": 0.98, "Sureste": 0.88}
PROGRESS_NOTES = (
    "Se reporta avance conforme al programa de trabajo",
    "Se anexa evidencia documental del avance",
    "Se concluyó la etapa de gestión administrativa",
    "Se presentó el avance en la sesión de seguimiento",
    "Avance validado por la Dirección Normativa",
)
CANCEL_NOTES = (
    "Se cancela por duplicidad con otro acuerdo de la reunión",
    "Se cancela: la acción quedó sin materia",
    "Se cancela a solicitud de la Dirección Normativa por cambio de estrategia",
)


def _participants(ctx: Context, m: Meeting) -> list[tuple[str | None, str | None, str, float]]:
    """(cve_ooad, cve_umae, display name, weight) of everyone who signs at the meeting."""
    geo = ctx.geo
    members = [
        (o.cve, o.nombre, float(geo.jobs[i]) ** 0.35) for i, o in enumerate(geo.ooad) if o.region == m.region
    ]
    mean = np.mean([w for *_, w in members])
    umae_weight = mean * m.umae_share / (1 - m.umae_share) * len(members) / len(m.umae)
    with open(CATALOG_DIR / "umae.csv", encoding="utf-8") as f:
        umae = {r["cve_umae"]: r for r in csv.DictReader(f)}
    out: list[tuple[str | None, str | None, str, float]] = [(c, None, n, w) for c, n, w in members]
    for code in m.umae:
        row = umae[code]
        complex_ = (
            "" if row["complejo"] in ("Ciudad de México", "Estado de México") else f" del {row['complejo']}"
        )
        out.append((None, code, f"{row['nombre']}{complex_}", umae_weight))
    return out


def _at(rng: np.random.Generator, day: date) -> datetime:
    return datetime.combine(day, time(int(rng.integers(9, 19)), int(rng.integers(0, 60))))


class _Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx, self.today = ctx, ctx.today
        self.rng = ctx.rng("acuerdos")
        self.agreements: list[dict] = []
        self.partners: list[dict] = []
        self.history: list[dict] = []

    def meeting(self, m: Meeting) -> None:
        people = _participants(self.ctx, m)
        counts = exact_round(np.array([w for *_, w in people]), m.total)
        serial = 0
        for (ooad, umae, name, _), count in zip(people, counts, strict=True):
            for _ in range(int(count)):
                serial += 1
                folio = f"RR-{REGION_PREFIX[m.region]}-{m.fin.year}-{serial:04d}"
                self.agreement(m, folio, ooad, umae, name)

    def agreement(self, m: Meeting, folio: str, ooad: str | None, umae: str | None, name: str) -> None:
        rng = self.rng
        kind = "umae" if umae else "ooad"
        odds = MESA_ODDS[kind]
        mesa = str(rng.choice(list(odds), p=list(odds.values())))
        theme = str(rng.choice(THEMES[kind])) if mesa == "MT" else None
        key = theme or mesa
        unit = name if umae else unit_name(rng)
        where = f"la UMAE {name}" if umae else name
        responsible = RESPONSIBLE[key]
        deadline = None if rng.random() < 0.08 else m.fin + timedelta(days=int(rng.choice(DEADLINE_DAYS)))
        row = {
            "folio": folio,
            "cve_reunion": m.cve,
            "region": m.region,
            "cve_ooad": ooad,
            "cve_umae": umae,
            "cve_mesa": mesa,
            "cve_tema": theme,
            "descripcion": (text := describe(rng, key, where, unit)),
            "cve_direccion": responsible,
            "fecha_registro": m.fin,
            "fecha_compromiso": deadline,
            **dict(zip(("cve_kpi", "meta_kpi"), kpi_aim(text), strict=True)),
        }
        self.co_responsibles(folio, key, responsible)
        self.progress(row, m, ooad or str(umae).lower())
        self.agreements.append(row)

    def co_responsibles(self, folio: str, key: str, responsible: str) -> None:
        rng = self.rng
        n = int(rng.choice([0, 1, 2, 3], p=[0.3, 0.35, 0.25, 0.1]))
        pool = [d for d in DIRECTORATES if d != responsible]
        weight = np.array([4.0 if d in USUAL_PARTNERS[key] else 1.0 for d in pool])
        for d in sorted(rng.choice(pool, size=n, replace=False, p=weight / weight.sum())):
            self.partners.append({"folio": folio, "cve_direccion": str(d)})

    def status(self, m: Meeting) -> str:
        age = (self.today - m.fin).days
        concluded = min(0.95, 0.9 * (1 - np.exp(-age / 480)) * REGION_PACE[m.region])
        registered = 0.02 + 0.25 * np.exp(-age / 120)
        odds = np.array([registered, 0.0, concluded, 0.035])
        odds[1] = 1 - odds.sum()
        return str(self.rng.choice(["Registrado", "En proceso", "Concluido", "Cancelado"], p=odds))

    def progress(self, row: dict, m: Meeting, who: str) -> None:
        """Status, progress and conclusion as of today, and the history that led there."""
        rng, folio = self.rng, row["folio"]
        status = self.status(m)
        age = (self.today - m.fin).days
        steps: list[tuple[datetime, str, str, str | None, str | None, str | None]] = [
            (_at(rng, m.fin), f"coord.{m.cve.lower()}", "estado", None, "Registrado",
             "Alta del acuerdo firmado en la reunión regional"),
        ]  # fmt: skip
        end = None
        if status == "Concluido":
            planned = (row["fecha_compromiso"] - m.fin).days if row["fecha_compromiso"] else 180
            days = int(planned * rng.uniform(0.4, 1.25))
            days = days if days < age else int(rng.integers(10, max(age, 11)))
            end = m.fin + timedelta(days=max(days, 10))
        elif status == "Cancelado":
            end = m.fin + timedelta(days=int(rng.integers(15, max(age, 16))))
        last_day = end or self.today - timedelta(days=1)
        # Closing events come last on their day: other events are stamped 9:00-18:59.
        closing = datetime.combine(last_day, time(19, int(rng.integers(0, 60))))
        avance = 0.0
        if status != "Registrado" and not (status == "Cancelado" and rng.random() < 0.5):
            start = m.fin + timedelta(days=int(rng.integers(3, 20)))
            start = min(start, last_day)
            steps.append((_at(rng, start), f"enlace.{who}", "estado", "Registrado", "En proceso",
                          "Se inicia la atención del acuerdo"))  # fmt: skip
            final = {"Concluido": 100, "En proceso": int(rng.integers(2, 20)) * 5}.get(
                status, int(rng.integers(0, 9)) * 5
            )
            marks = sorted({int(v) * 5 for v in rng.integers(1, 20, size=int(rng.integers(1, 4)))})
            points = [p for p in marks if p < final] + ([final] if final else [])
            span = max((last_day - start).days, 1)
            offsets = sorted(int(d) for d in rng.integers(1, span + 1, size=len(points)))
            for value, offset in zip(points, offsets, strict=True):
                when = _at(rng, min(start + timedelta(days=offset), last_day)) if value < 100 else closing
                steps.append((when, f"enlace.{who}", "avance", f"{avance:g}", f"{value:g}",
                              str(rng.choice(PROGRESS_NOTES))))  # fmt: skip
                avance = float(value)
        responsible = f"valida.{row['cve_direccion'].lower()}"
        if status == "Concluido":
            steps.append((closing, responsible, "estado", "En proceso", "Concluido",
                          "Conclusión validada con evidencia documental"))  # fmt: skip
            steps.append((closing, responsible, "fecha_conclusion", None, last_day.isoformat(), None))
        elif status == "Cancelado":
            prior = "En proceso" if len(steps) > 1 else "Registrado"
            steps.append((closing, responsible, "estado", prior, "Cancelado", str(rng.choice(CANCEL_NOTES))))
        steps.sort(key=lambda s: s[0])
        row.update(
            estado=status,
            avance=avance,
            fecha_conclusion=end if status == "Concluido" else None,
            version=len(steps),
        )
        for when, user, field, before, after, note in steps:
            self.history.append(
                {"folio": folio, "usuario": user, "fecha": when, "campo": field,
                 "valor_anterior": before, "valor_nuevo": after, "comentario": note}
            )  # fmt: skip


def _record(ctx: Context, m: Meeting) -> dict:
    """The meeting record: round, participants, mesas and themes worked (as the seeds list them)."""
    kinds = ("ooad", "umae") if m.umae else ("ooad",)
    mesas = sorted({k for kind in kinds for k in MESA_ODDS[kind]} - {"MT"})
    return {
        "cve_reunion": m.cve, "nombre": m.nombre, "ronda": m.ronda, "region": m.region, "sede": m.sede,
        "fecha_inicio": m.inicio, "fecha_fin": m.fin, "ciclo": str(m.inicio.year),
        "ooad_participantes": sorted(o.cve for o in ctx.geo.ooad if o.region == m.region),
        "umae_participantes": list(m.umae), "mesas": [*mesas, "MT"],
        "temas": sorted({t for kind in kinds for t in THEMES[kind]}), "creado_por": "planeacion",
    }  # fmt: skip


def generate(ctx: Context) -> dict[str, pd.DataFrame]:
    """reuniones, acuerdos, acuerdos_corresponsables and acuerdos_historial for past meetings."""
    builder = _Builder(ctx)
    held = [m for m in MEETINGS if m.fin < ctx.today]
    for m in held:
        builder.meeting(m)
    meetings = pd.DataFrame([_record(ctx, m) for m in held])
    history = pd.DataFrame(builder.history)
    history.insert(0, "id", np.arange(1, len(history) + 1, dtype=np.int64))
    return {
        "reuniones": meetings,
        "acuerdos": pd.DataFrame(builder.agreements),
        "acuerdos_corresponsables": pd.DataFrame(builder.partners),
        "acuerdos_historial": history,
    }
