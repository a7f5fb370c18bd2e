from . import views

app_name = "execution"

urlpatterns = views.page.urlpatterns
