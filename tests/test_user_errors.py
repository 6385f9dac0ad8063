"""Every message written for a person is a `UserError`: pages and CLIs show its text, unquoted."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from access.users import AccountError
from agreements.evidence import EvidenceError
from agreements.register import AgreementError
from exports.datasets import ExportError
from exports.table import ExportFailed
from indicators.catalog import UnknownKpiError, get
from indicators.commentary import CommentaryError
from indicators.periods import InvalidArgumentError, parse_period
from loaders.contracts import GrainError, UnknownDatasetError, contract
from loaders.guard import UnreadableFile
from loaders.sniff import UnreadableFileError
from warehouse.connection import WarehouseBusyError
from warehouse.errors import UserError

SPANISH_ERRORS = [
    AccountError,
    AgreementError,
    CommentaryError,
    EvidenceError,
    ExportError,
    ExportFailed,
    GrainError,
    InvalidArgumentError,
    UnknownDatasetError,
    UnknownKpiError,
    UnreadableFile,
    UnreadableFileError,
    WarehouseBusyError,
]


@pytest.mark.parametrize("error", SPANISH_ERRORS, ids=lambda e: e.__name__)
def test_each_spanish_error_is_a_user_error(error: type[Exception]) -> None:
    assert issubclass(error, UserError)


def test_key_errors_print_their_message_without_quotes() -> None:
    with pytest.raises(UserError) as caught:
        get("no_existe")
    assert str(caught.value) == (
        "Indicador desconocido: «no_existe». Use `python -m indicators list` para ver los disponibles."
    )
    with pytest.raises(UserError) as caught:
        contract("no_existe")
    assert not str(caught.value).startswith("'")
    with pytest.raises(UserError):
        parse_period("2026-13")


def _page() -> None:
    import streamlit as st

    from ui.errors import show_failure
    from warehouse.errors import UserError

    try:
        raise UserError("El periodo «2026-13» no existe.")
    except UserError as exc:
        show_failure(exc)
    try:
        raise RuntimeError("detalle interno")
    except RuntimeError as exc:
        show_failure(exc)
    st.write("fin")


def test_a_page_shows_a_user_error_as_is_and_an_incident_without_details() -> None:
    at = AppTest.from_function(_page).run()
    errors = [e.value for e in at.error]
    assert errors[0] == "El periodo «2026-13» no existe."
    assert "folio" in errors[1] and "detalle interno" not in errors[1]
