from django.tasks import task

from .services import package_deliver


@task()
def deliver_package(package_id: int) -> str:
    return package_deliver(package_id=package_id)
