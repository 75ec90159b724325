"""表彰与典型: back-office pages under /office/recognition/. Fixed paths come before the ones
taking a code."""

from django.urls import URLPattern, path

from qnwmh.recognition import views as v

R = "rewards/<str:code>/"
S = "stories/<str:code>/"

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    path("rewards/", v.rewards_view, name="rewards"),
    path("rewards/new/", v.reward_new_view, name="reward_new"),
    path(R, v.reward_view, name="reward"),
    path(R + "withdraw/", v.reward_withdraw_view, name="reward_withdraw"),
    path("stories/", v.stories_view, name="stories"),
    path("stories/new/", v.story_new_view, name="story_new"),
    path(S, v.story_view, name="story"),
    path(S + "edit/", v.story_edit_view, name="story_edit"),
    path(S + "submit/", v.story_submit_view, name="story_submit"),
    path(S + "approve/", v.story_approve_view, name="story_approve"),
    path(S + "return/", v.story_return_view, name="story_return"),
    path(S + "publish/", v.story_publish_view, name="story_publish"),
    path(S + "withdraw/", v.story_withdraw_view, name="story_withdraw"),
]
