-- Issue 27 (every door scoped): the scope a notice is about, so an inbox shared by a directorate
-- shows each reader only the notices inside their ámbito. KPI notices (alerts, commentary and its
-- requests) carry it here; a notice about an agreement is scoped by its agreement instead.
ALTER TABLE notificaciones ADD COLUMN IF NOT EXISTS ambito VARCHAR;
