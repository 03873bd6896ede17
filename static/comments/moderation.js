// Keyboard moderation for the comment queue: j/k move between rows,
// x selects a row for a bulk action, a/r/s approve, reject or mark spam,
// / jumps to the search box.
"use strict";
// The admin loads media scripts in <head>: wait for the table.
document.addEventListener("DOMContentLoaded", function () {
  const table = document.getElementById("result_list");
  if (!table) {
    return;
  }
  const rows = Array.from(table.querySelectorAll("tbody tr"));
  let current = -1;

  function focusRow(index) {
    if (!rows.length) {
      return;
    }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("is-current", i === current));
    rows[current].focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }

  rows.forEach((row, index) => {
    row.tabIndex = 0;
    row.addEventListener("focus", () => {
      current = index;
      rows.forEach((r, i) => r.classList.toggle("is-current", i === index));
    });
  });

  // Start on the first row, so "a", "r" or "s" work right after each decision
  // reloads the queue. The admin autofocuses an empty search box; "/" goes back
  // to it.
  const search = document.getElementById("searchbar");
  const idle = document.activeElement === document.body ||
    (document.activeElement === search && !search.value);
  if (rows.length && idle) {
    focusRow(0);
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (
      event.altKey || event.ctrlKey || event.metaKey ||
      target.matches("input[type=text], input[type=search], textarea, select")
    ) {
      return;
    }
    const row = rows[current];
    switch (event.key) {
      case "/":
        search?.focus();
        break;
      case "j":
        focusRow(current + 1);
        break;
      case "k":
        focusRow(current - 1);
        break;
      case "x":
        if (row) {
          row.querySelector("input.action-select")?.click();
        }
        break;
      case "a":
      case "r":
      case "s":
        if (row) {
          row.querySelector(`button[data-key="${event.key}"]`)?.click();
        }
        break;
      default:
        return;
    }
    event.preventDefault();
  });
});
