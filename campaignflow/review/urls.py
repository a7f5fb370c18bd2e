from . import views

app_name = "review"

urlpatterns = views.page.urlpatterns
