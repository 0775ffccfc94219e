/* The schedule preview beside a loan form: whenever the product, amount or term changes,
   ask the server for the schedule and show it. The box (#loan-preview) says where to ask
   (data-url: GET /loans/preview under the admin's loan form and the staff's new application,
   /account/preview beside the
   customer's application), which form to read (data-form, an id; the admin's form when
   none) and the name of its product field (data-product-field, "product" when none). The
   server renders the table, so money and dates read as everywhere else; without JavaScript
   the form simply has no preview. The box's data-state says where the preview is: "empty"
   (terms missing), "loading", "shown", "refused" (the terms are not lent on; the server's
   message is shown) or "failed", for the tests to wait on. */
(function () {
  'use strict';

  var box = document.getElementById('loan-preview');
  if (!box) return;
  var form = box.dataset.form ? document.getElementById(box.dataset.form)
                              : document.querySelector('form.admin-form');
  if (!form) return;
  var productField = box.dataset.productField || 'product';
  var output = box.querySelector('[data-preview-output]');
  var timer = null;
  var pending = null;

  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value.trim() : '';
  }

  function show(node, state) {
    output.replaceChildren(node);
    box.hidden = false;
    box.dataset.state = state;
  }

  function note(text, state) {
    var paragraph = document.createElement('p');
    paragraph.className = 'text-muted mb-0';
    paragraph.textContent = text;
    show(paragraph, state);
  }

  function refresh() {
    var terms = {product: value(productField), amount: value('amount'), term_months: value('term_months')};
    if (!terms.product || !terms.amount || !terms.term_months) {
      if (pending) pending.abort();
      box.hidden = true;
      box.dataset.state = 'empty';
      return;
    }
    if (box.dataset.loan) terms.loan = box.dataset.loan;
    if (pending) pending.abort();
    pending = new AbortController();
    box.dataset.state = 'loading';
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
          note(result.body.error || box.dataset.failed, 'refused');
          return;
        }
        // The fragment is our own template's output, escaped on the server.
        var template = document.createElement('template');
        template.innerHTML = result.body.html;
        show(template.content, 'shown');
      })
      .catch(function (error) {
        if (error.name !== 'AbortError') note(box.dataset.failed, 'failed');
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  // The product picker (select2) announces a choice through jQuery's events only.
  if (window.jQuery) window.jQuery(form.elements.namedItem(productField)).on('change', later);
  refresh();
})();
