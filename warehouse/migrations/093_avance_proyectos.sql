-- Issue 16: monthly progress of the strategic projects, uploaded like any dataset (undoable).
CREATE TABLE IF NOT EXISTS avance_proyectos (
    cve_proyecto VARCHAR NOT NULL,
    periodo DATE NOT NULL,
    avance DOUBLE NOT NULL,
    comentario VARCHAR,
    carga_id INTEGER,
    PRIMARY KEY (cve_proyecto, periodo)
);
CREATE TABLE IF NOT EXISTS avance_proyectos_archivo AS
    SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM avance_proyectos LIMIT 0;
