"""Planners' files into the warehouse: contracts, readers, validation, atomic loads, undo, export.

Pages and the CLI use only the names below.
"""

from loaders.contracts import CONTRACTS, contract, data_dictionary, template, template_csv_bom, template_xlsx
from loaders.export import FORMATS, export
from loaders.findings import MAX_SHOWN, Finding, LoadResult, Report
from loaders.load import detect_dataset, load_file
from loaders.preview import inspect, preview
from loaders.sniff import FileInfo, UnreadableFileError, sniff
from loaders.store import DATASET_TABLES, DATASET_TITLES, MODES, history, history_state, undo, undo_preview
from warehouse import WarehouseBusyError

__all__ = [
    "CONTRACTS",
    "DATASET_TABLES",
    "DATASET_TITLES",
    "FORMATS",
    "MAX_SHOWN",
    "MODES",
    "FileInfo",
    "Finding",
    "LoadResult",
    "Report",
    "UnreadableFileError",
    "WarehouseBusyError",
    "contract",
    "data_dictionary",
    "detect_dataset",
    "export",
    "history",
    "history_state",
    "inspect",
    "load_file",
    "preview",
    "sniff",
    "template",
    "template_csv_bom",
    "template_xlsx",
    "undo",
    "undo_preview",
]
