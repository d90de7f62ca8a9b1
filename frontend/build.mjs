// Bundle the pages' scripts into api/static/bundles/ (committed and shipped in the Python
// package). Run `npm ci && npm run build` here; CI rebuilds and checks that the committed
// bundles match what package-lock.json gives.
import { build } from "esbuild";

const entries = { map: "src/map.js", query: "src/query.js" };
const out = new URL("../api/static/bundles/", import.meta.url).pathname;

for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outfile: `${out}${name}.js`,
    legalComments: "linked", // licences of the bundled packages in <name>.js.LEGAL.txt
    loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl" },
    logLevel: "warning",
  });
}
