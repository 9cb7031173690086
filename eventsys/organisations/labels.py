"""What people read for each kind of organisation (never the raw key, "ngo" is not "Ngo")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eventsys.organisations.models import OrganisationKind

ORGANISATION_KIND_LABELS = {
    OrganisationKind.MUNICIPALITY: _l("Municipality"),
    OrganisationKind.DISTRICT: _l("District"),
    OrganisationKind.REGION: _l("Region"),
    OrganisationKind.NGO: _l("NGO"),
    OrganisationKind.NETWORK: _l("Network"),
    OrganisationKind.INDIGENOUS: _l("Indigenous peoples' organisation"),
    OrganisationKind.COMPANY: _l("Company"),
    OrganisationKind.PRESS: _l("Press"),
    OrganisationKind.OTHER: _l("Other"),
}
