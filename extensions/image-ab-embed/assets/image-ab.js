/* Product Imagery Studio: storefront image A/B test. Dependency-free; see blocks/image-ab.liquid. */
(function () {
  "use strict";
  var STORE = "pis_ab";
  var CONSENT_WAIT_MS = 1000;
  var ATTRS = ["src", "srcset", "data-src", "data-srcset", "data-zoom", "data-zoom-src", "href"];
  var LEGACY = /_(\d+x\d*|x\d+|pico|icon|thumb|small|compact|medium|large|grande|original|master)(_crop_[a-z]+)?(@\dx)?$/;
  var KEEP = { width: 1, height: 1, crop: 1, pad_color: 1 };

  var node = document.getElementById("pis-ab-config");
  var config;
  try {
    config = JSON.parse(node.textContent);
  } catch {
    return reveal();
  }

  function reveal() {
    var hide = document.getElementById("pis-ab-hide");
    if (hide) hide.parentNode.removeChild(hide);
  }

  function readAssignments() {
    try {
      var raw = localStorage.getItem(STORE);
      if (raw) return JSON.parse(raw) || {};
    } catch {
      // Storage blocked (private mode, sandboxed frame): the cookie below holds the same.
    }
    var m = document.cookie.match(/(?:^|;\s*)pis_ab=([^;]*)/);
    try {
      return m ? JSON.parse(decodeURIComponent(m[1])) || {} : {};
    } catch {
      return {};
    }
  }

  function writeAssignments(all) {
    var raw = JSON.stringify(all);
    try {
      localStorage.setItem(STORE, raw);
    } catch {
      // Storage blocked: the cookie alone keeps the assignment.
    }
    // The web pixel has no DOM and reads the assignment from this first-party cookie.
    document.cookie = STORE + "=" + encodeURIComponent(raw) + ";path=/;max-age=7776000;SameSite=Lax";
  }

  function pickArm() {
    var total = 0, i, r;
    for (i = 0; i < config.arms.length; i++) total += config.arms[i].weight;
    r = Math.random() * total;
    for (i = 0; i < config.arms.length; i++) {
      r -= config.arms[i].weight;
      if (r < 0) return config.arms[i];
    }
    return config.arms[config.arms.length - 1];
  }

  function armByKey(key) {
    for (var i = 0; i < config.arms.length; i++) if (config.arms[i].key === key) return config.arms[i];
    return null;
  }

  /** The file name a CDN URL points at, without extension or legacy size suffix: what the control is matched by. */
  function fileName(url) {
    var path = url.split(/[?#]/)[0];
    var seg = path.substring(path.lastIndexOf("/") + 1);
    var dot = seg.lastIndexOf(".");
    return (dot > 0 ? seg.slice(0, dot) : seg).replace(LEGACY, "");
  }

  /** The variant's URL with the original's size parameters, or null when `url` is not the control. */
  function rewriteUrl(url, variantUrl) {
    if (!url || fileName(url) !== config.control.file) return null;
    var kept = [];
    var q = url.indexOf("?") >= 0 ? url.slice(url.indexOf("?") + 1).split("#")[0] : "";
    q.split("&").forEach(function (pair) {
      if (KEEP[pair.split("=")[0]]) kept.push(pair);
    });
    var legacy = url.split(/[?#]/)[0].match(/_(\d+)x(\d*)(?:_crop_[a-z]+)?(?:@\dx)?\.[a-z]+$/i);
    if (legacy && !kept.length) kept.push("width=" + legacy[1]);
    return kept.length ? variantUrl + (variantUrl.indexOf("?") >= 0 ? "&" : "?") + kept.join("&") : variantUrl;
  }

  function rewriteSrcset(value, variantUrl) {
    var changed = false;
    var out = value.split(",").map(function (candidate) {
      var parts = candidate.trim().split(/\s+/);
      var next = rewriteUrl(parts[0], variantUrl);
      if (next === null) return candidate.trim();
      changed = true;
      parts[0] = next;
      return parts.join(" ");
    });
    return changed ? out.join(", ") : null;
  }

  function swapElement(el, variantUrl) {
    if (el.nodeType !== 1) return;
    for (var i = 0; i < ATTRS.length; i++) {
      var name = ATTRS[i];
      var value = el.getAttribute(name);
      if (!value) continue;
      if (name === "href" && el.tagName !== "A") continue;
      var next = name.indexOf("srcset") >= 0 ? rewriteSrcset(value, variantUrl) : rewriteUrl(value, variantUrl);
      if (next !== null && next !== value) el.setAttribute(name, next);
    }
  }

  function swapTree(root, variantUrl) {
    if (root.nodeType !== 1) return;
    swapElement(root, variantUrl);
    var all = root.querySelectorAll("img,source,a[href],[data-src],[data-srcset],[data-zoom],[data-zoom-src]");
    for (var i = 0; i < all.length; i++) swapElement(all[i], variantUrl);
  }

  function run(arm) {
    if (!arm || !arm.url) return reveal();
    swapTree(document.documentElement, arm.url);
    // Themes add images later (galleries, zoom modals, lazy loaders): swap them as they appear.
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var r = records[i];
        if (r.type === "attributes") swapElement(r.target, arm.url);
        else for (var j = 0; j < r.addedNodes.length; j++) swapTree(r.addedNodes[j], arm.url);
      }
    }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ATTRS });
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        swapTree(document.documentElement, arm.url);
        reveal();
      });
    } else reveal();
  }

  /** Shopify's Customer Privacy API: where consent is required and not given, the visitor sees the control and nothing is stored. */
  function withConsent(callback) {
    var done = false;
    function finish(allowed) {
      if (done) return;
      done = true;
      callback(allowed);
    }
    function check() {
      var cp = window.Shopify && window.Shopify.customerPrivacy;
      if (!cp) return false;
      if (typeof cp.analyticsProcessingAllowed === "function") finish(!!cp.analyticsProcessingAllowed());
      else finish(typeof cp.userCanBeTracked === "function" && !!cp.userCanBeTracked());
      return true;
    }
    if (check()) return;
    if (window.Shopify && typeof window.Shopify.loadFeatures === "function") {
      window.Shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], function (error) {
        if (error || !check()) finish(false);
      });
    }
    setTimeout(function () {
      finish(false);
    }, CONSENT_WAIT_MS);
  }

  withConsent(function (allowed) {
    if (!allowed) return reveal();
    var all = readAssignments();
    var arm = all[config.experimentId] && armByKey(all[config.experimentId].a);
    if (!arm) {
      arm = pickArm();
      all[config.experimentId] = { a: arm.key, p: String(config.productId) };
      writeAssignments(all);
    }
    window.PisImageAb = { experimentId: config.experimentId, arm: arm.key };
    run(arm);
  });
})();
