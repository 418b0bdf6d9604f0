import pytest

from cspr.models import AgencyType, Role
from rapid_reviews import services
from tests.factories import AgencyFactory, UserFactory
from tests.rapid_reviews.test_rapid_reviews import future, notify
from tests.support.clock import media  # noqa: F401 (stored files under each test's tmp_path)


@pytest.fixture
def police_return(world):
    """The police's draft return on an open rapid review of Child Q."""
    return police_draft_return(world)


def police_draft_return(world):
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


@pytest.fixture
def review(world):
    notify(world)
    return services.rapid_review_open(case=world.case, by=world["business_manager"])


@pytest.fixture
def executives(world):
    icb = AgencyFactory(
        partnership=world.partnership, name="Northtown ICB", type=AgencyType.INTEGRATED_CARE_BOARD
    )
    return {
        "local_authority": world["executive"],  # of children's services
        "police": UserFactory(
            partnership=world.partnership, agency=world.police, roles=[Role.EXECUTIVE]
        ),
        "icb": UserFactory(partnership=world.partnership, agency=icb, roles=[Role.EXECUTIVE]),
    }
