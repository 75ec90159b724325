"""Back-office list of visit bookings, mounted at /office/visits/."""

from django.urls import path

from qnwmh.public import views

app_name = "visits"
urlpatterns = [path("", views.visits_view, name="list")]
