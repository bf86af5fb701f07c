/**
 * Direct uploads in Wagtail's admin forms (add and edit an image or a document, the choosers'
 * upload tabs), shown the Wagtail way: s3file.js uploads on submit; this module follows its
 * events with Wagtail's progress bar under the input, shows a refused file as Wagtail shows a
 * field's error, and gives the form's "Uploading…" button back when the upload stops.
 * A "Cancel upload" button sits under the bar; a visually hidden live region of the form
 * says when the upload starts, how far it is (every few seconds), and how it ends; the focus
 * moves on when the control it was on goes (docs/accessibility.md).
 * Listeners sit on the window, so forms loaded later (chooser modals) work too.
 */
import { Announcer } from "../../s3file/js/announce.js";
import { describe, fill, fraction } from "../../s3file/js/events.js";

const INPUT = "input[type=file][data-s3f-url]";
const bars = new WeakMap(); // input -> its progress bar
const announcers = new WeakMap(); // form -> its Announcer

/** The translated strings (wagtail_s3file.widgets.announcements()). */
function texts(input) {
  return JSON.parse(input.dataset.s3fWagtail || "{}");
}

/** The form's live region, in the page before any upload: a new region's first words are
 * often not read. */
function announcer(form) {
  let found = announcers.get(form);
  if (found?.region.isConnected) return found;
  const region = Object.assign(document.createElement("p"), { className: "w-sr-only" });
  region.setAttribute("role", "status");
  region.dataset.s3fStatus = "";
  form.append(region);
  found = new Announcer(region);
  announcers.set(form, found);
  return found;
}

function say(input, key, values = {}, asProgress = false) {
  if (!input.form) return;
  const text = fill(texts(input)[key], { name: input.files[0]?.name ?? "", ...values });
  const speaker = announcer(input.form);
  if (asProgress) speaker.progress(text);
  else speaker.say(text);
}

/** Whether the focus is gone, or on something disabled or about to go (the bar's button). */
function lost() {
  const active = document.activeElement;
  return !active || active === document.body || active.disabled
    || active.matches("[data-s3f-cancel]");
}

function cancelButton(input) {
  const button = Object.assign(document.createElement("button"), {
    type: "button", className: "button button-secondary button-small w-mt-2",
    textContent: texts(input).cancel || "Cancel",
  });
  button.dataset.s3fCancel = "";
  button.addEventListener("click", () => {
    input.form?.dispatchEvent(new CustomEvent("s3file:cancel", { bubbles: true }));
  });
  return button;
}

/** Remove the input's bar and its "Cancel upload" button. */
function removeBar(input) {
  const element = bars.get(input);
  if (!element) return;
  if (element.nextElementSibling?.matches("[data-s3f-cancel]")) {
    element.nextElementSibling.remove();
  }
  element.remove();
  bars.delete(input);
}

function bar(input) {
  let element = bars.get(input);
  if (!element?.isConnected) {
    element = document.createElement("div");
    element.className = "progress active w-mt-2";
    element.setAttribute("role", "progressbar");
    element.setAttribute("aria-valuemin", "0");
    element.setAttribute("aria-valuemax", "100");
    element.setAttribute("aria-label", input.labels?.[0]?.textContent.trim() || input.name);
    element.dataset.s3fBar = "";
    element.append(Object.assign(document.createElement("div"), { className: "bar" }));
    input.after(element, cancelButton(input));
    bars.set(input, element);
  }
  return element;
}

function show(input, value) {
  const percent = Math.floor(value * 100);
  const element = bar(input);
  element.setAttribute("aria-valuenow", String(percent));
  const inner = element.firstElementChild;
  inner.style.width = `${percent}%`;
  inner.textContent = `${percent}%`;
}

/** Wagtail's field error markup (as its chooser's "This field is required."), or null. */
function fieldErrors(input) {
  const field = input.closest("[data-field]");
  const errors = field?.querySelector("[data-field-errors]");
  return field && errors ? { field, errors } : null;
}

function clearError(input) {
  const found = fieldErrors(input);
  if (!found) return;
  for (const element of found.errors.querySelectorAll("[data-s3f-error]")) {
    describe(input, element.id, false);
    element.remove();
  }
  if (!found.errors.querySelector(".error-message")) {
    found.field.classList.remove("w-field--error");
    input.removeAttribute("aria-invalid");
  }
}

function showError(event) {
  const input = event.target;
  const found = fieldErrors(input);
  const focus = lost();
  if (bars.has(input)) say(input, "failed"); // an upload that ran, not a file refused when chosen
  removeBar(input);
  stopProgressButtons(input.form);
  if (!found) { // not a Wagtail field: the core shows it after the input
    if (focus) input.focus();
    return;
  }
  event.preventDefault();
  clearError(input);
  found.field.classList.add("w-field--error");
  input.setAttribute("aria-invalid", "true");
  const message = Object.assign(document.createElement("p"), {
    className: "error-message",
    textContent: event.detail.reason,
    id: `${input.id || input.name}-s3file-error`,
    tabIndex: -1, // the focus comes here when the control it was on goes
  });
  message.dataset.s3fError = "";
  message.setAttribute("role", "alert");
  found.errors.append(message);
  describe(input, message.id);
  if (focus) message.focus();
}

/**
 * Give back the "Uploading…" buttons of a form whose upload stopped, through the public
 * `deactivate()` action of Wagtail's ProgressController (`w-progress`).
 */
function stopProgressButtons(form) {
  const app = window.wagtail?.app;
  // After the task in which the click's activate() schedules the "Uploading…" state.
  setTimeout(() => {
    for (const button of form?.querySelectorAll("[data-controller~='w-progress']") ?? []) {
      app?.getControllerForElementAndIdentifier(button, "w-progress")?.deactivate();
    }
  });
}

/** Only inputs s3file.js uploads from: the multiple upload pages show progress their own way. */
function on(type, listener) {
  window.addEventListener(type, (event) => {
    if (event.target.matches?.(INPUT)) listener(event);
  });
}

on("s3file:file-start", (event) => {
  const input = event.target;
  const focus = lost(); // on the submit button Wagtail disables while it waits
  clearError(input);
  show(input, 0);
  say(input, "uploading", { name: event.detail.file.name });
  if (focus) bars.get(input).nextElementSibling.focus();
});
on("s3file:progress", (event) => {
  const { file, fileLoaded, fileTotal } = event.detail;
  const value = fraction(fileLoaded, fileTotal);
  show(event.target, value);
  const percent = `${Math.floor(value * 100)}%`;
  say(event.target, "progress", { name: file.name, percent }, true);
});
on("s3file:file-done", (event) => {
  const input = event.target;
  if (lost()) input.focus(); // "Cancel upload" is of no use now
  say(input, "done", { name: event.detail.file.name });
});
on("s3file:error", showError);
window.addEventListener("s3file:cancelled", (event) => {
  const form = event.target;
  stopProgressButtons(form);
  const inputs = [...form.querySelectorAll(INPUT)].filter((input) => bars.has(input));
  if (!inputs.length) return;
  const focus = lost();
  for (const input of inputs) removeBar(input);
  say(inputs[0], "cancelled");
  if (focus) inputs[0].focus();
});
// A new choice clears the last one's bar and error (before the core's error for it, if any).
on("s3file:select", (event) => {
  removeBar(event.target);
  clearError(event.target);
  if (event.target.form) announcer(event.target.form); // an input added later (a modal)
});
// The live regions are in the page before anything is chosen (module scripts run once the
// document is parsed).
for (const input of document.querySelectorAll(INPUT)) {
  if (input.form && input.dataset.s3fWagtail) announcer(input.form);
}
