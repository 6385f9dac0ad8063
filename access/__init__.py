"""Acceso: usuarios, inicio de sesión, sesiones, roles y alcance."""
