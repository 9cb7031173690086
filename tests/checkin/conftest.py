from tests.badges.conftest import api_token, event, organiser, people, staff  # noqa: F401
