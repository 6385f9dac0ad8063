"""Uploads only for signed-in people with the right (issue 27, finding 9), on the real server.

The probe opened a WebSocket session from the sign-in screen, without signing in, and sent files
to Streamlit's upload endpoint: held in memory, up to 1,024 MB each, no count limit. Here the same
request is made against app.py: a session that has not signed in, and one signed in as a role
with no upload widget, are turned away (403) before the body is read; a planner's goes through;
a declared size over the cap is refused (413); and the cap is the same number in the three
places that set it.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tomllib
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string
from websockets.typing import Subprotocol

import warehouse
from access import sessions
from tests.fixtures_app import streamlit_server
from ui.upload_door import UPLOAD_MAX_MB
from warehouse.settings import ROOT

pytestmark = pytest.mark.slow
XSRF = generate_xsrf_token_string()  # double-submit: anyone can mint a pair, as the probe did


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """app.py over a copy of the demo warehouse; session cookies of a planner and an executive."""
    folder = tmp_path_factory.mktemp("subidas")
    db = folder / "cmi.duckdb"
    shutil.copy(demo_db, db)
    cookies = {}
    for usuario in ("planeacion", "ejecutivo"):
        _, token = sessions.create(usuario, "contraseña", path=db)
        value = sessions.redeem(token, sessions.secret(db), path=db)
        assert value is not None
        cookies[usuario] = f"{sessions.COOKIE}={value}"
    warehouse.close_all()  # the server opens the file next
    with streamlit_server(db, folder / "streamlit.log") as (url, _):
        yield url, cookies


async def _upload_from_a_session(
    url: str, cookie: str, size: int, declared: int | None = None
) -> tuple[int, str]:
    """Open a WebSocket session (as the sign-in screen does), then PUT a file for it: (status, body)."""
    host = url.removeprefix("http://")
    headers = {"Origin": url, **({"Cookie": cookie} if cookie else {})}
    async with websockets.connect(
        f"ws://{host}/_stcore/stream", subprotocols=[Subprotocol("streamlit")], additional_headers=headers
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = ""
        await ws.send(msg.SerializeToString())
        session_id = ""
        while not session_id:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
            if forward.WhichOneof("type") == "new_session":
                session_id = forward.new_session.initialize.session_id
        return await asyncio.to_thread(_put, url, session_id, cookie, size, declared)


def _upload(url: str, cookie: str, size: int, declared: int | None = None) -> tuple[int, str]:
    """`_upload_from_a_session` on a fresh thread with its own event loop.

    An earlier module in the same worker may leave a loop running in this thread (playwright's sync
    API, aiosmtpd), and asyncio.run refuses to start inside one.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _upload_from_a_session(url, cookie, size, declared)).result()


def _put(url: str, session_id: str, cookie: str, size: int, declared: int | None) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="carga.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": XSRF,
            "Cookie": "; ".join(c for c in (f"_streamlit_xsrf={XSRF}", cookie) if c),
            **({"Content-Length": str(declared)} if declared is not None else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (ConnectionError, urllib.error.URLError) as exc:  # refused before the declared body was sent
        return 0, str(exc)


def test_a_session_that_has_not_signed_in_cannot_upload(server):
    url, _ = server
    status, body = _upload(url, "", 1_000_000)
    assert status == 403, body
    assert "sesión iniciada y permiso para subir archivos" in body


def test_a_forged_or_foreign_cookie_cannot_upload(server):
    url, cookies = server
    status, _ = _upload(url, f"{sessions.COOKIE}=abc.def", 1000)
    assert status == 403
    status, _ = _upload(url, cookies["ejecutivo"], 1000)  # no upload on its screens
    assert status == 403


def test_a_signed_in_planner_uploads(server):
    url, cookies = server
    status, body = _upload(url, cookies["planeacion"], 1_000_000)
    assert status == 204, body


def test_a_declared_size_over_the_cap_is_refused_before_the_body(server):
    url, cookies = server
    declared = (UPLOAD_MAX_MB + 2) * 1024 * 1024
    status, body = _upload(url, cookies["planeacion"], 1000, declared=declared)
    assert status in (413, 0), body  # 413, or the connection closed while the client still sends


def test_the_cap_is_the_same_in_the_app_the_server_and_the_proxy():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == UPLOAD_MAX_MB
    nginx = (ROOT / "deploy" / "nginx.conf.in").read_text()
    assert re.search(rf"client_max_body_size {UPLOAD_MAX_MB}m;", nginx)
