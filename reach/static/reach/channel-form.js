// A channel's form shows what its kind uses: a web push channel has no Telegram chat, no
// silent messages and no section or topic filter (readers choose their sections), so those
// rows are hidden while «النوع» says web push (the server leaves them out once it is saved).
"use strict";

function showWhatTheKindUses() {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const rows = document.querySelectorAll(
    ".field-chat, .field-silent_unless_breaking, .field-sections, .field-topics"
  );
  const show = () => {
    rows.forEach((row) => {
      row.style.display = kind.value === "web_push" ? "none" : "";
    });
  };
  kind.addEventListener("change", show);
  show();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", showWhatTheKindUses);
} else {
  showWhatTheKindUses();
}
