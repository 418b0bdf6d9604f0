import pytest

from rapid_reviews import services
from tests.rapid_reviews.test_rapid_reviews import future, notify


@pytest.fixture
def police_return(world):
    """The police's draft return on an open rapid review of Child Q."""
    notify(world)
    review = services.rapid_review_open(case=world.case, by=world["business_manager"])
    request = services.information_request_send(
        rapid_review=review,
        agency=world.police,
        due_on=future(1),
        note="",
        by=world["business_manager"],
    )
    return request.information_return
