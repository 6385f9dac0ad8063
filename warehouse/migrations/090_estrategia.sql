-- Strategy map (issue 16): PIIMSS 2020-2024 objectives, the KPIs that serve each (weight, owner)
-- and the 49 strategic projects. Catalogs: loaded from data/catalogos like the others.
CREATE TABLE IF NOT EXISTS objetivos (
    cve_objetivo VARCHAR PRIMARY KEY,
    orden INTEGER NOT NULL,
    nombre_corto VARCHAR NOT NULL,
    nombre VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS indicadores_estrategia (
    cve_objetivo VARCHAR NOT NULL,
    kpi VARCHAR PRIMARY KEY,
    peso DOUBLE NOT NULL CHECK (peso > 0),
    cve_direccion VARCHAR NOT NULL,
    responsable VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS proyectos_estrategicos (
    cve_proyecto VARCHAR PRIMARY KEY,
    numero INTEGER NOT NULL,
    nombre VARCHAR NOT NULL,
    cve_direccion VARCHAR NOT NULL,
    cve_objetivo VARCHAR NOT NULL,
    avance DOUBLE CHECK (avance BETWEEN 0 AND 100)
);
