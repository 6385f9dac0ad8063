// Spanish for the few texts Streamlit's front end writes in English and has no setting for
// (file uploader, multiselect placeholder, «Page not found» dialog, chart and table toolbars,
// status widget). Served by ui/web.py from the app's own origin (the CSP allows no inline script).
// Exact texts first; then patterns for texts that carry a value (sizes, page names).
(() => {
  "use strict";
  const EXACT = new Map([
    ["Drag and drop file here", "Arrastre y suelte el archivo aquí"],
    ["Drag and drop files here", "Arrastre y suelte los archivos aquí"],
    ["Browse files", "Buscar archivos"],
    ["Upload", "Subir"],
    ["Upload file", "Subir archivo"],
    ["Upload files", "Subir archivos"],
    ["Remove file", "Quitar archivo"],
    ["Delete", "Quitar"],
    ["Choose options", "Elija opciones"],
    ["Choose an option", "Elija una opción"],
    ["Select...", "Elija…"],
    ["No results", "Sin resultados"],
    ["No options to select", "No hay opciones"],
    ["Clear all", "Quitar todo"],
    ["Select all", "Seleccionar todo"],
    ["Clear value", "Quitar valor"],
    ["Clear", "Quitar"],
    ["Open", "Abrir"],
    ["Close", "Cerrar"],
    ["Page not found", "Página no encontrada"],
    ["Running...", "Procesando…"],
    ["Running", "Procesando"],
    ["Stop", "Detener"],
    ["Connecting", "Conectando"],
    ["Please wait...", "Espere…"],
    ["Fullscreen", "Pantalla completa"],
    ["Close fullscreen", "Salir de pantalla completa"],
    ["Download as CSV", "Descargar como CSV"],
    ["Search", "Buscar"],
    ["Show/hide columns", "Mostrar u ocultar columnas"],
    ["Main menu", "Menú principal"],
    ["Show password text", "Mostrar lo escrito"],
    ["Hide password text", "Ocultar lo escrito"],
    ["Press Enter to submit form", "Pulse Intro para enviar"],
    ["Press Enter to apply", "Pulse Intro para aplicar"],
    ["Collapse sidebar", "Ocultar barra lateral"],
    ["Expand sidebar", "Mostrar barra lateral"],
    ["Open sidebar", "Mostrar barra lateral"],
    ["Close sidebar", "Ocultar barra lateral"],
    ["Download plot as a png", "Descargar como PNG"],
    ["Download plot", "Descargar gráfica"],
    ["Zoom", "Acercar área"],
    ["Pan", "Desplazar"],
    ["Box Select", "Seleccionar área"],
    ["Lasso Select", "Seleccionar a mano alzada"],
    ["Zoom in", "Acercar"],
    ["Zoom out", "Alejar"],
    ["Autoscale", "Escala automática"],
    ["Reset axes", "Restablecer ejes"],
    ["Reset view", "Restablecer vista"],
    ["Reset", "Restablecer"],
    ["Toggle Spike Lines", "Líneas guía"],
    ["Show closest data on hover", "Mostrar el dato más cercano"],
    ["Compare data on hover", "Comparar datos"],
    ["Produced with Plotly.js", "Hecho con Plotly.js"],
    ["Copy to clipboard", "Copiar"],
    ["Copied to clipboard", "Copiado"],
    ["Previous month", "Mes anterior"],
    ["Next month", "Mes siguiente"],
    ["Choose a date", "Elija una fecha"],
    ["Choose a date range", "Elija un rango de fechas"],
    ["Choose date", "Elija una fecha"],
    ["Choose date range", "Elija un rango de fechas"],
    ["Skip to main content", "Ir al contenido principal"],
    ["Download plot as a PNG", "Descargar la gráfica como PNG"],
    ["Show password", "Mostrar lo escrito"],
    ["Hide password", "Ocultar lo escrito"],
    ["Download", "Descargar"],
    ["Loading...", "Cargando…"],
    ["DD/MM/YYYY", "DD/MM/AAAA"],
    ["YYYY/MM/DD", "AAAA/MM/DD"],
    ["MM/DD/YYYY", "MM/DD/AAAA"],
  ]);
  const DATE_PARTS = { day: "día", month: "mes", year: "año" };
  const PATTERNS = [
    [/^(day|month|year), (.*?)( start date| end date)?$/, (_, part, label, end) =>
      `${DATE_PARTS[part]}, ${label}${end === " start date" ? " (inicio)" : end === " end date" ? " (fin)" : ""}`],
    [/^(.+) start date$/, "$1 (inicio)"],
    [/^(.+) end date$/, "$1 (fin)"],
    [/^Remove (.+)$/, "Quitar $1"],
    [/^Limit (.+) per file(.*)$/, "Límite de $1 por archivo$2"],
    [/^(\d+(?:\.\d+)?) ?(KB|MB|GB) per file$/, "$1 $2 por archivo"],
    [/^You have requested page \/?(.*), but no corresponding file was found in the app's pages\/ directory\. Running the app's main page\.$/,
      "La página «$1» no existe; se muestra la página principal."],
    [/^You have requested page \/?(.*)\. .*$/, "La página «$1» no existe; se muestra la página principal."],
  ];
  const ATTRIBUTES = ["aria-label", "title", "data-title", "placeholder"];

  function translate(text) {
    const trimmed = text.trim();
    if (!trimmed) return null;
    const exact = EXACT.get(trimmed);
    if (exact !== undefined) return text.replace(trimmed, exact);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return null;
  }

  function fixElement(el) {
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute && el.getAttribute(name);
      if (value) {
        const t = translate(value);
        if (t !== null && t !== value) el.setAttribute(name, t);
      }
    }
  }

  function fix(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      const t = translate(root.nodeValue);
      if (t !== null && t !== root.nodeValue) root.nodeValue = t;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        const t = translate(node.nodeValue);
        if (t !== null && t !== node.nodeValue) node.nodeValue = t;
      } else {
        fixElement(node);
      }
    }
  }

  // Accessibility repairs of Streamlit's markup (found by the axe-core scan in the browser tests):
  // the KPI cards' sparklines are decorative (the delta says it in words), and the page menu's
  // list holds section headers as <div>, which breaks the list semantics: list roles are dropped
  // there, the links stay inside the navigation landmark.
  function repair() {
    document.querySelectorAll('[data-testid="stMetric"] svg, [data-testid="stMetric"] canvas').forEach((el) => {
      if (el.getAttribute("aria-hidden") !== "true") el.setAttribute("aria-hidden", "true");
    });
    document.querySelectorAll('[data-testid="stSidebarNavItems"]').forEach((list) => {
      if (list.getAttribute("role") !== "none") list.setAttribute("role", "none");
      list.querySelectorAll("li").forEach((li) => {
        if (li.getAttribute("role") !== "none") li.setAttribute("role", "none");
      });
    });
  }

  // On a phone the menu covers the page: close it once a page is chosen.
  function closeMenuOnPhone(event) {
    if (window.innerWidth >= 768) return;
    if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebar"] [data-testid="baseButton-headerNoPadding"]');
      if (close) close.click();
    }, 300);
  }

  // After a drill-down the page asks (ui/layout.py scroll_to_top) to show its top, where the
  // figures changed: the marker carries a new number on each drill.
  let scrolled = null;
  function scrollTopOnDrill() {
    const marker = document.querySelector("[data-cmi-scroll-top]");
    if (!marker) return;
    const drill = marker.getAttribute("data-cmi-scroll-top");
    if (drill === scrolled) return;
    scrolled = drill;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({ top: 0 });
    const view = document.querySelector('[data-testid="stAppViewContainer"]');
    if (view) view.scrollTo({ top: 0 });
    window.scrollTo({ top: 0 });
  }

  function start() {
    document.documentElement.lang = "es";
    fix(document.body);
    repair();
    document.addEventListener("click", closeMenuOnPhone, true);
    let pending = false;
    new MutationObserver((records) => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          repair();
          scrollTopOnDrill();
        });
      }
      for (const r of records) {
        if (r.type === "characterData") fix(r.target);
        else if (r.type === "attributes") fixElement(r.target);
        else r.addedNodes.forEach(fix);
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
