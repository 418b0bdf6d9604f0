from django.apps import AppConfig


class RapidReviewsConfig(AppConfig):
    name = "rapid_reviews"

    def ready(self):
        from cspr.models import Stage
        from cspr.services.cases import register_stage_entry_check
        from rapid_reviews.services import may_start_local_review

        def local_review_needs_the_panels_agreement(case):
            if may_start_local_review(case):
                return ""
            return "A local review starts only after the Panel's response agreeing one."

        register_stage_entry_check(Stage.LOCAL_REVIEW, local_review_needs_the_panels_agreement)
