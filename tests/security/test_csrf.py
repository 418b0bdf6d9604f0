"""CSRF on every POST the project takes, found through the permission matrix.

For each POST request in `MATRIX` the persona the matrix allows posts it twice from a
browser that enforces CSRF: first without a token (refused with a 403 and nothing in the
database changes, history tables included), then with the token a page gave it (answered
exactly as the matrix says). A page the matrix lists without a POST must refuse one
(405), so no POST-taking URL escapes this file.
"""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from tests.security.conftest import signed_in, user_for
from tests.security.test_matrix import MATRIX, SIGNED_IN

POSTS = [
    (name, index)
    for name, entry in MATRIX.items()
    for index, req in enumerate(entry.reqs)
    if req.method == "post"
]
GET_ONLY = [name for name, entry in MATRIX.items() if all(r.method != "post" for r in entry.reqs)]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def row_counts():
    """Rows in every table, history and join tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def control(req):
    """The persona the matrix allows: a signed-in one where there is one."""
    for persona in (*SIGNED_IN, "anonymous"):
        if persona in req.ok:
            return persona
    raise AssertionError("every request names an allowed persona")


def token_from_a_page(client, anonymous):
    """The token as a browser gets it: from a form on a page it was shown."""
    page = client.get(reverse("sign-in" if anonymous else "home"))
    found = TOKEN.search(page.content.decode())
    assert found, "the page carries a CSRF token"
    return found.group(1)


def request_for(sides, name, req):
    entry = MATRIX[name]
    if entry.state:
        sides.build(entry.state)
    url = entry.url(sides.north)
    data = req.data(sides.north) if req.data else {}
    return url, data


def rewound(data):
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return data


@pytest.mark.parametrize(("name", "index"), POSTS, ids=[f"{n}-{i}" for n, i in POSTS])
def test_a_post_without_a_token_is_refused_and_changes_nothing(sides, name, index):
    req = MATRIX[name].reqs[index]
    persona = control(req)
    url, data = request_for(sides, name, req)
    client = signed_in(user_for(sides, persona), enforce_csrf_checks=True)
    before = row_counts()

    refused = client.post(url, rewound(data))

    assert refused.status_code == 403
    assert b"CSRF verification failed" in refused.content
    assert row_counts() == before

    data["csrfmiddlewaretoken"] = token_from_a_page(client, persona == "anonymous")
    accepted = client.post(url, rewound(data))
    assert accepted.status_code == req.ok[persona], accepted.content.decode()[:500]


@pytest.mark.parametrize("name", GET_ONLY)
def test_a_page_without_a_post_refuses_one(sides, name):
    entry = MATRIX[name]
    req = entry.reqs[0]
    persona = control(req)
    url, data = request_for(sides, name, req)
    client = signed_in(user_for(sides, persona), enforce_csrf_checks=True)
    token = token_from_a_page(client, persona == "anonymous")
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 405, f"{name} takes a POST: add it to the matrix"


def test_the_admin_checks_the_token_too(sides):
    from cspr.models import Partnership

    client = signed_in(sides.north["administrator"], enforce_csrf_checks=True)
    url = reverse("admin:cspr_partnership_add")
    data = {
        "name": "Westmere Safeguarding Children Partnership",
        "short_name": "Westmere",
        "rapid_review_clock_start": "partnership_notified",
        "panel_response_chase_days": "10",
        "reminder_working_days": "3, 1",
    }
    before = row_counts()
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert row_counts() == before
    page = client.get(url).content.decode()
    data["csrfmiddlewaretoken"] = TOKEN.search(page).group(1)
    assert client.post(url, data).status_code == 302
    assert Partnership.objects.filter(short_name="Westmere").exists()
