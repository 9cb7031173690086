"""The published programme is parsed once per process and its feeds are built once per
version: a new version, an erasure or an edit of the event must show at the next request,
and readers that have the current feed get a 304."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from eventsys.privacy.services import erase_person
from eventsys.programme import feeds, frab, personal, services, signups, versions
from eventsys.programme.published import published_programme
from tests.programme.conftest import at

NAME = "Zhazira Cached-Speaker"


def feed_urls(conf) -> list[str]:
    slug = conf.event.slug
    return [
        f"/events/{slug}/calendar.ics",
        f"/events/{slug}/tracks/{conf.tracks[0].id}/calendar.ics",
        f"/events/{slug}/schedule.xml",
        f"/events/{slug}/schedule.json",
    ]


@pytest.fixture
def published(conf):
    conf.add("Energy poverty", at(9, 10), at(9, 11), track_id=conf.tracks[0].id)
    versions.publish(db.session, conf.event)
    db.session.commit()
    return conf


def test_feeds_carry_an_etag_and_answer_304_when_the_reader_has_them(client, published):
    for url in feed_urls(published):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, url
        assert again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
        other = client.get(url, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.data == first.data


def test_a_feed_is_built_once_then_served_from_its_file(client, published, monkeypatch):
    url = f"/events/{published.event.slug}/calendar.ics"
    body = client.get(url).data

    def fails(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(feeds, "calendar_ics", fails)
    monkeypatch.setattr(frab, "schedule_xml", fails)
    assert client.get(url).data == body


def test_an_unwritable_cache_folder_costs_only_the_caching(app, client, published, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    before = app.config["CACHE_DIR"]
    app.config["CACHE_DIR"] = str(blocker / "cache")
    try:
        response = client.get(f"/events/{published.event.slug}/schedule.xml")
    finally:
        app.config["CACHE_DIR"] = before
    assert response.status_code == 200 and b"Energy poverty" in response.data


def test_a_new_version_replaces_the_cached_programme_and_feeds(client, published):
    conf = published
    old = {url: client.get(url) for url in feed_urls(conf)}
    assert "Energy poverty" in client.get(f"/events/{conf.event.slug}/programme/").text
    conf.add("Nature walk", at(9, 12), at(9, 13), track_id=conf.tracks[0].id)
    versions.publish(db.session, conf.event)
    db.session.commit()

    assert "Nature walk" in client.get(f"/events/{conf.event.slug}/programme/").text
    for url, before in old.items():
        after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200, url
        assert after.headers["ETag"] != before.headers["ETag"]
        assert "Nature walk" in after.text, url


def test_erasure_reaches_the_parsed_programme_and_the_feeds(client, conf, factory):
    user = factory.user(name=NAME)
    conf.add(
        "Energy poverty", at(9, 10), at(9, 11), track_id=conf.tracks[0].id,
        speakers=[services.SpeakerData(NAME, user.id)],
    )  # fmt: skip
    versions.publish(db.session, conf.event)
    db.session.commit()
    assert NAME in published_programme(db.session, conf.event).items[0].speaker_names
    old = {url: client.get(url) for url in feed_urls(conf)}
    assert all(NAME in response.text for response in old.values())

    erase_person(db.session, user)
    db.session.commit()

    assert published_programme(db.session, conf.event).items[0].speakers == []
    for url, before in old.items():
        after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200, url
        assert NAME not in after.text, url


def test_editing_the_event_changes_its_feeds(client, published):
    url = f"/events/{published.event.slug}/calendar.ics"
    before = client.get(url)
    published.event.title = "Renamed Conference"
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "X-WR-CALNAME:Renamed Conference" in after.text


def test_the_parsed_programme_is_shared_until_a_new_version(published):
    first = published_programme(db.session, published.event)
    assert published_programme(db.session, published.event) is first
    published.add("Nature walk", at(9, 12), at(9, 13))
    versions.publish(db.session, published.event)
    second = published_programme(db.session, published.event)
    assert second is not first and second.version.number == first.version.number + 1
    assert [i.title for i in second.items] == ["Energy poverty", "Nature walk"]


def test_personal_marks_and_places_stay_live_on_the_shared_programme(
    client, login, factory, conf, participant
):
    user, registration = participant
    row = conf.add("Energy poverty", at(9, 10), at(9, 11), capacity=20, signup_required=True)
    versions.publish(db.session, conf.event)
    db.session.commit()
    url = f"/events/{conf.event.slug}/programme/"
    assert "20 places left" in client.get(url).text  # anonymous: the version is now cached

    signups.sign_up(db.session, row, registration)
    personal.set_star(db.session, row, user, True)
    db.session.commit()
    login(user)
    mine = client.get(url).text
    assert "19 places left" in mine and "✓ signed up" in mine and 'class="star"' in mine
    assert " mine col-" in mine
    login(factory.user(name="Someone Else"))
    other = client.get(url).text
    assert "19 places left" in other
    assert "signed up" not in other and 'class="star"' not in other and " mine col-" not in other
