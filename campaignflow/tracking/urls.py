from . import views

app_name = "tracking"

urlpatterns = views.page.urlpatterns
