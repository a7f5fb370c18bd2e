from . import views

urlpatterns = views.page.urlpatterns
