from . import views

app_name = "alerts"

urlpatterns = views.page.urlpatterns
