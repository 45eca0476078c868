/*
 * Local stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js (App Bridge v4),
 * served by the local store's app proxy. It covers what @shopify/shopify-app-remix and
 * @shopify/app-bridge-react use: the `shopify` global with idToken(), a fetch that adds
 * the session token to same-origin requests, the bounce page (`shopify-reload`), toasts,
 * and the ui-* elements, which the real admin renders outside the iframe.
 * __LOCAL_STORE_CONFIG__ is replaced by the proxy with { appUrl, tokenPath }.
 */
(function () {
  const config = __LOCAL_STORE_CONFIG__;
  const params = new URLSearchParams(window.location.search);
  const script = document.currentScript;
  const apiKey = (script && script.getAttribute("data-api-key")) || "";

  const shop = params.get("shop") || sessionStorage.getItem("local-store:shop") || "";
  const host = params.get("host") || sessionStorage.getItem("local-store:host") || "";
  if (shop) sessionStorage.setItem("local-store:shop", shop);
  if (host) sessionStorage.setItem("local-store:host", host);

  async function idToken() {
    const response = await originalFetch(`${config.tokenPath}?shop=${encodeURIComponent(shop)}`);
    if (!response.ok) throw new Error(`The local store refused a session token for ${shop}`);
    return (await response.json()).token;
  }

  const originalFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== window.location.origin || request.headers.has("Authorization")) {
      return originalFetch(request);
    }
    const withToken = async (req) => {
      const headers = new Headers(req.headers);
      headers.set("Authorization", `Bearer ${await idToken()}`);
      return originalFetch(new Request(req, { headers }));
    };
    const retry = request.clone();
    const response = await withToken(request);
    // The app asks for one retry with a fresh token when it found the token invalid.
    if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      return withToken(retry);
    }
    return response;
  };

  function toLocalOrigin(url) {
    const target = new URL(url, window.location.href);
    const app = new URL(config.appUrl);
    if (target.origin === app.origin) return window.location.origin + target.pathname + target.search + target.hash;
    return target.toString();
  }

  const toastHost = () => {
    let element = document.getElementById("local-store-toasts");
    if (!element) {
      element = document.createElement("div");
      element.id = "local-store-toasts";
      element.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:2147483647;display:flex;flex-direction:column;gap:8px";
      document.body.appendChild(element);
    }
    return element;
  };

  let toastCount = 0;
  window.shopify = {
    config: { apiKey, shop, host, locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken,
    toast: {
      show(message, options) {
        const id = `toast-${++toastCount}`;
        const element = document.createElement("div");
        element.id = id;
        element.setAttribute("role", "status");
        element.textContent = message;
        element.style.cssText = `padding:10px 16px;border-radius:8px;color:#fff;font:14px sans-serif;background:${options && options.isError ? "#8e1f0b" : "#303030"}`;
        toastHost().appendChild(element);
        setTimeout(() => element.remove(), (options && options.duration) || 5000);
        return id;
      },
      hide(id) {
        const element = document.getElementById(id);
        if (element) element.remove();
      },
    },
    loading() {},
  };

  for (const name of ["ui-nav-menu", "ui-title-bar", "s-app-nav", "ui-save-bar"]) {
    if (!customElements.get(name)) {
      customElements.define(
        name,
        class extends HTMLElement {
          connectedCallback() {
            this.style.display = "none";
          }
        },
      );
    }
  }

  const reload = params.get("shopify-reload");
  if (reload) {
    idToken().then((token) => {
      const target = new URL(toLocalOrigin(reload));
      target.searchParams.set("id_token", token);
      window.location.replace(target.toString());
    });
  }
})();
