/**
 * Direct uploads in Wagtail's admin forms (add and edit an image or a document, the choosers'
 * upload tabs), shown the Wagtail way: s3file.js uploads on submit; this module follows its
 * events with Wagtail's progress bar under the input, shows a refused file as Wagtail shows a
 * field's error, and gives the form's "Uploading…" button back when the upload stops.
 * Listeners sit on the window, so forms loaded later (chooser modals) work too.
 */

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

function show(input, fraction) {
  const percent = Math.floor(fraction * 100);
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
  found.errors.querySelectorAll("[data-s3f-error]").forEach((element) => element.remove());
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
  const described = new Set((input.getAttribute("aria-describedby") || "").split(" "));
  described.add(message.id);
  input.setAttribute("aria-describedby", [...described].filter(Boolean).join(" "));
}

/** Give back the "Uploading…" buttons (w-progress) of a form whose upload stopped. */
function stopProgressButtons(form) {
  const attribute = "data-w-progress-loading-value";
  // After the button's own timer: a refusal before uploading comes in the click's task.
  setTimeout(() => {
    form?.querySelectorAll(`[${attribute}~="true"]`).forEach((button) => {
      button.removeAttribute(attribute);
    });
  });
}

/** Only inputs s3file.js uploads from: the multiple upload pages show progress their own way. */
function on(type, listener, options) {
  window.addEventListener(
    type,
    (event) => {
      if (event.target.matches?.(INPUT)) listener(event);
    },
    options,
  );
}

on("s3file:file-start", (event) => {
  clearError(event.target);
  show(event.target, 0);
});
on("s3file:progress", (event) => {
  const { fileLoaded, fileTotal } = event.detail;
  show(event.target, fileTotal ? fileLoaded / fileTotal : 1);
});
on("s3file:error", showError);
window.addEventListener("s3file:cancelled", (event) => stopProgressButtons(event.target));
// A new choice clears the last one's bar and error. "input" comes before "change", on which
// the core checks the new files (and may report an error that must stay).
on(
  "input",
  (event) => {
    bars.get(event.target)?.remove();
    clearError(event.target);
  },
  true,
);
