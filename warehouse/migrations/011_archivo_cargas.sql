-- Rows a load replaced, kept so the load can be undone (loaders/store.py).
-- Each archive has its table's columns plus archivada_por: the load (cargas.id) that replaced them.
CREATE TABLE IF NOT EXISTS consultas_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM consultas LIMIT 0;
CREATE TABLE IF NOT EXISTS afiliacion_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM afiliacion LIMIT 0;
CREATE TABLE IF NOT EXISTS guarderias_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM guarderias LIMIT 0;
CREATE TABLE IF NOT EXISTS incapacidades_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM incapacidades LIMIT 0;
CREATE TABLE IF NOT EXISTS recetas_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM recetas LIMIT 0;
CREATE TABLE IF NOT EXISTS plazas_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM plazas LIMIT 0;
CREATE TABLE IF NOT EXISTS finanzas_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM finanzas LIMIT 0;
CREATE TABLE IF NOT EXISTS satisfaccion_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM satisfaccion LIMIT 0;
CREATE TABLE IF NOT EXISTS metas_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM metas LIMIT 0;
CREATE TABLE IF NOT EXISTS acuerdos_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM acuerdos LIMIT 0;
CREATE TABLE IF NOT EXISTS asegurados_detalle_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM asegurados_detalle LIMIT 0;
CREATE TABLE IF NOT EXISTS asegurados_cubo_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM asegurados_cubo LIMIT 0;
CREATE TABLE IF NOT EXISTS delegaciones_imss_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM delegaciones_imss LIMIT 0;
CREATE TABLE IF NOT EXISTS subdelegaciones_imss_archivo AS SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM subdelegaciones_imss LIMIT 0;
