"""URLs of the learning pages: themes on a case, the equality analysis, learning events."""

from django.urls import path

from actions.views import learning

# Under cases/<case_pk>/actions/.
case_urlpatterns = [
    path("themes/", learning.case_themes, name="case-themes"),
]
# Under actions/.
urlpatterns = [
    path("themes/analysis/", learning.equality_analysis, name="equality-analysis"),
    path("themes/analysis.csv", learning.equality_analysis_csv, name="equality-analysis-csv"),
    path("learning-events/", learning.learning_event_list, name="learning-event-list"),
    path("learning-events.csv", learning.learning_event_list_csv, name="learning-event-list-csv"),
    path("learning-events/new/", learning.learning_event_new, name="learning-event-new"),
    path("learning-events/<int:pk>/", learning.learning_event_edit, name="learning-event-edit"),
]
