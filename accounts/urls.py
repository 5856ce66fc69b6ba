from django.contrib import admin
from django.urls import path

from accounts import views

app_name = "desk_account"

desk = admin.site.admin_view

urlpatterns = [
    path("code/", desk(views.verify), name="verify"),
    path("two-factor/", desk(views.overview), name="overview"),
    path("two-factor/set-up/", desk(views.enrol), name="enrol"),
    path("two-factor/recovery-codes/", desk(views.codes), name="codes"),
    path("two-factor/recovery-codes/new/", desk(views.new_codes), name="new_codes"),
    path("two-factor/turn-off/", desk(views.turn_off), name="turn_off"),
    path("sessions/", desk(views.session_list), name="sessions"),
    path("sessions/<int:pk>/end/", desk(views.end_session), name="end_session"),
    path("sessions/end-others/", desk(views.end_other_sessions), name="end_others"),
]
