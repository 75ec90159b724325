"""The public site, mounted at the root. Collectives are addressed by their opaque code."""

from django.urls import path

from qnwmh.public import views

app_name = "public"
urlpatterns = [
    path("", views.directory_view, name="index"),
    path("c/<str:code>/", views.collective_view, name="collective"),
    path("c/<str:code>/photo/", views.photo_view, name="photo"),
    path("c/<str:code>/qr.svg", views.qr_svg_view, name="qr_svg"),
    path("c/<str:code>/qr.png", views.qr_png_view, name="qr_png"),
    path("open-weeks/<str:entry>/book/", views.visit_book_view, name="visit_book"),
    path("visits/<str:code>/", views.visit_booked_view, name="visit_booked"),
    path("verify/", views.verify_view, name="verify"),
    path("verify/<str:code>/", views.verify_code_view, name="verify_code"),
]
