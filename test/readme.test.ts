import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { z } from "zod";
import { rawConfigSchema } from "../stacks";
import { policyTable } from "../tools/policy-docs";
import { ROOT } from "./helpers";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Leaf paths of a zod object schema (`network.subnets.public`), unwrapping optionals. */
function leafPaths(schema: z.ZodType, prefix = ""): string[] {
    let inner: z.ZodType = schema;
    while (inner instanceof z.ZodOptional) {
        inner = inner.unwrap() as z.ZodType;
    }
    if (inner instanceof z.ZodObject) {
        return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) =>
            leafPaths(value, prefix ? `${prefix}.${key}` : key),
        );
    }
    return [prefix];
}

describe("README", () => {
    it("carries the policy table exactly as the pack generates it", () => {
        const match = /<!-- policy-table:start -->\n([\s\S]*?)\n<!-- policy-table:end -->/.exec(readme);
        expect(match, "policy table markers").to.not.equal(null);
        expect(match![1].trim()).to.equal(policyTable().trim());
    });

    it("documents every stack config key in the config reference", () => {
        const reference = readme.slice(readme.indexOf("## Stack configuration"), readme.indexOf("## The offline plan"));
        for (const leaf of leafPaths(rawConfigSchema)) {
            const parts = leaf.split(".");
            // Rows may group siblings (`storage.{uploads,assets}.transitionToIaDays`), so each part must appear in one row.
            const row = reference
                .split("\n")
                .find((line) => line.startsWith("|") && parts.every((p) => line.includes(p)));
            expect(row, `config key ${leaf} in the README's config reference`).to.not.equal(undefined);
        }
    });

    it("shows the two commands for a fresh machine", () => {
        expect(readme).to.include("npm ci && npm run plan -- --stack dev");
        expect(readme).to.include("npm test");
    });
});
