"""SITU OK project package. Loading the Celery app here makes ``@shared_task`` bind to it and lets
``celery -A situok`` find it."""

from .celery import app as celery_app

__all__ = ("celery_app",)
