"""Exportaciones: formatos, escritores en flujo, protección de fórmulas, suscripciones."""
