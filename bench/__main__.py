"""`python -m bench` (or `make bench`): every benchmark in turn; each rewrites its section of docs/benchmarks.md."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "bench.demo_build",
    "bench.page_render",
    "bench.results_build",
    "bench.agreements_board",
    "bench.export_memory",
    "bench.ingest",
    "bench.login_timing",
    "bench.server_throughput",
    "bench.browser_sessions",
    "bench.upload_guard",
    "bench.forecast_backtest",
    "bench.shared_mode",
)


def main() -> int:
    failed = []
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module], check=False).returncode != 0:
            failed.append(module)
    if failed:
        print("Fallaron: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
