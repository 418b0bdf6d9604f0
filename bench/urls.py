"""The page benchmark's URLs (cspr.settings.bench only): the product's, and the raw-SQL
baseline views under /bench/baseline/. The product's settings never mount this module."""

from django.urls import path

from bench import baseline
from cspr.urls import urlpatterns as product

urlpatterns = [
    path("bench/baseline/cases/", baseline.case_list, name="baseline-case-list"),
    path("bench/baseline/cases/<int:pk>/", baseline.case_detail, name="baseline-case-detail"),
    path(
        "bench/baseline/cases/<int:case_pk>/pack/",
        baseline.collated_pack,
        name="baseline-collated-pack",
    ),
    path("bench/baseline/dashboard/", baseline.dashboard, name="baseline-dashboard"),
    path(
        "bench/baseline/requests/<int:pk>/",
        baseline.request_detail,
        name="baseline-request-detail",
    ),
    *product,
]
