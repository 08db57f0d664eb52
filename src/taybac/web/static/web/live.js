// The live page with JavaScript (templates/web/live/page.html): the chat, the pinned products and their prices
// update from the events stream (server-sent events); the order and chat forms post by fetch so the video keeps
// playing; the hub's HLS plays through the vendored hls.js only where the browser cannot play HLS itself.
// Without JavaScript every form still posts and returns to this page.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var list = document.getElementById("live-messages");
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) { seen[li.dataset.id] = li; });

  function addMessage(m) {
    if (seen[m.id]) return;
    var empty = list.querySelector(".live-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.dataset.id = m.id;
    var b = document.createElement("b");
    b.textContent = m.name;
    li.appendChild(b);
    li.appendChild(document.createTextNode(" " + m.text));
    list.appendChild(li);
    seen[m.id] = li;
    while (list.children.length > 100) { delete seen[list.firstChild.dataset.id]; list.firstChild.remove(); }
    list.scrollTop = list.scrollHeight;
  }

  function money(n) { return n.toLocaleString("vi-VN") + "\u00a0₫"; }

  function applyState(s) {
    (s.hidden || []).forEach(function (id) { if (seen[id]) { seen[id].remove(); delete seen[id]; } });
    var badge = document.getElementById("live-status");
    if (badge && s.status !== root.dataset.status) { window.location.reload(); return; }
    (s.products || []).forEach(function (p) {
      var input = root.querySelector('input[name="product"][value="' + p.id + '"]');
      if (!input) return;
      var li = input.closest("li");
      li.classList.toggle("pinned", p.pinned);
      var price = li.querySelector(".live-price");
      if (price) price.textContent = money(p.price);
    });
  }

  if (window.EventSource && root.dataset.events && root.dataset.status !== "ended") {
    var source = new EventSource(root.dataset.events);
    source.addEventListener("chat", function (e) { addMessage(JSON.parse(e.data)); });
    source.addEventListener("state", function (e) { applyState(JSON.parse(e.data)); });
  }

  function post(form, resultId, done) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var out = document.getElementById(resultId);
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" },
                           credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (a) {
          out.textContent = a.message;
          out.classList.toggle("error", !a.ok);
          if (a.ok && a.order_url) {
            var link = document.createElement("a");
            link.href = a.order_url; link.target = "_blank"; link.rel = "noopener"; link.textContent = " Xem đơn";
            out.appendChild(link);
          }
          if (a.ok) done(form);
        })
        .catch(function () { form.submit(); });
    });
  }
  var say = document.getElementById("live-say");
  if (say) post(say, "live-say-result", function (f) { f.elements.text.value = ""; });
  var order = document.getElementById("live-order");
  if (order) post(order, "live-order-result", function (f) { f.elements.key.value += "-" + Date.now(); });

  var media = document.getElementById("live-media");
  if (media && media.dataset.hls && !media.canPlayType("application/vnd.apple.mpegurl") && media.dataset.hlsjs) {
    var script = document.createElement("script");
    script.src = media.dataset.hlsjs;
    script.onload = function () {
      if (window.Hls && window.Hls.isSupported()) {
        var hls = new window.Hls({ lowLatencyMode: false, capLevelToPlayerSize: true });
        hls.loadSource(media.dataset.hls);
        hls.attachMedia(media);
      }
    };
    document.head.appendChild(script);
  }
})();
