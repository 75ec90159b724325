from django.urls import path

from qnwmh.programme import views

app_name = "programme"
urlpatterns = [path("", views.rules_view, name="rules")]
