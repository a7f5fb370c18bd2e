from . import views

app_name = "budgets"

urlpatterns = views.page.urlpatterns
