"""/healthz: whether this node can serve, for a load balancer to take a broken one out (issue 14 §2).

No sign-in, no session, no version, no data: "ok" when the app answers and the database runs a query, otherwise
503 within a few seconds however the database fails (refusing, or silent: bonemets/database.py).
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from bonemets import database

logger = logging.getLogger("bonemets.health")

# All the waits for the database together (a kept connection's check, connecting again, setting it up, the query)
# end after this: the answer comes within 5 s however the database fails.
WAIT_SECONDS = 3


@require_safe  # GET or HEAD: some load balancers probe with HEAD
@login_not_required
def healthz(request):
    try:
        with database.waiting_at_most(WAIT_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health check failed: the database did not answer (%s)", type(error).__name__)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
