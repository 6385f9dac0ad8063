"""The executive report as PDF, printed by headless Chromium, and its scheduled e-mail.

    python -m ui.report_pdf --periodo 2026-10 [--ambito nacional] [--salida reporte.pdf] [--enviar]

`--enviar` mails the PDF to the subscribers of that scope (table suscriptores_reporte) when
CMI_SMTP_HOST is set. Chromium is /usr/bin/chromium unless CMI_CHROMIUM says otherwise; it
runs the inlined Plotly charts before printing (a virtual-time budget), with no network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from access.inbox import Mail, send_mails, smtp_configured
from exports.subscribers import subscribe, subscribers
from indicators.periods import parse_period
from ui.report import build_report_html
from warehouse.errors import UserError
from warehouse.settings import settings

Db = Path | str | None


class PdfError(UserError, RuntimeError):
    """The PDF could not be printed; the message is Spanish."""


def chromium() -> str:
    found = settings().chromium or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise PdfError(
            f"No se encontró Chromium en {found}: instálelo (apt-get install chromium) o defina CMI_CHROMIUM."
        )
    return found


def html_to_pdf(html: str, out: Path, timeout: float = 120) -> Path:
    """Print an HTML string to a PDF file with headless Chromium (letter size, from the report's CSS)."""
    with tempfile.TemporaryDirectory(prefix="cmi_pdf_") as tmp:
        page = Path(tmp) / "reporte.html"
        page.write_text(html, encoding="utf-8")
        args = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            f"--user-data-dir={Path(tmp) / 'perfil'}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=15000",
            f"--print-to-pdf={out.resolve()}",
            page.as_uri(),
        ]
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise PdfError(
            f"Chromium no pudo imprimir el reporte (código {done.returncode}): {done.stderr[-400:]}"
        )
    return out


def build_report_pdf(periodo: str, ambito: str, out: Path, db: Db = None) -> Path:
    """The executive report of a period and scope, as a PDF file."""
    return html_to_pdf(build_report_html(periodo, ambito, db), out)


def send(pdf: Path, periodo: str, ambito: str, db: Db = None) -> int:
    """E-mail the PDF to the scope's subscribers; returns how many addresses (0 without SMTP)."""
    to = subscribers(ambito, db)
    if not smtp_configured() or not to:
        return 0
    subject = f"[CMI IMSS] Reporte ejecutivo {parse_period(periodo).label} · {ambito}"
    body = "Se adjunta el reporte ejecutivo del Cuadro de Mando Integral."
    send_mails([Mail(to, subject, body, attachment=pdf)])
    return len(to)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.report_pdf", description="Reporte ejecutivo en PDF.")
    parser.add_argument("--periodo", required=True, help="AAAA o AAAA-MM")
    parser.add_argument("--ambito", default="nacional", help="nacional, region:NOMBRE u ooad:CLAVE")
    parser.add_argument(
        "--salida", type=Path, help="archivo PDF (predeterminado: reporte_ejecutivo_PERIODO.pdf)"
    )
    parser.add_argument(
        "--enviar", action="store_true", help="enviarlo por correo a los suscriptores del ámbito"
    )
    args = parser.parse_args(argv)
    out = args.salida or Path(f"reporte_ejecutivo_{args.periodo}.pdf")
    try:
        build_report_pdf(args.periodo, args.ambito, out)
        print(f"Reporte escrito en {out}.")
        if args.enviar:
            print(f"Enviado a {send(out, args.periodo, args.ambito)} suscriptores.")
    except (UserError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


__all__ = ["PdfError", "build_report_pdf", "html_to_pdf", "send", "subscribe", "subscribers"]


if __name__ == "__main__":
    raise SystemExit(main())
