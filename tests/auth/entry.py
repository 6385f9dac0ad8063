"""dashboard.py run from a folder without `pages/`, as app.py serves it.

AppTest re-detects a `pages/` folder beside its main script on every run and then runs a page
file alone (Streamlit's old multipage mode), skipping dashboard.py; app.py turns that mode off.
"""

import runpy

from ui.registry import ROOT

runpy.run_path(str(ROOT / "dashboard.py"), run_name="__main__")
