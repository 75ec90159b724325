from django.urls import URLPattern, URLResolver

app_name = "cycles"
urlpatterns: list[URLPattern | URLResolver] = []
