-- The load log; its latest id is the data version that keys every cache.
CREATE SEQUENCE IF NOT EXISTS seq_cargas START 1;
CREATE TABLE IF NOT EXISTS cargas (
    id INTEGER PRIMARY KEY DEFAULT nextval('seq_cargas'),
    dataset VARCHAR NOT NULL,
    archivo VARCHAR NOT NULL,
    sha256 VARCHAR,
    filas BIGINT NOT NULL,
    usuario VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL,
    modo VARCHAR NOT NULL,
    periodos VARCHAR,
    estado VARCHAR NOT NULL DEFAULT 'aplicada',
    revierte_a INTEGER
);
