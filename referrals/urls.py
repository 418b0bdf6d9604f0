from django.urls import path

from referrals import views

urlpatterns = [
    path("", views.referral_list, name="referral-list"),
    path("new/", views.referral_start, name="referral-start"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("<int:pk>/edit/", views.referral_edit, name="referral-edit"),
    path("<int:pk>/triage/", views.referral_triage, name="referral-triage"),
    path("<int:pk>/decision/", views.referral_decide, name="referral-decide"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="referral-withdraw"),
]
