"""URLs of the learning pages (filled in with their views)."""

# Under cases/<case_pk>/actions/.
case_urlpatterns = []
# Under actions/.
urlpatterns = []
