from crm.products import bp


@bp.get("/")
def index():
    return "todo"
