// The shell reloads this page as `index.html?error=<sentence>` when the backend cannot start.
"use strict";

function showStartupError(message) {
  document.getElementById("starting").hidden = true;
  document.getElementById("error-message").textContent = message;
  document.getElementById("failed").hidden = false;
  document.title = "mikrobill — gagal memulai";
}

const startupError = new URLSearchParams(window.location.search).get("error");
if (startupError !== null) {
  showStartupError(startupError);
}
