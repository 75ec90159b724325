from django.urls import path

from qnwmh.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.complaint_list_view, name="list"),
    path("new/", views.complaint_enter_view, name="enter"),
    path("figures/", views.figures_view, name="figures"),
    path("export.xlsx", views.export_view, name="export"),
    path("ratings/", views.rating_list_view, name="ratings"),
    path("holidays/", views.holiday_list_view, name="holidays"),
    path("holidays/<id:pk>/deactivate/", views.holiday_deactivate_view, name="holiday_deactivate"),
    path("collective/<str:code>/", views.collective_history_view, name="collective"),
    path("<str:code>/", views.complaint_detail_view, name="detail"),
    path("<str:code>/act/<str:action>/", views.complaint_action_view, name="act"),
    path("<str:code>/photos/<id:photo_id>/", views.complaint_photo_view, name="photo"),
]
