from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.second_factor, name="second_factor"),
]
