"""The SQL predicates that cut data to a person's scope, written once for every room."""

from __future__ import annotations


def directorate_sql(alias: str, param: str = "?") -> str:
    """The agreement `alias` belongs to the directorate bound at `param`, as responsible or co-responsible.

    With the positional `?` the directorate is bound twice; with a named `$param`, once.
    """
    return (
        f"({alias}.cve_direccion = {param} OR {alias}.folio IN "
        f"(SELECT folio FROM acuerdos_corresponsables WHERE cve_direccion = {param}))"
    )
