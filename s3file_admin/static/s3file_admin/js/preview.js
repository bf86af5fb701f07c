/** A thumbnail of the image chosen for an image field (`accept="image/*"`), before upload. */
import { ADMIN_INPUT, fill, panel, texts } from "./shared.js";

const previews = new WeakMap(); // input -> its <img>

function onSelect(event) {
  const input = event.target;
  if (!input.matches?.(ADMIN_INPUT) || !input.accept.includes("image")) return;
  const old = previews.get(input);
  if (old) {
    URL.revokeObjectURL(old.src);
    old.remove();
    previews.delete(input);
  }
  const [file] = event.detail.files;
  // A file the core refused (too large, not an image) gets its error, not a preview.
  if (!file?.type.startsWith("image/") || !event.detail.valid) return;
  const image = Object.assign(new Image(), {
    className: "s3file-preview",
    alt: fill(texts(input).preview, { name: file.name }),
    src: URL.createObjectURL(file),
  });
  panel(input).prepend(image);
  previews.set(input, image);
}

document.addEventListener("s3file:select", onSelect);
