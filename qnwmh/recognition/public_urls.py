"""Public recognition pages, mounted at the site root before the public site's own URLs."""

from django.urls import URLPattern, path

from qnwmh.recognition import public_views as v

app_name = "recognition_public"

urlpatterns: list[URLPattern] = [
    path("stories/", v.stories_view, name="stories"),
    path("stories/<str:code>/", v.story_view, name="story"),
    path("stories/<str:code>/photos/<str:photo>/", v.photo_view, name="photo"),
]
