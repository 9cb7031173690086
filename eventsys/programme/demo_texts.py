"""The Cascais programme's Portuguese versions for the demo (a data table): session titles and
descriptions, tracks and the rooms whose names are not already Portuguese. A visitor who
switches to Português sees them on the timetable, in the feeds and in the printed programme."""

from __future__ import annotations

TRACKS_PT = {
    "Nature-based solutions": "Soluções baseadas na natureza",
    "Energy poverty": "Pobreza energética",
    "Equality in the transition": "Igualdade na transição",
    "Data for municipal planning": "Dados para o planeamento municipal",
}
ROOMS_PT = {"Foyer": "Átrio"}
TITLES_PT = {
    # Plenaries and breaks
    "Welcome coffee and registration": "Café de boas-vindas e acreditação",
    "Opening plenary: towns leading the climate transition":
        "Sessão plenária de abertura: os municípios à frente da transição climática",
    "Coffee break": "Pausa para café",
    "Lunch": "Almoço",
    "Plenary: the 95% target and what it takes": "Plenário: a meta dos 95% e o que exige",
    "Panel: a just transition for everyone": "Painel: uma transição justa para todos",
    "Plenary: reports from the workshops": "Plenário: relatos das oficinas",
    "General Assembly of the Climate Alliance": "Assembleia Geral da Aliança para o Clima",
    "Closing plenary and farewell lunch": "Plenário de encerramento e almoço de despedida",
    # Nature-based solutions
    "Urban forests against heat waves": "Florestas urbanas contra as ondas de calor",
    "Sponge cities: rain gardens and permeable streets":
        "Cidades-esponja: jardins de chuva e ruas permeáveis",
    "Restoring river banks with neighbours": "Recuperar as margens dos rios com os vizinhos",
    "Coastal dunes as climate defence": "Dunas costeiras como defesa climática",
    "Green roofs on public buildings": "Coberturas verdes nos edifícios públicos",
    "Financing nature in municipal budgets": "Financiar a natureza nos orçamentos municipais",
    # Energy poverty
    "Warm homes: renovation one-stop shops": "Casas quentes: balcões únicos de reabilitação",
    "Energy advice at the town hall counter": "Aconselhamento energético no balcão da câmara",
    "Energy communities in social housing": "Comunidades de energia na habitação social",
    "Fair tariffs and disconnection bans": "Tarifas justas e proibição de cortes",
    "Cold homes in the south: summer energy poverty":
        "Casas frias no sul: a pobreza energética de verão",
    "Measuring energy poverty street by street": "Medir a pobreza energética rua a rua",
    # Equality in the transition
    "Women in municipal climate leadership": "Mulheres na liderança climática municipal",
    "Indigenous partners in climate alliances": "Parceiros indígenas nas alianças climáticas",
    "Just transition for coal regions": "Transição justa para as regiões do carvão",
    "Youth councils and climate budgets": "Conselhos de jovens e orçamentos climáticos",
    "Accessible public transport for all": "Transportes públicos acessíveis a todos",
    "Migrant communities and climate information":
        "Comunidades migrantes e informação climática",
    # Data for municipal planning
    "Municipal emission inventories made simple":
        "Inventários municipais de emissões simplificados",
    "Open data for local climate action": "Dados abertos para a ação climática local",
    "Heat maps for urban planning": "Mapas de calor para o planeamento urbano",
    "Tracking the 95% target from 1990 to 2050": "Acompanhar a meta dos 95% de 1990 a 2050",
    "Mobility data and car-free centres": "Dados de mobilidade e centros sem carros",
    "Climate risk dashboards for councils": "Painéis de risco climático para as câmaras",
    # The next workshop day
    "Opening: energy poverty in member towns": "Abertura: a pobreza energética nos municípios",
    "Energy advice at the desk": "Aconselhamento energético ao balcão",
    "Summer energy poverty": "Pobreza energética de verão",
    "What we take home": "O que levamos para casa",
}  # fmt: skip
DESCRIPTIONS_PT = {
    "Welcome by the Mayor of Cascais and the Climate Alliance's board.":
        "Boas-vindas do Presidente da Câmara de Cascais e da direção da Aliança para o Clima.",
    "Delegates of member towns vote on the admission of a new member network, the accounts and "
    "the work programme.":
        "Os delegados dos municípios membros votam a admissão de uma nova rede membro, as contas "
        "e o programa de trabalho.",
}  # fmt: skip


def workshop_description_pt(track: str) -> str:
    return f"Uma oficina interativa sobre {TRACKS_PT[track][:1].lower()}{TRACKS_PT[track][1:]}."


def title_pt(title: str) -> dict[str, str]:
    """The `title_translations` of a demo session."""
    return {"pt": TITLES_PT[title]} if title in TITLES_PT else {}


def description_pt(description: str) -> dict[str, str]:
    return {"pt": DESCRIPTIONS_PT[description]} if description in DESCRIPTIONS_PT else {}


# The Baku side event's short programme, with its Russian versions: (English, Russian).
BAKU_ROOMS = (("Hall A", "Зал A", 120), ("Hall B", "Зал B", 60))
BAKU_TRACKS = (
    ("Energy access", "Доступ к энергии", "#b5512c"),
    ("Water and food", "Вода и продовольствие", "#2b5d9b"),
)
# (start, end, room index, track index or None, kind, English title, Russian title)
BAKU_SESSIONS = (
    ("10:00", "10:30", 0, None, "plenary", "Opening: South-South cooperation for climate action",
     "Открытие: сотрудничество Юг–Юг в интересах климата"),
    ("10:30", "12:00", 0, 0, "workshop", "Community solar in West Africa",
     "Общинная солнечная энергетика в Западной Африке"),
    ("10:30", "12:00", 1, 1, "workshop", "Water harvesting in drylands",
     "Сбор дождевой воды в засушливых землях"),
    ("12:00", "13:30", None, None, "break", "Lunch", "Обед"),
    ("13:30", "15:00", 0, 0, "workshop", "Clean cooking: what works",
     "Чистое приготовление пищи: что работает"),
    ("13:30", "15:00", 1, 1, "workshop", "Seeds and food sovereignty",
     "Семена и продовольственный суверенитет"),
    ("15:30", "17:00", 0, None, "plenary", "Reading of the Baku Declaration",
     "Оглашение Бакинской декларации"),
)  # fmt: skip
