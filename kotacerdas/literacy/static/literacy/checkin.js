/* Cirebon Melet door check-in that survives a bad connection.
 *
 * Each scan (camera QR through BarcodeDetector, or the typed code) gets a nonce
 * made here and is kept in localStorage until the server has answered it; the
 * queue is sent whenever the phone is online (at once, on the "online" event and
 * every few seconds). The server stores a scan once per nonce, so a resend after
 * a lost answer never counts twice. Without JavaScript the form posts the code.
 */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  var form = document.getElementById("manual-scan");
  if (!box || !form || !window.localStorage || !window.fetch) { return; }
  var key = "melet-scans-" + box.dataset.session;
  var list = document.getElementById("scan-results");
  var state = document.getElementById("sync-state");
  var pending = document.getElementById("pending");
  var input = form.querySelector("[name=code]");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var sending = false;
  var BATCH = 100; // the server takes up to 200 scans a request

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(key, JSON.stringify(queue)); show(); }
  function show() {
    var n = load().length;
    pending.textContent = n ? box.dataset.pending + " " + n : "";
    state.textContent = navigator.onLine ? box.dataset.online : box.dataset.offline;
  }
  function nonce() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function note(text, status, id) {
    var item = id && document.getElementById("scan-" + id);
    if (!item) {
      item = document.createElement("li");
      if (id) { item.id = "scan-" + id; }
      list.insertBefore(item, list.firstChild);
    }
    item.className = "scan scan-" + status;
    item.textContent = text;
  }
  function add(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var scan = { nonce: nonce(), code: code, scanned_at: new Date().toISOString() };
    var queue = load();
    queue.push(scan);
    save(queue);
    note(code.slice(0, 9) + "…: " + box.dataset.saved, "pending", scan.nonce);
    send();
  }
  function send() {
    var queue = load();
    show();
    if (sending || !queue.length || !navigator.onLine) { return; }
    sending = true;
    fetch(box.dataset.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ scans: queue.slice(0, BATCH) })
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var answered = {};
      data.results.forEach(function (r) {
        answered[r.nonce] = true;
        var text = (r.name ? r.name + ": " : "") + r.reason + (r.replayed ? " " + box.dataset.replayed : "");
        note(text, r.status, r.nonce);
      });
      save(load().filter(function (s) { return !answered[s.nonce]; }));
      sending = false;
      // Scans added meanwhile, or the next batch (only after progress: no busy loop).
      if (Object.keys(answered).length && load().length) { send(); }
    }).catch(function () { sending = false; show(); });
  }

  box.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    add(input.value);
    input.value = "";
    input.focus();
  });
  window.addEventListener("online", send);
  window.addEventListener("offline", show);
  setInterval(send, 5000);
  send();

  var button = document.getElementById("start-camera");
  var video = document.getElementById("camera");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    button.hidden = true;
    note(box.dataset.nocamera, "info");
    return;
  }
  var last = "", lastAt = 0;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      button.hidden = true;
      return video.play();
    }).then(function () {
      setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (!codes.length) { return; }
          var value = codes[0].rawValue, now = Date.now();
          if (value === last && now - lastAt < 4000) { return; }
          last = value; lastAt = now;
          add(value);
        }).catch(function () {});
      }, 400);
    }).catch(function () { note(box.dataset.nocamera, "info"); });
  });
})();
