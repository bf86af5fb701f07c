/**
 * What the s3file_admin scripts share: their translated strings (the `data-s3f-admin`
 * attribute the widget renders), where things go around an input, number and size formats.
 * Placeholders, progress figures and aria-describedby are the core's (s3file/js/events.js).
 */
import { fill } from "../../s3file/js/events.js";

export { fill };

/** A direct-upload input rendered by S3AdminFileWidget. */
export const ADMIN_INPUT = "input[type=file][data-s3f-url][data-s3f-admin]";

/** The strings of `element` (an admin input, or a form holding one). */
export function texts(element) {
  const source = element.matches?.("[data-s3f-admin]")
    ? element
    : element.querySelector?.("[data-s3f-admin]");
  return JSON.parse(source?.dataset.s3fAdmin || "{}");
}

function language() {
  return document.documentElement.lang || undefined;
}

export function percent(fraction) {
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 0 })
    .format(Math.min(Math.max(fraction, 0), 1));
}

/** A size as Django's `filesizeformat` writes it: its translated units, no line break. */
export function size(bytes, strings) {
  return sizeText(bytes, strings).replaceAll(" ", "\u00a0");
}

function sizeText(bytes, strings) {
  if (bytes < 1024) {
    // The browser knows the plural rules of the page's language ("1 byte", "5 bajtów").
    return new Intl.NumberFormat(language(), { style: "unit", unit: "byte", unitDisplay: "long" })
      .format(bytes);
  }
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(language(), {
    minimumFractionDigits: 1, maximumFractionDigits: 1,
  }).format(value);
  return (strings[units[unit]] || `%s ${units[unit]}`).replace("%s", number);
}

/**
 * Put `element` where the admin shows things about `input`'s field: `before` it (its errors,
 * as the admin renders a field's own), or after it, below the label and input of an aligned
 * fieldset (where the admin puts help texts); inside the cell of a tabular inline.
 */
export function place(input, element, before = false) {
  const widget = input.closest(".s3file-widget"); // a theme's widget (s3file_admin.unfold)
  const cell = input.closest("td");
  const box = input.closest(".flex-container");
  if (widget) widget.after(element);
  else if (cell) cell[before ? "prepend" : "append"](element);
  else if (box) box[before ? "before" : "after"](element);
  else (input.closest("p.file-upload") ?? input).after(element);
}

const panels = new WeakMap(); // input -> its panel

/** The element under `input` that holds its preview and progress. */
export function panel(input) {
  let element = panels.get(input);
  if (element?.isConnected) return element;
  element = Object.assign(document.createElement("div"), { className: "s3file-admin" });
  place(input, element);
  panels.set(input, element);
  return element;
}

/**
 * Whether the page's focus is gone, or about to go with `form`'s upload status: on nothing,
 * on a disabled control, or in the status box, whose buttons hide as its state changes.
 */
export function lost(form) {
  const active = document.activeElement;
  if (!active || active === document.body || active.disabled) return true;
  const box = active.closest(".s3file-status");
  return Boolean(box && form?.contains(box));
}
