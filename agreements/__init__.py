"""Acuerdos: registro, ciclo de vida y quién puede qué, tablero, avisos, evidencias, reuniones."""
