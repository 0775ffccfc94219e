/* The date pickers and search pickers Flask-Admin bundles, in the interface language.

   Their scripts speak English (month names, "Apply", "No matches found"), and Flask-Admin's
   form.js starts them without a language option. The server writes the words into
   <script id="crm-widget-texts"> (crm/admin/language.py); this file must run after the
   plugins are loaded and before form.js starts them. admin/crm_master.html loads it at the
   end of the page, ahead of the form scripts each form or list page adds. */
(function ($) {
  'use strict';

  var source = document.getElementById('crm-widget-texts');
  if (!source || !$) return;
  var texts = JSON.parse(source.textContent);

  function constant(text) {
    return function () { return text; };
  }

  if ($.fn.select2) {
    $.extend($.fn.select2.defaults, {
      formatNoMatches: constant(texts.select2.noMatches),
      formatSearching: constant(texts.select2.searching),
      formatInputTooShort: constant(texts.select2.inputTooShort),
      formatLoadMore: constant(texts.select2.loadMore),
      formatAjaxError: constant(texts.select2.ajaxError),
      formatMatches: constant(texts.select2.matches)
    });
  }

  // daterangepicker.js comes with form.js, after this file; form.js announces itself with
  // "adminFormReady" before it starts any picker (on page load, or as a filter is added).
  $(document).one('adminFormReady', function () {
    var original = $.fn.daterangepicker;
    if (!original) return;
    $.fn.daterangepicker = function (options, callback) {
      var localised = $.extend({}, options);
      localised.locale = $.extend({}, texts.daterangepicker, localised.locale);
      return original.call(this, localised, callback);
    };
  });
})(window.jQuery);
