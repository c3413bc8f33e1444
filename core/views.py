from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from plans.models import Plan


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["my_plans"] = (
            Plan.objects.visible_to(request.user).filter(unit_id__in=request.user.unit_ids()).for_list()[:10]
        )
        if request.user.is_adviser:
            context["queue_count"] = Plan.objects.awaiting_review().count()
    return render(request, "core/home.html", context)


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
