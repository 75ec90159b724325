"""征求意见: back-office pages under /office/consultation/."""

from django.urls import URLPattern, path

from qnwmh.consultation import views

app_name = "consultation"

C = "<str:code>/"

urlpatterns: list[URLPattern] = [
    path("", views.list_view, name="list"),
    path("new/", views.create_view, name="create"),
    path(C, views.detail_view, name="detail"),
    path(C + "open/", views.open_view, name="open"),
    path(C + "edit/", views.edit_view, name="edit"),
    path(C + "close/", views.close_view, name="close"),
    path(C + "remind/", views.remind_view, name="remind"),
    path(C + "publish/", views.publish_view, name="publish"),
    path(C + "summary/", views.summary_view, name="summary"),
    path(C + "summary/xlsx/", views.summary_xlsx_view, name="summary_xlsx"),
    path(C + "summary/pdf/", views.summary_pdf_view, name="summary_pdf"),
    path(C + "comments/<id:comment_id>/dispose/", views.dispose_view, name="dispose"),
    path(C + "reply/<str:org_code>/", views.reply_view, name="reply"),
    path(C + "reply/<str:org_code>/no-comment/", views.no_comment_view, name="no_comment"),
]
