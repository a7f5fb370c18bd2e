"""Local DingTalk, Feishu/Lark and WeCom servers for the sign-in and leaver-sync tests: real HTTP servers on
127.0.0.1 that answer the platforms' documented token, user-info and directory endpoints with the documented
payloads (payloads/<platform>/*.json, each naming its doc page), errors with the platforms' own codes included.

    server = DingTalkServer().start()          # or the pytest fixtures in tests/support/identity_fixtures.py
    server.add_user("zhangsan", name="张三", email="zhangsan@example.com", department=2)
    code = server.issue_code("zhangsan")       # what the QR page / JSAPI hands the product in the redirect
    # point the product at server.url (DINGTALK_API_BASE etc., see settings())
    server.calls                               # what the product sent, to assert on
    server.fail_next("/gettoken", "gettoken_invalid_credentials")
    server.advance(7201)                       # tokens issued so far expire (expires_in honoured)
"""

from .base import ChatUser, PlatformServer, RecordedCall
from .dingtalk import DingTalkServer
from .feishu import FeishuServer
from .wecom import WeComServer

__all__ = ["ChatUser", "DingTalkServer", "FeishuServer", "PlatformServer", "RecordedCall", "WeComServer"]
