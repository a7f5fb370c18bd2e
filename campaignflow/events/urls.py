from django.urls import path

from . import public_views, views

app_name = "events"

urlpatterns = [
    # public: no login (the link and the QR posters point here)
    path("e/<str:slug>/", public_views.register_page, name="public"),
    path("e/<str:slug>/t/<str:code>", public_views.ticket_page, name="ticket"),
    path("e/<str:slug>/t/<str:code>/calendar.ics", public_views.ticket_ics, name="ticket-ics"),
    # the team's pages under the campaign
    path("campaigns/<int:pk>/events/", views.event_list, name="list"),
    path("campaigns/<int:pk>/events/<int:event_id>/", views.event_detail, name="detail"),
    path("campaigns/<int:pk>/events/<int:event_id>/edit/", views.event_edit, name="edit"),
    path("campaigns/<int:pk>/events/<int:event_id>/checkin/", views.checkin_page, name="checkin"),
    path("campaigns/<int:pk>/events/<int:event_id>/poster.svg", views.poster_qr, name="poster-qr"),
    path("campaigns/<int:pk>/events/<int:event_id>/remind/", views.remind, name="remind"),
    path(
        "campaigns/<int:pk>/events/<int:event_id>/registrations/<int:registration_id>/erase/", views.erase, name="erase"
    ),
]
