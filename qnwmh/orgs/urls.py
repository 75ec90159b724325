from django.urls import path

from qnwmh.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<str:code>/edit/", views.organisation_edit, name="edit"),
    path("reference/", views.reference_list, name="reference"),
    path("reference/towns/new/", views.town_create, name="town_create"),
    path("reference/towns/<id:pk>/edit/", views.town_edit, name="town_edit"),
    path("reference/sectors/new/", views.sector_create, name="sector_create"),
    path("reference/sectors/<id:pk>/edit/", views.sector_edit, name="sector_edit"),
]
