/**
 * Kept uploads: a form rendered again with a direct upload it received (it failed validation
 * on another field) hides the file input behind a block that shows the file, with "Replace"
 * and "Remove" buttons and hidden inputs that post its key again, so the browser sends no
 * byte to S3 (S3FileInputMixin.kept() renders it). The input's `data-s3f-kept` and the block's
 * `data-s3f-kept-for` hold the same key. No side effects: s3file.js calls these.
 */
import { emit } from "./events.js";

/** The first element of `selector` whose data attribute `name` (camelCased) is `value`. */
function byData(selector, name, value) {
  return [...document.querySelectorAll(selector)].find((el) => el.dataset[name] === value) ?? null;
}

/** The kept block of a direct-upload input, or null. */
export function keptBlock(input) {
  const key = input.dataset.s3fKept;
  return key ? byData("[data-s3f-kept-for]", "s3fKeptFor", key) : null;
}

/** The file input a kept block belongs to, or null. */
export function keptInput(block) {
  return byData("input[data-s3f-kept]", "s3fKept", block.dataset.s3fKeptFor);
}

/** The files a block keeps, as {key, name, size}. */
export function keptFiles(block) {
  return JSON.parse(block.dataset.s3fKeptFiles || "[]");
}

/** Whether `input`'s kept files are posted on the next submit (not removed or replaced). */
export function isKept(input) {
  const block = keptBlock(input);
  return Boolean(block && !block.hidden);
}

/**
 * Stop posting `input`'s kept files and show the input again, required again if it was;
 * `replaced`: a new choice takes their place. Dispatches `s3file:kept-removed` on the input.
 */
export function removeKept(input, replaced = false) {
  const block = keptBlock(input);
  if (!block || block.hidden) return;
  input.name = fieldName(block);
  block.hidden = true;
  for (const element of block.querySelectorAll("[data-s3f-kept-post]")) element.disabled = true;
  input.hidden = false;
  if ("s3fRequired" in input.dataset) input.required = true;
  emit(input, "kept-removed", { files: keptFiles(block), replaced });
}

/**
 * The field's name, as the block's key inputs carry it: the file input itself has none while
 * its files are kept (with nothing chosen it would post an empty value). The admin renumbers
 * the names in an inline's rows when a row above is removed, so this is read when needed.
 */
function fieldName(block) {
  return block.querySelector("[data-s3f-kept-post=key]").name;
}

/** Make the kept block's marker name the field as it is named now (see fieldName()). */
export function nameKept(input) {
  const block = keptBlock(input);
  const marker = block?.querySelector("[data-s3f-kept-post=marker]");
  if (marker) marker.value = fieldName(block);
}
