/* The card form of /my/bookings/{id}/pay: Stripe.js collects the card (our server never sees its number), the
   card's Stripe reference is posted to our server, which confirms the PaymentIntent; when the card asks for
   3-D Secure, Stripe.js completes it. Then the page is loaded again: the server asks Stripe how it stands.
   Everything the script needs comes in data- attributes of #card-form (no inline script). */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var data = form.dataset;
  var stripe = Stripe(data.publishableKey, { locale: document.documentElement.lang });
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var error = document.getElementById("card-error");
  var button = document.getElementById("card-pay");

  function show(message) {
    error.textContent = message;
    error.hidden = false;
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }

  async function pay() {
    var tokenised;
    try {
      tokenised = await stripe.createToken(card);
    } catch (unreadable) {
      tokenised = { error: null };
    }
    if (!tokenised || tokenised.error || !tokenised.token) {
      show((tokenised && tokenised.error && tokenised.error.message) || data.messageUnreadable);
      return;
    }
    var answer = await fetch(data.confirmUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "x-csrftoken": data.csrf },
      body: new URLSearchParams({ card: tokenised.token.card.id })
    });
    if (!answer.ok) { window.location.assign(data.returnUrl); return; }
    var outcome = await answer.json();
    if (outcome.client_secret) {
      await stripe.confirmCardPayment(outcome.client_secret);
    }
    window.location.assign(outcome.next || data.returnUrl);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    form.setAttribute("aria-busy", "true");
    pay().catch(function () { show(data.messageFailed); });
  });
})();
