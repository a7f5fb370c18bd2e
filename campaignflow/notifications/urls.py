from . import views

app_name = "notifications"

urlpatterns = views.page.urlpatterns
