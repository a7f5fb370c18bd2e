"""Document endpoints in the access matrix: internal documents, partners get 403."""

# fmt: off
# operation              method   path                                                  admin owner mgr  member viewer partner outsider anon
ROWS = [
    ("export xlsx",          "get",   "/campaigns/{campaign_id}/export.xlsx",              200,  200,  200, 200,   200,   403,    404,     401),
    ("report pdf",           "get",   "/campaigns/{campaign_id}/report.pdf",               200,  200,  200, 200,   200,   403,    404,     401),
    ("tasks csv",            "get",   "/campaigns/{campaign_id}/tasks.csv",                200,  200,  200, 200,   200,   403,    404,     401),
    ("metrics csv",          "get",   "/campaigns/{campaign_id}/metrics.csv",              200,  200,  200, 200,   200,   403,    404,     401),
    ("expenses csv",         "get",   "/campaigns/{campaign_id}/expenses.csv",             200,  200,  200, 200,   200,   403,    404,     401),
]
# fmt: on

QUERY = {"report pdf": lambda ctx: "?kind=weekly"}
