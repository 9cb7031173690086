from __future__ import annotations

import pytest


@pytest.fixture
def admin(factory):
    return factory.user("admin-events@example.org", name="Ana Admin", admin=True)


@pytest.fixture
def organiser(factory):
    return factory.user("org-events@example.org", name="Olga Organiser")


@pytest.fixture
def event(factory, organiser):
    return factory.event("lisbon-forum", organiser=organiser, title="Lisbon Climate Forum")


def event_form(**overrides) -> dict:
    data = {
        "slug": "cascais-2025",
        "title": "Climate Alliance International Conference 2025",
        "description": "Three days of workshops.",
        "kind": "conference",
        "timezone": "Europe/Lisbon",
        "starts_at": "2025-10-08T09:00",
        "ends_at": "2025-10-10T18:00",
        "venue_name": "Centro de Congressos do Estoril",
        "venue_address": "Av. Amaral",
        "city": "Cascais",
        "country": "PT",
        "languages": "en, pt",
        "default_locale": "en",
        "series_id": "",
        "new_series": "",
        "parent_id": "",
        "host_organisation_id": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "capacity": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
