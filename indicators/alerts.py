"""KPI alerts: a KPI that turns «Fuera de meta», or whose attainment worsens by a set amount,
leaves a notice for its owner directorate, the Dirección General and whoever follows it.

Notices go to the same inbox as the agreements' (*Mis pendientes*). The scheduler runs

    python -m indicators.alerts evaluar [--periodo AAAA-MM]    # after each data load, or daily
    python -m indicators.alerts resumen                          # daily e-mail digest (CMI_SMTP_HOST)

and `evaluar` remembers each KPI's last status per scope, so only changes alert.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from access.inbox import DG_INBOX, Mail, Notice, email_addresses, send_mails, smtp_configured, write_inbox
from access.scope import scope_name
from indicators import engine, strategy
from indicators.catalog import CATALOG, get
from indicators.periods import parse_period
from indicators.status import OFF_TARGET
from warehouse import clock, query_df, query_rows, transaction
from warehouse.audit import audit

Db = Path | str | None
WORSENING = 0.05  # a drop of 5 points of attainment (valor/meta) from one evaluation to the next
EVENT = "indicador_alerta"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    kpi: str
    ambito: str
    periodo: str
    motivo: str
    destinatarios: tuple[str, ...]


def transition(
    before: str | None,
    before_done: float | None,
    now: str,
    now_done: float | None,
    worsening: float = WORSENING,
) -> str | None:
    """Why a status change deserves an alert, in Spanish; None when it does not."""
    if now == OFF_TARGET and before != OFF_TARGET:
        return "pasó a «Fuera de meta»" + (f" (antes «{before}»)" if before else "")
    if before_done is not None and now_done is not None and before_done - now_done >= worsening - 1e-12:
        return f"su cumplimiento bajó {(before_done - now_done) * 100:,.1f} puntos ({before_done:.1%} → {now_done:.1%})"
    return None


# --- who follows what ------------------------------------------------------------------------


def follow(usuario: str, bandeja: str, kpi_id: str, ambito: str = "nacional", db: Db = None) -> None:
    """The person follows a KPI at a scope; its alerts go to `bandeja` (their directorate or DG)."""
    get(kpi_id)
    with transaction(db) as cur:
        cur.execute(
            # MERGE rather than ON CONFLICT: a DuckLake table has no primary key to conflict on.
            "MERGE INTO seguimiento_kpi t USING (SELECT ? AS usuario, ? AS bandeja, ? AS kpi, ? AS ambito,"
            " CAST(? AS TIMESTAMP) AS fecha) s ON t.usuario = s.usuario AND t.kpi = s.kpi AND t.ambito = s.ambito"
            " WHEN MATCHED THEN UPDATE SET bandeja = s.bandeja"
            " WHEN NOT MATCHED THEN INSERT VALUES (s.usuario, s.bandeja, s.kpi, s.ambito, s.fecha)",
            [usuario, bandeja, kpi_id, ambito, clock.now()],
        )
        audit(usuario, "indicador_seguir", f"{kpi_id} · {ambito} · avisos a {bandeja}", con=cur)


def unfollow(usuario: str, kpi_id: str, ambito: str = "nacional", db: Db = None) -> None:
    with transaction(db) as cur:
        cur.execute(
            "DELETE FROM seguimiento_kpi WHERE usuario = ? AND kpi = ? AND ambito = ?",
            [usuario, kpi_id, ambito],
        )
        audit(usuario, "indicador_dejar_de_seguir", f"{kpi_id} · {ambito}", con=cur)


def follows(usuario: str, db: Db = None) -> pd.DataFrame:
    """What a person follows: kpi, ambito."""
    return query_df(
        "SELECT kpi, ambito FROM seguimiento_kpi WHERE usuario = ? ORDER BY kpi, ambito", [usuario], db
    )


def is_following(usuario: str, kpi_id: str, ambito: str, db: Db = None) -> bool:
    return bool(
        query_rows(
            "SELECT 1 FROM seguimiento_kpi WHERE usuario = ? AND kpi = ? AND ambito = ?",
            [usuario, kpi_id, ambito],
            db,
        )
    )


# --- evaluation ------------------------------------------------------------------------------


def _recipients(
    kpi_id: str, ambito: str, followers: dict[tuple[str, str], set[str]], db: Db
) -> tuple[str, ...]:
    found = strategy.owner(kpi_id, db)
    inboxes = {DG_INBOX} | followers.get((kpi_id, ambito), set())
    if found is not None:
        inboxes.add(str(found["cve_direccion"]))
    return tuple(sorted(inboxes))


def evaluate(
    periodo: str | None = None, db: Db = None, worsening: float = WORSENING, usuario: str = "sistema"
) -> list[Alert]:
    """Compare each KPI's status with the last one seen (nationally and at every followed scope),
    write a notice for each alert and remember the new statuses; returns the alerts."""
    periodo = periodo or f"{engine.latest_period(db):%Y-%m}"
    followers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kpi_id, ambito, bandeja in query_rows("SELECT kpi, ambito, bandeja FROM seguimiento_kpi", path=db):
        followers[(kpi_id, ambito)].add(bandeja)
    scopes: dict[str, list[str]] = {"nacional": [k.id for k in CATALOG]}
    for kpi_id, ambito in followers:
        if ambito != "nacional":
            scopes.setdefault(ambito, []).append(kpi_id)
    seen = {
        (k, a): (e, c)
        for k, a, e, c in query_rows("SELECT kpi, ambito, estado, cumplimiento FROM alertas_estado", path=db)
    }
    alerts, states = [], []
    for ambito, ids in scopes.items():
        measured = [i for i in ids if get(i).measured_at(ambito)]
        for kpi_id, v in engine.values(measured, periodo, ambito, db).items():
            if v is None:
                continue
            before, before_done = seen.get((kpi_id, ambito), (None, None))
            reason = transition(before, before_done, v.estado, v.cumplimiento, worsening)
            states.append([kpi_id, ambito, periodo, v.estado, v.cumplimiento, clock.now()])
            if reason:
                alerts.append(
                    Alert(kpi_id, ambito, periodo, reason, _recipients(kpi_id, ambito, followers, db))
                )
    now = clock.now()
    notices = [_notice(a, usuario, db) for a in alerts]  # named before the transaction: it reads catalogs
    with transaction(db) as cur:
        for state in states:  # MERGE rather than INSERT OR REPLACE: a lake has no primary key
            cur.execute(
                "MERGE INTO alertas_estado t USING (SELECT ? AS kpi, ? AS ambito, ? AS periodo, ? AS estado,"
                " CAST(? AS DOUBLE) AS cumplimiento, CAST(? AS TIMESTAMP) AS fecha) s"
                " ON t.kpi = s.kpi AND t.ambito = s.ambito"
                " WHEN MATCHED THEN UPDATE SET periodo = s.periodo, estado = s.estado,"
                " cumplimiento = s.cumplimiento, fecha = s.fecha"
                " WHEN NOT MATCHED THEN INSERT VALUES (s.kpi, s.ambito, s.periodo, s.estado, s.cumplimiento, s.fecha)",
                state,
            )
        for notice in notices:
            write_inbox(cur, notice, now)
    return alerts


def _notice(a: Alert, usuario: str, db: Db = None) -> Notice:
    """«Alerta: «Patrones registrados» (OOAD Jalisco, noviembre 2026) está «Fuera de meta».»: names,
    not codes; the notice keeps the code in its ámbito, which decides who reads it."""
    name = get(a.kpi).nombre
    message = f"Alerta: «{name}» ({scope_name(a.ambito, db)}, {parse_period(a.periodo).label}) {a.motivo}."
    return Notice(name, EVENT, message, usuario, a.destinatarios, ambito=a.ambito)  # read within its scope


def alert_now_if_off(
    usuario: str, bandeja: str, kpi_id: str, ambito: str, periodo: str, db: Db = None
) -> bool:
    """On following a KPI already «Fuera de meta», tell the follower at once; True when a notice was left.

    The notice comes from «sistema», as the daily evaluation's: «Mis pendientes» leaves out the
    notices of the reader's own actions, and this one is not the follower's doing."""
    v = engine.values([kpi_id], periodo, ambito, db)[kpi_id]
    if v is None or v.estado != OFF_TARGET:
        return False
    notice = _notice(Alert(kpi_id, ambito, periodo, "está «Fuera de meta»", (bandeja,)), "sistema", db)
    with transaction(db) as cur:
        write_inbox(cur, notice, clock.now())
    return True


# --- daily digest ----------------------------------------------------------------------------


def digest(db: Db = None, since: datetime | None = None) -> dict[str, list[str]]:
    """The KPI notices of the last day (or since `since`) by inbox."""
    since = since or clock.now() - timedelta(days=1)
    rows = query_rows(
        "SELECT cve_direccion, mensaje FROM notificaciones WHERE evento LIKE 'indicador_%' AND fecha >= ? "
        "ORDER BY cve_direccion, fecha, id",
        [since],
        db,
    )
    out: dict[str, list[str]] = defaultdict(list)
    for inbox, message in rows:
        out[inbox].append(message)
    return dict(out)


def send_digest(db: Db = None, since: datetime | None = None) -> int:
    """E-mail each inbox's digest to its directorate's addresses; returns the e-mails sent (0 without SMTP)."""
    if not smtp_configured():
        return 0
    mails = []
    for inbox, messages in digest(db, since).items():
        to = email_addresses([inbox], db)
        if to:
            body = "\n".join(f"- {m}" for m in messages) + "\n\nDetalle en el CMI IMSS, «Mis pendientes»."
            mails.append(Mail(to, f"[CMI IMSS] Resumen diario de indicadores: {len(messages)} avisos", body))
    return send_mails(mails)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indicators.alerts", description="Alertas de indicadores."
    )
    sub = parser.add_subparsers(dest="orden", required=True)
    ev = sub.add_parser("evaluar", help="compara estados y deja avisos")
    ev.add_argument("--periodo", help="AAAA-MM (predeterminado: el último mes con datos)")
    ev.add_argument("--umbral", type=float, default=WORSENING, help="caída de cumplimiento que alerta (0.05)")
    sub.add_parser("resumen", help="envía por correo el resumen diario (requiere CMI_SMTP_HOST)")
    args = parser.parse_args(argv)
    try:
        if args.orden == "evaluar":
            found = evaluate(args.periodo, worsening=args.umbral)
            print(f"{len(found)} alertas.")
            for a in found:
                print(f"- {get(a.kpi).nombre} ({a.ambito}): {a.motivo} → {', '.join(a.destinatarios)}")
        else:
            print(
                f"{send_digest()} correos enviados."
                if smtp_configured()
                else "CMI_SMTP_HOST no está definido: no se envió nada."
            )
    except engine.InvalidArgumentError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
