// Vietnamese for the few English words that Django and the body editor write
// into the admin outside any translation catalogue: the alt text of Django's
// yes/no icons ("True", "False", "None") and the titles of the body editor's
// buttons ("bold", "Add row"). Screen readers and mouse-overs show them.
"use strict";
{
  const ICONS = { True: "Có", False: "Không", None: "Không rõ" };
  const EDITOR = {
    bold: "In đậm",
    italic: "In nghiêng",
    underline: "Gạch chân",
    strike: "Gạch ngang",
    subscript: "Chỉ số dưới",
    superscript: "Chỉ số trên",
    paragraph: "Đoạn văn",
    Paragraph: "Đoạn văn",
    blockquote: "Trích dẫn",
    "horizontal rule": "Đường kẻ ngang",
    "unordered list": "Danh sách dấu đầu dòng",
    "ordered list": "Danh sách đánh số",
    figure: "Hình",
    undo: "Hoàn tác",
    redo: "Làm lại",
    "edit HTML": "Sửa HTML",
    "insert link": "Chèn liên kết",
    "remove link": "Bỏ liên kết",
    "Insert table": "Chèn bảng",
    "Add column": "Thêm cột",
    "Delete column": "Xóa cột",
    "Add row": "Thêm hàng",
    "Delete row": "Xóa hàng",
    "Merge cells": "Gộp ô",
    "Split cell": "Tách ô",
    "Toggle header cell": "Bật/tắt ô tiêu đề",
    "Delete table": "Xóa bảng",
    // The block-style menu (pull quotes, articles/html.py).
    "Block style": "Kiểu khối",
    "Reset all classes": "Bỏ mọi kiểu",
    "Trích dẫn: default": "Trích dẫn: thường",
  };
  const heading = /^heading (\d)$/i;

  const say = (text) => {
    if (text in EDITOR) return EDITOR[text];
    const level = heading.exec(text);
    return level ? `Tiêu đề ${level[1]}` : null;
  };

  const translate = (root) => {
    for (const icon of root.querySelectorAll("img[src*='/admin/img/icon-'][alt]")) {
      const alt = ICONS[icon.getAttribute("alt")];
      if (alt) icon.setAttribute("alt", alt);
    }
    const menus = root.matches?.("[class*='prose-menubar']")
      ? [root]
      : root.querySelectorAll("[class*='prose-menubar']");
    for (const menu of menus) {
      for (const element of [menu, ...menu.querySelectorAll("*")]) {
        for (const name of ["title", "aria-label"]) {
          const text = element.getAttribute(name);
          if (text && say(text)) element.setAttribute(name, say(text));
        }
        // The block picker's options ("Heading 2", "paragraph") are plain
        // text; an icon's text is its name in the icon font, not words.
        if (
          element.children.length === 0 &&
          !element.classList.contains("material-icons") &&
          say(element.textContent)
        ) {
          element.textContent = say(element.textContent);
        }
      }
    }
  };

  const start = () => {
    translate(document);
    // The editor builds and rebuilds its menu after the page has loaded.
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE) translate(node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
