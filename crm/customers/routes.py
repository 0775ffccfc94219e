from crm.customers import bp


@bp.get("/")
def index():
    return "todo"
