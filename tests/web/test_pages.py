from __future__ import annotations


def test_home_lists_published_events_only(client, factory):
    factory.event(title="Cascais Conference")
    factory.event(title="Secret draft", is_published=False)
    page = client.get("/").get_data(as_text=True)
    assert "Cascais Conference" in page
    assert "Secret draft" not in page


def test_unknown_page_is_a_404_page(client):
    response = client.get("/events/nope/")
    assert response.status_code == 404
    assert "no event at this address" in response.get_data(as_text=True)
