import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` and produces the config map the Pulumi runtime
 * would hand the program: full keys (`groundwork:network`), string values, structured values as
 * JSON text, project-namespaced bare keys, `Pulumi.yaml` defaults applied (the CLI does that).
 */

/** What stands in for a `secure:` value: it cannot be decrypted without the stack's secrets provider. */
export { SECURE_PLACEHOLDER } from "../stacks/values";
import { SECURE_PLACEHOLDER } from "../stacks/values";

export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

export interface StackFile {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** The `Pulumi.<stack>.yaml` path that was read. */
    file: string;
}

function readYaml(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new StackFileError(`${path.basename(file)}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The stacks that have a `Pulumi.<name>.yaml` in `root`. */
export function listStacks(root: string): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function readStackFile(root: string, stack: string): StackFile {
    const projectFile = path.join(root, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new StackFileError(`no Pulumi.yaml in ${root}`);
    }
    const projectDoc = readYaml(projectFile);
    if (!isRecord(projectDoc) || typeof projectDoc.name !== "string") {
        throw new StackFileError("Pulumi.yaml: `name` is missing");
    }
    const project = projectDoc.name;
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`--stack ${JSON.stringify(stack)} is not a stack name`);
    }
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(root).join(", ") || "none"}`);
    }
    const stackDoc = readYaml(file) ?? {};
    if (!isRecord(stackDoc)) {
        throw new StackFileError(`Pulumi.${stack}.yaml: expected a mapping at the top level`);
    }
    const rawConfig = stackDoc.config ?? {};
    if (!isRecord(rawConfig)) {
        throw new StackFileError(`Pulumi.${stack}.yaml: \`config\` must be a mapping`);
    }

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const fullKey = (key: string) => (key.includes(":") ? key : `${project}:${key}`);

    // Project-level defaults first (`config: { key: { default: … } }` in Pulumi.yaml); the stack wins.
    const declared = isRecord(projectDoc.config) ? projectDoc.config : {};
    for (const [key, decl] of Object.entries(declared)) {
        const value = isRecord(decl) ? decl.default : decl;
        if (value !== undefined) {
            config[fullKey(key)] = toConfigString(value);
        }
    }
    for (const [key, value] of Object.entries(rawConfig)) {
        const name = fullKey(key);
        if (isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
            config[name] = SECURE_PLACEHOLDER;
            secretKeys.push(name);
            continue;
        }
        if (containsSecure(value)) {
            secretKeys.push(name);
        }
        config[name] = toConfigString(replaceSecure(value));
    }
    return { project, stack, config, secretKeys, file };
}

/** The CLI hands strings through and serializes everything else as JSON. */
function toConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function containsSecure(value: unknown): boolean {
    if (Array.isArray(value)) {
        return value.some(containsSecure);
    }
    if (isRecord(value)) {
        return (Object.keys(value).length === 1 && typeof value.secure === "string") || Object.values(value).some(containsSecure);
    }
    return false;
}

function replaceSecure(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(replaceSecure);
    }
    if (isRecord(value)) {
        if (Object.keys(value).length === 1 && typeof value.secure === "string") {
            return SECURE_PLACEHOLDER;
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v)]));
    }
    return value;
}
