/**
 * Direct uploads in Wagtail's admin forms (add and edit an image or a document, the choosers'
 * upload tabs), shown the Wagtail way: s3file.js uploads on submit; this module follows its
 * events with Wagtail's progress bar under the input, shows a refused file as Wagtail shows a
 * field's error, and gives the form's "Uploading…" button back when the upload stops.
 * Listeners sit on the window, so forms loaded later (chooser modals) work too.
 */
import { describe, fraction } from "../../s3file/js/events.js";

const INPUT = "input[type=file][data-s3f-url]";
const bars = new WeakMap(); // input -> its progress bar

function bar(input) {
  let element = bars.get(input);
  if (!element?.isConnected) {
    element = document.createElement("div");
    element.className = "progress active w-mt-2";
    element.setAttribute("role", "progressbar");
    element.setAttribute("aria-valuemin", "0");
    element.setAttribute("aria-valuemax", "100");
    element.setAttribute("aria-label", input.labels?.[0]?.textContent.trim() || input.name);
    element.append(Object.assign(document.createElement("div"), { className: "bar" }));
    input.after(element);
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
  bars.get(input)?.remove();
  stopProgressButtons(input.form);
  if (!found) return; // not a Wagtail field: the core shows it after the input
  event.preventDefault();
  clearError(input);
  found.field.classList.add("w-field--error");
  input.setAttribute("aria-invalid", "true");
  const message = Object.assign(document.createElement("p"), {
    className: "error-message",
    textContent: event.detail.reason,
    id: `${input.id || input.name}-s3file-error`,
  });
  message.dataset.s3fError = "";
  message.setAttribute("role", "alert");
  found.errors.append(message);
  describe(input, message.id);
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
  clearError(event.target);
  show(event.target, 0);
});
on("s3file:progress", (event) => {
  show(event.target, fraction(event.detail.fileLoaded, event.detail.fileTotal));
});
on("s3file:error", showError);
window.addEventListener("s3file:cancelled", (event) => stopProgressButtons(event.target));
// A new choice clears the last one's bar and error (before the core's error for it, if any).
on("s3file:select", (event) => {
  bars.get(event.target)?.remove();
  clearError(event.target);
});
