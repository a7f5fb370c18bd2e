from . import views

app_name = "goals"

urlpatterns = views.page.urlpatterns
