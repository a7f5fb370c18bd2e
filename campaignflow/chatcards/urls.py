from . import views

app_name = "chatcards"

urlpatterns = views.page.urlpatterns
