// npm run build (and `prepare`, so a git dependency builds on install): the library's JavaScript and
// .d.ts into dist/ with tsconfig.build.json, plus the files components read at run time (the mail
// templates, which Mail loads from beside its own module). dist/ is emptied first, so a deleted
// source file leaves nothing behind.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
});
if (tsc.status !== 0) {
    process.exit(tsc.status ?? 1);
}
fs.cpSync(path.join(root, "components", "mail-templates"), path.join(dist, "components", "mail-templates"), {
    recursive: true,
});
for (const config of ["dev.json", "prod.json"]) {
    fs.copyFileSync(path.join(root, "policy", config), path.join(dist, "policy", config));
}
