import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { SECURE_PLACEHOLDER } from "../stacks/values";

export { SECURE_PLACEHOLDER };

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` and produces the config map the Pulumi CLI hands
 * the program, applying the CLI's own rules, so that a stack the CLI refuses is refused here too:
 *
 * - the project's config declarations are checked as the CLI checks them when it loads
 *   Pulumi.yaml (sdk/go/common/workspace/project.go: `RewriteShorthandConfigValues`,
 *   `Project.Validate`, the `configTypeDeclaration` of project.json);
 * - the stack's values are merged with the declarations as `pulumi preview`/`up` do before the
 *   program starts (`mergeConfig` and `validateStackConfigValues`, in
 *   sdk/go/common/workspace/config.go up to CLI 3.253 and pkg/workspace/config.go from 3.254):
 *   a key of the project's namespace declared with neither `default` nor `value` is required; a
 *   missing key takes its `default` (or `value`); a declared `type` is checked
 *   (`ValidateConfigValue`); a `secret: true` key must be a `secure:` value. Keys of other
 *   namespaces (`aws:region`) are never required: the CLI only requires its own project's keys.
 * - values are the strings the language host receives: strings as they are, numbers and booleans
 *   as text, lists and objects as JSON (object keys sorted, as Go's encoding/json writes them).
 *
 * Errors carry the CLI's text, prefixed as `pulumi preview` prints it ("validating stack config: …").
 */

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
    /** Keys whose value is secure or holds a secure value (the CLI's `SecureKeys`). */
    secretKeys: string[];
    /** The `Pulumi.<stack>.yaml` path that was read. */
    file: string;
    /** What the reader could not do as the CLI does (undecryptable values, ESC environments), for the plan to print. */
    notes: string[];
}

/** A config declaration in Pulumi.yaml, after the CLI's shorthand rewrite. */
export interface ConfigDeclaration {
    type?: string;
    items?: ItemsType;
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

interface ItemsType {
    type: string;
    items?: ItemsType;
}

const TYPE_NAMES = ["string", "integer", "boolean", "array", "object"];
const DECLARATION_FIELDS = ["type", "items", "description", "secret", "default", "value"];

export function readYaml(file: string): unknown {
    try {
        // The core schema: no timestamps or YAML 1.1 words, like the CLI's yaml.v3 into `any`.
        return expandMergeKeys(yaml.load(fs.readFileSync(file, "utf8"), { schema: yaml.CORE_SCHEMA }));
    } catch (err) {
        throw new StackFileError(
            `${path.basename(file)}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
        );
    }
}

/** yaml.v3 applies merge keys (`<<: *defaults`); the core schema leaves them as a key named `<<`. Explicit keys win. */
function expandMergeKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(expandMergeKeys);
    }
    if (!isRecord(value)) {
        return value;
    }
    const merged: Record<string, unknown> = {};
    const sources = value["<<"] === undefined ? [] : Array.isArray(value["<<"]) ? value["<<"] : [value["<<"]];
    for (const source of sources) {
        const expanded = expandMergeKeys(source);
        if (isRecord(expanded)) {
            for (const [k, v] of Object.entries(expanded)) {
                if (!(k in merged)) {
                    merged[k] = v;
                }
            }
        }
    }
    for (const [k, v] of Object.entries(value)) {
        if (k !== "<<") {
            merged[k] = expandMergeKeys(v);
        }
    }
    return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The directory holding the stack files: `stackConfigDir` (or the deprecated string form of `config`) from Pulumi.yaml. */
function stackDir(root: string, projectDoc: Record<string, unknown>): string {
    const dir =
        typeof projectDoc.stackConfigDir === "string"
            ? projectDoc.stackConfigDir
            : typeof projectDoc.config === "string"
              ? projectDoc.config
              : "";
    return path.join(root, dir);
}

/** The stacks that have a `Pulumi.<name>.yaml` in `root` (or its `stackConfigDir`). */
export function listStacks(root: string): string[] {
    const doc = fs.existsSync(path.join(root, "Pulumi.yaml")) ? readYaml(path.join(root, "Pulumi.yaml")) : {};
    const dir = stackDir(root, isRecord(doc) ? doc : {});
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** `key` in the project's namespace (bare keys are), as the CLI's `parseConfigKey`. */
function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function namespaceOf(key: string): string {
    return key.slice(0, key.indexOf(":"));
}

/**
 * The project's config declarations, checked as the CLI checks them on loading Pulumi.yaml.
 * Shorthand values become declarations: `default` in the project's namespace, `value` elsewhere.
 */
export function readDeclarations(project: string, rawConfig: unknown): Map<string, ConfigDeclaration> {
    const declarations = new Map<string, ConfigDeclaration>();
    if (!isRecord(rawConfig)) {
        return declarations;
    }
    const fail = (message: string): never => {
        throw new StackFileError(`could not load Pulumi.yaml: ${message}`);
    };
    for (const [key, decl] of Object.entries(rawConfig)) {
        const ownNamespace = !key.includes(":") || key.startsWith(`${project}:`);
        if (!isRecord(decl)) {
            if (decl === null) {
                fail(`config key '${key}' must be a value or a declaration, not null`);
            }
            declarations.set(key, ownNamespace ? { default: decl } : { value: decl });
            continue;
        }
        const unknown = Object.keys(decl).filter((field) => !DECLARATION_FIELDS.includes(field));
        if (unknown.length > 0) {
            fail(
                `config key '${key}': additional properties ${unknown.map((f) => `'${f}'`).join(", ")} not allowed (allowed: ${DECLARATION_FIELDS.join(", ")})`,
            );
        }
        if (decl.type !== undefined && !TYPE_NAMES.includes(decl.type as string)) {
            fail(`config key '${key}': type must be one of ${TYPE_NAMES.join(", ")}`);
        }
        const declaration = decl as ConfigDeclaration;
        // `Project.Validate`, message for message.
        if (declaration.default != null && declaration.value != null) {
            fail(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        }
        if (ownNamespace) {
            if (declaration.type === "array" && declaration.items === undefined) {
                fail(
                    `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
                );
            }
            if (
                declaration.type !== undefined &&
                declaration.default != null &&
                !validateConfigValue(declaration.type, declaration.items, declaration.default)
            ) {
                fail(
                    `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(declaration.type, declaration.items)}'`,
                );
            }
        } else {
            if (declaration.type !== undefined) {
                fail(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
            }
            if (declaration.default != null) {
                fail(
                    `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
                );
            }
            if (declaration.value == null) {
                fail(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
            }
        }
        declarations.set(key, declaration);
    }
    return declarations;
}

/** The CLI's `ValidateConfigValue`: is `value` (a YAML/JSON value, or the text of a scalar) of this declared type? */
export function validateConfigValue(type: string, items: ItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            // Whole numbers, and text that Go's strconv.Atoi reads (scalar stack values arrive as text).
            return (
                (typeof value === "number" && Number.isInteger(value)) ||
                (typeof value === "string" && /^[+-]?\d+$/.test(value))
            );
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isRecord(value);
        default:
            // As in the CLI, anything else is checked as an array of `items`.
            return (
                Array.isArray(value) &&
                items !== undefined &&
                value.every((item) => validateConfigValue(items.type, items.items, item))
            );
    }
}

/** The CLI's `InferFullTypeName`: `array<string>` for an array of strings. */
function fullTypeName(type: string, items: ItemsType | undefined): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/** The CLI's `formatMissingKeys`: 'a', 'a' and 'b', 'a', 'b' and 'c' (sorted when more than one). */
function formatMissingKeys(keys: string[]): string {
    const quoted = [...keys].sort().map((k) => `'${k}'`);
    return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** A stack config value as the CLI holds it (`config.Value`): its text, and whether it is or holds a secret. */
interface StackValue {
    /** What the program receives; a secure scalar's placeholder. */
    text: string;
    /** The value itself is `secure:` (`Value.Secure()` on a scalar). */
    secure: boolean;
    /** A list or an object (`Value.Object()`). */
    object: boolean;
    /** Holds a secure value anywhere (`Value.Secure()` on an object). */
    holdsSecret: boolean;
    /** The YAML value, secure leaves replaced by the placeholder. */
    data: unknown;
}

function isSecure(value: unknown): value is { secure: string } {
    return isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function toStackValue(raw: unknown): StackValue {
    if (isSecure(raw)) {
        return { text: SECURE_PLACEHOLDER, secure: true, object: false, holdsSecret: true, data: SECURE_PLACEHOLDER };
    }
    if (Array.isArray(raw) || isRecord(raw)) {
        const data = replaceSecure(raw);
        return { text: goJson(data), secure: false, object: true, holdsSecret: containsSecure(raw), data };
    }
    // Scalars: strings as they are, numbers and booleans as their JSON text (Go's object.MarshalString).
    return {
        text: typeof raw === "string" ? raw : JSON.stringify(raw),
        secure: false,
        object: false,
        holdsSecret: false,
        data: raw,
    };
}

/** A project default or value, as the CLI's `createConfigValue` turns it into a stack value. */
function fromDeclaration(value: unknown): StackValue {
    if (
        typeof value === "string" ||
        typeof value === "boolean" ||
        (typeof value === "number" && Number.isInteger(value))
    ) {
        return { text: String(value), secure: false, object: false, holdsSecret: false, data: value };
    }
    return { text: goJson(value), secure: false, object: true, holdsSecret: false, data: value };
}

/** JSON as Go's encoding/json writes it: object keys sorted. */
function goJson(value: unknown): string {
    const sortKeys = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(sortKeys)
            : isRecord(v)
              ? Object.fromEntries(
                    Object.keys(v)
                        .sort()
                        .map((k) => [k, sortKeys(v[k])]),
                )
              : v;
    return JSON.stringify(sortKeys(value));
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
    const declarations = readDeclarations(project, projectDoc.config);
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`--stack ${JSON.stringify(stack)} is not a stack name`);
    }
    const file = path.join(stackDir(root, projectDoc), `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(
            `no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(root).join(", ") || "none"}`,
        );
    }
    const stackDoc = readYaml(file) ?? {};
    if (!isRecord(stackDoc)) {
        throw new StackFileError(`Pulumi.${stack}.yaml: expected a mapping at the top level`);
    }
    const rawConfig = stackDoc.config ?? {};
    if (!isRecord(rawConfig)) {
        throw new StackFileError(`Pulumi.${stack}.yaml: \`config\` must be a mapping`);
    }
    const notes: string[] = [];
    if (stackDoc.environment !== undefined) {
        notes.push(
            `Pulumi.${stack}.yaml imports Pulumi ESC environments (\`environment:\`); their values are not applied offline.`,
        );
    }

    const values = new Map<string, StackValue>();
    for (const [key, value] of Object.entries(rawConfig)) {
        values.set(fullKey(project, key), toStackValue(value));
    }

    // mergeConfig: declarations in sorted order; a missing key of the project's namespace with
    // neither default nor value is required; otherwise a missing key takes the default or value.
    const declared = [...declarations.keys()].sort();
    const missing: string[] = [];
    for (const key of declared) {
        const decl = declarations.get(key)!;
        const name = fullKey(project, key);
        if (values.has(name)) {
            continue;
        }
        const fallback = decl.default ?? decl.value;
        if (fallback == null) {
            if (namespaceOf(name) === project) {
                missing.push(key);
            }
            continue;
        }
        values.set(name, fromDeclaration(fallback));
    }
    if (missing.length > 0) {
        throw new StackFileError(
            `validating stack config: Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${formatMissingKeys(missing)}`,
        );
    }

    // validateStackConfigValues: `secret` and `type` of each declaration; the CLI stops at the first error.
    for (const key of declared) {
        const decl = declarations.get(key)!;
        const value = values.get(fullKey(project, key));
        if (decl.type === undefined || value === undefined) {
            continue;
        }
        if (decl.secret && !value.secure && !value.holdsSecret) {
            throw new StackFileError(
                `validating stack config: Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`,
            );
        }
        // A scalar's content is its text (a secure scalar decrypts to text); lists and objects their JSON.
        const typeName = fullTypeName(decl.type, decl.items);
        const content = value.object ? JSON.parse(value.text) : value.text;
        if (!validateConfigValue(decl.type, decl.items, content)) {
            if ((value.secure || value.holdsSecret) && /integer|boolean/.test(typeName)) {
                // Decided by the decrypted text ("42", "true"), which only `pulumi preview` sees.
                notes.push(
                    `${fullKey(project, key)} is secure: whether it is of type '${typeName}' is checked by \`pulumi preview\`, not offline.`,
                );
                continue;
            }
            throw new StackFileError(
                `validating stack config: Stack '${stack}' with configuration key '${key}' must be of type '${typeName}'`,
            );
        }
    }

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [name, value] of values) {
        config[name] = value.text;
        if (value.secure || value.holdsSecret) {
            secretKeys.push(name);
        }
    }
    if (secretKeys.length > 0) {
        notes.push(
            `Secure values (${secretKeys.join(", ")}) are not decrypted offline; a placeholder stands in, and format checks skip it.`,
        );
    }
    return { project, stack, config, secretKeys, file, notes };
}

function containsSecure(value: unknown): boolean {
    if (Array.isArray(value)) {
        return value.some(containsSecure);
    }
    if (isRecord(value)) {
        return isSecure(value) || Object.values(value).some(containsSecure);
    }
    return false;
}

function replaceSecure(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(replaceSecure);
    }
    if (isRecord(value)) {
        if (isSecure(value)) {
            return SECURE_PLACEHOLDER;
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v)]));
    }
    return value;
}
