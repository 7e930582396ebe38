// A screen without a key: show the code, wait for the presenter's answer, then come in.
const status = document.getElementById("pairing-status");

async function poll() {
  try {
    const response = await fetch("/screen/pairing", { cache: "no-store" });
    const answer = await response.json();
    if (answer.status === "approved" || answer.status === null) {
      location.reload(); // in; or the code expired or gave way: ask for a new one
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
if (document.getElementById("pairing-code")) poll();
else setTimeout(() => location.reload(), 15000); // too many codes waiting: ask again later
