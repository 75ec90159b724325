from django.urls import URLPattern, URLResolver

app_name = "creation"
urlpatterns: list[URLPattern | URLResolver] = []
