from django.urls import URLPattern, URLResolver, path

from qnwmh.api import views
from qnwmh.api.v1 import api

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<str:code>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/docs", views.docs, name="docs"),
    path("v1/", api.urls),
]
