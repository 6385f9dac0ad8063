-- The whole agreement cycle (issue 15): meetings as records, delegates (enlaces), the
-- «Solicitud de conclusión» step, links to KPIs and units, and who acted on whose behalf.
-- Meetings: participants, mesas and themes, minutes file, who created the record.
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS ciclo VARCHAR;
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS ooad_participantes VARCHAR[];
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS umae_participantes VARCHAR[];
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS mesas VARCHAR[];
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS temas VARCHAR[];
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS minuta_nombre VARCHAR;
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS minuta_ruta VARCHAR;
ALTER TABLE reuniones ADD COLUMN IF NOT EXISTS creado_por VARCHAR;
-- What an agreement aims at: a KPI of the catalog and its target value (unit: the KPI's).
ALTER TABLE acuerdos ADD COLUMN IF NOT EXISTS cve_kpi VARCHAR;
ALTER TABLE acuerdos ADD COLUMN IF NOT EXISTS meta_kpi DOUBLE;
ALTER TABLE acuerdos_archivo ADD COLUMN IF NOT EXISTS cve_kpi VARCHAR;
ALTER TABLE acuerdos_archivo ADD COLUMN IF NOT EXISTS meta_kpi DOUBLE;
-- History rows record the person (usuario); on whose behalf they acted (a directorate, or DG)
-- goes beside them, so acuerdos_historial itself is never altered (it is append-only).
CREATE TABLE IF NOT EXISTS acuerdos_historial_en_nombre (
    historial_id BIGINT PRIMARY KEY,
    en_nombre_de VARCHAR NOT NULL
);
ALTER TABLE notificaciones ADD COLUMN IF NOT EXISTS en_nombre_de VARCHAR;
-- Delegates: a person who acts for a directorate; named by an administrator or its director.
CREATE TABLE IF NOT EXISTS enlaces (
    usuario VARCHAR NOT NULL,
    cve_direccion VARCHAR NOT NULL,
    designado_por VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL,
    PRIMARY KEY (usuario, cve_direccion)
);
-- Daily digest: the last day each person was sent one (so a rerun the same day sends nothing).
CREATE TABLE IF NOT EXISTS resumen_diario_envios (
    usuario VARCHAR NOT NULL,
    fecha DATE NOT NULL,
    PRIMARY KEY (usuario, fecha)
);
