/**
 * The policy pack starts the way the Pulumi CLI starts it: from its own published tarball with its own
 * dependencies, not from this repository's node_modules.
 *
 * What the real tools do (checked in pulumi/pulumi):
 * - `pulumi policy publish` ships the pack as an npm tarball; the enforcing side
 *   (`installRequiredPolicy`, pkg/backend/httpstate/policypack.go) unpacks it (npm's `package/` folder)
 *   and runs `npm install` there.
 * - `pulumi preview --policy-pack <dir>` starts the `pulumi-analyzer-policy` plugin with the pack
 *   directory as its working directory and the arguments `<engine address> .`
 *   (sdk/go/common/resource/plugin/analyzer_plugin.go: "pwd := policyPackPath",
 *   "args := []string{host.ServerAddr(), \".\"}"); that script resolves
 *   `@pulumi/pulumi/cmd/run-policy-pack` from there and runs it with node
 *   (sdk/nodejs/dist/pulumi-analyzer-policy).
 * - run-policy-pack registers ts-node with the `typescript` that `require("typescript")` finds from
 *   @pulumi/pulumi, else its vendored typescript@3.8.3 (node_modules/@pulumi/pulumi/tsutils.js,
 *   `typeScriptRequireStrings`), type-checking (`typeCheck: true`, cmd/run-policy-pack/run.js).
 * - The analyzer prints its gRPC port on stdout once `new PolicyPack(...)` is listening
 *   (node_modules/@pulumi/policy/server.js, `serve`).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { PACK_NAME, policyCatalogue } from "../../policy/rules";
import { ROOT } from "../helpers";

function run(cmd: string, args: string[], cwd: string): string {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 150_000 });
    if (r.status !== 0) {
        throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    return r.stdout;
}

/** Starts the analyzer and resolves with its first stdout line, or rejects with what it printed. */
function firstLine(child: ChildProcess, ms: number): Promise<string> {
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`no port within ${ms} ms\n${out}\n${err}`)), ms);
        child.stdout?.on("data", (d: Buffer) => {
            out += d.toString();
            const nl = out.indexOf("\n");
            if (nl >= 0) {
                clearTimeout(timer);
                resolve(out.slice(0, nl).trim());
            }
        });
        child.stderr?.on("data", (d: Buffer) => {
            err += d.toString();
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the analyzer exited (${code}) before printing a port\n${out}\n${err}`));
        });
    });
}

/**
 * Loads the pack's `index.ts` in the unpacked pack with its own ts-node, tsconfig and node_modules, with
 * `PolicyPack` replaced by a recorder (the real one starts a gRPC server), and prints what
 * `new PolicyPack(...)` received and every loaded file outside the pack.
 */
const LOAD_PROBE = `
const path = require("path");
const dir = process.cwd();
require(require.resolve("ts-node", { paths: [dir] })).register({ project: path.join(dir, "tsconfig.json") });
const policyPath = require.resolve("@pulumi/policy", { paths: [dir] });
const real = require(policyPath);
let constructed;
require.cache[policyPath].exports = {
    ...real,
    PolicyPack: class {
        constructor(name, args) {
            constructed = { name, policies: args.policies.map((p) => p.name) };
        }
    },
};
require(path.join(dir, "index.ts"));
const outside = Object.keys(require.cache).filter((f) => !f.startsWith(dir + path.sep));
process.stdout.write(JSON.stringify({ ...constructed, outside }));
`;

describe("policy pack as the CLI starts it", function () {
    // npm pack + npm install (from the npm cache `npm ci` filled) + a type-checked ts-node start.
    this.timeout(240_000);
    let tmp: string;
    let packDir: string;
    let child: ChildProcess | undefined;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-pack-"));
        const tarball = run("npm", ["pack", "--silent", "--pack-destination", tmp], path.join(ROOT, "policy"))
            .trim()
            .split("\n")
            .pop()!;
        run("tar", ["-xzf", path.join(tmp, tarball), "-C", tmp], tmp);
        packDir = path.join(tmp, "package");
        run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], packDir);
    });

    after(() => {
        if (child && child.exitCode === null) {
            child.kill("SIGKILL");
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("installs from its own tarball and starts the analyzer, which prints its port", async () => {
        expect(fs.existsSync(path.join(packDir, "PulumiPolicy.yaml")), "PulumiPolicy.yaml is in the tarball").to.equal(
            true,
        );
        // What pulumi-analyzer-policy does: resolve the entry point from the pack directory, run it there.
        const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        expect(entry.startsWith(packDir), `run-policy-pack comes from the pack's own node_modules (${entry})`).to.equal(
            true,
        );
        child = spawn(process.execPath, [entry, "127.0.0.1:0", "."], {
            cwd: packDir,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const port = await firstLine(child, 180_000);
        expect(port, "the analyzer's first line is its port").to.match(/^\d+$/);
    });

    it("constructs the PolicyPack with every policy from the pack alone, and ships its stack configs", () => {
        const loaded = JSON.parse(run(process.execPath, ["-e", LOAD_PROBE], packDir)) as {
            name: string;
            policies: string[];
            outside: string[];
        };
        expect(loaded.name).to.equal(PACK_NAME);
        expect(loaded.policies).to.deep.equal(policyCatalogue().map((e) => e.name));
        expect(loaded.outside, "files loaded from outside the unpacked pack").to.deep.equal([]);
        // `--policy-pack-config <pack>/<stack>.json` works from an install as from a checkout.
        for (const config of ["dev.json", "prod.json"]) {
            expect(fs.existsSync(path.join(packDir, config)), `${config} is in the tarball`).to.equal(true);
        }
    });
});
