-- Settings and markers (e.g. 'datos_demo' = 'si' when the warehouse holds demonstration data).
CREATE TABLE IF NOT EXISTS ajustes (
    clave VARCHAR PRIMARY KEY,
    valor VARCHAR
);
