"""GET /api/v1/events/<slug>/assembly/agenda: the agenda with documents and speakers.

Hangs on the Assembly's API blueprint; the same access as its other reads (a valid token)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from eventsys.api.core import token_required
from eventsys.api.schema import Schema
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.agenda.models import AgendaItem, Speaker
from eventsys.assembly.api import _assembly, blp
from eventsys.extensions import db


class AgendaDocumentSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "agenda (the item's own) or the paper's kind"})
    filename = fields.String()
    sha256 = fields.String()


class SpeakerSchema(Schema):
    id = fields.Integer()
    name = fields.Function(lambda s: s.registration.display_name)
    state = fields.Method("_state", metadata={"description": "waiting, speaking or spoken"})
    begun_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    seconds = fields.Integer(allow_none=True, metadata={"description": "Time spoken."})

    def _state(self, speaker: Speaker) -> str:
        if speaker.ended_at:
            return "spoken"
        return "speaking" if speaker.begun_at else "waiting"


class AgendaItemSchema(Schema):
    id = fields.Integer()
    position = fields.Integer()
    kind = fields.String(metadata={"description": "report, motion, application, election, other"})
    title = fields.String()
    text = fields.String()
    state = fields.String(metadata={"description": "pending, open or closed"})
    motion_id = fields.Integer(allow_none=True)
    application_id = fields.Integer(allow_none=True)
    speaking_seconds = fields.Integer(metadata={"description": "Per speaker; 0: no limit."})
    speakers_closed = fields.Boolean()
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    documents = fields.Method(
        "_documents", metadata={"description": "The item's own PDFs, then its application's."}
    )
    speakers = fields.Method("_speakers")

    def _documents(self, item: AgendaItem) -> list[dict[str, Any]]:
        own = [
            {"id": d.id, "kind": "agenda", "filename": d.filename, "sha256": d.sha256}
            for d in item.own_documents
        ]
        return own + AgendaDocumentSchema(many=True).dump(item.documents)

    def _speakers(self, item: AgendaItem) -> list[dict[str, Any]]:
        ordered = agenda.spoken(item) + ([s] if (s := agenda.speaking(item)) else [])
        return SpeakerSchema(many=True).dump(ordered + agenda.waiting(item))


@blp.route("/agenda")
@token_required
@blp.response(200, AgendaItemSchema(many=True))
def get_agenda(slug: str):
    """The agenda in order: each item's kind, state, linked motion or application, documents
    and list of speakers (who spoke and how long, who speaks, who waits)."""
    return agenda.agenda_items(db.session, _assembly(slug))
