"""Longest modules first under `pytest -n N --dist loadscope` (what `make test` runs).

xdist's loadscope hands modules to workers by test count, largest first, so the browser modules
(few tests, a minute each) came last and one of them ran alone at the end. Here modules go by
their measured seconds (tests/durations.json), longest first, so the short ones fill the tail.
`pytest -n 2 --dist loadscope --record-durations` rewrites the file from a full run.
"""

from __future__ import annotations

import json
from collections import OrderedDict, defaultdict
from pathlib import Path

import pytest

DURATIONS = Path(__file__).resolve().parent / "durations.json"
UNKNOWN_SECONDS_PER_TEST = 1.0  # a module not in the file yet (new): a guess, ordered among the rest


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def known_seconds() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-durations",
        action="store_true",
        help="write each module's seconds (setup, call and teardown) to tests/durations.json",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirst(LoadScopeScheduling):
        _ordered = False

        def _assign_work_unit(self, node: object) -> None:
            if not self._ordered:  # the queue is complete before the first unit goes out
                seconds = known_seconds()

                def expected(unit: tuple[str, dict[str, bool]]) -> float:
                    scope, tests = unit
                    return seconds.get(scope, UNKNOWN_SECONDS_PER_TEST * len(tests))

                self.workqueue = OrderedDict(sorted(self.workqueue.items(), key=expected, reverse=True))
                self._ordered = True
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


class Recorder:
    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[module_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(session.config, "workerinput"):
            return  # the controller writes the file, from every worker's reports
        ordered = dict(sorted(((m, round(s, 1)) for m, s in self.seconds.items()), key=lambda i: -i[1]))
        DURATIONS.write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("record_durations") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(Recorder(), "cmi-record-durations")
