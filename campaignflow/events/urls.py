from . import public_views, views

app_name = "events"

urlpatterns = public_views.page.urlpatterns + views.page.urlpatterns
