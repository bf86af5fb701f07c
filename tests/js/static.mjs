// Resolve the scripts' imports as the browser does, under STATIC_URL: each app's static/<app>/
// folder is one tree there (as Django's AppDirectoriesFinder collects them), so the admin's
// "../../s3file/js/events.js" is the core's file in the s3file package.
import { register } from "node:module";

register("./static-hooks.mjs", import.meta.url);
