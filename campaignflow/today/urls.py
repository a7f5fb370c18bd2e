from . import views

app_name = "today"
urlpatterns = views.page.urlpatterns
