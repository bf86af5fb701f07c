/**
 * What the core, the admin and the Wagtail scripts share: the s3file:* events, progress
 * figures, message templates and the accessible description of an input. No side effects:
 * importing this module (under any URL) listens to nothing.
 */

/** Dispatch `s3file:<type>` (bubbling) on `target`; false if a listener prevented it. */
export function emit(target, type, detail, cancelable = false) {
  return target.dispatchEvent(
    new CustomEvent(`s3file:${type}`, { bubbles: true, cancelable, detail }),
  );
}

/** Replace `{name}` placeholders of `text` with `values` ("$&" in a value stays as it is). */
export function fill(text = "", values = {}) {
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));
}

/** `loaded` of `total` as a number from 0 to 1 (1 when there is nothing to send). */
export function fraction(loaded, total) {
  return total > 0 ? Math.min(Math.max(loaded / total, 0), 1) : 1;
}

/**
 * The bytes of a file sent so far, from an upload's progress: a POST's body holds the form
 * fields too, so its raw count can exceed the file (a 17-byte file in a 2 KB body).
 */
export function fileBytes(loaded, total, size) {
  return total > 0 ? Math.round(fraction(loaded, total) * size) : 0;
}

/**
 * The figures of an s3file:progress event for several uploads at once. `items` are objects
 * with a `file`; each one's bytes are capped at its size, so no figure passes 100 %.
 */
export class Progress {
  constructor(items) {
    this.items = items;
    this.sent = new Map();
  }

  /** Record `bytes` sent of `item`'s file; the detail of its s3file:progress event. */
  update(item, bytes) {
    const { file } = item;
    this.sent.set(item, Math.max(0, Math.min(bytes, file.size)));
    const { loaded, total } = this.sum();
    return { file, fileLoaded: this.sent.get(item), fileTotal: file.size, loaded, total,
      fraction: fraction(loaded, total) };
  }

  /** Bytes sent and to send of the items `keep` selects (all by default). */
  sum(keep = () => true) {
    const items = this.items.filter(keep);
    const add = (bytes) => items.reduce((sum, item) => sum + bytes(item), 0);
    const loaded = add((item) => this.sent.get(item) ?? 0);
    return { loaded, total: add((item) => item.file.size) };
  }
}

/** Add (`on`) or remove the id `id` from the input's `aria-describedby` list. */
export function describe(input, id, on = true) {
  const ids = new Set((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  ids[on ? "add" : "delete"](id);
  if (ids.size) input.setAttribute("aria-describedby", [...ids].join(" "));
  else input.removeAttribute("aria-describedby");
}

/**
 * django-s3file 7.x's `progress` event, on the form (the form's bytes) and on the input (the
 * input's), not bubbling, so that templates written for it keep their progress bars.
 */
export function legacyProgress(form, input, detail, mine) {
  const { file, fileLoaded, fileTotal } = detail;
  const originalEvent = new ProgressEvent("progress", {
    lengthComputable: true, loaded: fileLoaded, total: fileTotal,
  });
  for (const [target, { loaded, total }] of [[form, detail], [input, mine]]) {
    target.dispatchEvent(new CustomEvent("progress", { detail: {
      progress: fraction(loaded, total), loaded, total, currentFile: file,
      currentFileName: file.name, currentFileProgress: fraction(fileLoaded, fileTotal),
      originalEvent,
    } }));
  }
}
