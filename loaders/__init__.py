"""Planners' files into the warehouse: contracts, readers, validation, atomic loads, undo.

Pages and the CLI use only the names below.
"""

from loaders.contracts import CONTRACTS, contract, data_dictionary, template, template_csv_bom, template_xlsx
from loaders.findings import MAX_SHOWN, Finding, LoadResult, Report
from loaders.guard import UnreadableFile, check_file
from loaders.history import history, history_state, undo, undo_preview
from loaders.load import UNREADABLE, detect_dataset, load_file, refuse_upload, unreadable_message
from loaders.preview import inspect, preview
from loaders.sniff import FileInfo, UnreadableFileError, sniff
from loaders.store import DATASET_TABLES, DATASET_TITLES, MODES
from loaders.tempfiles import discard, private_dir
from warehouse import WarehouseBusyError

__all__ = [
    "CONTRACTS",
    "DATASET_TABLES",
    "DATASET_TITLES",
    "MAX_SHOWN",
    "MODES",
    "UNREADABLE",
    "FileInfo",
    "Finding",
    "LoadResult",
    "Report",
    "UnreadableFile",
    "UnreadableFileError",
    "WarehouseBusyError",
    "check_file",
    "contract",
    "data_dictionary",
    "detect_dataset",
    "discard",
    "history",
    "history_state",
    "inspect",
    "load_file",
    "preview",
    "private_dir",
    "refuse_upload",
    "sniff",
    "template",
    "template_csv_bom",
    "template_xlsx",
    "undo",
    "undo_preview",
    "unreadable_message",
]
