// Sponsored slots on cached pages: every eligible creative is in the HTML; this picks one
// per slot by campaign weight for this reader's device and time, and counts its impression
// once the slot is on screen. Without JavaScript the heaviest creative shows (and a
// <noscript> pixel counts it). The slot's box is reserved in CSS, so nothing moves.
(function () {
  var width = window.innerWidth;
  var device = width >= 1140 ? "desktop" : width >= 768 ? "tablet" : "phone";
  var now = Date.now() / 1000;

  function eligible(ad) {
    var devices = " " + (ad.getAttribute("data-devices") || "") + " ";
    var starts = Number(ad.getAttribute("data-starts") || 0);
    var ends = ad.getAttribute("data-ends");
    return devices.indexOf(" " + device + " ") >= 0 && starts <= now && (!ends || Number(ends) > now);
  }

  function pick(ads) {
    var total = 0;
    ads.forEach(function (ad) { total += Number(ad.getAttribute("data-weight")) || 1; });
    var roll = Math.random() * total;
    for (var i = 0; i < ads.length; i++) {
      roll -= Number(ads[i].getAttribute("data-weight")) || 1;
      if (roll < 0) { return ads[i]; }
    }
    return ads[ads.length - 1];
  }

  function countWhenSeen(slot, ad) {
    var url = ad.getAttribute("data-impression");
    var send = function () { if (navigator.sendBeacon) { navigator.sendBeacon(url); } };
    if (!("IntersectionObserver" in window)) { send(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        send();
      }
    }, { threshold: 0.5 });
    observer.observe(slot);
  }

  document.querySelectorAll("[data-ad-slot]").forEach(function (slot) {
    var ads = Array.prototype.slice.call(slot.querySelectorAll("[data-ad]"));
    var candidates = ads.filter(eligible);
    var chosen = candidates.length ? pick(candidates) : null;
    ads.forEach(function (ad) { ad.hidden = ad !== chosen; });
    slot.classList.toggle("ad-slot--empty", !chosen);
    if (!chosen) { return; }
    var label = slot.querySelector(".ad-slot__label");
    if (label) { label.textContent = chosen.getAttribute("data-label"); }
    countWhenSeen(slot, chosen);
  });
})();
