"""What every dataset generator receives: the months, the OOAD, a seeded RNG per dataset."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from data.demo.geo import Geography
from data.demo.timeline import Timeline

SEED = 20_191_231


@dataclass
class Context:
    today: date
    seed: int = SEED
    tl: Timeline = field(init=False)
    geo: Geography = field(init=False)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tl = Timeline.until(self.today)
        self.geo = Geography()

    def rng(self, name: str) -> np.random.Generator:
        """An independent stream per dataset, so changing one leaves the others identical."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])

    def long(self, columns: dict[str, np.ndarray]) -> pd.DataFrame:
        """T x O arrays as rows (periodo, cve_ooad, columns...) in period-then-OOAD order."""
        t, o = len(self.tl), len(self.geo)
        out = pd.DataFrame(
            {
                "periodo": np.repeat(np.array(self.tl.periods, dtype="datetime64[D]"), o),
                "cve_ooad": np.tile(np.array(self.geo.codes, dtype=object), t),
            }
        )
        for name, values in columns.items():
            out[name] = np.asarray(values).reshape(t * o)
        return out

    def wide(self, table: str, column: str) -> np.ndarray:
        """A generated column back as T x O (rows are in long() order)."""
        return self.frames[table][column].to_numpy().reshape(len(self.tl), len(self.geo))
