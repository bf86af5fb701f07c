import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith(".") && context.parentURL?.startsWith("file:")) {
    const path = fileURLToPath(new URL(specifier, context.parentURL));
    // <root>/<app>/static/<namespace>/...: a file of the app of that namespace.
    const match = path.startsWith(ROOT) && path.slice(ROOT.length).match(/^\w+\/static\/(\w+)\/(.*)$/);
    if (match && !existsSync(path)) {
      const [, app, rest] = match;
      return nextResolve(pathToFileURL(`${ROOT}${app}/static/${app}/${rest}`).href, context);
    }
  }
  return nextResolve(specifier, context);
}
