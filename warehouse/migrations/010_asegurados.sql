-- The IMSS open-data file of insured jobs (asg-YYYY-MM-DD.csv), loaded by loaders/asg.py.
-- Detail: one row per cell of the published cube, for analysts' exports (codes kept as text).
CREATE TABLE IF NOT EXISTS asegurados_detalle (
    periodo DATE NOT NULL,
    cve_delegacion VARCHAR,
    cve_subdelegacion VARCHAR,
    cve_entidad VARCHAR,
    cve_municipio VARCHAR,
    sector_economico_1 VARCHAR,
    sector_economico_2 VARCHAR,
    sector_economico_4 VARCHAR,
    tamano_patron VARCHAR,
    sexo VARCHAR,
    rango_edad VARCHAR,
    rango_salarial VARCHAR,
    rango_uma VARCHAR,
    asegurados BIGINT,
    no_trabajadores BIGINT,
    ta BIGINT,
    teu BIGINT,
    tec BIGINT,
    tpu BIGINT,
    tpc BIGINT,
    ta_sal BIGINT,
    teu_sal BIGINT,
    tec_sal BIGINT,
    tpu_sal BIGINT,
    tpc_sal BIGINT,
    masa_sal_ta DOUBLE,
    masa_sal_teu DOUBLE,
    masa_sal_tec DOUBLE,
    masa_sal_tpu DOUBLE,
    masa_sal_tpc DOUBLE,
    carga_id INTEGER
);
-- Drill-down cube: for each month and OOAD, the totals by each category of one dimension
-- (dimension in sector_economico_1, tamano_patron, sexo, rango_edad, rango_salarial).
-- Blank categories in the file are stored as 'Sin dato'.
CREATE TABLE IF NOT EXISTS asegurados_cubo (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    dimension VARCHAR NOT NULL,
    categoria VARCHAR NOT NULL,
    puestos_trabajo BIGINT NOT NULL,
    puestos_permanentes BIGINT NOT NULL,
    puestos_eventuales BIGINT NOT NULL,
    puestos_con_salario BIGINT NOT NULL,
    masa_salarial DOUBLE NOT NULL,
    asegurados BIGINT NOT NULL,
    carga_id INTEGER
);
-- Delegación IMSS -> OOAD, from the official workbook diccionario_de_datos_1.xlsx.
-- When a delegación is missing here, ooad.cve_delegacion_imss maps it; else it goes to '99'.
CREATE TABLE IF NOT EXISTS delegaciones_imss (
    cve_delegacion VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    cve_ooad VARCHAR,
    carga_id INTEGER
);
CREATE TABLE IF NOT EXISTS subdelegaciones_imss (
    cve_delegacion VARCHAR NOT NULL,
    cve_subdelegacion VARCHAR NOT NULL,
    nombre VARCHAR NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (cve_delegacion, cve_subdelegacion)
);
