/* The in-app 免登 page (templates/signin/in_app.html, ADR 0015): inside DingTalk or Feishu/Lark, ask the app's
   JSAPI for a one-time code and post it (with the page's CSRF token) to the server, which exchanges it with the
   platform and signs the person in. Nothing here sees a token: the code is only good for one exchange. */
(function () {
  "use strict";
  var form = document.getElementById("in-app-form");
  if (!form) return;
  var done = false;

  function submit(code) {
    if (done || !code) return;
    done = true;
    form.elements.code.value = code;
    form.submit();
  }

  function fail() {
    if (done) return;
    done = true;
    var status = document.querySelector("[data-in-app-status]");
    var error = document.querySelector("[data-in-app-error]");
    if (status) status.hidden = true;
    if (error) error.hidden = false;
  }

  function dingtalk() {
    // 微应用免登: dd.runtime.permission.requestAuthCode({corpId}) → {code}, exchanged at /topapi/v2/user/getuserinfo
    var dd = window.dd;
    if (!dd || !dd.runtime || !dd.runtime.permission) return fail();
    if (typeof dd.error === "function") dd.error(fail);
    dd.ready(function () {
      dd.runtime.permission.requestAuthCode({
        corpId: form.dataset.corpId,
        onSuccess: function (result) { submit(result && result.code); },
        onFail: fail
      });
    });
  }

  function feishu() {
    // tt.requestAccess({appID, scopeList: []}) → {code} (Feishu 5.1+; older clients: tt.requestAuthCode({appId}))
    var sdk = window.h5sdk;
    var appId = form.dataset.appId;
    function older() {
      var tt = window.tt;
      if (!tt || typeof tt.requestAuthCode !== "function") return fail();
      tt.requestAuthCode({ appId: appId, success: function (result) { submit(result && result.code); }, fail: fail });
    }
    function ask() {
      var tt = window.tt;
      if (!tt) return fail();
      if (typeof tt.requestAccess !== "function") return older();
      tt.requestAccess({
        appID: appId,
        scopeList: [],
        success: function (result) { submit(result && result.code); },
        fail: function (error) {
          if (error && error.errno === 103) return older(); // the client is too old for requestAccess
          fail();
        }
      });
    }
    if (sdk && typeof sdk.error === "function") sdk.error(fail);
    if (sdk && typeof sdk.ready === "function") sdk.ready(ask); else ask();
  }

  var platforms = { dingtalk: dingtalk, feishu: feishu };
  var start = platforms[form.dataset.platform];
  if (!start) return fail();
  window.setTimeout(fail, 15000); // the app never answered
  try { start(); } catch (e) { fail(); }
})();
