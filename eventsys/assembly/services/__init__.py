"""General Assembly rules (being split into modules by topic; see voting.py for now)."""

from eventsys.assembly.services.voting import *  # noqa: F403
