/**
 * The demo page's live log of django-s3file's events, and its progress bar.
 *
 * A page only listens: the events bubble from the inputs to their form (see docs/events.md).
 * Markup:
 *
 *   <form id="f"> ... <button type="button" data-upload-cancel disabled>Cancel</button></form>
 *   <section data-upload-log="f"><progress max="1" value="0"></progress><output></output><ol></ol></section>
 *
 * The form is submitted (and the page replaced) right after `s3file:done`, so the entries are
 * kept in sessionStorage and shown again on the next page.
 */

const STORED = "s3file-demo-log";

function formatBytes(bytes) {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

function percent(fraction) {
  return `${Math.floor(fraction * 100)} %`;
}

/** One line of the log for an event, or null for the events that only update a line. */
function describe(type, detail, target) {
  const name = detail.file?.name;
  switch (type) {
    case "start":
      return `${detail.files.length} file(s), ${formatBytes(detail.total)}, to ${uploadUrl(target)}`;
    case "file-start":
      return `${name} (file ${detail.index + 1} of “${target.name}”)`;
    case "progress":
      return `${name}: ${percent(detail.fileLoaded / (detail.fileTotal || 1))} of ${formatBytes(detail.fileTotal)}`;
    case "file-done":
      return `${name} is in storage as ${detail.key}`;
    case "error":
      return `${detail.code}${detail.status ? ` (HTTP ${detail.status})` : ""}: ${detail.reason}`;
    case "done":
      return `${detail.keys.length} key(s); submitting the form with the keys instead of the files`;
    case "cancelled":
      return "uploads stopped";
    case "kept":
      return `${detail.files.map((file) => file.name).join(", ")}: kept from the last submit, ` +
        "posted again without uploading";
    case "kept-removed":
      return `${detail.files.map((file) => file.name).join(", ")}: ${detail.replaced ? "replaced" : "removed"}`;
    default:
      return JSON.stringify(detail);
  }
}

function uploadUrl(form) {
  const input = form.querySelector("input[type=file][data-s3f-url]");
  return input ? new URL(input.dataset.s3fUrl, location.href).href : "?";
}

function watch(form, panel) {
  const bar = panel.querySelector("progress");
  const output = panel.querySelector("output");
  const list = panel.querySelector("ol");
  const cancel = form.querySelector("[data-upload-cancel]");
  const progressLines = new Map(); // File -> its <li>, updated in place
  let entries = [];
  let startedAt = performance.now();

  const show = ({ type, text, time }) => {
    const item = document.createElement("li");
    item.dataset.event = type;
    item.append(
      Object.assign(document.createElement("time"), { textContent: `+${time.toFixed(3)} s` }),
      Object.assign(document.createElement("code"), { textContent: `s3file:${type}` }),
      Object.assign(document.createElement("span"), { textContent: text }),
    );
    list.append(item);
    return item;
  };

  const setProgress = (fraction) => {
    bar.value = fraction;
    output.value = percent(fraction);
  };

  const log = (type, detail, target) => {
    const entry = { type, text: describe(type, detail, target), time: (performance.now() - startedAt) / 1000 };
    const line = type === "progress" && progressLines.get(detail.file);
    if (line) {
      line.querySelector("span").textContent = entry.text;
      entries[Number(line.dataset.entry)] = entry;
      return;
    }
    const item = show(entry);
    item.dataset.entry = String(entries.length);
    entries.push(entry);
    if (type === "progress") progressLines.set(detail.file, item);
  };

  const handlers = {
    start() {
      list.replaceChildren();
      progressLines.clear();
      entries = [];
      startedAt = performance.now();
      setProgress(0);
      if (cancel) cancel.disabled = false;
    },
    progress(event) {
      setProgress(event.detail.fraction);
    },
    error() {
      if (cancel) cancel.disabled = true;
    },
    cancelled() {
      if (cancel) cancel.disabled = true;
    },
    done() {
      if (cancel) cancel.disabled = true;
    },
  };

  const types = [
    "start", "file-start", "progress", "file-done", "error", "done", "cancelled", "kept",
    "kept-removed",
  ];
  for (const type of types) {
    form.addEventListener(`s3file:${type}`, (event) => {
      handlers[type]?.(event);
      // The start event has no target input; log it against the form itself.
      log(type, event.detail || {}, type === "start" ? form : event.target);
      // The script submits the form right after this event: keep the log for the next page.
      if (type === "done" || type === "kept") {
        sessionStorage.setItem(STORED, JSON.stringify(entries));
      }
    });
  }

  cancel?.addEventListener("click", () => {
    // The documented way to stop a form's uploads: any element inside the form will do.
    cancel.dispatchEvent(new CustomEvent("s3file:cancel", { bubbles: true }));
  });

  const previous = JSON.parse(sessionStorage.getItem(STORED) || "[]");
  sessionStorage.removeItem(STORED);
  if (previous.length) {
    list.before(Object.assign(document.createElement("p"), { textContent: "The last upload's events:" }));
    previous.forEach(show);
    setProgress(1);
  }
}

for (const panel of document.querySelectorAll("[data-upload-log]")) {
  const form = document.getElementById(panel.dataset.uploadLog);
  if (form) watch(form, panel);
}
