-- Local accounts, their roles, sign-in attempts (throttling) and the audit log.
-- Passwords are stored only as bcrypt hashes; OIDC-only accounts have no hash.
CREATE TABLE IF NOT EXISTS usuarios (
    usuario VARCHAR PRIMARY KEY,
    nombre VARCHAR NOT NULL,
    email VARCHAR,
    password_hash VARCHAR,
    cve_direccion VARCHAR,
    ambito VARCHAR NOT NULL DEFAULT 'nacional',
    activo BOOLEAN NOT NULL DEFAULT true,
    creado TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS usuarios_roles (
    usuario VARCHAR NOT NULL,
    rol VARCHAR NOT NULL,
    PRIMARY KEY (usuario, rol)
);
CREATE TABLE IF NOT EXISTS intentos_acceso (
    usuario VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL,
    resultado VARCHAR NOT NULL  -- exito | fallo | bloqueado
);
CREATE SEQUENCE IF NOT EXISTS seq_auditoria START 1;
CREATE TABLE IF NOT EXISTS auditoria (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_auditoria'),
    usuario VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL,
    accion VARCHAR NOT NULL,
    detalle VARCHAR
);
