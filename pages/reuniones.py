"""Reuniones regionales: each meeting's record, its board, its agreements and its follow-up pack.

Planeación (or an administrator) creates the meeting; its agreements are registered here one by
one or in bulk through «Cargar datos» (contract acuerdos_registro, column cve_reunion).
`?reunion=CLAVE` in the URL opens that meeting.
"""

import streamlit as st

from agreements import board as ag
from agreements import meetings as mt
from agreements.actions import AgreementError
from agreements.evidence import Evidence
from agreements.evidence import read as read_file
from ui import agreement_figures as figs
from ui import agreement_new, meeting_pack
from ui import agreement_panel as panel
from ui import agreements_view as view
from ui.agreements_view import fmt_day
from ui.auth import require_screen
from ui.export import download_door, file_stem, may_export
from ui.figures import PLOTLY_CONFIG
from ui.layout import page_filters
from ui.safe import plain

user = require_screen(__file__)
sidebar, _, _ = page_filters(needs_kpi_data=False)  # the global period: the pack is as of its cut
rev = view.revision()
opts = view.options(rev)

st.title("Reuniones regionales")
panel.flash()


def _create_form() -> None:
    if not mt.CREATORS & user.roles:
        return
    with st.expander("Registrar una reunión"), st.form("reunion_nueva", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)
        cve = c1.text_input("Clave", placeholder="p. ej. RR9-CEN-2027", key="r_cve")
        nombre = c2.text_input("Nombre", placeholder="9ª Reunión Regional Centro", key="r_nombre")
        region = c3.selectbox(
            "Región", ["Norte", "Occidente", "Centro", "Sureste"], index=None, placeholder="Elija la región",
            key="r_region",
        )  # fmt: skip
        ciclo = c1.text_input("Ronda (ciclo)", placeholder="2027", key="r_ciclo")
        numero = c2.number_input("Número de reunión", min_value=1, max_value=99, value=1, key="r_numero")
        sede = c3.text_input("Sede", placeholder="Ciudad, estado", key="r_sede")
        inicio = c1.date_input("Inicio", value=None, format="DD/MM/YYYY", key="r_inicio")
        fin = c2.date_input("Término", value=None, format="DD/MM/YYYY", key="r_fin")
        ooad = st.multiselect(
            "OOAD participantes", list(opts["ooad"]), format_func=opts["ooad"].__getitem__,
            placeholder="Elija uno o varios OOAD", key="r_ooad",
        )  # fmt: skip
        umae = st.multiselect(
            "UMAE participantes", list(opts["umae"]), format_func=opts["umae"].__getitem__,
            placeholder="Elija una o varias UMAE", key="r_umae",
        )  # fmt: skip
        mesas = st.multiselect(
            "Mesas de trabajo", list(opts["mesas"]), format_func=lambda k: f"{k} · {opts['mesas'][k]}",
            placeholder="Elija las mesas", key="r_mesas",
        )  # fmt: skip
        temas = st.multiselect(
            "Temas transversales", list(opts["temas"]), format_func=lambda k: f"{k} · {opts['temas'][k]}",
            placeholder="Elija los temas", key="r_temas",
        )  # fmt: skip
        minuta = st.file_uploader("Minuta (pdf o docx; máx. 10 MB)", type=list(mt.MINUTES_TYPES),
                                  max_upload_size=10, key="r_minuta")  # fmt: skip
        if st.form_submit_button("Registrar reunión", type="primary"):
            if not (region and inicio and fin):
                st.error("Indique la región y las fechas de inicio y término.", icon=":material/error:")
                return
            meeting = mt.Meeting(
                cve_reunion=cve, nombre=nombre, ciclo=ciclo, ronda=int(numero), region=region,
                fecha_inicio=inicio, fecha_fin=fin, sede=sede, ooad=tuple(ooad), umae=tuple(umae),
                mesas=tuple(mesas), temas=tuple(temas),
            )  # fmt: skip
            file = Evidence(minuta.name, minuta.getvalue()) if minuta is not None else None
            try:
                created = mt.create(meeting, user, file)
            except (AgreementError, ValueError) as exc:
                st.error(plain(str(exc)), icon=":material/error:")
            else:
                st.session_state[panel.FLASH] = f"Se registró la reunión {plain(created)}."
                st.query_params["reunion"] = created
                st.rerun()


_create_form()
listing = mt.meetings(direccion=user.agreements_scope, ambito=user.ambito)
if listing.empty:
    st.info("No hay reuniones registradas en su ámbito.")
    st.stop()
names = dict(zip(listing["cve_reunion"], listing["nombre"] + " · " + listing["ciclo"], strict=True))
st.dataframe(
    listing.assign(
        fecha_inicio=[fmt_day(d) for d in listing["fecha_inicio"]],
        fecha_fin=[fmt_day(d) for d in listing["fecha_fin"]],
    )[["nombre", "ciclo", "region", "sede", "fecha_inicio", "fecha_fin", "n_ooad", "n_umae", "acuerdos"]].rename(
        columns={"nombre": "Reunión", "ciclo": "Ronda", "region": "Región", "sede": "Sede", "fecha_inicio": "Inicio",
                 "fecha_fin": "Término", "n_ooad": "OOAD", "n_umae": "UMAE", "acuerdos": "Acuerdos"}
    ),
    hide_index=True,
)  # fmt: skip
wanted = st.query_params.get("reunion")
keys = list(names)
chosen = st.selectbox(
    "Reunión",
    keys,
    format_func=names.__getitem__,
    index=keys.index(wanted) if wanted in keys else 0,
    key="reunion_sel",
)
record = mt.meeting(chosen) if chosen else None
if record is None:  # deleted by someone else since the list was read
    st.warning("La reunión elegida ya no está registrada; elija otra.")
    st.stop()
st.subheader(plain(record["nombre"]))
a, b = st.columns(2)
a.markdown(
    f"**Ronda:** {plain(record['ciclo'] or '—')} · **Número:** {record['ronda']}  \n"
    f"**Región:** {plain(record['region'])} · **Sede:** {plain(record['sede'] or '—')}  \n"
    f"**Fechas:** {fmt_day(record['fecha_inicio'])} a {fmt_day(record['fecha_fin'])}"
)
b.markdown(
    f"**OOAD ({len(record['ooad_nombres'])}):** {plain(', '.join(record['ooad_nombres']) or '—')}  \n"
    f"**UMAE ({len(record['umae_nombres'])}):** {plain(', '.join(record['umae_nombres']) or '—')}"
)
st.markdown(
    f"**Mesas:** {plain(', '.join(record['mesas_nombres']) or '—')}  \n"
    f"**Temas transversales:** {plain(', '.join(record['temas_nombres']) or '—')}"
)
if isinstance(record.get("minuta_ruta"), str):
    content = read_file(record["minuta_ruta"])
    if content is not None:
        st.download_button(f"Descargar la minuta ({plain(record['minuta_nombre'])})", content,
                           file_name=record["minuta_nombre"], key="minuta")  # fmt: skip

cut = view.cut_choice(sidebar.periodo, "reunion_corte")
pack = mt.follow_up(
    chosen, direccion=user.agreements_scope, ambito=user.ambito, as_of=cut.corte, desde=cut.desde
)
view.headline(pack.kpis)
st.caption(
    f"{figs.cut_caption(cut, sidebar.periodo)} · "
    f"{view.count_label(pack.kpis.registrados)} de esta reunión en su ámbito."
)
# each chart beside the table of the same breakdown: one frame, drawn and listed
for frame, label, key in (
    (pack.por_mesa, "Mesa de trabajo", "reunion_mesas"),
    (pack.por_unidad, "OOAD / UMAE", "reunion_unidades"),
):
    if frame.empty:
        continue
    st.plotly_chart(
        figs.breakdown_bars(frame, f"Acuerdos por {label.lower()}"), key=key, config=PLOTLY_CONFIG
    )
    st.dataframe(view.breakdown_table(frame, label), hide_index=True)

st.markdown("**Paquete de seguimiento**")
st.caption(
    "Reporte ejecutivo de la reunión: estado por mesa, por OOAD y UMAE, y la lista de vencidos con su responsable."
)
stem = file_stem(f"seguimiento_{chosen}_{cut.corte:%Y%m%d}")
described = {"Reunión": chosen, "Ámbito": user.ambito, "Dirección": user.agreements_scope or "Todas"}
if may_export(user):  # the export door: the right to export, built on click, audited
    download_door(stem, described, pack.kpis.registrados, meeting_pack.formats(pack))
else:
    st.caption("El paquete lo descargan los perfiles con permiso de exportar.")

agreement_new.render(user, opts, reunion=chosen)
if mt.CREATORS & user.roles:
    view.link(
        "pages/cargar_datos.py", "Carga masiva de acuerdos de esta reunión (contrato acuerdos_registro)"
    )
listing_frame = view.listing(
    user.agreements_scope, cut.corte, ag.BoardFilters(cve_reunion=chosen, ambito=user.ambito), rev
)
if not listing_frame.empty:
    st.markdown("**Acuerdos de la reunión** (vencidos primero)")
    st.dataframe(view.list_table(listing_frame), hide_index=True)
