from ui.auth import require_screen
from ui.rubric_page import render

require_screen(__file__)
render("prestaciones_economicas_sociales")
