// The dashboard's script, served at /dashboard/dashboard.js (the page's
// policy runs no inline script). The page is complete without it: the
// server renders the panel, the language switch and the district filter
// are plain forms, and every drill-down is a plain link. The script adds
// what needs a browser: the panel's refresh every minute (folded tables
// stay as the reader left them), the district filter applied as soon as
// it is chosen, printing, the CSV downloads and, on a narrow screen, the
// weekly charts scrolled to their latest weeks. It holds no text of its
// own: the messages it may show are in the page, in the reader's language.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const panel = $("panel");
  const lang = document.documentElement.lang === "en" ? "en" : "ar";
  // The drill-down (district, office, stage, age bucket) the page shows.
  const asked = new URLSearchParams(location.search);

  // Shown signed out, or refused: the sign-in link and why.
  function showSignin(message) {
    panel.replaceChildren();
    $("signin").hidden = false;
    for (const id of ["signout-form", "print", "filter"]) {
      if ($(id)) $(id).hidden = true;
    }
    $("signin-error").textContent = message || "";
  }

  // On a narrow screen a weekly chart scrolls in its box: show its latest
  // weeks (the value axis is labelled on both sides).
  function latestWeeks() {
    panel.querySelectorAll(".chart-box.weeks").forEach((b) => { b.scrollLeft = b.scrollWidth; });
  }

  async function refresh() {
    const message = $("signin-error").dataset;
    const query = new URLSearchParams({ lang });
    for (const key of ["district", "office", "state", "age"]) {
      if (asked.get(key)) query.set(key, asked.get(key));
    }
    let response;
    try {
      response = await fetch("/dashboard/panel?" + query, { credentials: "same-origin" });
    } catch (e) {
      $("signin-error").textContent = message.failed;
      return;
    }
    if (response.status === 401) { showSignin(message.ended); return; }
    if (response.status === 403) { showSignin(message.forbidden); return; }
    if (!response.ok) { $("signin-error").textContent = message.failed; return; }
    // A table the reader opened stays open across the minute's refresh.
    const opened = Array.from(panel.querySelectorAll("details")).map((d) => d.open);
    panel.innerHTML = await response.text();
    panel.querySelectorAll("details").forEach((d, i) => { if (opened[i]) d.open = true; });
    latestWeeks();
    document.body.dataset.loaded = String(Date.now());
  }

  async function downloadCsv(name) {
    const query = new URLSearchParams({ format: "csv" });
    if (asked.get("district")) query.set("district", asked.get("district"));
    const response = await fetch("/api/statistics/" + name + "?" + query, {
      credentials: "same-origin", headers: { "Accept-Language": lang } });
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url; a.download = name + ".csv";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function start() {
    const shown = panel.querySelector(".panel") !== null;
    const district = $("district");
    if (district) {
      // Chosen, the district is shown at once, without the form's button.
      $("district-show").hidden = true;
      district.addEventListener("change", () => {
        location.assign(district.value ? "/dashboard?district=" + encodeURIComponent(district.value) : "/dashboard");
      });
    }
    if (!shown) return;
    $("print").hidden = false;
    $("print").addEventListener("click", () => window.print());
    panel.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-csv]");
      if (button) downloadCsv(button.dataset.csv);
    });
    window.addEventListener("resize", latestWeeks);
    latestWeeks();
    setInterval(() => { if (document.visibilityState === "visible") refresh(); }, 60000);
  }

  start();
})();
