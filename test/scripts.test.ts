import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { ROOT } from "./helpers";

describe("npm scripts", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
    };
    const mocharc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as {
        require: string[];
        extension: string[];
        timeout: number;
    };

    it("test:file runs only the files it is given: mocha without .mocharc.json, whose spec mocha would add to them", () => {
        // mocha merges a spec given on the command line (or --spec) with the config file's spec,
        // so `npx mocha test/x.test.ts` runs every test; --no-config drops the file's settings.
        expect(pkg.scripts["test:file"]).to.match(/^mocha --no-config /);
    });

    it("test:file keeps .mocharc.json's require, extensions and timeout", () => {
        const script = pkg.scripts["test:file"];
        for (const required of mocharc.require) {
            expect(script, required).to.include(`--require ${required}`);
        }
        for (const extension of mocharc.extension) {
            expect(script, extension).to.include(`--extension ${extension}`);
        }
        expect(script).to.include(`--timeout ${mocharc.timeout}`);
    });
});
