"""What the sidebar filters offer, built once per data version from the engine's catalogs."""

from __future__ import annotations

import pandas as pd

from ui.filters import places_of


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
