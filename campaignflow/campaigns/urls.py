from . import views

app_name = "campaigns"

urlpatterns = views.page.urlpatterns
