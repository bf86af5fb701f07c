/**
 * Upload errors in the admin: each one next to its field, where and how the admin shows a
 * field's errors (a `ul.errorlist`, the row marked `.errors`), with a way out: "Retry" after
 * a network or server failure, "Reload the page" once the form's upload policy expired.
 */
import { ADMIN_INPUT, texts } from "./shared.js";

const lists = new WeakMap(); // input -> its error list
const submitters = new WeakMap(); // form -> the submit button last clicked, for "Retry"

/** The element the admin marks `.errors` for this input's field, or null. */
function errorsHolder(input) {
  const widget = input.closest(".s3file-widget"); // a `.group`: its theme's error style
  if (widget) return widget;
  if (input.closest("td")) return null; // tabular inlines: the list before the input is all
  const box = input.closest(".flex-container");
  if (box?.classList.contains("fieldBox")) return box; // one of several fields on a line
  return box?.closest(".form-row") ?? null;
}

/** Put `list` where the admin renders the field's own errors. */
function place(input, list) {
  const widget = input.closest(".s3file-widget");
  const cell = input.closest("td");
  const box = input.closest(".flex-container");
  if (widget) widget.after(list);
  else if (cell) cell.prepend(list);
  else if (box) box.before(list);
  else (input.closest("p.file-upload") ?? input).after(list);
}

function clear(input) {
  const list = lists.get(input);
  if (!list) return;
  lists.delete(input);
  list.remove();
  if (list.dataset.marked) errorsHolder(input)?.classList.remove("errors");
  input.removeAttribute("aria-invalid");
  const described = (input.getAttribute("aria-describedby") || "")
    .split(" ").filter((id) => id && id !== list.id);
  if (described.length) input.setAttribute("aria-describedby", described.join(" "));
  else input.removeAttribute("aria-describedby");
}

function button(text, onClick) {
  const element = Object.assign(document.createElement("button"), {
    type: "button", className: "button s3file-error-action", textContent: text,
  });
  element.addEventListener("click", onClick);
  return element;
}

/** "Retry" or "Reload the page" for the errors they help with, else null. */
function remedy(input, { code, status }, strings) {
  if (code === "expired") {
    return button(strings.reload || "Reload", () => window.location.reload());
  }
  if (code === "network" || (code === "refused" && (status === 0 || status >= 500))) {
    return button(strings.retry || "Retry", () => {
      const form = input.form;
      const last = submitters.get(form);
      clear(input);
      // The core sends only the files not yet in S3, then submits as `last` would have.
      form.requestSubmit(last?.isConnected && last.form === form ? last : null);
    });
  }
  return null;
}

function onError(event) {
  const input = event.target;
  if (!input.matches?.(ADMIN_INPUT)) return;
  event.preventDefault(); // the core's own list would sit right after the input
  clear(input);
  const list = document.createElement("ul");
  list.className = "errorlist s3file-errors";
  list.id = `${input.id || input.name}_s3file_error`;
  list.setAttribute("role", "alert");
  const item = document.createElement("li");
  item.append(event.detail.reason);
  const action = remedy(input, event.detail, texts(input));
  if (action) item.append(" ", action);
  list.append(item);
  place(input, list);
  const holder = errorsHolder(input);
  if (holder && !holder.classList.contains("errors")) {
    holder.classList.add("errors");
    list.dataset.marked = "true";
  }
  input.setAttribute("aria-invalid", "true");
  const described = input.getAttribute("aria-describedby");
  input.setAttribute("aria-describedby", described ? `${described} ${list.id}` : list.id);
  lists.set(input, list);
}

function onChange(event) {
  const input = event.target;
  // The core checked the new file first (its listener captures on the window): an error it
  // found has just replaced the list, so only a file it accepted clears it.
  if (input.matches?.(ADMIN_INPUT) && !input.validity.customError) clear(input);
}

function onStart(event) {
  if (!(event.target instanceof HTMLFormElement)) return;
  for (const input of event.target.querySelectorAll(ADMIN_INPUT)) clear(input);
}

function onClick(event) {
  const submitter = event.target.closest?.("button, input[type=submit], input[type=image]");
  if (submitter?.type === "submit" || submitter?.type === "image") {
    if (submitter.form) submitters.set(submitter.form, submitter);
  }
}

document.addEventListener("s3file:error", onError);
document.addEventListener("s3file:start", onStart);
document.addEventListener("change", onChange);
// Capturing: a click the page stops still tells which button submits.
document.addEventListener("click", onClick, true);
