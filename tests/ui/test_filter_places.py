"""What the sidebar filters offer, built once per data version from the engine's catalogs."""

from __future__ import annotations

import pandas as pd

from ui.filters import Places, code_names, places_of, scope_label


def test_places_keep_the_catalog_order_and_name_each_state_by_its_offices_region() -> None:
    cats = {
        "regiones": pd.DataFrame({"region": ["Norte", "Sur"]}),
        "entidades": pd.DataFrame(
            {"cve_entidad": ["07", "19", "31"], "nombre": ["Chiapas", "Nuevo León", "Yucatán"]}
        ),
        "ooad": pd.DataFrame(
            {
                "cve_ooad": ["19", "07"],
                "nombre": ["Nuevo León", "Chiapas"],
                "region": ["Norte", "Sur"],
                "cve_entidad": ["19", "07"],
            }
        ),
        "umae": pd.DataFrame(
            {"cve_umae": ["U1"], "nombre": ["HE 25, Monterrey"], "region": ["Norte"], "cve_ooad": ["19"]}
        ),
        "unidades": pd.DataFrame(
            {
                "cve_unidad": ["07UMF001"],
                "nombre": ["UMF 1"],
                "tipo": ["UMF"],
                "cve_ooad": ["07"],
                "region": ["Sur"],
            }
        ),
    }
    places = places_of(cats)
    assert places.regions == ("Norte", "Sur")
    # Yucatán has no office in the catalog: no state to choose; the rest in name order
    assert places.states == (("07", "Chiapas", "Sur"), ("19", "Nuevo León", "Norte"))
    assert places.ooad == (("19", "Nuevo León", "Norte", "19"), ("07", "Chiapas", "Sur", "07"))
    assert places.umae == (("U1", "HE 25, Monterrey", "19"),)
    assert places.units == (("07UMF001", "UMF 1", "07"),)


PLACES = Places(
    regions=("Centro", "Norte"),
    states=(("09", "Ciudad de México", "Centro"),),
    ooad=(("09", "Ciudad de México Norte", "Centro", "09"), ("10", "Ciudad de México Sur", "Centro", "09")),
    umae=(("U05", "Hospital de Especialidades, CMN La Raza", "09"),),
    units=(("09UMF020", "UMF 20 Vallejo", "09"),),
)


def test_a_scope_is_said_by_its_name_never_its_code() -> None:
    # «Sin comentario para noviembre 2026 (OOAD Ciudad de México Norte)», not «(ooad:09)»
    assert scope_label("ooad:09", PLACES) == "OOAD Ciudad de México Norte"
    assert scope_label("unidad:09UMF020", PLACES) == "unidad médica UMF 20 Vallejo"
    assert scope_label("umae:U05", PLACES) == "UMAE Hospital de Especialidades, CMN La Raza"
    assert scope_label("entidad:09", PLACES) == "entidad Ciudad de México"
    assert scope_label("region:Centro", PLACES) == "región Centro"
    assert scope_label("nacional", PLACES) == "nacional"
    assert scope_label("ooad:77", PLACES) == "OOAD 77"  # not in the catalogs: the code, still in words
    assert scope_label("ooad:09") == "OOAD 09"  # without catalogs


def test_an_export_filter_offers_names_for_catalog_codes() -> None:
    assert code_names("cve_ooad", PLACES) == {"09": "Ciudad de México Norte", "10": "Ciudad de México Sur"}
    assert code_names("cve_unidad", PLACES) == {"09UMF020": "UMF 20 Vallejo"}
    assert code_names("sexo", PLACES) == {}
