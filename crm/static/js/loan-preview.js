/* The schedule preview under the admin's loan form: whenever the product, amount or term
   changes, ask the staff site for the schedule (GET /loans/preview) and show it. The server
   renders the table, so money and dates read as everywhere else; without JavaScript the form
   simply has no preview. */
(function () {
  'use strict';

  var box = document.getElementById('loan-preview');
  var form = document.querySelector('form.admin-form');
  if (!box || !form) return;
  var output = box.querySelector('[data-preview-output]');
  var timer = null;
  var pending = null;

  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value.trim() : '';
  }

  function show(node) {
    output.replaceChildren(node);
    box.hidden = false;
  }

  function note(text) {
    var paragraph = document.createElement('p');
    paragraph.className = 'text-muted mb-0';
    paragraph.textContent = text;
    show(paragraph);
  }

  function refresh() {
    var terms = {product: value('product'), amount: value('amount'), term_months: value('term_months')};
    if (!terms.product || !terms.amount || !terms.term_months) {
      box.hidden = true;
      return;
    }
    if (box.dataset.loan) terms.loan = box.dataset.loan;
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(box.dataset.url + '?' + new URLSearchParams(terms), {
      headers: {Accept: 'application/json'},
      credentials: 'same-origin',
      signal: pending.signal
    })
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (result) {
        if (!result.ok) {
          note(result.body.error || box.dataset.failed);
          return;
        }
        // The fragment is our own template's output, escaped on the server.
        var template = document.createElement('template');
        template.innerHTML = result.body.html;
        show(template.content);
      })
      .catch(function (error) {
        if (error.name !== 'AbortError') note(box.dataset.failed);
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  // The product picker (select2) announces a choice through jQuery's events only.
  if (window.jQuery) window.jQuery(form.elements.namedItem('product')).on('change', later);
  refresh();
})();
