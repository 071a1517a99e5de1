// The projector (大屏, /b/{cid}/screen): fetches the page again every few seconds and swaps
// in its <main>, so the hall sees no reload flicker. Without script the page reloads itself
// (<noscript><meta refresh>). A failed fetch keeps the last state on screen.
(function () {
  'use strict';
  var EVERY_MS = 3000;
  function tick() {
    fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html').querySelector('main');
        var main = document.querySelector('main');
        if (next && main && next.innerHTML !== main.innerHTML) {
          main.innerHTML = next.innerHTML;
          wire();
        }
        document.body.classList.remove('stale');
      })
      .catch(function () { document.body.classList.add('stale'); })
      .then(function () { setTimeout(tick, EVERY_MS); });
  }
  function wire() {
    var b = document.querySelector('button.fullscreen');
    if (!b || !document.documentElement.requestFullscreen) return;
    b.hidden = !!document.fullscreenElement;
    b.onclick = function () { document.documentElement.requestFullscreen(); b.hidden = true; };
  }
  document.addEventListener('fullscreenchange', wire);
  wire();
  setTimeout(tick, EVERY_MS);
})();
