"""Dataset contracts: the single description of every file planners upload.

A contract drives validation, the blank template, the data dictionary shown in the app and the
shape the demo generator writes. Its columns equal the warehouse table's columns (minus
`carga_id`), which a test checks against a freshly migrated database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from warehouse.errors import UserError

# Kinds of value rule a column may carry.
NON_NEGATIVE = "no_negativo"
PERCENT = "porcentaje"
NOT_FUTURE = "no_futuro"

# Reference catalogs: a code column names the table and column its values must exist in.
OOAD = ("ooad", "cve_ooad")
ENTIDAD = ("entidades", "cve_entidad")
REGION = ("regiones", "region")
UMAE = ("umae", "cve_umae")
UNIDAD = ("unidades", "cve_unidad")
MESA = ("mesas", "cve_mesa")
TEMA = ("temas", "cve_tema")
DIRECCION = ("direcciones", "cve_direccion")
REUNION = ("reuniones", "cve_reunion")
PROYECTO = ("proyectos_estrategicos", "cve_proyecto")
OBJETIVO = ("objetivos", "cve_objetivo")
INDICADOR = ("indicadores", "kpi")

# Kinds of contract: a "tabla" contract's columns are its warehouse table's columns (export ->
# load round trips); a "registro" contract describes new records that the load registers
# through its own code (acuerdos_registro: folios, history and notices are assigned on load).
TABLE = "tabla"
REGISTRATION = "registro"


@dataclass(frozen=True)
class Column:
    """One column of a dataset file and of its warehouse table."""

    name: str
    type: str  # DuckDB type: VARCHAR, BIGINT, INTEGER, DOUBLE, DATE
    description: str
    required: bool = True
    rules: tuple[str, ...] = ()
    codes: tuple[str, str] | None = None  # (catalog table, column) its values must exist in
    pad: int = 0  # left-pad numeric codes with zeros to this width ("9" -> "09")
    example: str = ""

    @property
    def is_period(self) -> bool:
        """Monthly period: text YYYY-MM in files, DATE (first of month) in the warehouse."""
        return self.name == "periodo"


@dataclass(frozen=True)
class Check:
    """A rule across columns, as a SQL predicate over converted values that must hold."""

    predicate: str
    column: str
    message: str


@dataclass(frozen=True)
class Invariant:
    """A rule over the whole table as the load would leave it (`_final`), checked before it commits.

    `sql` selects (key, problem) for every broken case; `key_column` is the file column that key is
    in (the message names the file's first row with that key) and `column` the one to fix.
    """

    sql: str
    column: str
    key_column: str | None = None  # when not `column` itself


@dataclass(frozen=True)
class Grain:
    """A level a dataset's rows can come at: its key column (None for national rows) and table."""

    name: str  # ooad | entidad | nacional
    key: str | None
    table: str
    label: str  # Spanish plural for messages: «OOAD», «entidades federativas»


# Header names of real files that mean a grain's key column (INEGI's own `cve_ent`).
KEY_ALIASES = {"cve_ent": "cve_entidad", "cve_entidad_federativa": "cve_entidad"}


class GrainError(UserError, ValueError):
    """The header does not say one grain (for example both cve_ooad and cve_entidad)."""


@dataclass(frozen=True)
class Contract:
    """What one dataset file must look like and where it goes."""

    name: str
    table: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    partition: str  # the column whose values a load adds or replaces (periodo, anio, folio)
    checks: tuple[Check, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    kind: str = TABLE
    # Other grains the file may come at (the contract's own columns are the finest one).
    grains: tuple[Grain, ...] = ()
    # A catalog: in reemplazar mode the file is the whole table (rows it lacks are removed).
    whole: bool = False
    invariants: tuple[Invariant, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def is_table(self) -> bool:
        """True when the file's rows are the table's rows (exportable, replaceable)."""
        return self.kind == TABLE

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def measures(self) -> list[str]:
        """The columns that are not part of the key."""
        return [c.name for c in self.columns if c.name not in self.key]

    @property
    def tables(self) -> tuple[str, ...]:
        """Every warehouse table this dataset writes (one per grain)."""
        return (self.table, *(g.table for g in self.grains))

    def grain_of(self, names: list[str]) -> Grain | None:
        """The grain a file's header carries, by its key column; None for the contract's own."""
        if not self.grains:
            return None
        keyed = [g for g in self.grains if g.key and g.key in names]
        if "cve_ooad" in names:
            if keyed:
                raise GrainError(
                    f"El archivo trae cve_ooad y {keyed[0].key}: use una sola columna de clave"
                    " (cve_ooad para datos por OOAD, cve_entidad para datos por entidad federativa)."
                )
            return None
        found = keyed or [g for g in self.grains if g.key is None]
        return found[0] if found else None

    def at(self, grain: Grain | None) -> Contract:
        """This contract at a grain: its key column (or none) and table; every measure optional."""
        if grain is None:
            return self
        key_col = [_entidad()] if grain.key == "cve_entidad" else []
        measures = [
            Column(c.name, c.type, c.description, False, c.rules, c.codes, c.pad, c.example)
            for c in self.columns
            if c.name not in self.key
        ]
        key = ("periodo", *([grain.key] if grain.key else []))
        return Contract(
            name=self.name,
            table=grain.table,
            title=f"{self.title} ({grain.label})",
            description=self.description,
            columns=(self.column("periodo"), *key_col, *measures),
            key=key,
            partition=self.partition,
            checks=self.checks,
        )


def _periodo() -> Column:
    return Column(
        "periodo",
        "DATE",
        "Mes de los datos, texto AAAA-MM (p. ej. 2025-01)",
        rules=(NOT_FUTURE,),
        example="2025-01",
    )


def _ooad(required: bool = True) -> Column:
    return Column(
        "cve_ooad",
        "VARCHAR",
        "Clave de dos dígitos del OOAD (catálogo de OOAD)",
        required=required,
        codes=OOAD,
        pad=2,
        example="09",
    )


def _entidad() -> Column:
    return Column(
        "cve_entidad",
        "VARCHAR",
        "Clave INEGI de dos dígitos de la entidad federativa (01 a 32)",
        codes=ENTIDAD,
        pad=2,
        example="09",
    )


def _split_codes(column: str) -> str:
    """SQL: the codes of a `DA, DIR; DPM` list column as rows t(c) (trimmed, empty ones dropped)."""
    return f"(SELECT trim(c) AS c FROM unnest(string_split(replace({column}, ';', ','), ',')) AS t(c) WHERE trim(c) <> '')"


def _agreements_registration() -> Contract:
    """A meeting's new agreements: no folio, state, progress or version (assigned on load)."""
    return Contract(
        name="acuerdos_registro",
        table="acuerdos",
        title="Registro de acuerdos nuevos de una reunión",
        description=(
            "Un renglón por acuerdo nuevo firmado en una reunión regional. Al cargarse, cada acuerdo recibe "
            "su folio (RR-<región>-<año>-<número>), queda «Registrado» con avance 0 y se notifica a las "
            "direcciones responsable y corresponsables. Solo modo agregar."
        ),
        columns=(
            Column(
                "cve_reunion",
                "VARCHAR",
                "Clave de la reunión regional",
                codes=REUNION,
                example="RR8-CEN-2026",
            ),
            Column(
                "cve_ooad",
                "VARCHAR",
                "OOAD al que se refiere el acuerdo, si aplica (o UMAE, no ambos)",
                required=False,
                codes=OOAD,
                pad=2,
                example="09",
            ),
            Column("cve_umae", "VARCHAR", "UMAE, si aplica (o OOAD, no ambos)", required=False, codes=UMAE),
            Column("cve_mesa", "VARCHAR", "Mesa de trabajo (catálogo de mesas)", codes=MESA, example="M1"),
            Column(
                "cve_tema", "VARCHAR", "Tema transversal, si aplica", required=False, codes=TEMA, example="T1"
            ),
            Column(
                "descripcion", "VARCHAR", "Texto del acuerdo", example="Reducir el diferimiento quirúrgico"
            ),
            Column(
                "cve_direccion", "VARCHAR", "Dirección Normativa responsable", codes=DIRECCION, example="DPM"
            ),
            Column(
                "corresponsables",
                "VARCHAR",
                "Direcciones corresponsables, claves separadas por «,» o «;» (p. ej. DA; DIR)",
                required=False,
                example="DA",
            ),
            Column(
                "fecha_registro",
                "DATE",
                "Fecha de firma (AAAA-MM-DD)",
                rules=(NOT_FUTURE,),
                example="2023-04-28",
            ),
            Column(
                "fecha_compromiso",
                "DATE",
                "Fecha compromiso (AAAA-MM-DD), si la tiene",
                required=False,
                example="2023-12-31",
            ),
        ),
        key=("cve_reunion", "cve_mesa", "cve_direccion", "descripcion"),
        partition="cve_reunion",
        checks=(
            Check("cve_ooad IS NULL OR cve_umae IS NULL", "cve_umae", "indique OOAD o UMAE, no ambos"),
            Check(
                "fecha_compromiso >= fecha_registro",
                "fecha_compromiso",
                "la fecha compromiso es anterior a la fecha de registro",
            ),
            Check(
                f"NOT EXISTS (SELECT 1 FROM {_split_codes('corresponsables')} s"
                " WHERE s.c NOT IN (SELECT d.cve_direccion FROM direcciones d))",
                "corresponsables",
                "alguna clave de corresponsable no existe en el catálogo direcciones",
            ),
            Check(
                f"NOT EXISTS (SELECT 1 FROM {_split_codes('corresponsables')} s WHERE s.c = cve_direccion)",
                "corresponsables",
                "la dirección responsable no puede ser también corresponsable",
            ),
        ),
        kind=REGISTRATION,
    )


# Each objective shares 100 points among its KPIs (the roll-up rule in indicators/strategy.py).
WEIGHT_TOTAL = 100.0
_WEIGHT_TOLERANCE = 0.005  # 33.33 + 33.33 + 33.34 is 100


def _strategy() -> tuple[Contract, ...]:
    """The strategy map's catalogs, uploaded as whole files: objectives, and KPI weights and owners."""
    objectives = Contract(
        name="objetivos",
        table="objetivos",
        title="Objetivos del mapa estratégico (PIIMSS)",
        description=(
            "El catálogo completo de objetivos del mapa estratégico, uno por renglón. En modo «reemplazar»"
            " el archivo sustituye el catálogo entero; un objetivo que aún usan indicadores o proyectos no"
            " puede quitarse."
        ),
        columns=(
            Column("cve_objetivo", "VARCHAR", "Clave del objetivo (p. ej. O1)", example="O1"),
            Column(
                "orden",
                "INTEGER",
                "Lugar del objetivo en el mapa (1, 2, …)",
                rules=(NON_NEGATIVE,),
                example="1",
            ),
            Column(
                "nombre_corto", "VARCHAR", "Nombre corto que muestra el mapa", example="Acceso a la salud"
            ),
            Column(
                "nombre",
                "VARCHAR",
                "Texto completo del objetivo",
                example="Coadyuvar en el acceso universal…",
            ),
        ),
        key=("cve_objetivo",),
        partition="cve_objetivo",
        whole=True,
        invariants=(
            Invariant(
                "SELECT cve_objetivo, 'el objetivo ' || cve_objetivo || ' falta en el archivo y lo usan '"
                " || count(*) || ' filas de ' || t || '; inclúyalo, o cargue antes ' || t || ' sin él'"
                " FROM (SELECT cve_objetivo, 'indicadores_estrategia' AS t FROM indicadores_estrategia"
                " UNION ALL SELECT cve_objetivo, 'proyectos_estrategicos' FROM proyectos_estrategicos)"
                " WHERE cve_objetivo NOT IN (SELECT cve_objetivo FROM _final) GROUP BY cve_objetivo, t ORDER BY cve_objetivo, t",
                "cve_objetivo",
            ),
        ),
    )
    weights = Contract(
        name="indicadores_estrategia",
        table="indicadores_estrategia",
        title="Pesos y responsables de los indicadores del mapa estratégico",
        description=(
            "Un renglón por indicador del mapa estratégico: su objetivo, su peso y su responsable (dirección y"
            f" persona). Los pesos de los indicadores de cada objetivo suman {WEIGHT_TOTAL:.0f}. En modo"
            " «reemplazar» el archivo sustituye el catálogo entero."
        ),
        columns=(
            Column(
                "cve_objetivo", "VARCHAR", "Objetivo al que sirve el indicador", codes=OBJETIVO, example="O1"
            ),
            Column(
                "kpi",
                "VARCHAR",
                "Identificador del indicador (python -m loaders catalogo indicador)",
                codes=INDICADOR,
                example="consultas_medicina_familiar",
            ),
            Column(
                "peso",
                "DOUBLE",
                f"Peso del indicador dentro de su objetivo; los de un objetivo suman {WEIGHT_TOTAL:.0f}",
                rules=(NON_NEGATIVE,),
                example="100",
            ),
            Column("cve_direccion", "VARCHAR", "Dirección responsable", codes=DIRECCION, example="DPM"),
            Column(
                "responsable",
                "VARCHAR",
                "Persona o cargo responsable del indicador",
                example="Titular de la Dirección de Prestaciones Médicas",
            ),
        ),
        key=("kpi",),
        partition="cve_objetivo",
        checks=(Check("peso > 0", "peso", "el peso debe ser mayor que 0"),),
        whole=True,
        invariants=(
            Invariant(
                "SELECT cve_objetivo, 'los pesos de los indicadores del objetivo ' || cve_objetivo || ' suman '"
                f" || printf('%g', round(sum(peso), 2)) || '; deben sumar {WEIGHT_TOTAL:.0f}'"
                f" FROM _final GROUP BY cve_objetivo HAVING abs(sum(peso) - {WEIGHT_TOTAL}) > {_WEIGHT_TOLERANCE}",
                "peso",
                "cve_objetivo",
            ),
        ),
    )
    return objectives, weights


def _count(name: str, description: str, example: str = "1000", required: bool = True) -> Column:
    return Column(name, "BIGINT", description, required=required, rules=(NON_NEGATIVE,), example=example)


def _amount(name: str, description: str, example: str = "1000.5", required: bool = True) -> Column:
    return Column(name, "DOUBLE", description, required=required, rules=(NON_NEGATIVE,), example=example)


def _monthly(
    name: str, title: str, description: str, *measures: Column, checks: tuple[Check, ...] = ()
) -> Contract:
    return Contract(
        name=name,
        table=name,
        title=title,
        description=description,
        columns=(_periodo(), _ooad(), *measures),
        key=("periodo", "cve_ooad"),
        partition="periodo",
        checks=checks,
        grains=(
            Grain("entidad", "cve_entidad", f"{name}_entidad", "por entidad federativa"),
            Grain("nacional", None, f"{name}_nacional", "nacional"),
        ),
    )


_SURGERY_CHECKS = (
    Check(
        "cirugias_oportunas <= cirugias_programadas",
        "cirugias_oportunas",
        "las cirugías oportunas no pueden exceder las programadas",
    ),
    Check(
        "dias_cama_ocupados <= dias_cama_disponibles",
        "dias_cama_ocupados",
        "los días cama ocupados no pueden exceder los disponibles",
    ),
)
_HOSPITAL_MEASURES = (
    ("consultas_especialidades", "Consultas de especialidades", "60000"),
    ("consultas_urgencias", "Atenciones en urgencias", "30000"),
    ("intervenciones_quirurgicas", "Intervenciones quirúrgicas realizadas", "4000"),
    ("cirugias_programadas", "Cirugías programadas", "2500"),
    ("cirugias_oportunas", "Cirugías programadas realizadas en tiempo", "2300"),
)
_BEDS = (
    ("dias_cama_ocupados", "Días cama ocupados", "25000"),
    ("dias_cama_disponibles", "Días cama disponibles", "30000"),
)


def _below_ooad(name: str, title: str, description: str, key: Column, measures: tuple) -> Contract:
    """A detail dataset below the OOAD (UMAE, medical unit): month and key, every measure optional."""
    return Contract(
        name=name,
        table=name,
        title=title,
        description=description,
        columns=(
            _periodo(),
            key,
            *(_count(m, text, example, required=False) for m, text, example in measures),
        ),
        key=("periodo", key.name),
        partition="periodo",
        checks=_SURGERY_CHECKS,
    )


def _detail_contracts() -> tuple[Contract, ...]:
    umae = Column(
        "cve_umae", "VARCHAR", "Clave de la UMAE, U01 a U25 (catálogo de UMAE)", codes=UMAE, example="U01"
    )
    unit = Column(
        "cve_unidad",
        "VARCHAR",
        "Clave de la unidad médica: OOAD, tipo y número (catálogo de unidades, p. ej. 09UMF020)",
        codes=UNIDAD,
        example="09UMF020",
    )
    return (
        _below_ooad(
            "consultas_umae",
            "Consultas y actividad hospitalaria por UMAE",
            "Actividad mensual de cada una de las 25 UMAE (tercer nivel). Sus cifras forman parte de las"
            " del OOAD donde se ubica: no se suman otra vez a los totales.",
            umae,
            (*_HOSPITAL_MEASURES, *_BEDS),
        ),
        _below_ooad(
            "consultas_unidad",
            "Consultas por unidad médica (UMF, HGZ)",
            "Productividad mensual de cada unidad médica de un OOAD; las unidades de un OOAD suman sus"
            " consultas. Deje vacías las medidas que la unidad no registra (una UMF no tiene camas).",
            unit,
            (
                (
                    "consultas_medicina_familiar",
                    "Consultas de medicina familiar otorgadas en el mes",
                    "20000",
                ),
                *_HOSPITAL_MEASURES,
                ("chequeos_prevenimss", "Chequeos PrevenIMSS", "6000"),
                *_BEDS,
            ),
        ),
    )


CONTRACTS: dict[str, Contract] = {
    c.name: c
    for c in (
        _monthly(
            "consultas",
            "Consultas y servicios médicos",
            "Productividad médica mensual por OOAD.",
            _count("consultas_medicina_familiar", "Consultas de medicina familiar otorgadas en el mes"),
            _count("consultas_especialidades", "Consultas de especialidades (segundo nivel)"),
            _count("consultas_urgencias", "Atenciones en urgencias"),
            _count("intervenciones_quirurgicas", "Intervenciones quirúrgicas realizadas"),
            _count("cirugias_programadas", "Cirugías programadas"),
            _count("cirugias_oportunas", "Cirugías programadas realizadas en tiempo"),
            _count("chequeos_prevenimss", "Chequeos PrevenIMSS"),
            _count("dias_cama_ocupados", "Días cama ocupados"),
            _count("dias_cama_disponibles", "Días cama disponibles"),
            checks=_SURGERY_CHECKS,
        ),
        *_detail_contracts(),
        _monthly(
            "afiliacion",
            "Afiliación",
            "Puestos de trabajo afiliados, patrones y población por OOAD al cierre del mes.",
            _count("puestos_trabajo", "Puestos de trabajo afiliados (Σ ta del archivo asg)", "580000"),
            _count("puestos_permanentes", "Puestos permanentes (tpu + tpc)", "500000", required=False),
            _count("puestos_eventuales", "Puestos eventuales (teu + tec)", "80000", required=False),
            _count("puestos_con_salario", "Puestos con salario asociado (ta_sal)", "570000", required=False),
            _amount(
                "masa_salarial",
                "Masa salarial diaria en pesos (Σ masa_sal_ta)",
                "380000000.5",
                required=False,
            ),
            _count("asegurados", "Personas aseguradas", "600000", required=False),
            _count("patrones", "Patrones registrados", "30000", required=False),
            _count(
                "poblacion_derechohabiente_adscrita", "Población derechohabiente adscrita", required=False
            ),
            _count("asegurados_programas_especiales", "Asegurados en programas especiales", required=False),
        ),
        _monthly(
            "guarderias",
            "Guarderías",
            "Unidades, capacidad instalada e inscripción de guarderías por OOAD.",
            _count("unidades", "Guarderías en operación", "40"),
            _count("capacidad_instalada", "Lugares de capacidad instalada", "7000"),
            _count("ninos_inscritos", "Niñas y niños inscritos", "6500", required=False),
        ),
        _monthly(
            "incapacidades",
            "Incapacidades",
            "Incapacidades por enfermedad general por OOAD.",
            _count("dias_incapacidad_eg", "Días de incapacidad por enfermedad general", "120000"),
            _count("certificados_incapacidad", "Certificados de incapacidad expedidos", "15000"),
            _amount("gasto_incapacidades", "Gasto en subsidios por incapacidad, millones de pesos", "45.5"),
        ),
        _monthly(
            "recetas",
            "Recetas",
            "Recetas emitidas y surtidas por OOAD.",
            _count("recetas_emitidas", "Recetas emitidas", "500000"),
            _count("recetas_surtidas_completas", "Recetas surtidas completas en la primera visita", "480000"),
            _count("recetas_resurtibles", "Recetas resurtibles emitidas", "15000"),
            checks=(
                Check(
                    "recetas_surtidas_completas <= recetas_emitidas",
                    "recetas_surtidas_completas",
                    "las recetas surtidas completas no pueden exceder las emitidas",
                ),
            ),
        ),
        _monthly(
            "plazas",
            "Plazas",
            "Plazas autorizadas y ocupadas por OOAD.",
            _count("plazas_autorizadas", "Plazas autorizadas", "12000"),
            _count("plazas_ocupadas", "Plazas ocupadas", "11500"),
            checks=(
                Check(
                    "plazas_ocupadas <= plazas_autorizadas",
                    "plazas_ocupadas",
                    "las plazas ocupadas no pueden exceder las autorizadas",
                ),
            ),
        ),
        Contract(
            name="finanzas",
            table="finanzas",
            title="Finanzas",
            description="Ingresos, presupuesto y reservas nacionales del mes, en millones de pesos (MDP).",
            columns=(
                _periodo(),
                _amount("ingresos_obrero_patronales", "Ingresos obrero-patronales del mes, MDP", "29000.5"),
                _amount("ingresos_totales", "Ingresos totales del mes, MDP", "40000.5"),
                _amount("presupuesto_autorizado", "Presupuesto autorizado del mes, MDP", "45000"),
                _amount("presupuesto_ejercido", "Presupuesto ejercido del mes, MDP", "43000"),
                _amount("reservas_saldo", "Saldo de reservas al cierre del mes, MDP", "400000"),
            ),
            key=("periodo",),
            partition="periodo",
        ),
        Contract(
            name="satisfaccion",
            table="satisfaccion",
            title="Satisfacción (ENCAL)",
            description="Encuesta anual de satisfacción por OOAD y servicio.",
            columns=(
                Column("anio", "INTEGER", "Año de la encuesta (AAAA)", rules=(NOT_FUTURE,), example="2019"),
                _ooad(),
                Column(
                    "servicio",
                    "VARCHAR",
                    "Servicio evaluado (p. ej. atencion_medica, guarderias)",
                    example="atencion_medica",
                ),
                _count("encuestados", "Usuarios encuestados", "1200"),
                _count("satisfechos", "Usuarios muy satisfechos o satisfechos", "970"),
            ),
            key=("anio", "cve_ooad", "servicio"),
            partition="anio",
            checks=(
                Check(
                    "satisfechos <= encuestados",
                    "satisfechos",
                    "no puede haber más satisfechos que encuestados",
                ),
            ),
        ),
        Contract(
            name="metas",
            table="metas",
            title="Metas",
            description=(
                "Metas por indicador, mes y ámbito (nacional, region:<Región>, entidad:<clave INEGI>,"
                " ooad:<clave>, umae:<clave> o unidad:<clave>)."
            ),
            columns=(
                Column(
                    "kpi",
                    "VARCHAR",
                    "Identificador del indicador (python -m indicators list)",
                    example="puestos_trabajo",
                ),
                Column(
                    "periodo", "DATE", "Mes de la meta, texto AAAA-MM (puede ser futuro)", example="2025-01"
                ),
                Column(
                    "ambito",
                    "VARCHAR",
                    "nacional, region:<Región>, entidad:<clave INEGI>, ooad:<clave de OOAD>, umae:<clave de UMAE>"
                    " o unidad:<clave de unidad médica>",
                    example="nacional",
                ),
                Column("valor", "DOUBLE", "Valor de la meta en la unidad del indicador", example="22000000"),
            ),
            key=("kpi", "periodo", "ambito"),
            partition="periodo",
            checks=(
                Check(
                    "ambito = 'nacional'"
                    " OR (ambito LIKE 'region:%' AND substr(ambito, 8) IN (SELECT region FROM regiones))"
                    " OR (ambito LIKE 'ooad:%' AND substr(ambito, 6) IN (SELECT cve_ooad FROM ooad))"
                    " OR (ambito LIKE 'entidad:%' AND substr(ambito, 9) IN (SELECT cve_entidad FROM entidades))"
                    " OR (ambito LIKE 'umae:%' AND substr(ambito, 6) IN (SELECT cve_umae FROM umae))"
                    " OR (ambito LIKE 'unidad:%' AND substr(ambito, 8) IN (SELECT cve_unidad FROM unidades))",
                    "ambito",
                    "ámbito desconocido: use nacional, region:<Región del catálogo>, entidad:<clave INEGI>,"
                    " ooad:<clave de OOAD>, umae:<clave de UMAE, U01 a U25> o unidad:<clave de unidad médica,"
                    " p. ej. 09UMF020>",
                ),
            ),
        ),
        Contract(
            name="acuerdos",
            table="acuerdos",
            title="Acuerdos de reuniones regionales",
            description="Un renglón por acuerdo o compromiso firmado en una reunión regional.",
            columns=(
                Column("folio", "VARCHAR", "Folio único del acuerdo", example="RR-CEN-2026-0001"),
                Column("cve_reunion", "VARCHAR", "Clave de la reunión regional", example="RR8-CEN-2026"),
                Column("region", "VARCHAR", "Región (catálogo de regiones)", codes=REGION, example="Centro"),
                Column(
                    "cve_ooad", "VARCHAR", "OOAD responsable, si aplica", required=False, codes=OOAD, pad=2
                ),
                Column("cve_umae", "VARCHAR", "UMAE responsable, si aplica", required=False, codes=UMAE),
                Column(
                    "cve_mesa", "VARCHAR", "Mesa de trabajo (catálogo de mesas)", codes=MESA, example="M1"
                ),
                Column("cve_tema", "VARCHAR", "Tema transversal, si aplica", required=False, codes=TEMA),
                Column(
                    "descripcion",
                    "VARCHAR",
                    "Texto del acuerdo",
                    example="Reducir el diferimiento quirúrgico",
                ),
                Column(
                    "cve_direccion",
                    "VARCHAR",
                    "Dirección Normativa responsable",
                    codes=DIRECCION,
                    example="DPM",
                ),
                Column(
                    "fecha_registro",
                    "DATE",
                    "Fecha de firma (AAAA-MM-DD)",
                    rules=(NOT_FUTURE,),
                    example="2023-04-28",
                ),
                Column(
                    "fecha_compromiso",
                    "DATE",
                    "Fecha compromiso (AAAA-MM-DD)",
                    required=False,
                    example="2023-12-31",
                ),
                Column(
                    "estado",
                    "VARCHAR",
                    "Estado del acuerdo (p. ej. En proceso, Concluido, Cancelado)",
                    example="En proceso",
                ),
                Column(
                    "avance", "DOUBLE", "Porcentaje de avance, de 0 a 100", rules=(PERCENT,), example="40"
                ),
                Column(
                    "fecha_conclusion",
                    "DATE",
                    "Fecha de conclusión (AAAA-MM-DD)",
                    required=False,
                    rules=(NOT_FUTURE,),
                ),
                Column(
                    "version",
                    "INTEGER",
                    "Versión del registro (empieza en 1)",
                    rules=(NON_NEGATIVE,),
                    example="1",
                ),
                Column(
                    "cve_kpi",
                    "VARCHAR",
                    "Indicador del catálogo al que apunta el acuerdo, si aplica (p. ej. ocupacion_hospitalaria)",
                    required=False,
                ),
                Column(
                    "meta_kpi",
                    "DOUBLE",
                    "Meta del indicador que persigue el acuerdo, si aplica",
                    required=False,
                ),
            ),
            key=("folio",),
            partition="folio",
        ),
        _agreements_registration(),
        Contract(
            name="avance_proyectos",
            table="avance_proyectos",
            title="Avance de proyectos estratégicos",
            description="Avance mensual (%) de los 49 proyectos estratégicos del mapa estratégico.",
            columns=(
                Column(
                    "cve_proyecto",
                    "VARCHAR",
                    "Clave del proyecto (P01 a P49, catálogo de proyectos estratégicos)",
                    codes=PROYECTO,
                    example="P08",
                ),
                _periodo(),
                Column("avance", "DOUBLE", "Avance acumulado, de 0 a 100", rules=(PERCENT,), example="45"),
                Column("comentario", "VARCHAR", "Nota breve del responsable", required=False, example=""),
            ),
            key=("cve_proyecto", "periodo"),
            partition="periodo",
        ),
        *_strategy(),
    )
}


class UnknownDatasetError(UserError, KeyError):
    """The name is not one of the datasets."""


def contract(name: str) -> Contract:
    """The contract of a dataset, or a Spanish error listing the valid names."""
    try:
        return CONTRACTS[name]
    except KeyError:
        raise UnknownDatasetError(
            f"Conjunto de datos desconocido: «{name}». Use uno de: {', '.join(CONTRACTS)}."
        ) from None


def template(name: str) -> str:
    """A blank CSV for the dataset: the header and one example row."""
    c = contract(name)
    buf = io.StringIO()
    pd.DataFrame([[col.example for col in c.columns]], columns=c.names).to_csv(buf, index=False)
    return buf.getvalue()


def template_csv_bom(name: str) -> bytes:
    """The blank CSV as planners download it: UTF-8 with BOM, so Excel shows the accents."""
    return ("\ufeff" + template(name)).encode("utf-8")


def template_xlsx(name: str) -> bytes:
    """The blank template as an Excel workbook: header, one example row, every column as text."""
    c = contract(name)
    buf = io.BytesIO()
    frame = pd.DataFrame([[col.example for col in c.columns]], columns=c.names)
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        frame.to_excel(writer, index=False, sheet_name=name[:31])
        writer.sheets[name[:31]].set_column(
            0, len(c.names) - 1, 18, writer.book.add_format({"num_format": "@"})
        )
    return buf.getvalue()


def _rules_text(col: Column) -> str:
    parts = []
    if col.codes:
        parts.append(f"debe existir en el catálogo {col.codes[0]}")
    if NON_NEGATIVE in col.rules:
        parts.append("no negativo")
    if PERCENT in col.rules:
        parts.append("entre 0 y 100")
    if NOT_FUTURE in col.rules:
        parts.append("no futuro")
    return "; ".join(parts)


_TYPE_TEXT = {
    "VARCHAR": "texto",
    "BIGINT": "entero",
    "INTEGER": "entero",
    "DOUBLE": "número",
    "DATE": "fecha AAAA-MM-DD",
}


def data_dictionary(name: str | None = None) -> pd.DataFrame:
    """The data dictionary (one row per column) of one dataset or of all."""
    rows = []
    for c in [contract(name)] if name else CONTRACTS.values():
        grains = [g for g in c.grains if g.key]
        for g in grains:
            rows.append(
                {
                    "conjunto": c.name,
                    "columna": g.key,
                    "tipo": "texto",
                    "obligatoria": "en lugar de cve_ooad",
                    "llave": "sí",
                    "descripcion": "Para datos por entidad federativa: clave INEGI de dos dígitos (01 a 32)."
                    " Sin cve_ooad ni cve_entidad, las filas son nacionales. Fuera de la clave, toda"
                    " medida es opcional en esos niveles.",
                    "reglas": "debe existir en el catálogo entidades",
                    "ejemplo": "09",
                }
            )
        for col in c.columns:
            rows.append(
                {
                    "conjunto": c.name,
                    "columna": col.name,
                    "tipo": "periodo AAAA-MM" if col.is_period else _TYPE_TEXT[col.type],
                    "obligatoria": "sí" if col.required else "no",
                    "llave": "sí" if col.name in c.key else "no",
                    "descripcion": col.description,
                    "reglas": _rules_text(col),
                    "ejemplo": col.example,
                }
            )
    return pd.DataFrame(rows)
