// The comment form on a cached article page, made friendlier when JavaScript runs.
// Without it the form still posts and the server checks everything; with it the
// reference's warnings show inline on submit, replies open under their comment, the
// remembered name/email/website fill in, and the reader's own held comments show.
(function () {
  var form = document.getElementById("commentform");
  var section = document.querySelector("[data-comments]");

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? match[1] : null;
  }

  function decodeBase64Url(value) {
    var text = value.replace(/-/g, "+").replace(/_/g, "/");
    while (text.length % 4) { text += "="; }
    var bytes = atob(text);
    var escaped = "";
    for (var i = 0; i < bytes.length; i++) {
      escaped += "%" + ("0" + bytes.charCodeAt(i).toString(16)).slice(-2);
    }
    return decodeURIComponent(escaped);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var key = "";
    for (var i = 0; i < 32; i++) { key += Math.floor(Math.random() * 16).toString(16); }
    return key;
  }

  function showError(field, message) {
    var error = document.getElementById(field.id + "-error");
    if (error) { error.textContent = message; }
    if (message) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
  }

  function check(field) {
    var error = document.getElementById(field.id + "-error");
    if (!error) { return true; }
    var value = field.value.trim();
    if (field.required && !value) {
      showError(field, error.getAttribute("data-required"));
      return false;
    }
    if (field.type === "email" && value && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      showError(field, error.getAttribute("data-invalid"));
      return false;
    }
    showError(field, "");
    return true;
  }

  if (form) {
    form.noValidate = true;  // our messages, not the browser's
    form.elements.key.value = newKey();
    var remembered = cookie("newsdesk_commenter");
    if (remembered) {
      try {
        var data = JSON.parse(decodeBase64Url(remembered));
        ["name", "email", "website"].forEach(function (name) {
          if (data[name] && !form.elements[name].value) { form.elements[name].value = data[name]; }
        });
        form.elements.remember.checked = true;
      } catch (e) { /* an unreadable cookie is ignored */ }
    }
    var started = false;
    form.addEventListener("focusin", function () {
      if (started || form.elements.started.value) { return; }
      started = true;
      fetch(form.getAttribute("data-start-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { form.elements.started.value = data.started; })
        .catch(function () { started = false; });
    });
    form.addEventListener("submit", function (event) {
      var firstBad = null;
      ["comment", "name", "email", "website"].forEach(function (name) {
        var field = form.elements[name];
        if (!check(field) && !firstBad) { firstBad = field; }
      });
      if (firstBad) {
        event.preventDefault();
        firstBad.focus();
        return;
      }
      form.querySelector("button[type=submit]").disabled = true;  // one click, one comment
    });

    var respond = document.getElementById("respond");
    var home = respond ? respond.parentNode : null;
    var homeNext = respond ? respond.nextSibling : null;
    var cancel = form.querySelector(".comment-form__cancel");
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-reply-to]") : null;
      if (!link || !respond) { return; }
      event.preventDefault();
      var comment = document.getElementById("comment-" + link.getAttribute("data-reply-to"));
      comment.querySelector(".comment__inner").after(respond);
      form.elements.parent.value = link.getAttribute("data-reply-to");
      cancel.hidden = false;
      form.elements.comment.focus();
    });
    if (cancel) {
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        home.insertBefore(respond, homeNext);
        form.elements.parent.value = "";
        cancel.hidden = true;
      });
    }
  }

  // The reader's own comments awaiting moderation: only they see them, even on a cached page.
  if (section && cookie("newsdesk_has_pending")) {
    fetch(section.getAttribute("data-mine-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var list = section.querySelector(".comment-list");
        data.comments.forEach(function (item) {
          if (document.getElementById("comment-" + item.id)) { return; }
          var li = document.createElement("li");
          li.className = "comment comment--pending";
          li.id = "comment-" + item.id;
          var name = document.createElement("b");
          name.className = "comment__author";
          // <bdi>: a right-to-left name must not reorder the text around it.
          var isolated = document.createElement("bdi");
          isolated.textContent = item.name;
          name.append(isolated);
          var notice = document.createElement("p");
          notice.className = "comment--pending__notice";
          notice.setAttribute("role", "status");
          notice.textContent = data.notice;
          var body = document.createElement("div");
          body.className = "comment__body";
          body.dir = "auto";
          body.textContent = item.body;
          li.append(name, notice, body);
          var parent = item.parent && document.getElementById("comment-" + item.parent);
          if (parent) {
            var children = parent.querySelector(":scope > ol.children");
            if (!children) {
              children = document.createElement("ol");
              children.className = "children";
              parent.append(children);
            }
            children.append(li);
          } else {
            list.append(li);
          }
        });
      })
      .catch(function () { /* the notice is a courtesy; the comment is safe either way */ });
  }
})();
