-- Issue 14: the 25 UMAE as a level below the OOAD for hospital KPIs.
-- Each UMAE sits in the territory of one OOAD (`cve_ooad`, the host). Its facts are a detail of
-- that OOAD's figures, never added to them again: OOAD, region and national totals read the OOAD
-- tables only, so they stay what they are; a UMAE scope or breakdown reads `consultas_umae`.
ALTER TABLE umae ADD COLUMN IF NOT EXISTS cve_ooad VARCHAR;
CREATE TABLE IF NOT EXISTS consultas_umae (
    periodo DATE NOT NULL,
    cve_umae VARCHAR NOT NULL,
    consultas_especialidades BIGINT,
    consultas_urgencias BIGINT,
    intervenciones_quirurgicas BIGINT,
    cirugias_programadas BIGINT,
    cirugias_oportunas BIGINT,
    dias_cama_ocupados BIGINT,
    dias_cama_disponibles BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_umae)
);
