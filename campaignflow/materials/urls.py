from . import views

app_name = "materials"

urlpatterns = views.page.urlpatterns
