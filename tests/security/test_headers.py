"""Response headers: the Content Security Policy and its nonces, no-store, and the rest."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from cspr.headers import CacheControlMiddleware
from rapid_reviews import services
from tests.rapid_reviews.test_rapid_reviews import notify

ROOT = Path(settings.BASE_DIR)
# Every folder of templates this project writes (not the installed packages').
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# Rendered to e-mail or to PDF, never served as a page under the policy: e-mail clients
# need inline styles, and WeasyPrint reads the PDF's <style> block.
NOT_PAGES = re.compile(r"(^|/)emails/|_pdf\.html$")


class Scripts(HTMLParser):
    """The attributes of every <script> and every style="" in a page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styled = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if "style" in attrs:
            self.styled.append(tag)


def parse(response):
    page = Scripts()
    page.feed(response.content.decode())
    return page


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {d[0]: d[1:] for d in directives if d}


def nonce_of(response):
    (nonce,) = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    return nonce.removeprefix("'nonce-").removesuffix("'")


@pytest.fixture
def review(world):
    notify(world)
    return services.rapid_review_open(case=world.case, by=world["business_manager"])


def case_pages(world):
    return [
        reverse("home"),
        reverse("case-list"),
        reverse("case-detail", args=[world.case.pk]),
        reverse("notification-list"),
    ]


def test_a_signed_in_page_has_a_strict_policy(client, world):
    client.force_login(world["business_manager"])
    response = client.get(reverse("case-detail", args=[world.case.pk]))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'", f"'nonce-{nonce_of(response)}'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]


def test_every_script_on_a_signed_in_page_carries_the_headers_nonce(client, world):
    client.force_login(world["business_manager"])
    for url in case_pages(world):
        response = client.get(url)
        nonce = nonce_of(response)
        scripts = parse(response).scripts
        assert scripts, url  # GOV.UK Frontend's init.js at least
        assert all(script.get("nonce") == nonce for script in scripts), url


def test_the_nonce_is_new_for_every_response(client, world):
    client.force_login(world["business_manager"])
    url = reverse("case-list")
    assert nonce_of(client.get(url)) != nonce_of(client.get(url))


def test_no_rendered_page_has_inline_script_or_style_that_the_policy_would_block(client, world):
    pages = [*case_pages(world), reverse("calendar")]
    client.force_login(world["business_manager"])
    responses = [client.get(url) for url in pages]
    client.logout()
    responses.append(client.get(reverse("sign-in")))
    for response in responses:
        page = parse(response)
        nonce = nonce_of(response)
        assert all(s.get("src") or s.get("nonce") == nonce for s in page.scripts)
        assert page.styled == []


def template_files():
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".txt"} and path.is_file():
                yield path


def test_no_template_has_an_inline_script_without_a_nonce():
    unsafe = []
    for path in template_files():
        for tag in re.findall(r"<script\b[^>]*>", path.read_text(encoding="utf-8"), re.I):
            if not re.search(r"\bsrc=", tag) and "request.csp_nonce" not in tag:
                unsafe.append(f"{path.relative_to(ROOT)}: {tag}")
    assert unsafe == []


def test_no_page_template_has_an_inline_style_or_event_handler():
    """The policy blocks them: styles go in static/src/main.scss, behaviour in init.js."""
    found = []
    for path in template_files():
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=|javascript:", text, re.I):
            found.append(f"{name}: event handler or javascript: URL")
        if not NOT_PAGES.search(name) and re.search(r"<style\b|\sstyle\s*=", text, re.I):
            found.append(f"{name}: inline style")
    assert found == []


def test_the_template_scan_would_see_a_template(client):
    assert any(p.name == "base.html" for p in template_files())


def test_case_pages_are_not_stored(client, world):
    client.force_login(world["police_contributor"])
    for url in case_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert response["Pragma"] == "no-cache", url


def test_a_case_pdf_is_not_stored(client, world, review):
    client.force_login(world["business_manager"])
    response = client.get(reverse("collated-pack-pdf", args=[world.case.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_a_refusal_or_a_redirect_to_sign_in_is_not_stored_either(client, world):
    response = client.get(reverse("case-detail", args=[world.case.pk]))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    client.force_login(world["stranger"])
    response = client.get(reverse("case-detail", args=[world.case.pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_a_case_page_sends_the_other_headers(client, world):
    client.force_login(world["business_manager"])
    response = client.get(reverse("case-detail", args=[world.case.pk]))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(p.strip().split("=") for p in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_static_files_are_not_forced_to_no_store(client, world):
    client.force_login(world["business_manager"])
    response = client.get(settings.STATIC_URL + "src/init.js")
    assert response.status_code == 200
    # With nosniff a module script runs only if served as JavaScript.
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


def middleware(response, path="/cases/1/"):
    return CacheControlMiddleware(lambda request: response)(RequestFactory().get(path))


def test_a_header_a_view_set_itself_is_kept():
    response = HttpResponse()
    response["Cache-Control"] = "private, max-age=60"
    assert middleware(response)["Cache-Control"] == "private, max-age=60"
    assert "Pragma" not in response


def test_a_download_without_a_header_is_not_stored():
    response = middleware(HttpResponse(b"a,b\n", content_type="text/csv"))
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_a_static_path_handed_on_is_left_alone():
    response = middleware(HttpResponse(b"body{}"), path=settings.STATIC_URL + "build/main.css")
    assert "Cache-Control" not in response


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/cspr/agency/", "/admin/cspr/agency/add/", "/admin/cspr/user/"]
)
def test_the_admin_works_under_the_same_policy(client, world, url):
    client.force_login(world["administrator"])
    response = client.get(url)
    assert response.status_code == 200
    assert policy(response)["script-src"][0] == "'self'"
    assert "no-store" in response["Cache-Control"]
    page = parse(response)
    # Django's admin loads its scripts from files (data goes in data- attributes), and
    # these pages need no inline style.
    assert all(s.get("src") for s in page.scripts)
    assert page.styled == []
