-- Issue 16: the KPI owner's commentary per KPI, period and scope (append-only history),
-- and what each person follows (KPIs and OOAD) for alerts; the last status seen per KPI.
CREATE SEQUENCE IF NOT EXISTS seq_comentarios_kpi START 1;
CREATE TABLE IF NOT EXISTS comentarios_kpi (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_comentarios_kpi'),
    kpi VARCHAR NOT NULL,
    periodo VARCHAR NOT NULL,
    ambito VARCHAR NOT NULL,
    por_que VARCHAR NOT NULL,
    que_se_hace VARCHAR NOT NULL,
    usuario VARCHAR NOT NULL,
    cve_direccion VARCHAR,
    fecha TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS seguimiento_kpi (
    usuario VARCHAR NOT NULL,
    bandeja VARCHAR NOT NULL,  -- the inbox its alerts go to: the person's directorate, or DG
    kpi VARCHAR NOT NULL,
    ambito VARCHAR NOT NULL,   -- nacional, region:X or ooad:NN
    fecha TIMESTAMP NOT NULL,
    PRIMARY KEY (usuario, kpi, ambito)
);
CREATE TABLE IF NOT EXISTS alertas_estado (
    kpi VARCHAR NOT NULL,
    ambito VARCHAR NOT NULL,
    periodo VARCHAR NOT NULL,  -- the last period evaluated
    estado VARCHAR NOT NULL,
    cumplimiento DOUBLE,
    fecha TIMESTAMP NOT NULL,
    PRIMARY KEY (kpi, ambito)
);
