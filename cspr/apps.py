from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Shared kernel"

    def ready(self):
        from cspr.views import public  # noqa: F401  (registers its deployment check)
