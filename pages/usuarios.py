"""Administrator: accounts, roles, directorate and scope; password resets; deactivation."""

import pandas as pd
import streamlit as st

from access import users
from ui.auth import require_screen
from ui.safe import plain
from ui.session import ROLES

admin = require_screen("pages/usuarios.py")
st.title("Usuarios y roles")

accounts = users.list_users()
direcciones, ambitos = users.scope_choices()
st.dataframe(
    pd.DataFrame(
        [
            {
                "Usuario": a.usuario,
                "Nombre": a.nombre,
                "Correo": a.email or "",
                "Roles": ", ".join(ROLES[r] for r in sorted(a.roles)),
                "Dirección": a.cve_direccion or "",
                "Ámbito": a.ambito,
                "Estado": "Activo" if a.activo else "Inactivo",
            }
            for a in accounts
        ],
        columns=["Usuario", "Nombre", "Correo", "Roles", "Dirección", "Ámbito", "Estado"],
    ),
    hide_index=True,
    width="stretch",
)


def _done(message: str) -> None:
    st.session_state["usuarios_aviso"] = message
    st.rerun()


if aviso := st.session_state.pop("usuarios_aviso", None):
    st.success(aviso)

NO_DIR = "(ninguna)"
dir_options = [NO_DIR, *direcciones]


def _dir_label(cve: str) -> str:
    return cve if cve == NO_DIR else f"{cve} — {direcciones[cve]}"


alta, editar, clave, estado = st.tabs(
    ["Alta", "Editar roles y ámbito", "Restablecer contraseña", "Activar o desactivar"]
)

with alta, st.form("alta_usuario", clear_on_submit=True):
    usuario = st.text_input("Usuario")
    nombre = st.text_input("Nombre completo")
    email = st.text_input("Correo institucional (para inicio de sesión institucional)")
    roles = st.multiselect("Roles", list(ROLES), format_func=ROLES.__getitem__)
    direccion = st.selectbox("Dirección normativa", dir_options, format_func=_dir_label)
    ambito = st.selectbox("Ámbito de los indicadores", ambitos)
    password = st.text_input("Contraseña inicial", type="password")
    confirm = st.text_input("Confirme la contraseña", type="password")
    if st.form_submit_button("Crear usuario", type="primary"):
        if password != confirm:
            st.error("Las contraseñas no coinciden.")
        else:
            try:
                users.add_user(
                    usuario,
                    nombre,
                    password,
                    roles,
                    email=email.strip() or None,
                    cve_direccion=None if direccion == NO_DIR else direccion,
                    ambito=ambito,
                    by=admin.usuario,
                )
                _done(f"Usuario {plain(users.normalize_usuario(usuario))} creado.")
            except users.AccountError as exc:
                st.error(plain(exc))

names = [a.usuario for a in accounts]
by_name = {a.usuario: a for a in accounts}

with editar:
    chosen = st.selectbox("Usuario", names, key="editar_usuario")
    if chosen:
        a = by_name[chosen]
        with st.form(f"editar_{chosen}"):
            nombre = st.text_input("Nombre completo", a.nombre)
            email = st.text_input("Correo institucional", a.email or "")
            roles = st.multiselect("Roles", list(ROLES), sorted(a.roles), format_func=ROLES.__getitem__)
            current_dir = a.cve_direccion if a.cve_direccion in direcciones else NO_DIR
            direccion = st.selectbox(
                "Dirección normativa", dir_options, dir_options.index(current_dir), format_func=_dir_label
            )
            ambito = st.selectbox("Ámbito", ambitos, ambitos.index(a.ambito) if a.ambito in ambitos else 0)
            if st.form_submit_button("Guardar cambios", type="primary"):
                try:
                    users.update_user(
                        chosen,
                        roles=roles,
                        nombre=nombre,
                        email=email.strip() or None,
                        cve_direccion=None if direccion == NO_DIR else direccion,
                        ambito=ambito,
                        by=admin.usuario,
                    )
                    _done(f"Usuario {plain(chosen)} actualizado.")
                except users.AccountError as exc:
                    st.error(plain(exc))

with clave:
    chosen = st.selectbox("Usuario", names, key="clave_usuario")
    with st.form("restablecer", clear_on_submit=True):
        password = st.text_input("Nueva contraseña", type="password")
        confirm = st.text_input("Confirme la contraseña", type="password")
        if st.form_submit_button("Restablecer", type="primary") and chosen:
            if password != confirm:
                st.error("Las contraseñas no coinciden.")
            else:
                try:
                    users.set_password(chosen, password, by=admin.usuario)
                    _done(f"Contraseña de {plain(chosen)} restablecida.")
                except users.AccountError as exc:
                    st.error(plain(exc))

with estado:
    chosen = st.selectbox("Usuario", names, key="estado_usuario")
    if chosen:
        active = by_name[chosen].activo
        st.write(f"Estado actual: **{'Activo' if active else 'Inactivo'}**")
        if st.button("Desactivar" if active else "Reactivar", key="cambiar_estado"):
            try:
                users.set_active(chosen, not active, by=admin.usuario)
                _done(f"Usuario {plain(chosen)} {'desactivado' if active else 'reactivado'}.")
            except users.AccountError as exc:
                st.error(plain(exc))
