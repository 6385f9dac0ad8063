"""Issue 27, «one escaping rule, no exception»: every page shows stored text as its own characters.

A private copy of the demo warehouse gets a hostile payload — Markdown bold, a link to another
site, a Streamlit colour directive, LaTeX and HTML tags — in every stored text a page shows
(agreement descriptions and history comments, meeting names and places, working tables and topics,
KPI commentaries, people's names, directorate names and a directorate's code, a region's name and
so a user's ámbito, OOAD and UMAE names, objectives, owners, projects, notices, load file names,
audit details, evidence file names). Each field's copy starts with its own tag (`zz…`), so the test
can tell which field reached which element. Every page in pages/ is then run with AppTest, by a
national user with every screen and by a director of the hostile directorate in the hostile
region, and every text Streamlit renders as Markdown (markdown, captions, headings, alerts, toasts,
labels, tab and expander titles, help tooltips) or as HTML (st.html) is checked:

- no element holds the payload's markup unescaped: `**x**`, `[l](http`, `:red[x]`, `$x^2$`,
  `<b>b</b>` or `<img src=x` (ui.safe.plain turns each into backslash escapes; an HTML block
  into entities);
- the fields the pages show through Markdown or HTML did reach those elements (escaped), so the
  check above is not vacuous.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse
from access.inbox import DG_INBOX
from agreements.rights import REQUESTED
from indicators import engine
from indicators.catalog import CATALOG
from ui.session import User
from warehouse import clock

pytestmark = pytest.mark.calendario  # reads the demo's dates

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "**x** [l](http://evil.example) :red[x] $x^2$ <b>b</b> <img src=x onerror=alert(1)>"
# the payload's markup as it would be if it were not escaped (the exact characters stored)
BARE = ("**x**", "[l](http", ":red[x]", "$x^2$", "<b>b</b>", "<img src=x")
HTML_BARE = ("<b>b</b>", "<img src=x")  # an HTML block: its tags must be entities
CODE = f"zzcve {PAYLOAD}"  # a directorate's code
REGION = f"zzregion {PAYLOAD}"  # a region's name (and so an ámbito «region:…»)
FOLIO = f"zzfolio {PAYLOAD}"  # the folio of the agreement whose record is opened

ADMIN = User(
    "zzadmin",
    f"zzyo {PAYLOAD}",
    frozenset({"direccion_general", "administrador", "planeacion", "ejecutivo"}),
)
DIRECTOR = User(
    "zzdirector",
    f"zzyo {PAYLOAD}",
    frozenset({"director_normativo", "analista"}),
    cve_direccion=CODE,
    ambito=f"region:{REGION}",
)
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
# the fields a page shows through Markdown or HTML (the rest only in table cells, which are text)
IN_MARKUP = {
    "zzdesc",  # agreement description (record)
    "zzhist",  # a history comment (the conclusion request in the record)
    "zzreunion",  # meeting name
    "zzsede",  # meeting place
    "zzmesa",  # working table
    "zzaviso",  # notice message
    "zzdir",  # directorate name (record)
    "zzcve",  # directorate code (captions)
    "zzregion",  # region name, ámbito
    "zzobjetivo",  # strategy map box
    "zzresp",  # KPI owner (strategy map tooltip)
    "zzporque",  # KPI commentary (card popover)
    "zzooad",  # OOAD names (meeting, record, rankings)
    "zzfolio",  # a folio (record title, notices, links)
    "zzevidencia",  # an evidence file's name (the request's files)
    "zznombre",  # a person's name (who asked, who wrote a notice)
}


def _tagged(column: str, tag: str, key: str | None = None) -> str:
    """SQL for a column set to `zz<tag>[key] PAYLOAD` (key keeps unique names unique)."""
    unique = f" || {key}" if key else ""
    return f"{column} = '{tag}'{unique} || ' ' || $p"


@pytest.fixture(scope="module")
def hostile(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A copy of the demo warehouse with the payload in every stored text; (path, a folio)."""
    path = tmp_path_factory.mktemp("hostil") / "cmi.duckdb"
    shutil.copy(demo_db, path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CMI_DB", str(path))
        latest = engine.latest_period()
        warehouse.close_all()
    assert latest is not None
    periodo = f"{latest:%Y-%m}"
    with warehouse.transaction(path) as cur:
        p = {"p": PAYLOAD}
        for table, sets in {
            "acuerdos": [_tagged("descripcion", "zzdesc")],
            "acuerdos_historial": [_tagged("comentario", "zzhist")],
            "reuniones": [_tagged("nombre", "zzreunion", "cve_reunion"), _tagged("sede", "zzsede")],
            "mesas": [_tagged("nombre", "zzmesa", "cve_mesa")],
            "temas": [_tagged("nombre", "zztema", "cve_tema")],
            "notificaciones": [_tagged("mensaje", "zzaviso")],
            "direcciones": [_tagged("nombre", "zzdir", "cve_direccion")],
            "usuarios": [_tagged("nombre", "zznombre", "usuario")],
            "comentarios_kpi": [_tagged("por_que", "zzporque"), _tagged("que_se_hace", "zzquehace")],
            "objetivos": [
                _tagged("nombre_corto", "zzobjetivo", "cve_objetivo"),
                _tagged("nombre", "zzayuda"),
            ],
            "indicadores_estrategia": [_tagged("responsable", "zzresp")],
            "proyectos_estrategicos": [_tagged("nombre", "zzproyecto", "cve_proyecto")],
            "cargas": [_tagged("archivo", "zzarchivo")],
            "auditoria": [_tagged("detalle", "zzauditoria")],
            "acuerdos_evidencias": [_tagged("nombre_original", "zzevidencia")],
            "ooad": [_tagged("nombre", "zzooad", "cve_ooad")],
            "umae": [_tagged("nombre", "zzumae", "cve_umae")],
        }.items():
            cur.execute(f"UPDATE {table} SET {', '.join(sets)}", p)
        # one directorate's code and one region's name, everywhere they are stored
        code = cur.execute("SELECT min(cve_direccion) FROM acuerdos").fetchone()
        region = cur.execute("SELECT min(region) FROM acuerdos").fetchone()
        assert code and code[0] and region and region[0]
        columns = cur.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE column_name IN ('cve_direccion', 'region', 'bandeja', 'ambito')"
            " AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
        ).fetchall()
        for table, column in columns:
            if column in ("cve_direccion", "bandeja"):
                cur.execute(
                    f"UPDATE {table} SET {column} = $new WHERE {column} = $old", {"new": CODE, "old": code[0]}
                )
            elif column == "region":
                cur.execute(
                    f"UPDATE {table} SET region = $new WHERE region = $old", {"new": REGION, "old": region[0]}
                )
            else:
                cur.execute(
                    f"UPDATE {table} SET ambito = $new WHERE ambito = $old",
                    {"new": f"region:{REGION}", "old": f"region:{region[0]}"},
                )
        # the record opened: an agreement of that directorate and region, with a conclusion request
        # (its text, its evidence file), a notice of it in the DG's and the directorate's inboxes
        found = cur.execute(
            "SELECT folio FROM acuerdos WHERE cve_direccion = ? AND region = ? AND estado = 'En proceso'"
            " ORDER BY folio LIMIT 1",
            [CODE, REGION],
        ).fetchone()
        someone = cur.execute("SELECT min(usuario) FROM usuarios").fetchone()
        assert found is not None and someone is not None
        cur.execute("UPDATE acuerdos SET estado = ? WHERE folio = ?", [REQUESTED, found[0]])
        asked = cur.execute(
            "INSERT INTO acuerdos_historial (folio, usuario, fecha, campo, valor_anterior, valor_nuevo, comentario)"
            " VALUES (?, ?, ?, 'estado', 'En proceso', ?, ?) RETURNING id",
            [found[0], someone[0], clock.now(), REQUESTED, f"zzhist {PAYLOAD}"],
        ).fetchone()
        assert asked is not None
        cur.execute(
            "INSERT INTO acuerdos_evidencias (folio, historial_id, nombre_original, ruta, tipo, tamano_bytes,"
            " sha256, usuario, fecha) VALUES (?, ?, ?, 'no-existe.pdf', 'application/pdf', 1, '0', ?, ?)",
            [found[0], asked[0], f"zzevidencia {PAYLOAD}.pdf", someone[0], clock.now()],
        )
        for inbox in (DG_INBOX, CODE):
            cur.execute(
                "INSERT INTO notificaciones (cve_direccion, folio, evento, mensaje, usuario_origen, fecha, leida,"
                " ambito) VALUES (?, ?, 'solicitud', ?, ?, ?, false, ?)",
                [inbox, found[0], f"zzaviso {PAYLOAD}", someone[0], clock.now(), f"region:{REGION}"],
            )
        # the owner's commentary on every KPI, in the period and scopes the pages open with
        for kpi in CATALOG:
            for ambito in ("nacional", f"region:{REGION}"):
                cur.execute(
                    "INSERT INTO comentarios_kpi (kpi, periodo, ambito, por_que, que_se_hace, usuario,"
                    " cve_direccion, fecha) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [kpi.id, periodo, ambito, f"zzporque {PAYLOAD}", f"zzquehace {PAYLOAD}", someone[0], CODE,
                     clock.now()],
                )  # fmt: skip
        # its folio too (a folio comes from a file: the «acuerdos» contract does not shape it)
        for (table,) in cur.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'folio'"
            " AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
        ).fetchall():
            cur.execute(f"UPDATE {table} SET folio = ? WHERE folio = ?", [FOLIO, found[0]])
    warehouse.close_all()
    yield path, FOLIO
    warehouse.close_all()


def _rendered(at: AppTest) -> Iterator[tuple[str, str]]:
    """(kind, text) of everything on the page Streamlit renders as Markdown («md») or HTML («html»):
    element bodies, labels and help tooltips, tab, expander and popover titles."""

    def walk(node: object) -> Iterator[object]:
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        kind = getattr(node, "type", "")
        which = proto.WhichOneof("type") if "type" in {o.name for o in proto.DESCRIPTOR.oneofs} else None
        message = getattr(proto, which) if which else proto  # a block's popover, expander, tab
        for field, value in message.ListFields():
            if not isinstance(value, str):
                continue
            if field.name == "body":
                yield ("html" if kind == "html" else "md"), value
            elif field.name in ("label", "help"):
                yield "md", value


def _run(page: str, user: User, **query: str) -> list[tuple[str, str]]:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=240)
    at.session_state["user"] = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (page, [e.value for e in at.exception])
    return list(_rendered(at))


def test_every_page_shows_stored_text_literally(
    hostile: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, folio = hostile
    monkeypatch.setenv("CMI_DB", str(db))
    shown: list[tuple[str, str, str]] = []
    for page in PAGES:
        query = {"folio": folio} if page == "acuerdos.py" else {}  # the record opened by its link
        for user in (ADMIN, DIRECTOR):
            shown += [(page, kind, text) for kind, text in _run(page, user, **query)]
    warehouse.close_all()
    bare = [
        (page, kind, text)
        for page, kind, text in shown
        if any(mark in text for mark in (HTML_BARE if kind == "html" else BARE))
    ]
    assert not bare, "\n".join(f"{page} [{kind}]: {text[:300]!r}" for page, kind, text in bare)
    reached = {tag for tag in IN_MARKUP for _, _, text in shown if tag in text}
    assert reached == IN_MARKUP, f"no llegaron a la página: {sorted(IN_MARKUP - reached)}"
