/* A button marked data-print prints the page (the print stylesheet, css/print.css, leaves
   out the navigation and the buttons). */
(function () {
  'use strict';

  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
})();
