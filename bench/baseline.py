"""Raw-SQL baseline views: the floor each benchmarked page is measured against.

Each view returns the same rows as its page, for the same signed-in person, with ONE
hand-written SQL query and a minimal template (templates/bench/): the access policy of
`cspr.access` (partnership, roles, guardian grants on the case and the return) is part
of that query, not a separate read. Session authentication still applies (the
middleware's queries are the same as the page's); nothing else runs. What a baseline
leaves out is presentation: the page's layout, navigation, forms, "due in 3 working
days" wording, and the access log.

Mounted only by `bench.urls` (cspr.settings.bench); PostgreSQL only.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from cspr.access import PARTNERSHIP_WIDE
from cspr.models import OPEN_STAGES, Role, Stage
from cspr.selectors import SOON_WORKING_DAYS
from cspr.views.cases import PAGE_SIZE, TIMELINE_PAGE_SIZE
from cspr.views.dashboards import SHOWN
from cspr.working_days import _workalendar_holidays
from rapid_reviews.views.review import PACK_PAGE_SIZE

WIDE = [Role.group_name(role) for role in PARTNERSHIP_WIDE]
SEES_DEADLINES = [*WIDE, Role.group_name(Role.INDEPENDENT_REVIEWER)]
BUSINESS_UNIT = Role.group_name(Role.BUSINESS_UNIT)
CONTRIBUTOR = Role.group_name(Role.AGENCY_CONTRIBUTOR)
REVIEWER = Role.group_name(Role.INDEPENDENT_REVIEWER)

# The signed-in person and their role groups (cspr.models.User.roles), as a CTE.
ME = """
me AS (
    SELECT u.id, u.partnership_id, u.agency_id,
           ARRAY(SELECT g.name::text FROM cspr_user_groups ug
                 JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id = u.id) AS roles
    FROM cspr_user u
    WHERE u.id = %(user)s AND u.is_active AND u.partnership_id IS NOT NULL
),
case_perm AS (
    SELECT p.id, p.codename FROM auth_permission p
    JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE ct.app_label = 'cspr' AND ct.model = 'case' AND p.codename IN ('view_case', 'view_child')
)"""


def _granted(case, codename):
    """SQL: the person holds the guardian grant `codename` on the case `case`.id, directly
    or through a group (cspr.access._granted)."""
    return f"""(
        EXISTS (SELECT 1 FROM cspr_caseuserobjectpermission up
                JOIN case_perm cp ON cp.id = up.permission_id AND cp.codename = '{codename}'
                WHERE up.content_object_id = {case}.id AND up.user_id = me.id)
        OR EXISTS (SELECT 1 FROM cspr_casegroupobjectpermission gp
                   JOIN case_perm cp ON cp.id = gp.permission_id AND cp.codename = '{codename}'
                   JOIN cspr_user_groups ug ON ug.group_id = gp.group_id AND ug.user_id = me.id
                   WHERE gp.content_object_id = {case}.id))"""


def _visible(case):
    """SQL: the case is one `cases_visible_to` gives the person (`me` is in the FROM)."""
    return (
        f"({case}.partnership_id = me.partnership_id"
        f" AND (me.roles && %(wide)s::text[] OR {_granted(case, 'view_case')}))"
    )


# A deadline still to be done (cspr.selectors._outstanding).
OUTSTANDING = "(d.status IN ('open', 'paused') OR (d.status = 'missed' AND d.completed_on IS NULL))"

NEXT_DUE = f"""
LEFT JOIN LATERAL (
    SELECT d.title, d.due_on, d.status FROM cspr_deadline d
    WHERE d.case_id = c.id AND {OUTSTANDING}
    ORDER BY d.due_on, d.id LIMIT 1
) nd ON me.roles && %(sees_deadlines)s::text[]"""


def _params(request, **more):
    return {"user": request.user.pk, "wide": WIDE, "sees_deadlines": SEES_DEADLINES, **more}


def _one_query(sql, params):
    """Run the view's one query: (column names, rows)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return names, cursor.fetchall()


def _dicts(sql, params):
    names, rows = _one_query(sql, params)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _render(template, context):
    """The minimal template, without the request: no context processor runs (the pages'
    read the person's partnership for the header, and their unread notifications)."""
    return HttpResponse(render_to_string(template, context))


def _stage_label(value):
    return Stage(value).label if value in Stage.values else value


@login_required
@require_GET
def case_list(request):
    """The case list (cspr.views.cases.case_list): the cases the person may see, filtered by
    stage and name, newest first, 25 a page, with each one's next outstanding deadline for
    those who see deadlines, and the number of cases that match."""
    stage = request.GET.get("stage", "")
    q = request.GET.get("q", "").strip()[:60]
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    filters = ""
    if stage in Stage.values:
        filters += " AND c.stage = %(stage)s"
    if q:
        filters += " AND c.pseudonym ILIKE %(pattern)s"
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = f"""
    WITH {ME},
    visible AS (
        SELECT c.id, c.pseudonym, c.stage, c.created_at FROM cspr_case c, me
        WHERE {_visible("c")}{filters}
    ),
    page AS (
        SELECT * FROM visible ORDER BY created_at DESC, id DESC
        LIMIT %(limit)s OFFSET %(offset)s
    )
    SELECT c.id, c.pseudonym, c.stage, nd.title AS next_due_title, nd.due_on AS next_due_on,
           nd.status AS next_due_status, (SELECT count(*) FROM visible) AS total
    FROM page c CROSS JOIN me {NEXT_DUE}
    ORDER BY c.created_at DESC, c.id DESC
    """
    rows = _dicts(
        sql,
        _params(
            request,
            stage=stage,
            pattern=f"%{escaped}%",
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        ),
    )
    for row in rows:
        row["stage_label"] = _stage_label(row["stage"])
    total = rows[0]["total"] if rows else 0
    return _render("bench/case_list.html", {"rows": rows, "total": total, "page": page})


@login_required
@require_GET
def case_detail(request, pk):
    """The case page (cspr.views.cases.case_detail): the case, the child for those who may
    see them, and for the timeline's viewers its deadlines, timeline (its newest page,
    `TIMELINE_PAGE_SIZE` events, and how many there are)
    and the agencies granted it."""
    sql = f"""
    WITH {ME},
    c AS (
        SELECT c.*,
               me.roles && %(wide)s::text[] AS wide,
               %(business_unit)s = ANY(me.roles) AS business_unit,
               %(reviewer)s = ANY(me.roles) AS reviewer,
               {_granted("c", "view_case")} AS granted,
               {_granted("c", "view_child")} AS granted_child
        FROM cspr_case c, me
        WHERE c.id = %(pk)s AND c.partnership_id = me.partnership_id
    ),
    allowed AS (
        SELECT c.*, c.wide OR c.granted AS may_view,
               c.wide OR (c.granted AND c.reviewer) AS may_timeline,
               c.business_unit OR (c.granted_child AND (c.wide OR c.granted)) AS may_child
        FROM c
    )
    SELECT c.id, c.pseudonym, c.stage, c.created_at, c.legal_hold, c.legal_hold_reason,
           c.may_timeline, c.may_child,
           CASE WHEN c.may_child THEN (
               SELECT row_to_json(ch) FROM (
                   SELECT given_names, family_name, date_of_birth, sex, ethnic_group,
                          ethnicity, disabled, disability, nhs_number,
                          local_authority_reference, address
                   FROM cspr_childrecord WHERE case_id = c.id) ch
           ) END AS child,
           CASE WHEN c.may_timeline THEN (
               SELECT json_agg(d ORDER BY d.due_on, d.id) FROM (
                   SELECT id, title, due_on, status, completed_on
                   FROM cspr_deadline WHERE case_id = c.id) d
           ) END AS deadlines,
           CASE WHEN c.may_timeline THEN (
               SELECT json_agg(e ORDER BY e.at DESC, e.id DESC) FROM (
                   SELECT e.id, e.summary, e.at, e.note,
                          COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''),
                                   u.username) AS by
                   FROM cspr_caseevent e LEFT JOIN cspr_user u ON u.id = e.by_id
                   WHERE e.case_id = c.id ORDER BY e.at DESC, e.id DESC
                   LIMIT {TIMELINE_PAGE_SIZE}) e
           ) END AS timeline,
           CASE WHEN c.may_timeline THEN (
               SELECT count(*) FROM cspr_caseevent e WHERE e.case_id = c.id
           ) END AS timeline_total,
           CASE WHEN c.may_timeline THEN (
               SELECT json_agg(a.name ORDER BY a.name) FROM cspr_agency a
               WHERE EXISTS (
                   SELECT 1 FROM cspr_casegroupobjectpermission gp
                   JOIN case_perm cp ON cp.id = gp.permission_id AND cp.codename = 'view_case'
                   WHERE gp.content_object_id = c.id AND gp.group_id = a.group_id)
           ) END AS agencies
    FROM allowed c WHERE c.may_view
    """
    rows = _dicts(
        sql,
        _params(request, pk=pk, business_unit=BUSINESS_UNIT, reviewer=REVIEWER),
    )
    if not rows:
        raise Http404("No such case.")
    case = rows[0]
    case["stage_label"] = _stage_label(case["stage"])
    return _render("bench/case_detail.html", {"case": case})


@login_required
@require_GET
def collated_pack(request, case_pk):
    """The collated pack (rapid_reviews.views.collated_pack): the review's requests (not
    cancelled) by agency, each submitted return with its addenda, and the merged
    chronology of the submitted returns by date, agency and position, optionally one
    agency's. For the case's timeline viewers only. One UNION ALL: a head row, then the
    chronology's rows."""
    try:
        agency_id = int(request.GET.get("agency", "") or 0) or None
    except ValueError:
        agency_id = None
    one_agency = " AND r.agency_id = %(agency)s" if agency_id else ""
    sql = f"""
    WITH {ME},
    c AS (
        SELECT c.id, c.pseudonym FROM cspr_case c, me
        WHERE c.id = %(pk)s AND c.partnership_id = me.partnership_id
          AND (me.roles && %(wide)s::text[]
               OR (%(reviewer)s = ANY(me.roles) AND {_granted("c", "view_case")}))
    ),
    rr AS (
        SELECT rr.id, rr.case_id, md.opens_on AS meeting_opens_on,
               md.due_on AS meeting_due_on
        FROM rapid_reviews_rapidreview rr JOIN c ON c.id = rr.case_id
        JOIN cspr_deadline md ON md.id = rr.meeting_deadline_id
    ),
    r AS (
        SELECT q.id, q.agency_id, a.name AS agency, d.due_on, ret.id AS return_id,
               ret.status AS return_status, ret.involvement_period, ret.involvement_extent,
               ret.key_practice_episodes, ret.analysis, ret.immediate_actions,
               ret.author_name, ret.signed_off_by, ret.signed_off_on
        FROM rapid_reviews_informationrequest q JOIN rr ON rr.id = q.rapid_review_id
        JOIN cspr_agency a ON a.id = q.agency_id
        JOIN cspr_deadline d ON d.id = q.deadline_id
        JOIN rapid_reviews_informationreturn ret ON ret.request_id = q.id
        WHERE q.status <> 'cancelled'
    )
    SELECT 0 AS kind, json_build_object(
               'case_id', c.id, 'pseudonym', c.pseudonym,
               'meeting_opens_on', rr.meeting_opens_on, 'meeting_due_on', rr.meeting_due_on,
               'requests', (SELECT json_agg(json_build_object(
                   'id', r.id, 'agency_id', r.agency_id, 'agency', r.agency,
                   'due_on', r.due_on, 'return_status', r.return_status,
                   'involvement_period', r.involvement_period,
                   'involvement_extent', r.involvement_extent,
                   'key_practice_episodes', r.key_practice_episodes,
                   'analysis', r.analysis, 'immediate_actions', r.immediate_actions,
                   'author_name', r.author_name, 'signed_off_by', r.signed_off_by,
                   'signed_off_on', r.signed_off_on,
                   'addenda', CASE WHEN r.return_status = 'submitted' THEN (
                       SELECT json_agg(json_build_object('text', x.text, 'added_at', x.added_at)
                                       ORDER BY x.added_at, x.id)
                       FROM rapid_reviews_returnaddendum x
                       WHERE x.information_return_id = r.return_id) END
               ) ORDER BY r.agency, r.id) FROM r)
           ) AS head,
           NULL::date AS date, NULL::boolean AS date_is_approximate, NULL AS agency,
           NULL::integer AS position, NULL::bigint AS id, NULL AS source, NULL AS event,
           NULL AS significance, NULL AS action
    FROM c JOIN rr ON rr.case_id = c.id
    UNION ALL
    SELECT 1, NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
    FROM rapid_reviews_chronologyentry e JOIN r ON r.return_id = e.information_return_id
    WHERE r.return_status = 'submitted'{one_agency}
    UNION ALL
    SELECT * FROM (
        SELECT 2, NULL::json, e.date, e.date_is_approximate, r.agency, e.position, e.id, e.source,
               e.event, e.significance, e.action
        FROM rapid_reviews_chronologyentry e JOIN r ON r.return_id = e.information_return_id
        WHERE r.return_status = 'submitted'{one_agency}
        ORDER BY e.date, r.agency, e.position, e.id
        LIMIT {PACK_PAGE_SIZE}
    ) page
    ORDER BY kind, date, agency, position, id
    """
    names, rows = _one_query(sql, _params(request, pk=case_pk, agency=agency_id, reviewer=REVIEWER))
    if not rows or rows[0][0] != 0:
        raise Http404("No such rapid review.")
    head = rows[0][1]
    requests = head["requests"] or []
    submitted = [r for r in requests if r["return_status"] == "submitted"]
    # The page's first page of rows (rapid_reviews.views.review.PACK_PAGE_SIZE) and
    # how many there are in all.
    entries_total = rows[1][5]
    entries = [dict(zip(names[2:], row[2:], strict=True)) for row in rows[2:]]
    return _render(
        "bench/pack.html",
        {
            "head": head,
            "submitted": submitted,
            "missing": [r for r in requests if r["return_status"] != "submitted"],
            "entries": entries,
            "entries_total": entries_total,
            "agency_id": agency_id,
        },
    )


def _horizon_sql():
    """SQL: the 10th working day after today (cspr.selectors.deadlines_due's horizon):
    weekdays that no `CalendarDay` makes non-working and that are not workalendar's
    holidays (given as a parameter) unless a `CalendarDay` makes them working."""
    return f"""
    horizon AS (
        SELECT s.day FROM (
            SELECT g::date AS day FROM generate_series(
                %(today)s::date + 1, %(today)s::date + 60, interval '1 day') g
        ) s
        WHERE extract(isodow FROM s.day) < 6
          AND NOT EXISTS (SELECT 1 FROM cspr_calendarday cd
                          WHERE cd.day = s.day AND NOT cd.is_working)
          AND (s.day <> ALL(%(holidays)s::date[])
               OR EXISTS (SELECT 1 FROM cspr_calendarday cd
                          WHERE cd.day = s.day AND cd.is_working))
        ORDER BY s.day LIMIT 1 OFFSET {SOON_WORKING_DAYS - 1}
    )"""


@login_required
@require_GET
def dashboard(request):
    """The business unit's dashboard section (cspr.views.dashboards): open cases by stage,
    every open case with its next deadline (by stage, pseudonym), the information returns
    still owed (by due date, agency) and their count by agency, and the deadlines overdue
    or due in the next 10 working days or missed and not done. One query of CTEs."""
    today = timezone.localdate()
    stage_order = " ".join(f"WHEN '{stage.value}' THEN {n}" for n, stage in enumerate(Stage))
    sql = f"""
    WITH {ME}, {_horizon_sql()},
    visible AS (
        SELECT c.id, c.pseudonym, c.stage FROM cspr_case c, me WHERE {_visible("c")}
    ),
    open_cases AS (
        SELECT c.id, c.pseudonym, c.stage, nd.title, nd.due_on, nd.status,
               CASE c.stage {stage_order} END AS stage_order
        FROM visible c CROSS JOIN me {NEXT_DUE}
        WHERE c.stage = ANY(%(open_stages)s)
    ),
    owed AS (
        SELECT q.id, a.name AS agency, c.pseudonym, c.id AS case_id, d.due_on, d.status
        FROM visible c CROSS JOIN me
        JOIN rapid_reviews_rapidreview rr ON rr.case_id = c.id
        JOIN rapid_reviews_informationrequest q ON q.rapid_review_id = rr.id
        JOIN cspr_agency a ON a.id = q.agency_id
        JOIN cspr_deadline d ON d.id = q.deadline_id
        WHERE q.status = 'requested'
          AND (me.roles && %(wide)s::text[]
               OR (%(contributor)s = ANY(me.roles) AND q.agency_id = me.agency_id))
    ),
    watch AS (
        SELECT d.id, d.title, d.due_on, d.status, d.completed_on, c.id AS case_id,
               c.pseudonym
        FROM visible c CROSS JOIN me JOIN cspr_deadline d ON d.case_id = c.id
        WHERE me.roles && %(sees_deadlines)s::text[]
          AND ((d.status = 'open' AND d.due_on <= (SELECT day FROM horizon))
               OR (d.status = 'missed' AND d.completed_on IS NULL))
    )
    SELECT
        (SELECT %(business_unit)s = ANY(me.roles) FROM me) AS is_business_unit,
        (SELECT json_object_agg(stage, n) FROM (
            SELECT stage, count(*) AS n FROM visible GROUP BY stage) s) AS by_stage,
        (SELECT json_agg(o ORDER BY o.stage_order, o.pseudonym, o.id) FROM (
            SELECT * FROM open_cases ORDER BY stage_order, pseudonym, id LIMIT {SHOWN}) o)
            AS open_cases,
        (SELECT count(*) FROM open_cases) AS open_cases_total,
        (SELECT json_agg(w ORDER BY w.due_on, w.agency, w.id) FROM (
            SELECT * FROM owed ORDER BY due_on, agency, id LIMIT {SHOWN}) w) AS owed,
        (SELECT count(*) FROM owed) AS owed_total,
        (SELECT json_agg(json_build_object('agency', agency, 'owed', owed, 'late', late)
                         ORDER BY agency) FROM (
            SELECT agency, count(*) AS owed, count(*) FILTER (WHERE due_on < %(today)s) AS late
            FROM owed GROUP BY agency) b) AS by_agency,
        (SELECT json_agg(w ORDER BY w.due_on, w.id) FROM (
            SELECT * FROM watch ORDER BY due_on, id LIMIT {SHOWN}) w) AS watch,
        (SELECT count(*) FROM watch) AS watch_total
    """
    holidays = sorted(_workalendar_holidays(today.year) | _workalendar_holidays(today.year + 1))
    names, rows = _one_query(
        sql,
        _params(
            request,
            today=today,
            holidays=holidays,
            open_stages=[stage.value for stage in OPEN_STAGES],
            contributor=CONTRIBUTOR,
            business_unit=BUSINESS_UNIT,
        ),
    )
    figures = dict(zip(names, rows[0], strict=True))
    if not figures.pop("is_business_unit"):
        raise PermissionDenied("The baseline dashboard is the business unit's section.")
    counts = figures["by_stage"] or {}
    figures["by_stage"] = [(stage.label, counts.get(stage.value, 0)) for stage in OPEN_STAGES]
    for row in figures["open_cases"] or []:
        row["stage_label"] = _stage_label(row["stage"])
    return _render("bench/dashboard.html", {"today": today, **figures})


@login_required
@require_GET
def request_detail(request, pk):
    """An agency's information request (rapid_reviews.views.request_detail): the request, its
    due date, the return, its chronology (the agency's own draft rows only to the agency),
    addenda and documents once submitted, and whether the person may edit or unlock it.
    Visible to the partnership-wide roles and to the asked agency's contributors while
    their agency may see the case."""
    sql = f"""
    WITH {ME},
    return_perm AS (
        SELECT p.id FROM auth_permission p
        JOIN django_content_type ct ON ct.id = p.content_type_id
        WHERE ct.app_label = 'rapid_reviews' AND ct.model = 'informationreturn'
          AND p.codename = 'change_informationreturn'
    ),
    r AS (
        SELECT q.id, q.note, q.sent_at, q.records_secured_at, a.name AS agency,
               c.id AS case_id, c.pseudonym, d.due_on, d.status AS due_status,
               ret.id AS return_id, ret.status AS return_status, ret.involvement_period,
               ret.involvement_extent, ret.key_practice_episodes, ret.analysis,
               ret.immediate_actions, ret.author_name, ret.signed_off_by,
               ret.signed_off_on, ret.submitted_at,
               me.roles && %(wide)s::text[] AS wide,
               (%(contributor)s = ANY(me.roles) AND me.agency_id = q.agency_id
                AND {_visible("c")}) AS own_agency,
               %(business_unit)s = ANY(me.roles) AS business_unit,
               COALESCE(NULLIF(TRIM(s.first_name || ' ' || s.last_name), ''), s.username)
                   AS sent_by,
               COALESCE(NULLIF(TRIM(k.first_name || ' ' || k.last_name), ''), k.username)
                   AS records_secured_by,
               COALESCE(NULLIF(TRIM(b.first_name || ' ' || b.last_name), ''), b.username)
                   AS submitted_by
        FROM rapid_reviews_informationrequest q
        JOIN rapid_reviews_rapidreview rr ON rr.id = q.rapid_review_id
        JOIN cspr_case c ON c.id = rr.case_id
        JOIN cspr_agency a ON a.id = q.agency_id
        JOIN cspr_deadline d ON d.id = q.deadline_id
        JOIN rapid_reviews_informationreturn ret ON ret.request_id = q.id
        JOIN cspr_user s ON s.id = q.sent_by_id
        LEFT JOIN cspr_user k ON k.id = q.records_secured_by_id
        LEFT JOIN cspr_user b ON b.id = ret.submitted_by_id
        CROSS JOIN me
        WHERE q.id = %(pk)s AND c.partnership_id = me.partnership_id
    )
    SELECT r.*,
           r.own_agency AND (
               EXISTS (SELECT 1 FROM rapid_reviews_informationreturngroupobjectpermission gp
                          JOIN return_perm rp ON rp.id = gp.permission_id
                          JOIN cspr_user_groups ug ON ug.group_id = gp.group_id
                          CROSS JOIN me
                          WHERE gp.content_object_id = r.return_id AND ug.user_id = me.id)
               OR EXISTS (SELECT 1 FROM rapid_reviews_informationreturnuserobjectpermission up
                          JOIN return_perm rp ON rp.id = up.permission_id CROSS JOIN me
                          WHERE up.content_object_id = r.return_id AND up.user_id = me.id))
               AS may_edit,
           r.return_status = 'submitted' AND r.business_unit AS may_unlock,
           CASE WHEN r.return_status = 'submitted' OR r.own_agency THEN (
               SELECT json_agg(e ORDER BY e.date, e.position, e.id) FROM (
                   SELECT id, position, date, date_is_approximate, source, event,
                          significance, action
                   FROM rapid_reviews_chronologyentry
                   WHERE information_return_id = r.return_id) e
           ) END AS entries,
           CASE WHEN r.return_status = 'submitted' THEN (
               SELECT json_agg(json_build_object('text', x.text, 'added_at', x.added_at)
                               ORDER BY x.added_at, x.id)
               FROM rapid_reviews_returnaddendum x WHERE x.information_return_id = r.return_id
           ) END AS addenda,
           CASE WHEN r.return_status = 'submitted' OR r.own_agency THEN (
               SELECT json_agg(json_build_object('id', t.id, 'name', t.original_name,
                                                 'size', t.size, 'uploaded_at', t.uploaded_at)
                               ORDER BY t.uploaded_at, t.id)
               FROM rapid_reviews_returnattachment t
               WHERE t.information_return_id = r.return_id AND t.removed_at IS NULL
           ) END AS attachments
    FROM r WHERE r.wide OR r.own_agency
    """
    rows = _dicts(
        sql,
        _params(request, pk=pk, contributor=CONTRIBUTOR, business_unit=BUSINESS_UNIT),
    )
    if not rows:
        raise Http404("No such request.")
    return _render("bench/request_detail.html", {"req": rows[0]})
