/**
 * Upload errors in the admin: each one next to its field, where and how the admin shows a
 * field's errors (a `ul.errorlist`, the row marked `.errors`), with a way out: "Retry" after
 * a network or server failure, "Reload the page" once the form's upload policy expired.
 */
import { describe } from "../../s3file/js/events.js";
import { ADMIN_INPUT, lost, place, texts } from "./shared.js";

const lists = new WeakMap(); // input -> its error list
const submitters = new WeakMap(); // form -> the button that submitted its last upload

/** The element the admin marks `.errors` for this input's field, or null. */
function errorsHolder(input) {
  const widget = input.closest(".s3file-widget"); // a `.group`: its theme's error style
  if (widget) return widget;
  if (input.closest("td")) return null; // tabular inlines: the list before the input is all
  const box = input.closest(".flex-container");
  if (box?.classList.contains("fieldBox")) return box; // one of several fields on a line
  return box?.closest(".form-row") ?? null;
}

function clear(input) {
  const list = lists.get(input);
  if (!list) return;
  lists.delete(input);
  list.remove();
  if (list.dataset.marked) errorsHolder(input)?.classList.remove("errors");
  input.removeAttribute("aria-invalid");
  describe(input, list.id, false);
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
      input.focus(); // the button goes with its error; the upload starts from the field
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
  // The alert is a wrapper: on the list itself, role="alert" would hide that it is a list.
  const list = Object.assign(document.createElement("div"), {
    className: "s3file-errors", id: `${input.id || input.name}_s3file_error`, tabIndex: -1,
  });
  list.setAttribute("role", "alert");
  const items = Object.assign(document.createElement("ul"), { className: "errorlist" });
  const item = document.createElement("li");
  item.append(event.detail.reason);
  const action = remedy(input, event.detail, texts(input));
  if (action) item.append(" ", action);
  items.append(item);
  list.append(items);
  // A keyboard user on "Cancel upload", now hidden, goes to what went wrong.
  const focus = lost(input.form);
  place(input, list, true);
  const holder = errorsHolder(input);
  if (holder && !holder.classList.contains("errors")) {
    holder.classList.add("errors");
    list.dataset.marked = "true";
  }
  input.setAttribute("aria-invalid", "true");
  describe(input, list.id);
  lists.set(input, list);
  if (focus) list.focus();
}

function onSelect(event) {
  // Dispatched before the core's s3file:error for the new files, if any.
  if (event.target.matches?.(ADMIN_INPUT)) clear(event.target);
}

function onStart(event) {
  if (!(event.target instanceof HTMLFormElement)) return;
  submitters.set(event.target, event.detail.submitter);
  for (const input of event.target.querySelectorAll(ADMIN_INPUT)) clear(input);
}

document.addEventListener("s3file:error", onError);
document.addEventListener("s3file:select", onSelect);
document.addEventListener("s3file:start", onStart);
