import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigError, loadStackConfig } from "../stacks";
import { programEntryPoint } from "../tools/entry-point";
import { forgetProjectModules, runProgram } from "../tools/harness";
import { PlannedResource } from "../tools/plan-types";

export const ROOT = path.resolve(__dirname, "..");

/** Resolves an Output's value in tests (never assert inside an un-awaited apply). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** The config a dev or prod stack file would hand the program, as raw Pulumi config strings. */
export function stackConfig(environment: "dev" | "prod", extra: Record<string, unknown> = {}): Record<string, string> {
    const config: Record<string, string> = {
        "aws:region": "us-east-1",
        "groundwork:environment": environment,
        "groundwork:alarms": JSON.stringify({ emails: ["ops@example.com"] }),
    };
    if (environment === "prod") {
        // prod requires a hosted zone (as Pulumi.prod.yaml names one).
        config["groundwork:dns"] = JSON.stringify({ zoneName: "example.com" });
    }
    for (const [key, value] of Object.entries(extra)) {
        config[`groundwork:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

/**
 * Runs a small program (components under test) under the mock runtime and returns every
 * recorded resource with helpers to query them.
 */
export async function run(
    program: () => unknown,
    stack = "test",
    config: Record<string, string> = { "aws:region": "us-east-1" },
) {
    // What a component test's program returns is not a stack output; only runIndex exports.
    return runWithOutputs(
        () => {
            program();
        },
        stack,
        config,
    );
}

async function runWithOutputs(program: () => unknown, stack: string, config: Record<string, string>) {
    const result = await runProgram({ project: "groundwork", stack, config, program });
    return new Recorded(result.resources, result.outputs);
}

/** Runs the real program (index.ts, as Pulumi.yaml names it) with the given raw config. */
export async function runIndex(stack: string, config: Record<string, string>) {
    forgetProjectModules(ROOT);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return runWithOutputs(() => require(programEntryPoint(ROOT)), stack, config);
}

export class Recorded {
    constructor(
        readonly resources: PlannedResource[],
        readonly outputs: Record<string, unknown>,
    ) {}

    /** Every resource of a type token (`aws:rds/instance:Instance`). */
    ofType(type: string): PlannedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this logical name; throws when there is none or several. */
    named(name: string): PlannedResource {
        const found = this.resources.filter((r) => r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one resource named ${name}, found ${found.length}`);
        }
        return found[0];
    }

    /** The one resource of this type and logical name (a component and its main child may share a name). */
    one(type: string, name: string): PlannedResource {
        const found = this.resources.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
        }
        return found[0];
    }

    byUrn(urn: string): PlannedResource | undefined {
        return this.resources.find((r) => r.urn === urn);
    }
}

/** Runs the plan CLI as a user would (`npm run plan -- …`), in a copy of the project when the stack file is edited. */
export function planCli(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
    // Without npm's own variables, as if typed in `cwd`; a test adds what npm would set.
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|INIT_CWD$)/i.test(key)));
    const result = spawnSync(
        process.execPath,
        ["-r", path.join(ROOT, "tools", "register.js"), path.join(cwd, "tools", "plan.ts"), ...args],
        {
            cwd,
            encoding: "utf8",
            env: { ...base, ...env },
        },
    );
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch copy of the project's program and stack files, sharing node_modules by symlink. */
export function scratchProject(editStack?: (text: string) => string, stack = "dev"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-plan-"));
    for (const entry of [
        "index.ts",
        "components",
        "testing",
        "stacks",
        "policy",
        "tools",
        "Pulumi.yaml",
        "Pulumi.dev.yaml",
        "Pulumi.prod.yaml",
        "tsconfig.json",
        "package.json",
    ]) {
        fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), {
            recursive: true,
            filter: (src) => !src.includes("node_modules"),
        });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    if (editStack) {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, editStack(fs.readFileSync(file, "utf8")));
    }
    return dir;
}

/** Every problem with a stack's config, as `<key>: <message>`, through the real config loader. */
export function configProblems(raw: Record<string, unknown>, environment: "dev" | "prod" = "dev"): string[] {
    try {
        loadStackConfig(stackConfig(environment, raw), environment);
        return [];
    } catch (err) {
        if (!ConfigError.isConfigError(err)) {
            throw err;
        }
        return err.problems.map((p) => `${p.key}: ${p.message}`);
    }
}

/** The resolved config, asserting it has no problem. */
export function resolvedConfig(raw: Record<string, unknown> = {}, environment: "dev" | "prod" = "dev") {
    expect(configProblems(raw, environment)).to.deep.equal([]);
    return loadStackConfig(stackConfig(environment, raw), environment);
}

/** Asserts exactly one problem, for `key` (without the namespace), whose message matches `message`. */
export function expectConfigProblem(
    raw: Record<string, unknown>,
    key: string,
    message: RegExp,
    environment: "dev" | "prod" = "dev",
): void {
    const found = configProblems(raw, environment);
    expect(found, JSON.stringify(found)).to.have.length(1);
    expect(found[0].startsWith(`groundwork:${key}: `), found[0]).to.equal(true);
    expect(found[0]).to.match(message);
}
