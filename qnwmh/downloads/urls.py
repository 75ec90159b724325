from django.urls import path

from qnwmh.downloads import views

app_name = "downloads"
urlpatterns = [
    path("", views.file_list_view, name="list"),
    path("<str:code>/", views.file_detail_view, name="detail"),
    path("<str:code>/file", views.file_download_view, name="file"),
]
