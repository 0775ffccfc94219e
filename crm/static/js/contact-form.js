/* The contact form (templates/contacts/new.html): the promise's fields show only while the
   outcome is "promised to pay". Without this script they always show, with a hint, and the
   server ignores them for any other outcome. */
(function () {
  'use strict';

  var outcome = document.querySelector('[data-promise-outcome]');
  var promise = document.querySelector('[data-promise-fields]');
  if (!outcome || !promise) { return; }
  var hint = promise.querySelector('[data-promise-hint]');

  function update() {
    var promised = outcome.value === outcome.dataset.promiseOutcome;
    promise.hidden = !promised;
    promise.disabled = !promised;
  }

  if (hint) { hint.hidden = true; }
  outcome.addEventListener('change', update);
  update();
})();
