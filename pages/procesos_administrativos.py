from ui.auth_guard import guard
from ui.rubric_page import render

guard(__file__)
render("procesos_administrativos")
