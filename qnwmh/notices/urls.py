from django.urls import path

from qnwmh.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list_view, name="list"),
    path("<id:notice_id>/read/", views.notice_read_view, name="read"),
    path("read-all/", views.notice_read_all_view, name="read_all"),
    path("mail/", views.mail_view, name="mail"),
    path("mail/<id:mail_id>/retry/", views.mail_retry_view, name="mail_retry"),
]
