-- Fact tables at monthly grain by OOAD (periodo = first day of the month).
-- carga_id links every row to the load (cargas.id) that wrote it.
CREATE TABLE IF NOT EXISTS consultas (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    consultas_medicina_familiar BIGINT NOT NULL,
    consultas_especialidades BIGINT NOT NULL,
    consultas_urgencias BIGINT NOT NULL,
    intervenciones_quirurgicas BIGINT NOT NULL,
    cirugias_programadas BIGINT NOT NULL,
    cirugias_oportunas BIGINT NOT NULL,
    chequeos_prevenimss BIGINT NOT NULL,
    dias_cama_ocupados BIGINT NOT NULL,
    dias_cama_disponibles BIGINT NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_ooad)
);
CREATE TABLE IF NOT EXISTS afiliacion (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    puestos_trabajo BIGINT NOT NULL,
    puestos_permanentes BIGINT,
    puestos_eventuales BIGINT,
    puestos_con_salario BIGINT,
    masa_salarial DOUBLE,
    asegurados BIGINT,
    patrones BIGINT,
    poblacion_derechohabiente_adscrita BIGINT,
    asegurados_programas_especiales BIGINT,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_ooad)
);
CREATE TABLE IF NOT EXISTS guarderias (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    unidades BIGINT NOT NULL,
    capacidad_instalada BIGINT NOT NULL,
    ninos_inscritos BIGINT NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_ooad)
);
CREATE TABLE IF NOT EXISTS incapacidades (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    dias_incapacidad_eg BIGINT NOT NULL,
    certificados_incapacidad BIGINT NOT NULL,
    gasto_incapacidades DOUBLE NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_ooad)
);
CREATE TABLE IF NOT EXISTS recetas (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    recetas_emitidas BIGINT NOT NULL,
    recetas_surtidas_completas BIGINT NOT NULL,
    recetas_resurtibles BIGINT NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_ooad)
);
CREATE TABLE IF NOT EXISTS plazas (
    periodo DATE NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    plazas_autorizadas BIGINT NOT NULL,
    plazas_ocupadas BIGINT NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (periodo, cve_ooad)
);
-- Finances are national; amounts in millones de pesos (MDP).
CREATE TABLE IF NOT EXISTS finanzas (
    periodo DATE NOT NULL PRIMARY KEY,
    ingresos_obrero_patronales DOUBLE NOT NULL,
    ingresos_totales DOUBLE NOT NULL,
    presupuesto_autorizado DOUBLE NOT NULL,
    presupuesto_ejercido DOUBLE NOT NULL,
    reservas_saldo DOUBLE NOT NULL,
    carga_id INTEGER
);
-- Satisfaction surveys (ENCAL) are yearly, by OOAD and service.
CREATE TABLE IF NOT EXISTS satisfaccion (
    anio INTEGER NOT NULL,
    cve_ooad VARCHAR NOT NULL,
    servicio VARCHAR NOT NULL,
    encuestados BIGINT NOT NULL,
    satisfechos BIGINT NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (anio, cve_ooad, servicio)
);
-- Targets by KPI, month and scope: 'nacional', 'region:<Region>', 'ooad:<cve_ooad>'.
CREATE TABLE IF NOT EXISTS metas (
    kpi VARCHAR NOT NULL,
    periodo DATE NOT NULL,
    ambito VARCHAR NOT NULL,
    valor DOUBLE NOT NULL,
    carga_id INTEGER,
    PRIMARY KEY (kpi, periodo, ambito)
);
