from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cspr.admin import AdministratorOnly
from rapid_reviews.models import DistributionEntry


@admin.register(DistributionEntry)
class DistributionEntryAdmin(AdministratorOnly, SimpleHistoryAdmin):
    """The named professionals each partnership's rapid review reports go to."""

    list_display = ["role", "name", "partnership", "position", "is_active"]
    list_filter = ["partnership", "is_active"]
