"""The ``accounts`` namespace (under /accounts/): sign-in and password pages from
``accounts``, and the user administration here, which needs role grants."""

from django.urls import path

from qnwmh.access import views
from qnwmh.accounts.urls import urlpatterns as account_urlpatterns

app_name = "accounts"
urlpatterns = [
    *account_urlpatterns,
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<str:username>/", views.user_detail, name="user_detail"),
    path("users/<str:username>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<str:username>/unlock/", views.user_unlock, name="user_unlock"),
    path(
        "users/<str:username>/password-reset/",
        views.user_password_reset,
        name="user_password_reset",
    ),
    path(
        "users/<str:username>/roles/<id:assignment_id>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
]
