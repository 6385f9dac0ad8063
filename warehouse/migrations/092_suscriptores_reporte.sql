-- Issue 16: who receives the scheduled executive report (PDF) by e-mail, and for which scope.
CREATE TABLE IF NOT EXISTS suscriptores_reporte (
    correo VARCHAR NOT NULL,
    ambito VARCHAR NOT NULL DEFAULT 'nacional',
    alta TIMESTAMP NOT NULL,
    PRIMARY KEY (correo, ambito)
);
