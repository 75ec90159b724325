from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "qnwmh.partnerships"
    label = "partnerships"
    verbose_name = "联创与结对"
