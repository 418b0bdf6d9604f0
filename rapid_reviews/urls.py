from django.urls import path

from rapid_reviews import views

case_urlpatterns = [
    path("", views.rapid_review_detail, name="rapid-review-detail"),
    path("open/", views.rapid_review_open, name="rapid-review-open"),
    path("requests/", views.information_request_send, name="information-request-send"),
]

urlpatterns = [
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/records-secured/", views.records_secured, name="records-secured"),
]
