"""Sign-in, password and login-log pages. The ``accounts`` URL namespace, which also holds
the user administration, is assembled in ``qnwmh.access.urls``."""

from django.contrib.auth import views as auth_views
from django.urls import path

from qnwmh.accounts import views
from qnwmh.core.guard import guarded

urlpatterns = [
    path("login/", guarded(public=True)(views.LoginView.as_view()), name="login"),
    # Public: a visitor whose session has already ended still gets the signed-out page.
    path("logout/", guarded(public=True)(auth_views.LogoutView.as_view()), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("login-log/", views.login_log, name="login_log"),
]
