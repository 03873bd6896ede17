// Slugs prefilled from Vietnamese titles. Django's URLify drops letters such as
// "ử" or "ậ" ("Thử nghiệm" -> "th-nghim"); this keeps the base letter, as the
// server-side slug rule does ("thu-nghiem"). prepopulate.js calls the global
// URLify when the title changes, so replacing it is enough.
"use strict";
window.URLify = function (text, maxLength) {
  const slug = text
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= maxLength) {
    return slug;
  }
  const cut = slug.slice(0, maxLength + 1);
  return cut.endsWith("-") ? cut.slice(0, -1) : cut.slice(0, cut.lastIndexOf("-"));
};
