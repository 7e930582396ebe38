// A screen without a key: show the code, wait for the presenter's answer, then come in.
const status = document.getElementById("pairing-status");

async function poll() {
  try {
    const response = await fetch("/screen/pairing", { cache: "no-store" });
    const answer = await response.json();
    if (answer.status === "approved") {
      location.reload();
      return;
    }
    if (answer.status === "refused") {
      status.textContent = status.dataset.refused;
      return;
    }
  } catch {
    // the server may be restarting: keep asking
  }
  setTimeout(poll, 1000);
}
poll();
