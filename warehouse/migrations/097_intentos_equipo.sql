-- The browser a sign-in attempt came from (issue 27): the SHA-256 digest of its device cookie
-- (`cmi_equipo`), so that throttling is keyed by account and device, not only by address.
ALTER TABLE intentos_acceso ADD COLUMN IF NOT EXISTS equipo VARCHAR;
