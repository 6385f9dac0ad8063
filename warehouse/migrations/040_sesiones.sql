-- Server-side sign-in sessions (the browser holds only a signed cookie with the session id).
-- The cookie's id and the one-time hand-off token are stored as SHA-256 digests: a copy of
-- the warehouse does not let anyone take over a session.
CREATE TABLE IF NOT EXISTS sesiones (
    clave VARCHAR PRIMARY KEY,        -- server-side key (never sent to the browser)
    id_hash VARCHAR,                  -- digest of the cookie's id, set when the cookie is issued
    usuario VARCHAR NOT NULL,
    metodo VARCHAR NOT NULL,          -- local | oidc
    creada TIMESTAMP NOT NULL,
    ultima TIMESTAMP NOT NULL,        -- last interaction (idle timeout)
    expira TIMESTAMP NOT NULL,        -- absolute end, whatever the activity
    revocada TIMESTAMP,
    motivo VARCHAR,                   -- why it ended: cierre, contrasena, baja, ...
    entrega_hash VARCHAR,             -- one-time token that sets the cookie, cleared when used
    entrega_expira TIMESTAMP
);
-- Where a sign-in attempt came from (throttling per source and per account).
ALTER TABLE intentos_acceso ADD COLUMN IF NOT EXISTS origen VARCHAR;
