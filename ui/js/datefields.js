// The page's date-and-time fields (a callback's time, a disposition's "call again at", the dialer's dates) are
// plain text fields in index.html, marked data-datetime, until one of them is about to be seen. WebKitGTK loads
// ICU's date formats and time zones for a datetime-local input as soon as the input exists, hidden or not: 2.3 MiB
// of the web process at sign-in (BENCHMARKS.md, Decisions: date fields on first need) for fields that most calls
// never show. The first time one is needed they all become datetime-local (ICU is loaded once either way), before
// it is shown or focused.

export function ready() {
  document.querySelectorAll('input[data-datetime]').forEach((el) => {
    el.type = 'datetime-local';
    delete el.dataset.datetime;
  });
}
