"""Fixtures for the actions, learning and reporting tests: the shared fixed "today"
(tests.support.clock) and uploads kept in a folder of the test's own."""

from tests.support.clock import LONDON, TODAY, media, today, travel  # noqa: F401
