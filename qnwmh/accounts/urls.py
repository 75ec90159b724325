"""Sign-in, password and login-log pages. The ``accounts`` URL namespace, which also holds
the user administration, is assembled in ``qnwmh.access.urls``."""

from django.contrib.auth import views as auth_views
from django.urls import path

from qnwmh.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("login-log/", views.login_log, name="login_log"),
]
