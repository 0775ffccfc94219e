/* Draws each chart of the page (figure.crm-chart, templates/_macros/charts.html) with the
   vendored Chart.js, from the table inside the figure, so that the figures reach the page
   once and a reader without the canvas has the same table. The table says what to draw:
   data-chart: "bar", "stacked-bar", "line" or "bar-line" (bars on the left axis, the
   columns marked data-line as lines on the right one);
   a column's header: data-colour (drawn in it; a column without one is only shown),
   data-unit ("count", "money", "percent": how its axis is labelled), data-line;
   a row's header: data-label (its label under the axis, else its text) and data-colour
   (the row's bar, in a chart of a single series);
   a cell: data-value, the plain number; its text, written for the user's language, is
   what the tooltip shows.
   The figure's data-state becomes "drawn" (or "failed") for the tests to wait on. */
(function () {
  'use strict';

  var figures = document.querySelectorAll('figure.crm-chart');
  if (!figures.length) return;
  if (typeof Chart === 'undefined') {
    figures.forEach(function (figure) { figure.dataset.state = 'failed'; });
    return;
  }

  var locale = document.documentElement.lang || 'en';
  var page = getComputedStyle(document.body);
  Chart.defaults.font.family = page.fontFamily;
  Chart.defaults.color = page.color;
  // A dashboard's figures are read, not watched: no animation (and nothing to wait for).
  Chart.defaults.animation = false;

  var compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var TICKS = {
    count: function (value) { return whole.format(value); },
    money: function (value) { return compact.format(value); },
    percent: function (value) { return compact.format(value) + '\u00a0%'; }
  };

  function text(cell) {
    return cell.textContent.trim();
  }

  /* One dataset per drawn column: its values, and the texts of its cells for tooltips. */
  function datasets(table, kind, rows) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rowColours = rows.map(function (row) { return row.cells[0].dataset.colour; });
    var drawn = headers.filter(function (header) { return header.dataset.colour; });
    return drawn.map(function (header) {
      var column = header.cellIndex;
      var cells = rows.map(function (row) { return row.cells[column]; });
      var line = kind === 'line' || (kind === 'bar-line' && 'line' in header.dataset);
      var colour = drawn.length === 1 && rowColours.every(Boolean) && !line
        ? rowColours : header.dataset.colour;
      return {
        type: line ? 'line' : 'bar',
        label: text(header),
        // An empty value is a figure not known yet: a gap, not a zero.
        data: cells.map(function (cell) {
          return cell.dataset.value === '' ? null : Number(cell.dataset.value);
        }),
        texts: cells.map(text),
        unit: header.dataset.unit || 'count',
        backgroundColor: colour,
        borderColor: line ? colour : '#ffffff',
        borderWidth: line ? 2 : (kind === 'stacked-bar' ? 1 : 0),
        pointRadius: line ? 3 : 0,
        yAxisID: line && kind === 'bar-line' ? 'y1' : 'y',
        // Lower is drawn on top: a line over the bars.
        order: line ? 0 : 1
      };
    });
  }

  function axis(sets, id, stacked) {
    var own = sets.filter(function (set) { return set.yAxisID === id; });
    var unit = own.length ? own[0].unit : 'count';
    return {
      position: id === 'y1' ? 'right' : 'left',
      stacked: stacked,
      beginAtZero: true,
      grid: { drawOnChartArea: id === 'y' },
      title: { display: own.length === 1 && sets.length > 1, text: own.length ? own[0].label : '' },
      ticks: { callback: TICKS[unit] || TICKS.count, precision: unit === 'count' ? 0 : undefined }
    };
  }

  function options(sets, kind) {
    var stacked = kind === 'stacked-bar';
    var scales = { x: { stacked: stacked, grid: { display: false } }, y: axis(sets, 'y', stacked) };
    if (sets.some(function (set) { return set.yAxisID === 'y1'; })) {
      scales.y1 = axis(sets, 'y1', false);
    }
    return {
      locale: locale,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: scales,
      plugins: {
        legend: { display: sets.length > 1, position: 'bottom' },
        tooltip: {
          callbacks: {
            label: function (item) {
              return item.dataset.label + ': ' + item.dataset.texts[item.dataIndex];
            }
          }
        }
      }
    };
  }

  function draw(figure) {
    var table = figure.querySelector('table[data-chart]');
    var canvas = figure.querySelector('canvas');
    var kind = table.dataset.chart;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var sets = datasets(table, kind, rows);
    new Chart(canvas, {
      type: kind === 'line' ? 'line' : 'bar',
      data: {
        labels: rows.map(function (row) { return row.cells[0].dataset.label || text(row.cells[0]); }),
        datasets: sets
      },
      options: options(sets, kind)
    });
    figure.dataset.state = 'drawn';
  }

  figures.forEach(function (figure) {
    try {
      draw(figure);
    } catch (error) {
      // The other charts still draw; the console (and the browser tests) hear of it.
      figure.dataset.state = 'failed';
      console.error(error);
    }
  });
})();
