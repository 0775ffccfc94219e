from crm.account import bp


@bp.get("/")
def index():
    return "todo"
