-- Grains beside the OOAD: the same monthly measures by entidad federativa (INEGI 01-32) and
-- nationally, for series that exist only at those levels (loaders/contracts.py, Grain).
-- Every measure is optional at these grains: a file carries the ones it has.
-- The engine reads, per period and state, the finest grain present (indicators/grains.py).
CREATE TABLE IF NOT EXISTS consultas_entidad (
    periodo DATE NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    consultas_medicina_familiar BIGINT,
    consultas_especialidades BIGINT,
    consultas_urgencias BIGINT,
    intervenciones_quirurgicas BIGINT,
    cirugias_programadas BIGINT,
    cirugias_oportunas BIGINT,
    chequeos_prevenimss BIGINT,
    dias_cama_ocupados BIGINT,
    dias_cama_disponibles BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_entidad)
);
CREATE TABLE IF NOT EXISTS consultas_entidad_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM consultas_entidad LIMIT 0;
CREATE TABLE IF NOT EXISTS consultas_nacional (
    periodo DATE NOT NULL,
    consultas_medicina_familiar BIGINT,
    consultas_especialidades BIGINT,
    consultas_urgencias BIGINT,
    intervenciones_quirurgicas BIGINT,
    cirugias_programadas BIGINT,
    cirugias_oportunas BIGINT,
    chequeos_prevenimss BIGINT,
    dias_cama_ocupados BIGINT,
    dias_cama_disponibles BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo)
);
CREATE TABLE IF NOT EXISTS consultas_nacional_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM consultas_nacional LIMIT 0;
CREATE TABLE IF NOT EXISTS afiliacion_entidad (
    periodo DATE NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    puestos_trabajo BIGINT,
    puestos_permanentes BIGINT,
    puestos_eventuales BIGINT,
    puestos_con_salario BIGINT,
    masa_salarial DOUBLE,
    asegurados BIGINT,
    patrones BIGINT,
    poblacion_derechohabiente_adscrita BIGINT,
    asegurados_programas_especiales BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_entidad)
);
CREATE TABLE IF NOT EXISTS afiliacion_entidad_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM afiliacion_entidad LIMIT 0;
CREATE TABLE IF NOT EXISTS afiliacion_nacional (
    periodo DATE NOT NULL,
    puestos_trabajo BIGINT,
    puestos_permanentes BIGINT,
    puestos_eventuales BIGINT,
    puestos_con_salario BIGINT,
    masa_salarial DOUBLE,
    asegurados BIGINT,
    patrones BIGINT,
    poblacion_derechohabiente_adscrita BIGINT,
    asegurados_programas_especiales BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo)
);
CREATE TABLE IF NOT EXISTS afiliacion_nacional_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM afiliacion_nacional LIMIT 0;
CREATE TABLE IF NOT EXISTS guarderias_entidad (
    periodo DATE NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    unidades BIGINT,
    capacidad_instalada BIGINT,
    ninos_inscritos BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_entidad)
);
CREATE TABLE IF NOT EXISTS guarderias_entidad_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM guarderias_entidad LIMIT 0;
CREATE TABLE IF NOT EXISTS guarderias_nacional (
    periodo DATE NOT NULL,
    unidades BIGINT,
    capacidad_instalada BIGINT,
    ninos_inscritos BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo)
);
CREATE TABLE IF NOT EXISTS guarderias_nacional_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM guarderias_nacional LIMIT 0;
CREATE TABLE IF NOT EXISTS incapacidades_entidad (
    periodo DATE NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    dias_incapacidad_eg BIGINT,
    certificados_incapacidad BIGINT,
    gasto_incapacidades DOUBLE,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_entidad)
);
CREATE TABLE IF NOT EXISTS incapacidades_entidad_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM incapacidades_entidad LIMIT 0;
CREATE TABLE IF NOT EXISTS incapacidades_nacional (
    periodo DATE NOT NULL,
    dias_incapacidad_eg BIGINT,
    certificados_incapacidad BIGINT,
    gasto_incapacidades DOUBLE,
    carga_id INTEGER,
    PRIMARY KEY (periodo)
);
CREATE TABLE IF NOT EXISTS incapacidades_nacional_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM incapacidades_nacional LIMIT 0;
CREATE TABLE IF NOT EXISTS recetas_entidad (
    periodo DATE NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    recetas_emitidas BIGINT,
    recetas_surtidas_completas BIGINT,
    recetas_resurtibles BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_entidad)
);
CREATE TABLE IF NOT EXISTS recetas_entidad_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM recetas_entidad LIMIT 0;
CREATE TABLE IF NOT EXISTS recetas_nacional (
    periodo DATE NOT NULL,
    recetas_emitidas BIGINT,
    recetas_surtidas_completas BIGINT,
    recetas_resurtibles BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo)
);
CREATE TABLE IF NOT EXISTS recetas_nacional_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM recetas_nacional LIMIT 0;
CREATE TABLE IF NOT EXISTS plazas_entidad (
    periodo DATE NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    plazas_autorizadas BIGINT,
    plazas_ocupadas BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_entidad)
);
CREATE TABLE IF NOT EXISTS plazas_entidad_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM plazas_entidad LIMIT 0;
CREATE TABLE IF NOT EXISTS plazas_nacional (
    periodo DATE NOT NULL,
    plazas_autorizadas BIGINT,
    plazas_ocupadas BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo)
);
CREATE TABLE IF NOT EXISTS plazas_nacional_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM plazas_nacional LIMIT 0;
-- Daycare lists often carry only capacity: enrolment becomes optional.
ALTER TABLE guarderias ALTER COLUMN ninos_inscritos DROP NOT NULL;
-- Plausibility warnings a planner accepted, kept with the load (loaders/plausibility.py).
ALTER TABLE cargas ADD COLUMN IF NOT EXISTS advertencias VARCHAR;
