// Copies the front-end files the server needs from node_modules into server/static/vendor (run by `make install`).
import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "server", "static", "vendor");
const FILES = {
  yasgui: ["@zazuko/yasgui/build/yasgui.min.js", "@zazuko/yasgui/build/yasgui.min.css", "@zazuko/yasgui/LICENSE"],
  vega: ["vega/build/vega.min.js", "vega/LICENSE"],
  "vega-lite": ["vega-lite/build/vega-lite.min.js", "vega-lite/LICENSE"],
  "vega-embed": ["vega-embed/build/vega-embed.min.js", "vega-embed/LICENSE"],
};
rmSync(target, { recursive: true, force: true });
const versions = {};
for (const [name, files] of Object.entries(FILES)) {
  mkdirSync(join(target, name), { recursive: true });
  for (const file of files) {
    try {
      cpSync(join(here, "node_modules", file), join(target, name, file.split("/").pop()));
    } catch (err) {
      if (!file.endsWith("LICENSE")) throw err;
    }
  }
  const pkg = file => JSON.parse(readFileSync(join(here, "node_modules", file), "utf8"));
  versions[name] = pkg((name === "yasgui" ? "@zazuko/yasgui" : name) + "/package.json").version;
}
writeFileSync(join(target, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`vendored into ${target}:`, versions);
