// Loads TypeScript for the offline plan, the tests and the benchmark: ts-node in transpile-only
// mode with the swc transpiler, which is ~20× faster than TypeScript's own transpiler here
// (transpiling the project took ~0.8 s of a 2 s plan). Type-checking is `npm run typecheck`'s job.
// `pulumi up` does not use this file: the Pulumi CLI registers ts-node itself (see Pulumi.yaml).
"use strict";
let swc = true;
try {
    require.resolve("@swc/core");
} catch {
    // No prebuilt swc binary for this platform: TypeScript's transpiler gives the same output, slower.
    swc = false;
}
require("ts-node").register({ transpileOnly: true, swc });
