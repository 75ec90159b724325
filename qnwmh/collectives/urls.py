from django.urls import path

from qnwmh.collectives import views, views_import

app_name = "collectives"
urlpatterns = [
    path("", views.collective_list_view, name="list"),
    path("new/", views.collective_create_view, name="create"),
    path("export/members/", views.members_export_view, name="members_export"),
    path("import/", views_import.import_view, name="import"),
    path("import/template/", views_import.import_template_view, name="import_template"),
    path("import/<str:code>/", views_import.import_batch_view, name="import_batch"),
    path("import/<str:code>/apply/", views_import.import_apply_view, name="import_apply"),
    path("<str:code>/", views.collective_detail_view, name="detail"),
    path("<str:code>/edit/", views.collective_edit_view, name="edit"),
    path("<str:code>/archive/", views.collective_archive_view, name="archive"),
    path("<str:code>/members/new/", views.member_add_view, name="member_add"),
    path("<str:code>/members/<id:member_id>/edit/", views.member_edit_view, name="member_edit"),
    path(
        "<str:code>/members/<id:member_id>/remove/", views.member_remove_view, name="member_remove"
    ),
    path("<str:code>/titles/new/", views.title_award_view, name="title_award"),
    path("<str:code>/titles/<str:title_code>/end/", views.title_end_view, name="title_end"),
    path("<str:code>/titles/<str:title_code>/stars/", views.title_stars_view, name="title_stars"),
]
