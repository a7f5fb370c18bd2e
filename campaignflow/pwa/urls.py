from . import views

app_name = "pwa"
urlpatterns = views.page.urlpatterns
