-- Issue 14: medical units (UMF, first level; HGZ, second level) as the level below the OOAD.
-- Each unit belongs to one OOAD and the units of an OOAD partition its consultations exactly:
-- for every month and measure they add up to the OOAD's row of `consultas`. A unit reports only
-- the measures of its level (a UMF has no beds): the others are NULL, never zero.
CREATE TABLE IF NOT EXISTS unidades (
    cve_unidad VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    tipo VARCHAR NOT NULL,
    cve_ooad VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS consultas_unidad (
    periodo DATE NOT NULL,
    cve_unidad VARCHAR NOT NULL,
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
    PRIMARY KEY (periodo, cve_unidad)
);
-- Both detail tables are uploaded in «Cargar datos» (loaders/contracts.py): a load archives the
-- rows it replaces so that undo brings them back.
CREATE TABLE IF NOT EXISTS consultas_umae_archivo AS
    SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM consultas_umae LIMIT 0;
CREATE TABLE IF NOT EXISTS consultas_unidad_archivo AS
    SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM consultas_unidad LIMIT 0;
