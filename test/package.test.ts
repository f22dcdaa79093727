import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import * as barrel from "../components";
import { programEntryPoint } from "../tools/entry-point";
import { ROOT } from "./helpers";

// The library other projects install: the barrel (components/index.ts), its build (dist/) and
// package.json's entry points. .ci/consumer goes further: it packs the library, installs the tarball
// into examples/consumer and type-checks and tests that project with Pulumi's template settings.

interface PackageJson {
    main: string;
    types: string;
    exports: Record<string, string | Record<string, string>>;
    typesVersions: Record<string, Record<string, string[]>>;
    files: string[];
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageJson;
const DIST = path.join(ROOT, "dist");

/** The newest modification time under `dir` (files only; node_modules skipped). */
function newestMtime(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules") {
            continue;
        }
        const full = path.join(dir, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
    }
    return newest;
}

/**
 * Builds dist/ when it is missing (npm ci's `prepare` normally has built it) or older than any of
 * its sources, so that a change to a component is never tested against a stale build.
 */
function ensureBuilt(): void {
    const stamp = path.join(DIST, "components", "index.js");
    const sources = Math.max(
        ...["components", "testing", "policy"].map((dir) => newestMtime(path.join(ROOT, dir))),
        ...["tsconfig.build.json", "package.json", path.join("tools", "build.js")].map(
            (file) => fs.statSync(path.join(ROOT, file)).mtimeMs,
        ),
    );
    if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < sources) {
        const built = spawnSync(process.execPath, [path.join(ROOT, "tools", "build.js")], { encoding: "utf8" });
        expect(built.status, built.stdout + built.stderr).to.equal(0);
    }
}

/**
 * Loads `target` in a fresh Node process under the SDK's mock runtime and reports how many
 * resources it registered and how many config values it read while loading.
 */
function importEffects(target: string): { resources: string[]; configReads: string[] } {
    const script = `
        const config = require("@pulumi/pulumi/runtime/config");
        const reads = [];
        for (const fn of ["getConfig", "allConfig"]) {
            const original = config[fn];
            config[fn] = (...args) => { reads.push(fn + "(" + args.join(",") + ")"); return original(...args); };
        }
        const { runProgram } = require(${JSON.stringify(path.join(ROOT, "testing", "program.ts"))});
        runProgram({ project: "consumer", stack: "test", config: {}, program: () => { require(${JSON.stringify(target)}); } })
            .then((result) => {
                const resources = result.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type + "::" + r.name);
                console.log(JSON.stringify({ resources, configReads: reads }));
            }, (err) => { console.error(err); process.exit(1); });
    `;
    const child = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools", "register.js"), "-e", script], {
        cwd: ROOT,
        encoding: "utf8",
    });
    expect(child.status, child.stderr).to.equal(0);
    return JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { resources: string[]; configReads: string[] };
}

/** The @pulumi/policy files a fresh Node process has loaded after requiring `entries`, in order. */
function policySdkLoadedBy(entries: string[]): string[] {
    const script = `
        for (const entry of ${JSON.stringify(entries)}) require(entry);
        console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.split(require("path").sep).join("/").includes("/@pulumi/policy/"))));
    `;
    const child = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(child.status, child.stderr).to.equal(0);
    return JSON.parse(child.stdout.trim().split("\n").pop() ?? "[]") as string[];
}

/** Component classes declared in components/*.ts (one level: internal/ holds no component). */
function componentClasses(): { file: string; name: string }[] {
    const dir = path.join(ROOT, "components");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .flatMap((file) =>
            [
                ...fs
                    .readFileSync(path.join(dir, file), "utf8")
                    .matchAll(/^export class (\w+) extends pulumi\.ComponentResource/gm),
            ].map((m) => ({ file, name: m[1] })),
        );
}

describe("the library package", function () {
    this.timeout(120_000);

    describe("components/index.ts (the barrel)", () => {
        it("exports every component class declared in components/", () => {
            const classes = componentClasses();
            expect(classes.length).to.be.greaterThan(15);
            const missing = classes.filter(
                ({ name }) => typeof (barrel as Record<string, unknown>)[name] !== "function",
            );
            expect(missing).to.deep.equal([]);
        });

        it("exports the Args and Nodes interfaces of every component file", () => {
            const text = fs.readFileSync(path.join(ROOT, "components", "index.ts"), "utf8");
            const dir = path.join(ROOT, "components");
            const names = fs
                .readdirSync(dir)
                .filter((f) => f.endsWith(".ts") && f !== "index.ts")
                .flatMap((file) => [
                    ...fs
                        .readFileSync(path.join(dir, file), "utf8")
                        .matchAll(/^export interface ((?!Normalized)\w+(Args|Nodes)) /gm),
                ])
                .map((m) => m[1]);
            expect(names).to.include.members(["VpcArgs", "DatabaseArgs", "FargateServiceArgs", "FargateServiceNodes"]);
            expect(names.filter((name) => !new RegExp(`\\b${name}\\b`).test(text))).to.deep.equal([]);
        });

        it("exports the pure helpers callers size and lay out with", () => {
            expect(barrel.FARGATE_SIZES).to.be.an("object");
            expect(barrel.fargateSizeProblem(256, 512)).to.equal(undefined);
            expect(barrel.fargateSizeProblem(256, 4096)).to.be.a("string");
            expect(barrel.defaultSubnetLayout("10.0.0.0/16", 2).isolated).to.have.length(2);
            expect(barrel.NAT_GATEWAY_STRATEGIES).to.include("single");
        });

        it("declares no resource and reads no config when imported (source)", () => {
            expect(importEffects(path.join(ROOT, "components", "index.ts"))).to.deep.equal({
                resources: [],
                configReads: [],
            });
        });

        it("the check sees a module that declares a resource or reads config when imported", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-import-"));
            const file = path.join(dir, "eager.js");
            fs.writeFileSync(
                file,
                `const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});\nnew pulumi.Config("groundwork").get("environment");\nnew pulumi.ComponentResource("groundwork:index:Eager", "eager");\n`,
            );
            const effects = importEffects(file);
            expect(effects.resources).to.deep.equal(["groundwork:index:Eager::eager"]);
            expect(effects.configReads).to.deep.equal(["getConfig(groundwork:environment)"]);
        });
    });

    describe("npm run build (dist/)", () => {
        before(ensureBuilt);

        it("declares no resource and reads no config when the built entry points are imported", () => {
            for (const entry of ["components/index.js", "testing/index.js", "testing/policy.js"]) {
                expect(importEffects(path.join(DIST, entry)), entry).to.deep.equal({ resources: [], configReads: [] });
            }
        });

        it("ships the components, the testing entries and the pack's runner, rules and configs: no program, stack config or tools", () => {
            expect(fs.readdirSync(DIST).sort()).to.deep.equal(["components", "policy", "testing"]);
            // runner.ts reads the pack's version from its package.json; index.ts (the PolicyPack) is not shipped.
            expect(fs.readdirSync(path.join(DIST, "policy")).sort()).to.deep.equal([
                "dev.json",
                "package.json",
                "plan-types.d.ts",
                "plan-types.js",
                "prod.json",
                "rules",
                "runner.d.ts",
                "runner.js",
            ]);
            for (const config of ["dev.json", "prod.json"]) {
                expect(fs.readFileSync(path.join(DIST, "policy", config), "utf8")).to.equal(
                    fs.readFileSync(path.join(ROOT, "policy", config), "utf8"),
                );
            }
            expect(fs.existsSync(path.join(DIST, "components", "mail-templates", "WelcomeEmail.html"))).to.equal(true);
        });

        it("loads no @pulumi/policy module from the main entry or groundwork/testing; groundwork/testing/policy does", () => {
            expect(
                policySdkLoadedBy([path.join(DIST, "components", "index.js"), path.join(DIST, "testing", "index.js")]),
            ).to.deep.equal([]);
            // The check sees the SDK when an entry does load it.
            expect(policySdkLoadedBy([path.join(DIST, "testing", "policy.js")])).to.not.deep.equal([]);
        });

        it("groundwork/testing/policy names the missing optional peer when @pulumi/policy is not installed", () => {
            // The package alone in a project whose node_modules has no @pulumi/policy.
            const project = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-nopolicy-"));
            const installed = path.join(project, "node_modules", "groundwork");
            fs.mkdirSync(installed, { recursive: true });
            fs.cpSync(DIST, path.join(installed, "dist"), { recursive: true });
            fs.copyFileSync(path.join(ROOT, "package.json"), path.join(installed, "package.json"));
            const child = spawnSync(process.execPath, ["-e", `require("groundwork/testing/policy")`], {
                cwd: project,
                encoding: "utf8",
            });
            expect(child.status).to.not.equal(0);
            expect(child.stderr).to.contain("groundwork/testing/policy needs @pulumi/policy");
            expect(child.stderr).to.contain("npm install --save-dev @pulumi/policy@^1.21.0");
        });

        it("groundwork/testing/policy's declarations name only the plan record types and compile under the Pulumi template's settings", () => {
            const dts = fs.readFileSync(path.join(DIST, "testing", "policy.d.ts"), "utf8");
            const imports = [...dts.matchAll(/from "([^"]+)"|import "([^"]+)"/g)].map((m) => m[1] ?? m[2]);
            expect([...new Set(imports)].sort()).to.deep.equal(["../policy/plan-types", "./policy-sdk"]);
            // strict, commonjs + moduleResolution node, no esModuleInterop, no skipLibCheck (the older template).
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-dts-"));
            fs.writeFileSync(
                path.join(dir, "use.ts"),
                `import { checkPolicies, formatPolicyReport, PolicyReport } from ${JSON.stringify(path.join(DIST, "testing", "policy"))};\n` +
                    `const report: PolicyReport = checkPolicies([], { config: "dev", stackName: "dev" });\n` +
                    `export const text: string = formatPolicyReport(report);\n`,
            );
            fs.writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({
                    compilerOptions: {
                        strict: true,
                        module: "commonjs",
                        moduleResolution: "node",
                        target: "es2020",
                        noEmit: true,
                        types: [],
                    },
                    files: ["use.ts"],
                }),
            );
            const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], {
                encoding: "utf8",
            });
            expect(tsc.status, tsc.stdout + tsc.stderr).to.equal(0);
        });

        it("has declarations that name neither zod nor the stack config", () => {
            const offenders: string[] = [];
            const walk = (dir: string): void => {
                for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                    const file = path.join(dir, entry.name);
                    if (entry.isDirectory()) {
                        walk(file);
                    } else if (/\.(d\.ts|js)$/.test(entry.name)) {
                        const text = fs.readFileSync(file, "utf8");
                        if (/["']zod["']|\/stacks\//.test(text)) {
                            offenders.push(path.relative(DIST, file));
                        }
                    }
                }
            };
            walk(DIST);
            expect(offenders).to.deep.equal([]);
        });

        it("package.json's entry points name built files", () => {
            const targets = [
                pkg.main,
                pkg.types,
                ...Object.values(pkg.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t))),
                ...Object.values(pkg.typesVersions["*"]).flat(),
            ];
            for (const target of targets) {
                expect(fs.existsSync(path.join(ROOT, target)), target).to.equal(true);
            }
        });
    });

    describe("package.json", () => {
        it("points main, types and exports at dist/, with typesVersions for the testing subpaths", () => {
            expect(pkg.main).to.equal("dist/components/index.js");
            expect(pkg.types).to.equal("dist/components/index.d.ts");
            expect(pkg.exports["."]).to.deep.equal({
                types: "./dist/components/index.d.ts",
                default: "./dist/components/index.js",
            });
            expect(pkg.exports["./testing"]).to.deep.equal({
                types: "./dist/testing/index.d.ts",
                default: "./dist/testing/index.js",
            });
            expect(pkg.exports["./testing/policy"]).to.deep.equal({
                types: "./dist/testing/policy.d.ts",
                default: "./dist/testing/policy.js",
            });
            // moduleResolution: node (Pulumi's template) ignores `exports`: typesVersions finds the subpaths' types.
            expect(pkg.typesVersions).to.deep.equal({
                "*": { testing: ["dist/testing/index.d.ts"], "testing/policy": ["dist/testing/policy.d.ts"] },
            });
            expect(pkg.files).to.deep.equal(["dist/"]);
            expect(pkg.scripts.prepare).to.equal(pkg.scripts.build);
        });

        it("takes @pulumi/* as peers (one SDK copy in a consumer), installed here as devDependencies in range", () => {
            expect(Object.keys(pkg.peerDependencies).sort()).to.deep.equal([
                "@pulumi/aws",
                "@pulumi/policy",
                "@pulumi/pulumi",
                "@pulumi/random",
            ]);
            // Only groundwork/testing/policy needs @pulumi/policy: npm does not install an optional peer.
            expect(pkg.peerDependenciesMeta).to.deep.equal({ "@pulumi/policy": { optional: true } });
            for (const [name, range] of Object.entries(pkg.peerDependencies)) {
                expect(pkg.dependencies[name], name).to.equal(undefined);
                expect(pkg.devDependencies[name], name).to.not.equal(undefined);
                const installed = (
                    JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }
                ).version.replace(/^v/, ""); // @pulumi/policy 1.21.0 spells its version "v1.21.0"
                const [, floor] = /^\^(\d+\.\d+\.\d+)$/.exec(range) ?? [];
                expect(floor, `${name} ${range}`).to.be.a("string");
                const [major, minor, patch] = installed.split(".").map(Number);
                const [fMajor, fMinor, fPatch] = floor.split(".").map(Number);
                expect(major, name).to.equal(fMajor);
                expect(minor * 1e6 + patch >= fMinor * 1e6 + fPatch, `${name} ${installed} in ${range}`).to.equal(true);
            }
        });

        it("depends at run time only on what the components import (zod belongs to the program)", () => {
            expect(pkg.dependencies).to.have.keys("ipaddr.js");
            expect(pkg.devDependencies).to.have.property("zod");
        });
    });
});

describe("the program's entry point (tools/entry-point.ts, as the Pulumi CLI picks it)", () => {
    function project(files: Record<string, string>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-entry-"));
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        }
        return dir;
    }

    it("is index.ts here, named by Pulumi.yaml's main", () => {
        expect(programEntryPoint(ROOT)).to.equal(path.join(ROOT, "index.ts"));
    });

    it("would be the library (dist/components/index.js) without Pulumi.yaml's main: why main is set", () => {
        const projectFile = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8").replace(/^main: .*\n/m, "");
        const dir = project({
            "Pulumi.yaml": projectFile,
            "package.json": fs.readFileSync(path.join(ROOT, "package.json"), "utf8"),
            "dist/components/index.js": "",
            "index.ts": "",
        });
        expect(programEntryPoint(dir)).to.equal(path.join(dir, "dist/components/index.js"));
    });

    it("takes package.json's exports before main, then main, then the folder", () => {
        const yaml = "name: p\nruntime: nodejs\n";
        const both = project({
            "Pulumi.yaml": yaml,
            "package.json": JSON.stringify({ main: "a.js", exports: { ".": { require: "b.js" } } }),
            "a.js": "",
            "b.js": "",
        });
        expect(programEntryPoint(both)).to.equal(path.join(both, "b.js"));
        const text = project({
            "Pulumi.yaml": yaml,
            "package.json": JSON.stringify({ exports: "./c.js" }),
            "c.js": "",
        });
        expect(programEntryPoint(text)).to.equal(path.join(text, "c.js"));
        const main = project({ "Pulumi.yaml": yaml, "package.json": JSON.stringify({ main: "a.js" }), "a.js": "" });
        expect(programEntryPoint(main)).to.equal(path.join(main, "a.js"));
        const missing = project({ "Pulumi.yaml": yaml, "package.json": JSON.stringify({ main: "gone.js" }) });
        expect(programEntryPoint(missing)).to.equal(missing);
    });

    it("follows a main that names a folder to that folder's package.json", () => {
        const dir = project({
            "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: infra/\n",
            "infra/package.json": JSON.stringify({ main: "program.js" }),
            "infra/program.js": "",
        });
        expect(programEntryPoint(dir)).to.equal(path.join(dir, "infra", "program.js"));
    });

    it("refuses a main outside the project, as the CLI does", () => {
        const dir = project({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: ../other.ts\n" });
        expect(() => programEntryPoint(dir)).to.throw(/must be a subfolder/);
    });

    it("refuses an absolute main, as the CLI does", () => {
        const dir = project({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: /etc/index.ts\n" });
        expect(() => programEntryPoint(dir)).to.throw(/relative path/);
    });
});
