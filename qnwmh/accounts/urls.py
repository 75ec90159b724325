from django.contrib.auth import views as auth_views
from django.urls import path

from qnwmh.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
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
    path("login-log/", views.login_log, name="login_log"),
]
