from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("binh-luan/<int:pk>/gui/", views.comment_create, name="create"),
    path("binh-luan/<int:pk>/bao-vi-pham/", views.comment_report_view, name="report"),
    path("binh-luan/<int:pk>/ma/", views.comment_tokens, name="tokens"),
]
