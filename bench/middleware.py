"""Counts the SQL queries of each request, for the page benchmark (cspr.settings.bench)."""

from django.db import connection

HEADER = "X-Queries"


class QueryCountMiddleware:
    """Sends the number of SQL queries the request ran in an `X-Queries` header. First in
    the list, so it counts every other middleware's queries too (the session, the user and
    their roles, the second factor, the access log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
