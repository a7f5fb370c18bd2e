from . import views

app_name = "planning"

urlpatterns = views.page.urlpatterns
