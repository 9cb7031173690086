"""The member register: services, and imports that show every fault by row and column."""

from __future__ import annotations

import io
from datetime import date

import pytest

from eventsys.errors import ServiceError
from eventsys.extensions import db
from eventsys.organisations import register
from eventsys.organisations import register_file as files
from eventsys.organisations.models import MembershipStatus, OrganisationKind

TODAY = date(2026, 11, 30)
HEADER = "code,name,kind,country,city,member_since,status,weight\n"


def _plan(factory_network, text: str, *, end_missing: bool = False):
    rows = files.read_rows("members.csv", text.encode())
    return files.plan_import(db.session, factory_network, rows, end_missing=end_missing)


@pytest.fixture
def network(factory):
    return factory.organisation("Climate Alliance", kind="network", country="DE")


def test_add_update_and_end_a_member(network):
    data = register.MemberData(name="Cascais", kind=OrganisationKind.MUNICIPALITY, country="PT")
    membership = register.add_member(db.session, network, data, today=TODAY)
    assert membership.member_since == TODAY and membership.status == MembershipStatus.ACTIVE
    data.status = MembershipStatus.SUSPENDED
    register.update_member(db.session, membership, data, today=TODAY)
    assert register.active_members(db.session, network.id, TODAY) == []
    register.end_membership(db.session, membership, on=TODAY)
    assert membership.status == MembershipStatus.LEFT and membership.ended_on == TODAY
    assert register.members(db.session, network) == []
    assert register.members(db.session, network, include_left=True) == [membership]
    with pytest.raises(ServiceError):
        register.end_membership(db.session, membership, on=TODAY)


def test_a_bad_country_is_refused_by_the_service(network):
    data = register.MemberData(name="Nowhere", kind=OrganisationKind.NGO, country="XX")
    with pytest.raises(ServiceError) as caught:
        register.add_member(db.session, network, data, today=TODAY)
    assert caught.value.field == "country"


def test_every_fault_is_named_by_row_and_column(network):
    plan = _plan(
        network,
        HEADER
        + "1,Cascais,municipality,PT,Cascais,2020-01-01,active,1\n"
        + "2,Lisboa,municipality,QQ,,,active,1\n"  # bad country
        + "3,Sintra,castle,PT,,,active,1\n"  # unknown kind
        + "1,Cascais again,municipality,PT,,,active,1\n"  # duplicate code
        + "4,,municipality,PT,,,active,1\n"  # missing name
        + "5,Porto,municipality,PT,,14/03/2024,active,1\n"  # bad date
        + "6,Braga,municipality,PT,,,asleep,0\n",  # bad status and weight
    )
    faults = {(e.row, e.column) for e in plan.errors}
    assert faults == {
        (3, "country"),
        (4, "kind"),
        (5, "code"),
        (6, "name"),
        (7, "member_since"),
        (8, "status"),
        (8, "weight"),
    }
    duplicate = next(e for e in plan.errors if e.row == 5)
    assert "row 2" in duplicate.reason
    assert [p.data.name for p in plan.new] == ["Cascais"]
    with pytest.raises(ServiceError):
        files.apply_import(db.session, network, plan, today=TODAY)
    assert register.members(db.session, network) == []  # nothing applied


def test_duplicate_by_name_and_country_without_codes(network):
    plan = _plan(network, "name,country\nCascais,PT\ncascais,pt\nCascais,BR\n")
    assert [(e.row, e.column) for e in plan.errors] == [(3, "name")]
    assert len(plan.new) == 2


def test_preview_sorts_new_changed_unchanged_and_ended(network):
    first = _plan(
        network,
        HEADER + "1,Cascais,municipality,PT,,2020-01-01,active,1\n"
        "2,Oeiras,municipality,PT,,2020-01-01,active,1\n"
        "3,Sintra,municipality,PT,,2020-01-01,active,1\n",
    )
    files.apply_import(db.session, network, first, today=TODAY)
    second = _plan(
        network,
        HEADER
        + "1,Cascais,municipality,PT,,2020-01-01,active,1\n"
        + "2,Oeiras,municipality,PT,,2020-01-01,suspended,2\n"
        + "9,Almada,municipality,PT,,,active,1\n",
        end_missing=True,
    )
    assert [p.data.name for p in second.new] == ["Almada"]
    assert [p.data.name for p in second.unchanged] == ["Cascais"]
    assert second.changed[0].changes == {
        "status": ("active", "suspended"),
        "weight": ("1", "2"),
    }
    assert [m.member.name for m in second.ended] == ["Sintra"]
    files.apply_import(db.session, network, second, today=TODAY)
    active = register.active_members(db.session, network.id, TODAY)
    assert sorted(m.member.name for m in active) == ["Almada", "Cascais"]


def test_semicolons_and_the_export_read_back_unchanged(network):
    plan = _plan(network, "name;kind;country\n=Evil;ngo;FR\nKyiv Climate;ngo;UA\n")
    assert not plan.errors
    files.apply_import(db.session, network, plan, today=TODAY)
    exported = files.to_csv(db.session, network)
    assert b"'=Evil" in exported
    again = files.plan_import(
        db.session, network, files.read_rows("x.csv", exported), end_missing=True
    )
    assert not again.errors and not again.new and not again.changed and not again.ended
    assert len(again.unchanged) == 2


def test_xlsx_round_trip(network):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Kind", "Country", "Member since"])
    sheet.append(["Tbilisi", "municipality", "GE", date(2019, 5, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = files.plan_import(
        db.session, network, files.read_rows("m.xlsx", buffer.getvalue()), end_missing=False
    )
    assert not plan.errors and plan.new[0].data.member_since == date(2019, 5, 1)
    files.apply_import(db.session, network, plan, today=TODAY)
    rows = files.read_rows("back.xlsx", files.to_xlsx(db.session, network))
    assert rows[0]["name"] == "Tbilisi" and rows[0]["member_since"] == "2019-05-01"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("m.pdf", b"%PDF", "CSV or XLSX"),
        ("m.csv", b"", "empty"),
        ("m.csv", b"\xff\xfe\x00bad", "UTF-8"),
        ("m.csv", b"kind,country\nngo,PT\n", "name"),
        ("m.csv", b"name,colour\nX,red\n", "colour"),
        ("m.xlsx", b"not a zip", "XLSX"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(ServiceError) as caught:
        files.read_rows(name, data)
    assert message in caught.value.message


def test_two_thousand_members_in_one_file(network):
    countries = ["DE", "AT", "IT", "PT", "ES", "FR", "NL", "BE", "LU", "PL", "CZ", "SK", "HU"]
    lines = [
        f"CA-{i:05d},Gemeinde {i},municipality,{countries[i % len(countries)]},,2010-01-01,active,1"
        for i in range(2000)
    ]
    plan = _plan(network, HEADER + "\n".join(lines) + "\n")
    assert not plan.errors and len(plan.new) == 2000
    files.apply_import(db.session, network, plan, today=TODAY)
    assert len(register.active_members(db.session, network.id, TODAY)) == 2000
    again = _plan(network, HEADER + "\n".join(lines) + "\n")
    assert len(again.unchanged) == 2000 and not again.new
