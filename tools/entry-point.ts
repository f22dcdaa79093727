import * as fs from "fs";
import * as path from "path";
import { readYaml } from "./stack-file";

/**
 * The file or folder the Pulumi CLI runs as a Node.js project's program, found by the CLI's rules
 * so that the offline plan runs what `pulumi up` would:
 * - pulumi/pulumi pkg/engine (`getPwdMain`): Pulumi.yaml's `main`, relative to the project, must stay
 *   inside it; a file is the entry point (run from its folder), a folder becomes the program folder
 *   with entry point ".";
 * - sdk/nodejs/cmd/run/run.ts: for entry point "." the nearest package.json decides: `exports` (a
 *   string, or "."'s `default`/`require`/`import`), else `main`; a named file that does not exist
 *   falls back to the folder (with a warning), which Node then loads as `require(folder + "/")`.
 * Returns an absolute path: a file, or a folder for Node's own folder resolution.
 */
export function programEntryPoint(root: string): string {
    let program = root;
    const projectFile = path.join(root, "Pulumi.yaml");
    const project = (fs.existsSync(projectFile) ? (readYaml(projectFile) ?? {}) : {}) as { main?: unknown };
    if (typeof project.main === "string" && project.main !== "") {
        if (path.isAbsolute(project.main)) {
            throw new Error("project 'main' must be a relative path");
        }
        const main = path.resolve(root, project.main);
        if (main !== root && !main.startsWith(root + path.sep)) {
            throw new Error(`project 'main' must be a subfolder: ${project.main}`);
        }
        if (!fs.statSync(main, { throwIfNoEntry: false })) {
            throw new Error(`project 'main' could not be read: ${project.main}`);
        }
        if (!fs.statSync(main).isDirectory()) {
            return main;
        }
        program = main;
    }
    const packageRoot = nearestPackageRoot(program);
    if (!packageRoot) {
        return program;
    }
    let pkg: { exports?: unknown; main?: unknown } = {};
    try {
        pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as typeof pkg;
    } catch {
        // run.ts reads package.json best-effort too.
    }
    const named = packageEntry(pkg);
    if (named !== undefined) {
        const file = path.join(packageRoot, named);
        return fs.existsSync(file) ? file : program;
    }
    return program;
}

function packageEntry(pkg: { exports?: unknown; main?: unknown }): string | undefined {
    const exp = pkg.exports;
    if (typeof exp === "string") {
        return exp;
    }
    if (typeof exp === "object" && exp !== null) {
        const dot = (exp as Record<string, unknown>)["."];
        if (typeof dot === "string") {
            return dot;
        }
        if (typeof dot === "object" && dot !== null) {
            const conditions = dot as Record<string, unknown>;
            const chosen = conditions.default || conditions.require || conditions.import;
            return typeof chosen === "string" ? chosen : undefined;
        }
        return undefined;
    }
    return typeof pkg.main === "string" && pkg.main !== "" ? pkg.main : undefined;
}

function nearestPackageRoot(from: string): string | undefined {
    let dir = from;
    for (;;) {
        if (fs.existsSync(path.join(dir, "package.json"))) {
            return dir;
        }
        const parent = path.dirname(dir);
        if (parent === dir) {
            return undefined;
        }
        dir = parent;
    }
}
