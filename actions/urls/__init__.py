"""The actions app's URLs: one module for each part, put together here."""

from actions.urls import learning, plans, reports

# Under cases/<case_pk>/actions/.
case_urlpatterns = [*plans.case_urlpatterns, *learning.case_urlpatterns]
# Under actions/.
urlpatterns = [*plans.urlpatterns, *reports.urlpatterns, *learning.urlpatterns]
