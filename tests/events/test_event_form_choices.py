"""The event form lists host organisations, series and parents: pages render with them present."""

from __future__ import annotations

import re
import warnings

from sqlalchemy import select
from wtforms import SelectChoice

from eventsys.choices import options
from eventsys.extensions import db
from eventsys.organisations.models import Organisation


def _host_options(page: str) -> dict[str, str]:
    """value -> label of the host organisation select, as rendered."""
    select_html = re.search(
        r'<select[^>]*name="host_organisation_id".*?</select>', page, re.S
    ).group(0)
    return dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html))


def test_details_page_lists_the_host_organisations(client, login, factory, event, organiser):
    network = factory.organisation("Climate Alliance", kind="network")
    event.host_organisation_id = network.id
    factory.organisation("Amigos da Terra", kind="ngo")
    factory.organisation("Cascais", kind="municipality")  # member towns are not hosts
    db.session.flush()
    login(organiser)
    response = client.get(f"/events/{event.slug}/manage/details")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    hosts = _host_options(page)
    assert set(hosts.values()) == {"—", "Climate Alliance", "Amigos da Terra"}
    assert re.search(rf'<option selected value="{network.id}">|value="{network.id}" selected', page)


def test_new_event_page_lists_the_host_organisations(client, login, factory, admin):
    factory.organisation("Climate Alliance", kind="network")
    login(admin)
    response = client.get("/admin/events/new")
    assert response.status_code == 200
    assert "Climate Alliance" in _host_options(response.get_data(as_text=True)).values()


def test_options_take_database_rows_and_warn_nothing():
    organisation = Organisation(name="Climate Alliance", kind="network", country="DE")
    db.session.add(organisation)
    db.session.flush()
    rows = db.session.execute(select(Organisation.id, Organisation.name)).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        built = options([("", "—")], rows, [("x", "X", {"lang": "x"})])
    assert built[0] == SelectChoice("", "—")
    assert built[1] == SelectChoice(organisation.id, "Climate Alliance")
    assert built[2].render_kw == {"lang": "x"}
