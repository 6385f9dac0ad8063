"""KPI catalog and engine. No Streamlit here: pages and the CLI both call this package."""
