// Kept article pages are the same bytes for every reader, so their forms
// carry no token. When a reader first uses a form, this fetches the reader's
// own (a CSRF token and the comment form's signed time) and fills them in.
// Without JavaScript, a post without tokens gets the form back with them.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-tokens]");
  var pending = null;

  function load(url) {
    if (!pending) {
      pending = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error("tokens: " + response.status);
          return response.json();
        })
        .then(function (tokens) {
          forms.forEach(function (form) {
            form.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(
              function (input) { input.value = tokens.csrf; }
            );
            var token = form.querySelector('input[name="token"]');
            if (token && !token.value) token.value = tokens.token;
          });
        });
      // A failed fetch may be tried again.
      pending.catch(function () { pending = null; });
    }
    return pending;
  }

  forms.forEach(function (form) {
    var url = form.dataset.tokens;
    form.addEventListener("focusin", function () { load(url).catch(function () {}); });
    form.addEventListener("submit", function (event) {
      var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
      if (csrf && csrf.value) return;
      event.preventDefault();
      // Sent either way: without tokens the server answers with the form
      // filled in and its own tokens.
      load(url).then(
        function () { form.submit(); },
        function () { form.submit(); }
      );
    });
  });
})();
