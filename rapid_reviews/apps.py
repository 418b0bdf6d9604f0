from django.apps import AppConfig


class RapidReviewsConfig(AppConfig):
    name = "rapid_reviews"
