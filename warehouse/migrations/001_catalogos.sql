-- Catalogs: regions, states, OOAD, UMAE, directorates, working tables, themes, meetings.
CREATE TABLE IF NOT EXISTS regiones (
    region VARCHAR PRIMARY KEY,
    orden INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entidades (
    cve_entidad VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    abreviatura VARCHAR NOT NULL,
    fila INTEGER NOT NULL,
    columna INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ooad (
    cve_ooad VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    cve_delegacion_imss VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS umae (
    cve_umae VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    complejo VARCHAR NOT NULL,
    cve_entidad VARCHAR NOT NULL,
    region VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS direcciones (
    cve_direccion VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS mesas (
    cve_mesa VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS temas (
    cve_tema VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS reuniones (
    cve_reunion VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    ronda INTEGER NOT NULL,
    region VARCHAR NOT NULL,
    sede VARCHAR,
    fecha_inicio DATE NOT NULL,
    fecha_fin DATE NOT NULL
);
