from . import views

app_name = "assistant"
urlpatterns = views.page.urlpatterns
