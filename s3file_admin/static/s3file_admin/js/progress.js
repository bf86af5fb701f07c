/**
 * Upload progress in the admin: a bar per file (name, percentage, bytes), an overall bar
 * and an "Uploading n of m" status above the submit row, whose buttons are disabled while
 * files upload, a note on a file whose part is being sent again, and a button to cancel.
 * Built from the core's s3file:* events.
 */
import { Announcer } from "../../s3file/js/announce.js";
import { fraction } from "../../s3file/js/events.js";
import { ADMIN_INPUT, fill, lost, panel, percent, size, texts } from "./shared.js";

const statuses = new WeakMap(); // form -> its status element
const announcers = new WeakMap(); // status element -> its Announcer
const uploads = new WeakMap(); // form -> {count, finished, rows: Map(File -> row)}

function element(tag, className, properties = {}) {
  return Object.assign(document.createElement(tag), { className }, properties);
}

/**
 * The form's status above its (last) submit row, in the page from the start, empty and
 * taking no room until an upload gives it a state: a live region already in the page is
 * announced more reliably than a new one.
 */
function status(form) {
  let box = statuses.get(form);
  if (box?.isConnected) return box;
  const strings = texts(form);
  box = element("div", "s3file-status");
  // Focusable by script only: where the focus goes when the control it was on disappears.
  const live = element("p", "s3file-status-text", { tabIndex: -1 });
  live.setAttribute("role", "status");
  const bar = element("progress", "s3file-overall", { max: 1, value: 0 });
  bar.setAttribute("aria-label", strings.progress || "");
  const figures = element("span", "s3file-figures");
  const cancel = element("button", "button s3file-cancel", {
    type: "button", textContent: strings.cancel || "Cancel",
  });
  cancel.addEventListener("click", () => {
    form.dispatchEvent(new CustomEvent("s3file:cancel", { bubbles: true }));
  });
  box.append(live, bar, figures, cancel);
  const rows = form.querySelectorAll(".submit-row");
  if (rows.length) rows[rows.length - 1].before(box);
  else form.append(box);
  statuses.set(form, box);
  announcers.set(box, new Announcer(live));
  return box;
}

/** Say `text` in the form's status now (a start, an end), or as progress (throttled). */
function announce(form, text, asProgress = false) {
  const announcer = announcers.get(status(form));
  if (asProgress) announcer.progress(text);
  else announcer.say(text);
}

function show(form, state) {
  status(form).dataset.state = state;
}

/** Move the focus to `target` if it is gone, or about to go with the status box's buttons. */
function refocus(form, target) {
  if (target && lost(form)) target.focus();
}

function figures(strings, loaded, total) {
  return `${percent(fraction(loaded, total))} · ${fill(strings.ofTotal, {
    loaded: size(loaded, strings), total: size(total, strings),
  })}`;
}

/** Disable the form's submit buttons, remembering which were enabled. */
function lock(form) {
  // form.elements: <button> without a type too, and buttons outside with form="...".
  for (const button of form.elements) {
    if ((button.type === "submit" || button.type === "image") && !button.disabled) {
      button.disabled = true;
      button.dataset.s3fLocked = "";
    }
  }
  for (const row of form.querySelectorAll(".submit-row")) row.classList.add("s3file-busy");
}

function release(buttons, rows) {
  for (const button of buttons) {
    if (!("s3fLocked" in button.dataset)) continue;
    button.disabled = false;
    delete button.dataset.s3fLocked;
  }
  for (const row of rows) row.classList.remove("s3file-busy");
}

function unlock(form) {
  release(form.elements, form.querySelectorAll(".submit-row"));
}

function fileRow(file, strings) {
  const row = element("li", "s3file-file");
  row.dataset.state = "waiting";
  const bar = element("progress", "", { max: file.size || 1, value: 0 });
  bar.setAttribute("aria-label", file.name);
  row.append(
    element("span", "s3file-name", { textContent: file.name, title: file.name }),
    bar,
    element("span", "s3file-figures", { textContent: strings.waiting || "" }),
  );
  return row;
}

function onStart(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.querySelector(ADMIN_INPUT)) return;
  const { files, total } = event.detail;
  const strings = texts(form);
  const rows = new Map();
  for (const input of form.querySelectorAll(ADMIN_INPUT)) {
    const chosen = [...input.files].filter((file) => files.includes(file));
    const home = panel(input);
    home.querySelector(".s3file-files")?.remove(); // rows of an earlier attempt
    if (!chosen.length) continue;
    const list = element("ul", "s3file-files");
    for (const file of chosen) {
      const row = fileRow(file, strings);
      rows.set(file, row);
      list.append(row);
    }
    home.append(list);
  }
  uploads.set(form, { count: files.length, finished: 0, rows });
  const box = status(form);
  Object.assign(box.querySelector("progress"), { max: total || 1, value: 0 });
  box.querySelector(".s3file-figures").textContent = figures(strings, 0, total);
  lock(form);
  if (files.length) {
    show(form, "uploading");
    announce(form, fill(strings.uploading, { current: 1, count: files.length }));
    // The button pressed is disabled now: a keyboard user goes on from "Cancel upload".
    refocus(form, box.querySelector(".s3file-cancel"));
  } else { // every file is in S3 from an earlier attempt: the form is submitted at once
    show(form, "saving");
    announce(form, strings.saving);
    refocus(form, box.querySelector(".s3file-status-text"));
  }
}

function upload(input) {
  const form = input.form;
  return form && uploads.get(form) ? [form, uploads.get(form)] : [form, null];
}

function onFileStart(event) {
  const [, current] = upload(event.target);
  const row = current?.rows.get(event.detail.file);
  if (row) row.dataset.state = "uploading";
}

function onProgress(event) {
  const [form, current] = upload(event.target);
  if (!current) return;
  const strings = texts(form);
  const { file, fileLoaded, fileTotal, loaded, total } = event.detail;
  const row = current.rows.get(file);
  if (row) {
    row.dataset.state = "uploading"; // a part sent again is on its way
    row.querySelector("progress").value = fileLoaded;
    row.querySelector(".s3file-figures").textContent = figures(strings, fileLoaded, fileTotal);
  }
  const box = status(form);
  box.querySelector("progress").value = loaded;
  box.querySelector(".s3file-figures").textContent = figures(strings, loaded, total);
  const number = Math.min(current.finished + 1, current.count);
  const words = fill(strings.uploadingPercent, {
    current: number, count: current.count, percent: percent(fraction(loaded, total)),
  });
  announce(form, words, true);
}

/** A part of a large file failed and is sent again after a pause: say so on its row. */
function onRetry(event) {
  const [form, current] = upload(event.target);
  const row = current?.rows.get(event.detail.file);
  if (!row) return;
  row.dataset.state = "retrying";
  row.querySelector(".s3file-figures").textContent = fill(texts(form).retrying, {
    attempt: event.detail.attempt,
  });
}

function onFileDone(event) {
  const [form, current] = upload(event.target);
  if (!current) return;
  const row = current.rows.get(event.detail.file);
  if (row) row.dataset.state = "done";
  current.finished += 1;
  if (current.finished < current.count) {
    const strings = texts(form);
    announce(form, fill(strings.uploading, { current: current.finished + 1, count: current.count }));
  }
}

function stop(form, text) {
  uploads.delete(form);
  unlock(form);
  show(form, "stopped");
  announce(form, text);
  // After the errors' own listeners, which take the focus to the first error.
  queueMicrotask(() => refocus(form, status(form).querySelector(".s3file-status-text")));
}

function onError(event) {
  const [form, current] = upload(event.target);
  if (!current) return; // a file refused when chosen: no upload was running
  const row = current.rows.get(event.detail.file);
  if (row) row.dataset.state = "failed";
  stop(form, texts(form).failed);
}

function onCancelled(event) {
  const form = event.target;
  if (!uploads.get(form)) return;
  for (const list of form.querySelectorAll(".s3file-admin .s3file-files")) list.remove();
  // From "Cancel upload", which hides, to the first field whose files are still chosen.
  const chosen = [...form.querySelectorAll(ADMIN_INPUT)].find((input) => input.files.length);
  refocus(form, chosen ?? status(form).querySelector(".s3file-status-text"));
  stop(form, texts(form).cancelled);
}

function onDone(event) {
  const form = event.target;
  if (!uploads.get(form)) return;
  uploads.delete(form);
  refocus(form, status(form).querySelector(".s3file-status-text"));
  show(form, "saving");
  announce(form, texts(form).saving);
  // The buttons stay disabled: the core enables the one that submitted for its submit.
}

function onSelect(event) {
  // Inputs added after the page loaded (an inline's "Add another"); see status().
  if (event.target.matches?.(ADMIN_INPUT) && event.target.form) status(event.target.form);
}

document.addEventListener("s3file:start", onStart);
document.addEventListener("s3file:file-start", onFileStart);
document.addEventListener("s3file:progress", onProgress);
document.addEventListener("s3file:retry", onRetry);
document.addEventListener("s3file:file-done", onFileDone);
document.addEventListener("s3file:error", onError);
document.addEventListener("s3file:cancelled", onCancelled);
document.addEventListener("s3file:done", onDone);
document.addEventListener("s3file:select", onSelect);
// Back to a page kept in the back/forward cache: it is no longer saving.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  release(document.querySelectorAll("[data-s3f-locked]"), document.querySelectorAll(".submit-row"));
  for (const box of document.querySelectorAll(".s3file-status")) {
    delete box.dataset.state;
    announcers.get(box)?.clear();
  }
});
// The live regions are in the page before anything is chosen (module scripts run once the
// document is parsed).
for (const input of document.querySelectorAll(ADMIN_INPUT)) {
  if (input.form) status(input.form);
}
