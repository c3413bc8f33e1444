from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("kurs/", views.course_list, name="list"),
    path("kurs/nytt/", views.course_create, name="course_create"),
    path("kurs/mine/", views.my_record, name="record"),
    path("kurs/person/<int:pk>/", views.person_record, name="person_record"),
    path("kurs/kompetanse/", views.competence, name="competence"),
    path("kurs/kalender/", views.feed_manage, name="feed_manage"),
    path("kurs/kalender/<str:token>.ics", views.feed, name="feed"),
    path("kurs/bevis/<int:pk>.pdf", views.certificate, name="certificate"),
    path("kurs/okt/<int:pk>/", views.session_detail, name="session"),
    path("kurs/okt/<int:pk>/rediger/", views.session_edit, name="session_edit"),
    path("kurs/okt/<int:pk>/avlys/", views.session_cancel, name="session_cancel"),
    path("kurs/okt/<int:pk>/fyll/", views.session_fill, name="session_fill"),
    path("kurs/okt/<int:pk>/meld-pa/", views.signup, name="signup"),
    path("kurs/okt/<int:pk>/meld-av/", views.withdraw, name="withdraw"),
    path("kurs/okt/<int:pk>/oppmote/", views.attendance, name="attendance"),
    path("kurs/sporsmal/<int:pk>/", views.question_edit, name="question_edit"),
    path("kurs/quiz/<int:pk>/", views.quiz_result, name="quiz_result"),
    path("kurs/<slug:slug>/", views.course_detail, name="detail"),
    path("kurs/<slug:slug>/rediger/", views.course_edit, name="course_edit"),
    path("kurs/<slug:slug>/krav/", views.course_requirement, name="requirement"),
    path("kurs/<slug:slug>/ny-okt/", views.session_create, name="session_create"),
    path("kurs/<slug:slug>/quiz/", views.quiz, name="quiz"),
    path("kurs/<slug:slug>/send/", views.send_self_study, name="send_self_study"),
    path("kurs/<slug:slug>/sporsmal/", views.questions, name="questions"),
]
