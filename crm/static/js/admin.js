/* What the admin's pages do in the browser, kept out of the pages themselves: the
   Content-Security-Policy (crm/headers.py) runs no inline script, `onclick=` handler or
   `javascript:` link. admin/crm_master.html loads this file on every admin page.

   - A form with data-crm-confirm asks that question before it is sent (a row's delete
     button, admin/crm_lib.html); "Cancel" sends nothing.
   - A link that is a button (href="#", role="button": the filter menu, admin/crm_lib.html)
     leaves the page where it is; one with data-crm-action runs that list action
     (Flask-Admin's actions.js). Flask-Admin's scripts do the rest.
   - "+" beside a picker (data-crm-picker, crm/admin/widgets.py) opens the other view's
     create form in a dialog; when it is saved, that page (admin/crm_picked.html, with the
     new record in #crm-picked) posts the record back here and the picker shows it. The
     cursor starts in the form's first field. */
(function ($) {
  'use strict';

  document.addEventListener('submit', function (event) {
    var question = event.target.getAttribute('data-crm-confirm');
    if (question !== null && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[href="#"][role="button"]');
    if (!link) return;
    event.preventDefault();
    var action = link.getAttribute('data-crm-action');
    if (action && window.modelActions) window.modelActions.execute(action);
  }, true);  // capture: the drop-down scripts stop the click before it reaches the document

  var picked = document.getElementById('crm-picked');
  if (picked) {
    // Inside the "+" dialog the form is the parent frame; in a new tab, the opener if any.
    var form = window.parent !== window ? window.parent : window.opener;
    if (form) form.postMessage(JSON.parse(picked.textContent), window.location.origin);
  }

  var modal = $ && $('#crm-picker-modal');
  if (!modal || !modal.length) return;
  var frame = modal.find('iframe');
  // Bootstrap focuses the dialog itself when it has faded in, taking the cursor out of a
  // field typed in sooner; so the first field gets it once the dialog is open and the form
  // is there, whichever comes last, and only once, not again under a user already typing.
  var opened = false;
  var cursorPlaced = false;
  function placeCursor() {
    var page = frame[0].contentDocument;
    var field = opened && !cursorPlaced && page &&
      page.querySelector('form.admin-form :is(input:not([type=hidden]), select, textarea)');
    if (!field) return;
    field.focus();
    cursorPlaced = true;
  }
  $(document).on('click', 'a[data-crm-picker]', function (event) {
    event.preventDefault();
    opened = cursorPlaced = false;
    modal.find('.modal-title').text(this.title);
    frame.attr('src', this.href);
    modal.modal('show');
  });
  modal.on('shown.bs.modal', function () { opened = true; placeCursor(); });
  frame.on('load', placeCursor);
  modal.on('hidden.bs.modal', function () { modal.find('iframe').attr('src', 'about:blank'); });
  window.addEventListener('message', function (event) {
    var record = event.data;
    if (event.origin !== window.location.origin || !record || record.type !== 'crm-picked') return;
    var input = $(document.getElementById(record.field));
    if (!input.length) return;
    // Flask-Admin's select2 set-up re-reads data-json whenever the value changes.
    input.attr('data-json', JSON.stringify([record.id, record.text]));
    input.select2('data', {id: record.id, text: record.text});
    input.trigger('change');
    modal.modal('hide');
  });
})(window.jQuery);
