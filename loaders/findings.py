"""Validation findings and load results, worded in Spanish for planners."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

MAX_SHOWN = 50


@dataclass(frozen=True)
class Finding:
    """One problem in one cell (or in the header: row 1, or the whole file: row None)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    problem: str

    @property
    def message(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"fila {self.row}")
        if self.column:
            where.append(f"columna «{self.column}»")
        value = f" (valor «{self.value}»)" if self.value not in (None, "") else ""
        return f"{', '.join(where)}: {self.problem}{value}."


@dataclass
class Report:
    """The findings of one file: the first MAX_SHOWN kept, all counted."""

    findings: list[Finding] = field(default_factory=list)
    total: int = 0

    def add(self, finding: Finding) -> None:
        self.total += 1
        if len(self.findings) < MAX_SHOWN:
            self.findings.append(finding)

    def extend(self, findings: list[Finding], total: int | None = None) -> None:
        room = MAX_SHOWN - len(self.findings)
        self.findings.extend(findings[: max(room, 0)])
        self.total += len(findings) if total is None else total

    @property
    def ok(self) -> bool:
        return self.total == 0

    def frame(self) -> pd.DataFrame:
        """The shown findings as a table (fila, columna, valor, problema, mensaje)."""
        return pd.DataFrame(
            [
                {
                    "fila": f.row,
                    "columna": f.column,
                    "valor": f.value,
                    "problema": f.problem,
                    "mensaje": f.message,
                }
                for f in self.findings
            ],
            columns=["fila", "columna", "valor", "problema", "mensaje"],
        )

    def summary(self) -> str:
        if self.ok:
            return "Sin errores."
        shown = len(self.findings)
        more = f" (se muestran los primeros {shown})" if self.total > shown else ""
        if self.total == 1:
            return "Se encontró 1 error; el archivo no se cargó y nada cambió."
        return f"Se encontraron {self.total:,} errores{more}; el archivo no se cargó y nada cambió."


@dataclass
class LoadResult:
    """The outcome of one load attempt (or dry run)."""

    status: str  # cargada | rechazada | duplicada | validada
    dataset: str
    file: str
    load_id: int | None = None
    rows: int = 0
    periods: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    warnings: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    message: str = ""
    folios: list[str] = field(default_factory=list)  # agreements registered by the load
    changes: list[str] = field(default_factory=list)  # per measure: rows, periods, before → after
    cautions: Report = field(default_factory=Report)  # plausibility warnings to accept explicitly

    @property
    def loaded(self) -> bool:
        return self.status == "cargada"

    @property
    def exit_code(self) -> int:
        return 0 if self.status in ("cargada", "validada") else 2
