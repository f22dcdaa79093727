/**
 * Offline policy evaluation: the counterpart of `pulumi preview --policy-pack policy` for the offline plan.
 *
 * It hands every policy exactly what @pulumi/policy's analyzer server (node_modules/@pulumi/policy/server.js)
 * would: inputs deserialized by the SDK's own `deserializeProperties` (secrets unwrapped, assets rebuilt) and
 * wrapped in its `unknownCheckingProxy`, so a value equal to the engine's unknown sentinel throws
 * `UnknownValueError` when read; options, provider, stack tags, `getConfig`, `isType`/`asType`,
 * `notApplicable`; for stack policies, resources whose parent, dependencies and propertyDependencies are
 * resolved to the resource objects by URN. Results follow the server too: a violation's message is the
 * policy description plus the reported text, an `UnknownValueError` becomes one advisory "can't run policy
 * ... during preview", `notApplicable` is silent. One deliberate difference: a policy that throws anything
 * else fails the whole preview in the engine; here it becomes a mandatory "policy crashed: ..." violation
 * of that policy, so one broken rule can't hide the others' findings.
 */
import * as fs from "fs";
import * as path from "path";
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPackConfig,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as deserializeModule from "@pulumi/policy/deserialize";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as settingsModule from "@pulumi/pulumi/runtime/settings";
import type { PlannedResource, PolicyReport, PolicyViolation } from "./plan-types";
import policyPackage from "./package.json";
import { PACK_NAME, policies as packPolicies } from "./rules";
import { APPLIES_TO } from "./rules/lib/define";
import { unknownCheckingProxy, UnknownValueError } from "./rules/lib/unknowns";

export type { PolicyPackConfig } from "@pulumi/policy";
export type { PolicyReport, PolicyViolation } from "./plan-types";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The pack's version, from policy/package.json (the analyzer reads the same file). */
export const PACK_VERSION: string = policyPackage.version;

export interface EvaluateOptions {
    /**
     * The stack the plan is for. While policies run, `pulumi.getStack()` returns it, as it does inside a real
     * policy pack, so rules without an `environment` in their config fall back to it.
     */
    stackName?: string;
    /** Policies to evaluate instead of the Groundwork pack (tests). */
    policies?: AnyPolicy[];
    /** The pack name to report; default "groundwork". */
    packName?: string;
    /**
     * The policy config's name for the report (e.g. "policy/dev.json"). Default: the file
     * {@link loadPolicyConfig} read `config` from, else "none".
     */
    configSource?: string;
}

/** A policy config that doesn't match the pack (unknown policy, bad level, value against the schema). */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** A plan resource the analyzer could not have received (props the SDK can't deserialize). */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

// ------------------------------------------------------------------------------------------------
// The SDK internals the analyzer uses. Marked @internal (so not in the .d.ts) but shipped in the package;
// using them instead of a copy keeps "what a policy sees" identical to the real server.
// ------------------------------------------------------------------------------------------------

type Deserialize = (
    struct: { toJavaScript(): Record<string, unknown> },
    proxySecrets: boolean,
) => Record<string, unknown>;
const deserializeProperties = (deserializeModule as unknown as { deserializeProperties: Deserialize })
    .deserializeProperties;
const setStack = (settingsModule as unknown as { _setStack?: (stack: string) => string })._setStack;

/**
 * What the server does with a request's properties: `deserializeProperties(struct, false)` then
 * `unknownCheckingProxy`. The plan is JSON, so a Struct-like object returning it stands in for the gRPC
 * Struct (whose `toJavaScript()` yields the same plain JSON).
 */
function deserializeProps(urn: string, props: Record<string, unknown>): Record<string, unknown> {
    try {
        return unknownCheckingProxy(deserializeProperties({ toJavaScript: () => props }, false));
    } catch (e) {
        throw new PlanInputError(`resource ${urn}: ${errorMessage(e)}`);
    }
}

function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

// ------------------------------------------------------------------------------------------------
// URNs: urn:pulumi:<stack>::<project>::<parent$type>::<name>
// ------------------------------------------------------------------------------------------------

/** The type and name a URN encodes (the type is the last `$` segment of the qualified type). */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return { type: "", name: urn };
    }
    const qualified = parts[2];
    return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

// ------------------------------------------------------------------------------------------------
// Options, provider, config.
// ------------------------------------------------------------------------------------------------

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go `time.ParseDuration` to seconds, as the engine converts `customTimeouts`; 0 when unset or invalid. */
export function durationSeconds(value: string | undefined): number {
    if (!value) {
        return 0;
    }
    const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
    let total = 0;
    let consumed = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(value)) !== null) {
        total += Number(m[1]) * DURATION_UNITS[m[2]];
        consumed = re.lastIndex;
    }
    return consumed === value.length ? total : 0;
}

/** `getResourceOptions` of server.js: deleteBeforeReplace and parent only when set. */
function resourceOptions(r: PlannedResource): PolicyResourceOptions {
    const o = r.options;
    const opts: PolicyResourceOptions = {
        protect: o.protect,
        ignoreChanges: [...o.ignoreChanges],
        aliases: [...o.aliases],
        customTimeouts: {
            createSeconds: durationSeconds(o.customTimeouts.create),
            updateSeconds: durationSeconds(o.customTimeouts.update),
            deleteSeconds: durationSeconds(o.customTimeouts.delete),
        },
        additionalSecretOutputs: [...o.additionalSecretOutputs],
    };
    // The plan records a plain boolean; `true` is the only value that can only come from the program.
    if (o.deleteBeforeReplace) {
        opts.deleteBeforeReplace = true;
    }
    if (r.parent) {
        opts.parent = r.parent;
    }
    return opts;
}

/** The provider the engine sends with a resource: `options.provider` is `<provider urn>::<provider id>`. */
function providerOf(r: PlannedResource, byUrn: Map<string, PlannedResource>): PolicyProviderResource | undefined {
    const ref = r.options.provider;
    if (!ref) {
        return undefined;
    }
    const cut = ref.lastIndexOf("::");
    const urn = byUrn.has(ref) || cut < 0 ? ref : ref.slice(0, cut);
    const resource = byUrn.get(urn);
    const parsed = parseUrn(urn);
    return {
        type: resource?.type ?? parsed.type,
        props: deserializeProps(urn, resource?.props ?? {}),
        urn,
        name: resource?.name ?? parsed.name,
    };
}

/** `getPulumiType` and `isTypeOf` of policy.js / server.js. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    if (typeof pulumiType === "string" && pulumiType.length > 0) {
        return type === pulumiType;
    }
    const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function fastPathType(fn: unknown): string | undefined {
    const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof t === "string" && t.length > 0 ? t : undefined;
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/** Frozen, empty: the offline plan has no stack tags (server.js starts with the same). */
const STACK_TAGS: ReadonlyMap<string, string> = new Map<string, string>();

function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema?.properties ?? {})) {
        if (s.default !== undefined) {
            out[k] = JSON.parse(JSON.stringify(s.default));
        }
    }
    return out;
}

/**
 * The config a policy sees: schema defaults (the CLI fills them in before `Configure`) overlaid with the
 * pack config entry, minus enforcementLevel (as server.js's makeGetConfigFun strips it).
 */
function makeGetConfig(policy: AnyPolicy, config: PolicyPackConfig): <T extends object>() => T {
    return <T extends object>() => {
        const entry = config[policy.name];
        const props: Record<string, unknown> = typeof entry === "object" && entry !== null ? { ...entry } : {};
        delete props.enforcementLevel;
        return { ...schemaDefaults(policy.configSchema), ...JSON.parse(JSON.stringify(props)) } as T;
    };
}

function levelOf(entry: unknown): EnforcementLevel | undefined {
    if (typeof entry === "string") {
        return entry as EnforcementLevel;
    }
    if (entry !== null && typeof entry === "object") {
        return (entry as { enforcementLevel?: EnforcementLevel }).enforcementLevel;
    }
    return undefined;
}

/** The level a policy runs at: its config entry, else the config's "all" entry, else its default. */
export function effectiveLevel(policy: AnyPolicy, config: PolicyPackConfig): EnforcementLevel {
    return levelOf(config[policy.name]) ?? levelOf(config.all) ?? policy.enforcementLevel ?? "advisory";
}

// ------------------------------------------------------------------------------------------------
// Config validation (light JSON schema: type, enum, bounds, items) with errors that name the fix.
// ------------------------------------------------------------------------------------------------

function typeName(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number" && Number.isInteger(v)) {
        return "integer";
    }
    return typeof v;
}

function checkAgainstSchema(value: unknown, schema: PolicyConfigJSONSchema, where: string): string | undefined {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeName(value);
    if (types.length > 0 && !types.some((t) => t === actual || (t === "number" && actual === "integer"))) {
        return `${where} must be ${types.join(" or ")}, got ${actual}`;
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        return `${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`;
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            return `${where} must be >= ${schema.minimum}, got ${value}`;
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            return `${where} must be <= ${schema.maximum}, got ${value}`;
        }
    }
    if (Array.isArray(value) && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
        for (let i = 0; i < value.length; i++) {
            const err = checkAgainstSchema(value[i], schema.items, `${where}[${i}]`);
            if (err) {
                return err;
            }
        }
    }
    return undefined;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = row[j];
            row[j] = next;
        }
    }
    return row[b.length];
}

function validateLevel(value: unknown, where: string): void {
    if (typeof value !== "string" || !LEVELS.includes(value as EnforcementLevel)) {
        throw new PolicyConfigError(
            `${where}: enforcementLevel must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(value)}`,
        );
    }
}

/**
 * Checks a `--policy-pack-config` document against the policies: known policy names (plus "all"),
 * valid enforcement levels, and properties that the policy's configSchema declares, of the right type.
 */
export function validatePolicyConfig(config: unknown, policies: readonly AnyPolicy[] = packPolicies): PolicyPackConfig {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new PolicyConfigError(
            `policy config must be a JSON object of { "<policy-name>": level or { ... } }, got ${typeName(config)}`,
        );
    }
    const byName = new Map(policies.map((p) => [p.name, p]));
    for (const [name, entry] of Object.entries(config)) {
        const policy = byName.get(name);
        if (!policy && name !== "all") {
            const near = [...byName.keys()].filter((n) => editDistance(n, name) <= 3);
            throw new PolicyConfigError(
                `unknown policy "${name}"${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ""}`,
            );
        }
        if (typeof entry === "string") {
            validateLevel(entry, name);
            continue;
        }
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            throw new PolicyConfigError(`${name}: expected an enforcement level or an object, got ${typeName(entry)}`);
        }
        for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
            if (key === "enforcementLevel") {
                validateLevel(value, name);
                continue;
            }
            const schema = policy?.configSchema?.properties?.[key];
            if (!schema) {
                const known = Object.keys(policy?.configSchema?.properties ?? {});
                throw new PolicyConfigError(
                    `${name}: unknown property "${key}"` +
                        (known.length > 0 ? ` (it takes: ${known.join(", ")})` : " (it takes no configuration)"),
                );
            }
            const err = checkAgainstSchema(value, schema, `${name}.${key}`);
            if (err) {
                throw new PolicyConfigError(err);
            }
        }
        for (const req of policy?.configSchema?.required ?? []) {
            if (!(req in (entry as object)) && policy?.configSchema?.properties[req]?.default === undefined) {
                throw new PolicyConfigError(`${name}: "${req}" is required`);
            }
        }
    }
    return config as PolicyPackConfig;
}

/** Reads and validates a policy config file (the `--policy-pack-config` format). */
/** The file each config object returned by {@link loadPolicyConfig} came from, so a report can name it. */
const configFiles = new WeakMap<object, string>();

/** A config file's name as a report shows it: relative to the working directory when inside it. */
function displayPath(file: string): string {
    const relative = path.relative(process.cwd(), path.resolve(file));
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative)
        ? relative.split(path.sep).join("/")
        : file;
}

export function loadPolicyConfig(file: string, policies: readonly AnyPolicy[] = packPolicies): PolicyPackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PolicyConfigError(
            `cannot read policy config ${file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
        );
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(`policy config ${file} is not valid JSON: ${errorMessage(e)}`);
    }
    let config: PolicyPackConfig;
    try {
        config = validatePolicyConfig(parsed, policies);
    } catch (e) {
        throw new PolicyConfigError(`policy config ${file}: ${errorMessage(e)}`);
    }
    configFiles.set(config, displayPath(file));
    return config;
}

// ------------------------------------------------------------------------------------------------
// Evaluation.
// ------------------------------------------------------------------------------------------------

/** Runs `fn` with `pulumi.getStack()` returning `stack`, as in a policy pack launched for that stack. */
function withStack<T>(stack: string | undefined, fn: () => T): T {
    if (!stack || !setStack) {
        return fn();
    }
    const previous = pulumi.getStack();
    setStack(stack);
    try {
        return fn();
    } finally {
        setStack(previous);
    }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
    return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

/**
 * Evaluates the policies against the plan's resources, resource policies first (resource by resource, in
 * plan order, as the engine analyzes them during preview), then stack policies.
 *
 * Throws {@link PolicyConfigError} for an invalid config and {@link PlanInputError} for props the analyzer
 * could not have received; a policy's own failure never throws (see the file header).
 */
export function evaluatePolicies(
    resources: PlannedResource[],
    config: PolicyPackConfig,
    opts: EvaluateOptions = {},
): PolicyReport {
    const policies = opts.policies ?? packPolicies;
    const pack = opts.packName ?? PACK_NAME;
    validatePolicyConfig(config, policies);
    const levels = new Map(policies.map((p) => [p.name, effectiveLevel(p, config)]));
    const violations: PolicyViolation[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));

    /** What the server's catch block does with a thrown error (crashes excepted, see the header). */
    const onError = (policy: AnyPolicy, e: unknown, urn: string | undefined) => {
        if (e instanceof PlanInputError) {
            throw e; // bad input, not a policy failure: the server fails the whole request too
        }
        if (e instanceof NotApplicableError) {
            return;
        }
        if (e instanceof UnknownValueError) {
            violations.push({
                policyName: policy.name,
                enforcementLevel: "advisory",
                ...(urn ? { urn } : {}),
                message: `can't run policy '${policy.name}' from policy pack '${pack}@v${PACK_VERSION}' during preview: ${e.message}`,
            });
            return;
        }
        violations.push({
            policyName: policy.name,
            enforcementLevel: "mandatory",
            ...(urn ? { urn } : {}),
            message: `policy crashed: ${errorMessage(e)}`,
        });
    };

    /** makeReportViolationFun of server.js; for resource policies the resource's URN always wins. */
    const reporter = (policy: AnyPolicy, level: EnforcementLevel, fixedUrn?: string): ReportViolation =>
        ((message: unknown, urn?: string) => {
            if (message !== null && typeof message === "object") {
                const info = message as {
                    name?: string;
                    message?: string;
                    description?: string;
                    urn?: string;
                    enforcementLevel?: EnforcementLevel;
                };
                const u = fixedUrn ?? info.urn;
                violations.push({
                    policyName: info.name || policy.name,
                    enforcementLevel: info.enforcementLevel || level,
                    ...(u ? { urn: u } : {}),
                    message: info.message || info.description || policy.description,
                });
                return;
            }
            const text =
                typeof message === "string" && message ? `${policy.description}\n${message}` : policy.description;
            const u = fixedUrn ?? urn;
            violations.push({
                policyName: policy.name,
                enforcementLevel: level,
                ...(u ? { urn: u } : {}),
                message: text,
            });
        }) as ReportViolation;

    /** Calls a validation; a returned promise can't be awaited by this synchronous runner. */
    const call = (policy: AnyPolicy, urn: string | undefined, run: () => unknown) => {
        try {
            const result = run();
            if (isThenable(result)) {
                // Swallow the eventual outcome so it can't surface as an unhandled rejection.
                Promise.resolve(result).catch(() => undefined);
                throw new Error("the policy returned a Promise; the offline runner evaluates policies synchronously");
            }
        } catch (e) {
            onError(policy, e, urn);
        }
    };

    withStack(opts.stackName, () => {
        for (const r of resources) {
            for (const policy of policies) {
                let level = levels.get(policy.name) ?? "advisory";
                const validate = (policy as ResourceValidationPolicy).validateResource;
                if (level === "disabled" || !validate) {
                    continue;
                }
                if (level === "remediate") {
                    level = "mandatory"; // no remediation ran, so a violation stands (server.js does the same)
                }
                const fixed = !Array.isArray(validate) ? fastPathType(validate) : undefined;
                if (fixed && fixed !== r.type) {
                    continue;
                }
                const appliesTo = (validate as { [APPLIES_TO]?: ReadonlySet<string> })[APPLIES_TO];
                if (appliesTo && !appliesTo.has(r.type)) {
                    continue;
                }
                const report = reporter(policy, level, r.urn);
                for (const validation of Array.isArray(validate) ? validate : [validate]) {
                    call(policy, r.urn, () => {
                        // Fresh props per validation, like the server, so no policy sees another's mutations.
                        const props = deserializeProps(r.urn, r.props);
                        const args: ResourceValidationArgs = {
                            type: r.type,
                            props,
                            urn: r.urn,
                            name: r.name,
                            opts: resourceOptions(r),
                            stackTags: STACK_TAGS,
                            isType: ((cls: unknown) => isTypeOf(r.type, cls)) as ResourceValidationArgs["isType"],
                            asType: ((cls: unknown) =>
                                isTypeOf(r.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
                            getConfig: makeGetConfig(policy, config),
                            notApplicable: throwNotApplicable,
                        };
                        const provider = providerOf(r, byUrn);
                        if (provider) {
                            args.provider = provider;
                        }
                        return validation(args, report);
                    });
                }
            }
        }

        for (const policy of policies) {
            let level = levels.get(policy.name) ?? "advisory";
            const validate = (policy as StackValidationPolicy).validateStack;
            if (level === "disabled" || typeof validate !== "function") {
                continue;
            }
            if (level === "remediate") {
                level = "mandatory";
            }
            const fixed = fastPathType(validate);
            if (fixed && !resources.some((r) => r.type === fixed)) {
                continue;
            }
            call(policy, undefined, () =>
                validate(
                    {
                        resources: policyResources(resources, byUrn),
                        getConfig: makeGetConfig(policy, config),
                        stackTags: STACK_TAGS,
                        notApplicable: throwNotApplicable,
                    } as StackValidationArgs,
                    reporter(policy, level),
                ),
            );
        }
    });

    return {
        pack,
        policies: policies.map((p) => ({ name: p.name, enforcementLevel: levels.get(p.name) ?? "advisory" })),
        violations,
        config: opts.configSource ?? configFiles.get(config) ?? "none",
    };
}

/** The `resources` of StackValidationArgs, built fresh per policy as the server does. */
function policyResources(resources: PlannedResource[], byUrn: Map<string, PlannedResource>): PolicyResource[] {
    const built = resources.map((r) => {
        const props = deserializeProps(r.urn, r.props);
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: resourceOptions(r),
            dependencies: [],
            propertyDependencies: {},
            isType: ((cls: unknown) => isTypeOf(r.type, cls)) as PolicyResource["isType"],
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
        const provider = providerOf(r, byUrn);
        if (provider) {
            resource.provider = provider;
        }
        return { plan: r, resource };
    });
    const resolved = new Map(built.map((b) => [b.resource.urn, b.resource]));
    const resolve = (urns: string[]) =>
        urns.map((u) => resolved.get(u)).filter((x): x is PolicyResource => x !== undefined);
    for (const { plan, resource } of built) {
        if (plan.parent) {
            const parent = resolved.get(plan.parent);
            if (parent) {
                resource.parent = parent;
            }
        }
        resource.dependencies = resolve(plan.dependencies);
        for (const [key, urns] of Object.entries(plan.propertyDependencies)) {
            resource.propertyDependencies[key] = resolve(urns);
        }
    }
    return built.map((b) => b.resource);
}

// ------------------------------------------------------------------------------------------------
// Formatting, grouped like the Policies section of `pulumi preview`.
// ------------------------------------------------------------------------------------------------

const LEVEL_ORDER: PolicyViolation["enforcementLevel"][] = ["mandatory", "remediate", "advisory", "disabled"];

/** How the analyzer words a check it could not run at preview (server.js, for an UnknownValueError). */
const DEFERRED_PREFIX = "can't run policy '";

/**
 * Whether a finding is a check the pack could not decide at preview (an unknown value) rather than a
 * violation: the analyzer reports those as advisory "can't run policy ... during preview", and
 * `pulumi up` decides them once the values are known.
 */
export function isDeferred(v: PolicyViolation): boolean {
    return v.enforcementLevel === "advisory" && v.message.startsWith(DEFERRED_PREFIX);
}

function plural(n: number, one: string, many: string): string {
    return `${n} ${n === 1 ? one : many}`;
}

/**
 * Renders a report: pack, config, then per enforcement level, per policy, each resource and message;
 * checks deferred to `pulumi up` come last, under their own heading, and are not counted as violations.
 */
export function formatPolicyReport(report: PolicyReport): string {
    const header = `Policy pack ${report.pack}@v${PACK_VERSION}`;
    const evaluated = report.policies.filter((p) => p.enforcementLevel !== "disabled").length;
    const disabled = report.policies.length - evaluated;
    const scope =
        `${plural(evaluated, "policy", "policies")} evaluated${disabled > 0 ? `, ${disabled} disabled` : ""}; ` +
        `config: ${report.config}`;
    const violations = report.violations.filter((v) => !isDeferred(v));
    const deferred = report.violations.filter(isDeferred);
    const deferredNote = deferred.length > 0 ? `, ${deferred.length} deferred to pulumi up` : "";
    if (violations.length === 0 && deferred.length === 0) {
        return `${header}\n    no violations (${scope})\n`;
    }
    const counts = LEVEL_ORDER.map((l) => [l, violations.filter((v) => v.enforcementLevel === l).length] as const)
        .filter(([, n]) => n > 0)
        .map(([l, n]) => `${n} ${l}`);
    const summary =
        violations.length > 0
            ? `${plural(violations.length, "violation", "violations")}${deferredNote} (${counts.join(", ")}; ${scope})`
            : `no violations${deferredNote} (${scope})`;
    const lines = [`${header}: ${summary}`];
    const section = (title: string, findings: PolicyViolation[]) => {
        if (findings.length === 0) {
            return;
        }
        lines.push(`    ${title}:`);
        for (const name of [...new Set(findings.map((v) => v.policyName))]) {
            lines.push(`        ${name}`);
            for (const v of findings.filter((x) => x.policyName === name)) {
                const where = v.urn ? (({ type, name: n }) => `${type} (${n})`)(parseUrn(v.urn)) : "(stack)";
                const [first, ...rest] = v.message.split("\n");
                lines.push(`          - ${where}: ${first}`);
                for (const line of rest) {
                    lines.push(`            ${line}`);
                }
            }
        }
    };
    for (const level of LEVEL_ORDER) {
        section(
            level,
            violations.filter((v) => v.enforcementLevel === level),
        );
    }
    section("deferred (unknown at preview; pulumi up checks them)", deferred);
    return lines.join("\n") + "\n";
}
