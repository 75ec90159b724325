from django.urls import path

from qnwmh.core import views as core_views

app_name = "public"
urlpatterns = [
    # The public site (issue: public face) replaces this redirect with the directory.
    path("", core_views.root, name="index"),
]
