// Pairing: trade the pairing token from the organiser's QR code for a device token.
const form = document.getElementById("checkin-pair");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("pair-error");
  error.hidden = true;
  try {
    const response = await fetch(`${form.dataset.api}?lang=${form.dataset.lang}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: form.dataset.token, name: form.elements.name.value }),
    });
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    localStorage.setItem("checkin.token", body.device_token);
    delete body.device_token;
    localStorage.setItem("checkin.info", JSON.stringify(body));
    window.location.assign(form.dataset.next);
  } catch (failure) {
    error.hidden = false;
    error.focus();
  }
});
