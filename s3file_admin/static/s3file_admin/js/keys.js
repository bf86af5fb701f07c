/**
 * Rows added with the admin's "Add another" are clones of one rendered empty form, so their
 * inputs share one signed upload folder, and the core names each file
 * `<folder>/<index>/<name>`: two rows with a file of the same name would upload to the same
 * key. Give a clone's uploads a random subfolder of its own; the folder's policy and the
 * server's key check allow any key below the folder.
 */
const INPUT = "input[type=file][data-s3f-url]";

function subfolder() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function keyTemplate(input) {
  return JSON.parse(input.dataset.s3fFields || "{}").key;
}

function onChange(event) {
  const input = event.target;
  if (!input.matches?.(INPUT)) return;
  const template = keyTemplate(input);
  const twins = [...document.querySelectorAll(INPUT)].filter(
    (other) => other !== input && keyTemplate(other) === template,
  );
  if (!twins.length || !template?.endsWith("${filename}")) return;
  const fields = JSON.parse(input.dataset.s3fFields);
  fields.key = template.replace(/\$\{filename\}$/, `${subfolder()}/\${filename}`);
  input.dataset.s3fFields = JSON.stringify(fields);
}

// Capturing on the document: before the input's own handlers, and the core reads the key
// only when the form is submitted.
document.addEventListener("change", onChange, true);
