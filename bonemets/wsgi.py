import os

from django.core.wsgi import get_wsgi_application

from bonemets.boot import refuse_unsafe_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonemets.settings")

refuse_unsafe_configuration()
application = get_wsgi_application()
