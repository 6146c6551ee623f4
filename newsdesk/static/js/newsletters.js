// The newsletter sign-up form on any page (cached or not), made friendlier when JavaScript runs.
// Without it the form posts as a plain form and the answer is a page of its own. With it:
// a fresh "form opened" stamp is fetched when the reader starts (a cached page's stamp is
// as old as the copy), and the form is sent in the background, the answer shown in place.
(function () {
  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function showAnswer(form, answer, doc) {
    var text = doc.querySelector("[data-signup-answer-text]");
    answer.replaceChildren();
    if (text) {
      Array.prototype.forEach.call(text.children, function (node) { answer.append(document.importNode(node, true)); });
    }
    form.hidden = true;
    answer.hidden = false;
    answer.focus();
  }

  function showForm(form, doc) {
    var returned = doc.querySelector("form[data-newsletter-signup]");
    if (!returned) { return false; }
    form.replaceChildren();
    Array.prototype.forEach.call(returned.children, function (node) { form.append(document.importNode(node, true)); });
    var target = form.querySelector("[aria-invalid=true]") || form.querySelector("[data-signup-errors]");
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|BUTTON)$/.test(target.tagName)) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
    return true;
  }

  document.querySelectorAll("form[data-newsletter-signup]").forEach(function (form) {
    var answer = form.parentNode.querySelector("[data-signup-answer]");
    var asked = false;
    form.addEventListener("focusin", function () {
      if (asked) { return; }
      asked = true;
      fetch(form.getAttribute("data-start-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { form.elements.started.value = data.started; })
        .catch(function () { asked = false; });
    });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.DOMParser || !answer) { return; }  // the plain post does it all
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) {
            var doc = parse(html);
            if (response.ok && doc.querySelector("[data-signup-answer-text]")) {
              showAnswer(form, answer, doc);
            } else if (!showForm(form, doc)) {
              form.submit();  // an answer this script does not know: let the page show it
            }
          });
        })
        .catch(function () { form.submit(); })
        .finally(function () { if (button) { button.disabled = false; } });
    });
  });
})();
