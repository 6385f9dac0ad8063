-- Issue 16: the strategy map's catalogs (objectives; KPI weights and owners) are uploaded in
-- «Cargar datos» like any dataset: rows carry their load, replaced rows are archived for undo.
-- `indicadores` lists the KPI ids of indicators/catalog.py (data/catalogos/indicadores.csv; a test
-- keeps both equal) so an uploaded file can only name KPIs that exist.
ALTER TABLE objetivos ADD COLUMN IF NOT EXISTS carga_id INTEGER;
ALTER TABLE indicadores_estrategia ADD COLUMN IF NOT EXISTS carga_id INTEGER;
CREATE TABLE IF NOT EXISTS objetivos_archivo AS
    SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM objetivos LIMIT 0;
CREATE TABLE IF NOT EXISTS indicadores_estrategia_archivo AS
    SELECT *, CAST(NULL AS INTEGER) AS archivada_por FROM indicadores_estrategia LIMIT 0;
CREATE TABLE IF NOT EXISTS indicadores (
    kpi VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    rubro VARCHAR NOT NULL
);
