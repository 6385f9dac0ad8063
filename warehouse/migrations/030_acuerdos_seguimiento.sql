-- Follow-up of agreements: in-app notifications, evidence files, directorate e-mail catalog.
-- acuerdos_historial (003) is append-only: the code only ever INSERTs into it (see
-- indicators/agreement_actions.py); no function updates or deletes its rows.
CREATE SEQUENCE IF NOT EXISTS seq_notificaciones START 1;
CREATE TABLE IF NOT EXISTS notificaciones (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_notificaciones'),
    cve_direccion VARCHAR NOT NULL,
    folio VARCHAR NOT NULL,
    evento VARCHAR NOT NULL,
    mensaje VARCHAR NOT NULL,
    usuario_origen VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL,
    leida BOOLEAN NOT NULL DEFAULT false,
    fecha_lectura TIMESTAMP
);
CREATE SEQUENCE IF NOT EXISTS seq_acuerdos_evidencias START 1;
CREATE TABLE IF NOT EXISTS acuerdos_evidencias (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_acuerdos_evidencias'),
    folio VARCHAR NOT NULL,
    historial_id BIGINT,
    nombre_original VARCHAR NOT NULL,
    ruta VARCHAR NOT NULL,
    tipo VARCHAR NOT NULL,
    tamano_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    usuario VARCHAR NOT NULL,
    fecha TIMESTAMP NOT NULL
);
-- Where each directorate receives agreement e-mails (filled by the administrator).
CREATE TABLE IF NOT EXISTS direcciones_correo (
    cve_direccion VARCHAR NOT NULL,
    correo VARCHAR NOT NULL,
    PRIMARY KEY (cve_direccion, correo)
);
