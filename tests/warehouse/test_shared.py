"""The shared mode itself: migration into a lake, ids across processes, conflicts, maintenance."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import warehouse
from tests.agreements import hand_built
from tests.warehouses import PostgresForTests, warehouse_env
from warehouse import lake
from warehouse.audit import audit
from warehouse.ids import next_id
from warehouse.maintenance import maintain
from warehouse.migrate import migration_files
from warehouse.transfer import table_hashes

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def empty_lake(postgres_server: PostgresForTests, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A PostgreSQL database with no lake yet, and CMI_LAKE_DATA for creating one."""
    name = "lago_" + "".join(c for c in request.node.name if c.isalnum()).lower()[:40]
    return postgres_server.server.create_database(name)


def test_migrations_lose_only_keys_checks_and_sequence_defaults_in_a_lake() -> None:
    for path in migration_files():
        ddl, sequences = lake.translate(path.read_text(encoding="utf-8"))
        assert (
            "PRIMARY KEY" not in ddl.upper()
            and "CHECK" not in ddl.upper()
            and "nextval" not in ddl
            and "CREATE SEQUENCE" not in ddl
        )
        assert len(sequences) == path.read_text(encoding="utf-8").count("CREATE SEQUENCE")
    ddl, sequences = lake.translate(
        "CREATE SEQUENCE IF NOT EXISTS seq_x START 1;\n"
        "CREATE TABLE t (id BIGINT PRIMARY KEY DEFAULT nextval('seq_x'), a VARCHAR NOT NULL DEFAULT 'y',\n"
        "    b INTEGER CHECK (b BETWEEN 0 AND abs(-100)), PRIMARY KEY (a, b));"
    )
    assert sequences == ["CREATE SEQUENCE IF NOT EXISTS seq_x"]
    assert ddl.strip() == "CREATE TABLE t (id BIGINT, a VARCHAR NOT NULL DEFAULT 'y',\n    b INTEGER);"


def test_migrate_to_copies_every_table_identically_and_ids_continue(
    demo_db: Path, empty_lake: str, tmp_path: Path
) -> None:
    source = tmp_path / "origen.duckdb"
    source.write_bytes(demo_db.read_bytes())
    done = _run(
        ["-m", "warehouse", "migrate-to", empty_lake, "--db", str(source), "--datos", str(tmp_path / "lago")],
        {"CMI_DB": "", "CMI_WAREHOUSE": ""},
    )
    assert done.returncode == 0, done.stderr
    assert "Se copiaron" in done.stdout
    expected, copied = table_hashes(source), table_hashes(empty_lake)
    assert len(expected) >= 40 and copied == expected  # every table: same rows, same hash
    warehouse.close_all()  # the CLI below must open the source file itself
    again = _run(["-m", "warehouse", "migrate-to", empty_lake, "--db", str(source)], {})
    assert again.returncode == 2 and "--reemplazar" in again.stderr and "Traceback" not in again.stderr
    # sequences live in PostgreSQL and continue after the copied ids
    with warehouse.transaction(empty_lake) as cur:
        top = cur.execute("SELECT max(id) FROM acuerdos_historial").fetchone()[0]
        assert next_id(cur, "seq_acuerdos_historial") > top
    warehouse.close_all()


def test_lake_opens_with_packaged_extensions_and_no_downloads(
    empty_lake: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CMI_LAKE_DATA", str(tmp_path / "lago"))
    with warehouse.cursor(empty_lake) as cur:
        settings = dict(
            cur.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('autoinstall_known_extensions', 'autoload_known_extensions')"
            ).fetchall()
        )
        loaded = dict(
            cur.execute(
                "SELECT extension_name, loaded FROM duckdb_extensions() "
                "WHERE extension_name IN ('ducklake', 'postgres_scanner')"
            ).fetchall()
        )
    warehouse.close_all()
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    assert loaded == {"ducklake": True, "postgres_scanner": True}


def test_a_new_lake_without_a_data_folder_says_in_spanish_what_to_set(empty_lake: str, monkeypatch) -> None:
    monkeypatch.delenv("CMI_LAKE_DATA", raising=False)
    with pytest.raises(lake.LakeError, match="CMI_LAKE_DATA"):
        warehouse.connect(empty_lake)
    warehouse.close_all()


AGREEMENT_EDIT = textwrap.dedent(
    """
    import sys, time
    from agreements import actions as act
    from ui.session import User
    start = float(sys.argv[1]); value = float(sys.argv[2])
    actor = User("da" + sys.argv[2], "Titular DA", frozenset({"director_normativo"}), cve_direccion="DA")
    while time.time() < start:
        time.sleep(0.005)
    try:
        act.record_progress("RR-NOR-2025-0001", actor, value, "desde otro proceso", 1)
        print("guardado")
    except act.ConflictError as exc:
        print("conflicto:", exc)
    """
)


def test_two_processes_editing_one_agreement_get_one_conflict_and_lose_nothing(
    empty_lake: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CMI_LAKE_DATA", str(tmp_path / "lago"))
    hand_built.build(empty_lake)
    warehouse.close_all()
    import time

    start = time.time() + 8  # both processes import and connect first, then write at once
    env = {
        **os.environ,
        **warehouse_env(empty_lake),
        "CMI_SMTP_HOST": "",
        "CMI_EVIDENCIAS": str(tmp_path / "e"),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", AGREEMENT_EDIT, str(start), value],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for value in ("60", "70")
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    # the last line: DuckDB may print a progress bar first when a query takes over 2 s
    last = [out.strip().splitlines()[-1] for out, _ in outputs]
    said = sorted(line.split(":")[0] for line in last)
    assert said == ["conflicto", "guardado"]
    winner = "60" if last[0].startswith("guardado") else "70"
    row = warehouse.query_rows(
        "SELECT avance, version FROM acuerdos WHERE folio = 'RR-NOR-2025-0001'", path=empty_lake
    )
    history = warehouse.query_rows(
        "SELECT valor_nuevo FROM acuerdos_historial WHERE folio = 'RR-NOR-2025-0001' AND campo = 'avance'",
        path=empty_lake,
    )
    warehouse.close_all()
    assert row == [(float(winner), 2)] and history == [(winner,)]


def test_maintenance_expires_snapshots_and_keeps_every_row(
    demo_db: Path, empty_lake: str, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("CMI_LAKE_DATA", str(tmp_path / "lago"))
    from warehouse.transfer import copy_to_shared

    copy_to_shared(demo_db, empty_lake)
    for i in range(3):  # a few small commits, as sign-ins and edits make
        audit("prueba", "mantenimiento", str(i), path=empty_lake)
    before = table_hashes(empty_lake)
    report = maintain(empty_lake, keep_days=0)
    assert report is not None and report.snapshots_after < report.snapshots_before
    assert table_hashes(empty_lake) == before
    warehouse.close_all()


def test_a_new_lake_keeps_small_writes_in_line_and_loaded_tables_in_parquet(
    empty_lake: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CMI_LAKE_DATA", str(tmp_path / "lago"))
    with warehouse.transaction(empty_lake) as cur:
        cur.execute("INSERT INTO metas VALUES ('consultas_mf', DATE '2025-01-01', 'nacional', 1.0, NULL)")
        audit("ana", "prueba", "una fila", con=cur)
        meta = f"__ducklake_metadata_{lake.alias_of(cur)}"
    in_line = warehouse.query_rows(
        f"SELECT DISTINCT t.table_name FROM {meta}.ducklake_inlined_data_tables i"
        f" JOIN {meta}.ducklake_table t USING (table_id)",
        path=empty_lake,
    )
    files = warehouse.query_rows(
        f"SELECT DISTINCT t.table_name FROM {meta}.ducklake_data_file f JOIN {meta}.ducklake_table t USING (table_id)",
        path=empty_lake,
    )
    warehouse.close_all()
    assert ("auditoria",) in in_line and ("metas",) not in in_line  # one audit row: in the catalog
    assert ("metas",) in files and ("auditoria",) not in files  # one loaded row: a Parquet file
