"""Proxies, attendance, membership applications and admission."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from eventsys.assembly import services
from eventsys.assembly.models import ApplicationStatus
from eventsys.errors import Conflict, ServiceError
from eventsys.extensions import db
from eventsys.organisations.models import Membership
from tests.assembly.conftest import PDF, build_hall, option


def test_proxy_chain_is_refused_both_ways(hall):
    a, b, c = hall.rights[:3]
    services.set_proxy(db.session, hall.assembly, a, b)  # A -> B
    with pytest.raises(Conflict, match="cannot be passed on"):
        services.set_proxy(db.session, hall.assembly, b, c)  # B -> C while B holds A's
    services.set_proxy(db.session, hall.assembly, c, hall.rights[3])  # C -> D
    with pytest.raises(Conflict, match="cannot be passed on"):
        services.set_proxy(db.session, hall.assembly, a, c)  # A -> C, who gave its own away
    assert a.proxy_holder_id == b.id and b.proxy_holder_id is None


def test_too_many_proxies_are_refused(factory):
    hall = build_hall(factory, 4, max_proxies=2)
    holder = hall.rights[3]
    services.set_proxy(db.session, hall.assembly, hall.rights[0], holder)
    services.set_proxy(db.session, hall.assembly, hall.rights[1], holder)
    with pytest.raises(Conflict, match="already holds 2 proxies"):
        services.set_proxy(db.session, hall.assembly, hall.rights[2], holder)
    # Re-saving an existing proxy is not "one more".
    services.set_proxy(db.session, hall.assembly, hall.rights[1], holder)


def test_self_proxy_and_holder_without_delegate_are_refused(hall):
    with pytest.raises(ServiceError, match="its own proxy"):
        services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[0])
    services.appoint_delegate(db.session, hall.assembly, hall.rights[1], None)
    with pytest.raises(ServiceError, match="no delegate"):
        services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[1])


def test_withdrawn_proxy_returns_the_vote_to_the_own_delegate(hall):
    services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[1])
    services.set_proxy(db.session, hall.assembly, hall.rights[0], None)
    rights = services.exercisable_rights(db.session, hall.assembly.id, hall.delegates[0].id)
    assert [r[0] for r in rights] == [hall.rights[0].id]
    actions = [e.action for e in services.audit_entries(db.session, hall.assembly)]
    assert actions[-2:] == ["proxy_set", "proxy_removed"]


def test_lowering_the_proxy_limit_below_what_is_held_is_refused(factory):
    hall = build_hall(factory, 3, max_proxies=2)
    services.set_proxy(db.session, hall.assembly, hall.rights[0], hall.rights[2])
    services.set_proxy(db.session, hall.assembly, hall.rights[1], hall.rights[2])
    with pytest.raises(Conflict):
        services.update_settings(
            db.session, hall.assembly, max_proxies=1, quorum_percent=50, tie_rule="rejected"
        )


def test_one_person_is_delegate_of_one_member_only(hall):
    with pytest.raises(Conflict, match="already the delegate"):
        services.appoint_delegate(db.session, hall.assembly, hall.rights[1], hall.registrations[0])


def _apply(app, hall, uploads, **kw):
    return services.submit_application(
        db.session,
        hall.assembly,
        organisation_name=kw.get("name", "CEESEN"),
        organisation_kind="network",
        country="UA",
        city="Kyiv",
        contact_name="Olena Koval",
        contact_email="olena@example.org",
        statement="",
        uploads=uploads,
        upload_dir=app.config["UPLOAD_DIR"],
        max_bytes=kw.get("max_bytes", app.config["UPLOAD_MAX_BYTES"]),
    )


def test_application_without_the_resolution_is_refused(app, hall):
    with pytest.raises(ServiceError, match="council resolution") as error:
        _apply(app, hall, [services.Upload("letter", "letter.pdf", PDF)])
    assert error.value.field == "resolution"


def test_non_pdf_upload_is_refused(app, hall):
    with pytest.raises(ServiceError, match="not a PDF"):
        _apply(app, hall, [services.Upload("resolution", "r.pdf", b"MZ\x90\x00 not a pdf")])


def test_oversized_upload_is_refused_and_nothing_is_written(app, hall):
    folder = Path(app.config["UPLOAD_DIR"]) / "assembly"
    before = set(folder.iterdir()) if folder.exists() else set()
    big = PDF + b"0" * 2048
    with pytest.raises(ServiceError, match="larger than"):
        _apply(app, hall, [services.Upload("resolution", "r.pdf", big)], max_bytes=1024)
    after = set(folder.iterdir()) if folder.exists() else set()
    assert after == before


def test_application_stores_the_pdf_with_its_hash(app, hall):
    application = _apply(app, hall, [services.Upload("resolution", "../../etc/r.pdf", PDF)])
    (document,) = application.documents
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.filename == "r.pdf"  # no path from the client's name
    path = services.document_path(app.config["UPLOAD_DIR"], document)
    assert path.read_bytes() == PDF
    assert application.status == ApplicationStatus.SUBMITTED


def test_admission_from_application_to_membership(app, hall):
    application = _apply(app, hall, [services.Upload("resolution", "r.pdf", PDF)])
    with pytest.raises(Conflict, match="complete"):
        services.put_on_agenda(db.session, application)
    services.review_application(db.session, application, complete=True, comment="All in order.")
    motion = services.put_on_agenda(db.session, application)
    assert motion.kind == "admission" and application.status == ApplicationStatus.ON_AGENDA
    poll = services.create_poll(db.session, motion, majority_rule="two_thirds")
    services.open_poll(db.session, poll, upload_dir=app.config["UPLOAD_DIR"])
    assert poll.content["documents"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    with pytest.raises(Conflict, match="documents are fixed"):
        services.add_document(
            db.session,
            application,
            services.Upload("letter", "late.pdf", PDF),
            upload_dir=app.config["UPLOAD_DIR"],
            max_bytes=10_000,
        )
    for i in range(3):
        services.cast_vote(db.session, poll.id, hall.delegates[i].id, [option(poll, "yes")])
    closed = services.close_poll(db.session, poll.id)
    assert closed.decision.startswith("Admitted: 3 yes, 0 no, 0 abstentions")
    membership = db.session.execute(
        select(Membership).where(Membership.member_id == application.organisation_id)
    ).scalar_one()
    assert membership.network_id == hall.network.id
    assert membership.started_on == hall.assembly.held_on
    assert application.status == ApplicationStatus.ADMITTED


def test_rejected_admission_creates_no_membership(app, hall):
    application = _apply(app, hall, [services.Upload("resolution", "r.pdf", PDF)])
    services.review_application(db.session, application, complete=True, comment="")
    motion = services.put_on_agenda(db.session, application)
    poll = services.create_poll(db.session, motion, majority_rule="two_thirds")
    services.open_poll(db.session, poll, upload_dir=app.config["UPLOAD_DIR"])
    services.cast_vote(db.session, poll.id, hall.delegates[0].id, [option(poll, "no")])
    closed = services.close_poll(db.session, poll.id)
    assert closed.decision.startswith("Not admitted")
    assert application.status == ApplicationStatus.REJECTED
    assert not db.session.execute(
        select(Membership).where(Membership.member_id == application.organisation_id)
    ).first()


def test_a_changed_file_on_disk_stops_the_poll_from_opening(app, hall):
    application = _apply(app, hall, [services.Upload("resolution", "r.pdf", PDF)])
    services.review_application(db.session, application, complete=True, comment="")
    motion = services.put_on_agenda(db.session, application)
    poll = services.create_poll(db.session, motion)
    services.document_path(app.config["UPLOAD_DIR"], application.documents[0]).write_bytes(
        PDF + b"% tampered"
    )
    with pytest.raises(Conflict, match="changed on disk"):
        services.open_poll(db.session, poll, upload_dir=app.config["UPLOAD_DIR"])


def test_incomplete_finding_without_resolution(app, hall):
    application = _apply(app, hall, [services.Upload("resolution", "r.pdf", PDF)])
    services.review_application(db.session, application, complete=False, comment="Unsigned.")
    assert application.status == ApplicationStatus.INCOMPLETE
    assert application.board_comment == "Unsigned."
