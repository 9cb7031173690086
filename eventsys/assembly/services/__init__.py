"""General Assembly rules: voting rights, proxies, attendance, applications, motions and polls.

Integrity in brief:
- one vote per voting right: the primary key of `poll_votes` (poll, right); a duplicate insert
  does nothing and the right is reported as having voted already;
- atomic close: a vote holds a shared lock on the poll (a PostgreSQL advisory lock) for its short
  transaction; closing takes it exclusively, so it waits for every vote in flight to commit, then
  counts. A vote arriving later queues behind the close and then sees the poll closed. (A row
  lock FOR SHARE would be correct too, but new sharers overtake a waiting closer, so under a
  steady stream of votes the chair's close could wait; the lock manager's queue is fair.);
- secret polls store no link between voter and choice (see models.py).

The rules live in one module per topic; this package re-exports their names, so
`from eventsys.assembly import services; services.cast_vote(...)` reads as before.
"""

from eventsys.assembly.services.applications import (
    DOCUMENT_KINDS,
    PDF_MAGIC,
    REQUIRED_DOCUMENT,
    Upload,
    add_document,
    application_of,
    document_path,
    review_application,
    store_pdf,
    submit_application,
)
from eventsys.assembly.services.attendance import (
    RightView,
    attendance_mode,
    join_remotely,
    leave_remotely,
    mark_attendance,
    presence_modes,
    present_registration_ids,
    rights_overview,
)
from eventsys.assembly.services.audit import append_audit, audit_entries, verify_audit
from eventsys.assembly.services.locking import POLL_LOCK_CLASS, lock_assembly, poll_gate
from eventsys.assembly.services.motions import (
    content_hash,
    create_motion,
    create_poll,
    motion_of,
    open_poll,
    poll_content,
    poll_document,
    poll_of,
    put_on_agenda,
    update_motion,
)
from eventsys.assembly.services.rights import (
    appoint_delegate,
    assembly_for_event,
    create_assembly,
    is_delegate,
    right_of,
    set_proxy,
    set_weight,
    sync_rights,
    update_settings,
)
from eventsys.assembly.services.tally import (
    annul_poll,
    assembly_state,
    assembly_state_version,
    close_poll,
    decide_poll,
    presence_summary,
    present_rights,
    present_rights_by_mode,
    projected_poll,
    published_ballots,
    repeat_poll,
    tally,
    vote_count,
)
from eventsys.assembly.services.texts import default_title_versions, rename_assembly
from eventsys.assembly.services.voting import (
    RECEIPT_ALPHABET,
    RECORD_SQL,
    CastReceipt,
    cast_vote,
    exercisable_rights,
    new_receipt,
    record_ballots,
    voted_right_ids,
)

__all__ = [
    "POLL_LOCK_CLASS",
    "lock_assembly",
    "poll_gate",
    "append_audit",
    "audit_entries",
    "verify_audit",
    "assembly_for_event",
    "create_assembly",
    "update_settings",
    "rename_assembly",
    "default_title_versions",
    "sync_rights",
    "right_of",
    "appoint_delegate",
    "set_proxy",
    "set_weight",
    "is_delegate",
    "mark_attendance",
    "join_remotely",
    "leave_remotely",
    "attendance_mode",
    "present_registration_ids",
    "presence_modes",
    "RightView",
    "rights_overview",
    "DOCUMENT_KINDS",
    "REQUIRED_DOCUMENT",
    "PDF_MAGIC",
    "Upload",
    "store_pdf",
    "document_path",
    "add_document",
    "submit_application",
    "application_of",
    "review_application",
    "put_on_agenda",
    "create_motion",
    "update_motion",
    "motion_of",
    "poll_of",
    "create_poll",
    "poll_content",
    "poll_document",
    "content_hash",
    "open_poll",
    "RECEIPT_ALPHABET",
    "CastReceipt",
    "new_receipt",
    "exercisable_rights",
    "voted_right_ids",
    "cast_vote",
    "record_ballots",
    "RECORD_SQL",
    "projected_poll",
    "assembly_state",
    "assembly_state_version",
    "vote_count",
    "present_rights",
    "present_rights_by_mode",
    "presence_summary",
    "tally",
    "decide_poll",
    "close_poll",
    "annul_poll",
    "repeat_poll",
    "published_ballots",
]
