from crm.loans import bp


@bp.get("/")
def index():
    return "todo"
