"""The 35 OOAD as the demo sees them: size, region and a few regional traits."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from warehouse.config import CATALOG_DIR

# Insured jobs by OOAD around 2019, in thousands: sets each OOAD's size in every dataset.
JOBS_2019 = {
    "01": 310, "02": 930, "03": 180, "04": 130, "05": 790, "06": 130, "07": 225, "08": 920,
    "09": 1600, "10": 1850, "11": 265, "12": 1010, "13": 175, "14": 240, "15": 1780,
    "16": 850, "17": 720, "18": 440, "19": 215, "20": 140, "21": 1640, "22": 225, "23": 610,
    "24": 570, "25": 460, "26": 450, "27": 560, "28": 620, "29": 200, "30": 690, "31": 105,
    "32": 420, "33": 350, "34": 410, "35": 195,
}  # fmt: skip

# Yearly growth of the job share relative to the nation (fast-growing tourism and industry
# poles, slow-growing capital and oil states).
JOB_SHARE_GROWTH = {"25": 0.025, "21": 0.012, "24": 0.012, "34": 0.01, "02": 0.008, "29": 0.008,
                    "09": -0.006, "10": -0.004, "04": -0.012, "13": -0.004}  # fmt: skip

# Tourism-heavy OOAD lost many more jobs in 2020.
TOURISM = {"25": 0.22, "03": 0.12, "20": 0.05, "34": 0.04}

# Relative daily wage (SBC) by OOAD; unlisted ones 0.92.
WAGE = {"10": 1.48, "09": 1.22, "21": 1.25, "24": 1.10, "04": 1.12, "29": 1.02, "05": 1.08,
        "15": 1.00, "17": 1.05, "08": 0.98, "02": 0.98, "01": 0.98, "12": 0.95, "23": 0.90,
        "07": 0.74, "22": 0.76, "13": 0.76, "31": 0.78, "20": 0.80, "18": 0.84, "27": 0.86,
        "34": 0.84, "35": 0.86, "11": 0.88}  # fmt: skip

# Share of eventual jobs relative to the nation (agriculture, construction, oil).
EVENTUAL = {"27": 1.9, "28": 1.3, "03": 1.3, "25": 1.2, "04": 1.6, "29": 1.6, "32": 1.2,
            "10": 0.75, "09": 0.8, "21": 0.85}  # fmt: skip

# Derechohabientes per job relative to the nation (larger families, fewer jobs per person).
FAMILY = {"07": 1.45, "22": 1.4, "13": 1.35, "14": 1.2, "31": 1.2, "18": 1.15, "33": 1.2,
          "32": 1.15, "29": 1.15, "10": 0.78, "09": 0.9, "25": 0.85, "21": 0.92}  # fmt: skip


@dataclass(frozen=True)
class Ooad:
    cve: str
    nombre: str
    region: str


class Geography:
    """OOAD in catalog order (the column order of every T x O array)."""

    def __init__(self) -> None:
        with open(CATALOG_DIR / "ooad.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.ooad = [Ooad(r["cve_ooad"], r["nombre"], r["region"]) for r in rows]
        self.codes = [o.cve for o in self.ooad]
        self.regions = sorted({o.region for o in self.ooad})

    def __len__(self) -> int:
        return len(self.ooad)

    def trait(self, table: Mapping[str, float], default: float) -> np.ndarray:
        return np.array([table.get(c, default) for c in self.codes])

    @cached_property
    def jobs(self) -> np.ndarray:
        return self.trait(JOBS_2019, 0.0)

    @cached_property
    def share(self) -> np.ndarray:
        return self.jobs / self.jobs.sum()

    def region_of(self) -> np.ndarray:
        return np.array([o.region for o in self.ooad])


def performance(rng: np.random.Generator, n: int, good: float, weak: float, bad: float) -> np.ndarray:
    """A persistent per-OOAD level: most at `good`, about a fifth `weak`, a few `bad`.

    Gives the scorecard its mix of En meta / En riesgo / Fuera de meta.
    """
    draw = rng.random(n)
    level = np.where(draw < 0.68, good, np.where(draw < 0.88, weak, bad))
    return level + rng.normal(0.0, abs(good - weak) / 4, n)
