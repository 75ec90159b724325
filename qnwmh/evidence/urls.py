from django.urls import path

from qnwmh.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<str:code>/", views.file_view, name="file"),
    path("<str:code>/thumb/", views.thumbnail_view, name="thumb"),
]
