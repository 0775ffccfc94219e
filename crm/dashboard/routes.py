from crm.dashboard import bp


@bp.get("/")
def index():
    return "dashboard"
