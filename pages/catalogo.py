import streamlit as st

from indicators.catalog import CATALOG
from ui import agreements_view
from ui.auth import require_screen
from ui.catalog_view import ficha_rows, matches

user = require_screen(__file__)
st.title("Catálogo de indicadores")
st.caption("Ficha técnica de cada indicador, tomada del catálogo con el que el motor los calcula.")
query = st.text_input("Buscar", placeholder="Nombre, rubro, definición o fuente", key="buscar_kpi")
found = [k for k in CATALOG if matches(k, query)]
st.write(f"{len(found)} de {len(CATALOG)} indicadores")
for kpi in found:
    with st.expander(f"{kpi.nombre} · {kpi.rubro_nombre}"):
        st.table(ficha_rows(kpi, user.ambito))
        if kpi.rubro != "acuerdos":
            agreements_view.aiming_table(kpi.id, user)
