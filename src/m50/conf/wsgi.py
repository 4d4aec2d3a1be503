import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
application = get_wsgi_application()

# What is loaded now (Django, the apps, their models) lives as long as the process: kept out of
# the garbage collector's full collections, which otherwise walk it all again and again and
# dominate the slowest requests.
gc.freeze()
