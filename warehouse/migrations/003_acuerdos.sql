-- Agreements from regional meetings: one row per agreement, plus co-responsibles and history.
CREATE TABLE IF NOT EXISTS acuerdos (
    folio VARCHAR PRIMARY KEY,
    cve_reunion VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    cve_ooad VARCHAR,
    cve_umae VARCHAR,
    cve_mesa VARCHAR NOT NULL,
    cve_tema VARCHAR,
    descripcion VARCHAR NOT NULL,
    cve_direccion VARCHAR NOT NULL,
    fecha_registro DATE NOT NULL,
    fecha_compromiso DATE,
    estado VARCHAR NOT NULL,
    avance DOUBLE NOT NULL DEFAULT 0,
    fecha_conclusion DATE,
    version INTEGER NOT NULL DEFAULT 1,
    carga_id INTEGER
);
CREATE TABLE IF NOT EXISTS acuerdos_corresponsables (
    folio VARCHAR NOT NULL,
    cve_direccion VARCHAR NOT NULL,
    PRIMARY KEY (folio, cve_direccion)
);
CREATE SEQUENCE IF NOT EXISTS seq_acuerdos_historial START 1;
CREATE TABLE IF NOT EXISTS acuerdos_historial (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_acuerdos_historial'),
    folio VARCHAR NOT NULL,
    usuario VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL,
    campo VARCHAR NOT NULL,
    valor_anterior VARCHAR,
    valor_nuevo VARCHAR,
    comentario VARCHAR
);
