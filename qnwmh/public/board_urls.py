"""Back-office notice boards (公示牌), mounted at /office/boards/."""

from django.urls import path

from qnwmh.public import views

app_name = "boards"
urlpatterns = [
    path("", views.boards_view, name="bulk"),
    path("<str:code>.pdf", views.board_view, name="collective"),
]
