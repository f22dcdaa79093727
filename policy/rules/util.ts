/**
 * Shared helpers for Groundwork's CrossGuard rules. No side effects: importing this module never starts
 * the analyzer (only `new PolicyPack` in policy/index.ts does).
 *
 * ## Unknown values: the convention every rule follows
 *
 * During `pulumi preview` many inputs are unknown (IDs, ARNs, anything computed from another resource's
 * output). The analyzer hands a policy its inputs wrapped in a proxy that throws `UnknownValueError` when
 * such a value is read. Rules never let that escape half-way through a check: they read through `peek()` /
 * `snapshot()`, which turn an unknown into the `UNKNOWN` symbol, and then
 *
 * - **presence checks** ("a CMK is set", "an auth token is set") treat UNKNOWN as *present*: an unknown is a
 *   value that will exist (typically `key.arn`), so the rule still decides, and stays blocking, at preview;
 * - **value checks** ("storageEncrypted is true", "the policy document has no wildcard") cannot decide on
 *   UNKNOWN. They must not pass silently, so the rule first reports every violation it *can* decide and then
 *   throws one {@link DeferredCheckError} naming what it could not see. DeferredCheckError *is* an
 *   `UnknownValueError`, and the analyzer (server.js) turns that into a single **advisory** diagnostic:
 *   "can't run policy 'x' from policy pack 'groundwork@v…' during preview: cannot be verified at preview
 *   (unknown value): …". Visible, never blocking. `pulumi up` analyzes each resource again just before it
 *   is created, with its inputs resolved, and there the same check decides and blocks if it has to. (Stack
 *   policies run again after the update, so a check they defer is reported, not prevented.)
 * - **unknown ARN elements** (`Resource: [bucket.arn]`, `policyArn: policy.arn`) name a resource of this
 *   program: the wildcard `"*"` and AWS-managed policy ARNs are only ever literals (invokes such as
 *   `aws.iam.getPolicy` resolve at preview), so such an element is read as "a specific resource", not as a
 *   possible wildcard. A list that is unknown as a whole is still deferred.
 *
 * Why not report an advisory violation directly? ReportViolation's public type is `(message, urn?)` and a
 * violation inherits the policy's enforcement level; the object overload that can lower the level per
 * violation is private in @pulumi/policy 1.21 (pulumi-policy#424). `args.notApplicable()` would hide the gap
 * (not-applicable is not shown as a finding), so rules use it only for "wrong resource type".
 *
 * Prod-only checks read `environment` from their config (set per stack in policy/dev.json and prod.json),
 * falling back to the stack name, and simply pass in dev.
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";

// ------------------------------------------------------------------------------------------------
// The analyzer's own unknown-value machinery. @pulumi/policy exports these at runtime (index.js) but marks
// them @internal, so its .d.ts omits them; this is the one typed view of them the pack uses.
// ------------------------------------------------------------------------------------------------

/** The shape of @pulumi/policy's `UnknownValueError` (see node_modules/@pulumi/policy/proxy.js). */
export interface UnknownValueErrorLike extends Error {
    unknownTypeSentinel: string;
    props: PropertyKey[];
}
type UnknownValueErrorCtor = new (unknownTypeSentinel: string, props: PropertyKey[]) => UnknownValueErrorLike;

const sdkInternals = policySdk as unknown as {
    UnknownValueError: UnknownValueErrorCtor;
    unknownCheckingProxy: <T extends object>(toProxy: T) => T;
};

/** The analyzer's class: an error of this class becomes an advisory "can't run policy during preview". */
export const UnknownValueError: UnknownValueErrorCtor = sdkInternals.UnknownValueError;
/** Wraps inputs the way the analyzer does, so reading an unknown throws {@link UnknownValueError}. */
export const unknownCheckingProxy = sdkInternals.unknownCheckingProxy;

/**
 * The engine's unknown sentinels (proxy.js). The plan only carries the string one; the others are listed so
 * a raw, unproxied value is never mistaken for data.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);
const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Marks a value that is not known at preview. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;
/** A three-valued answer: decided yes, decided no, or cannot tell yet. */
export type Tri = boolean | Unknown;

/**
 * Thrown by a rule after it has reported everything it could decide. Being an `UnknownValueError`, the
 * analyzer reports it as one advisory diagnostic instead of failing the preview.
 */
export class DeferredCheckError extends UnknownValueError {
    readonly unverified: string[];
    constructor(unverified: string[]) {
        super(UNKNOWN_STRING_SENTINEL, ["(deferred)"]);
        this.unverified = unverified;
        const shown = unverified.slice(0, 8).join("; ");
        const more = unverified.length > 8 ? `; and ${unverified.length - 8} more` : "";
        this.message = `cannot be verified at preview (unknown value): ${shown}${more}. ` +
            "`pulumi up` re-checks it once the value is known.";
        this.name = "DeferredCheckError";
    }
}

/** Whether a string embeds an unknown (a hand-built JSON document around an unknown value). */
export function hasUnknownSentinel(s: string): boolean {
    for (const sentinel of UNKNOWN_SENTINELS) {
        if (s.includes(sentinel)) {
            return true;
        }
    }
    return false;
}

function isSentinel(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

function isUnknownValueError(e: unknown): boolean {
    return e instanceof UnknownValueError;
}

/**
 * Reads `obj[key]` without letting an unknown escape: returns {@link UNKNOWN} for an unknown value,
 * `undefined` for a missing key or a non-object, and never reads inherited properties.
 */
export function peek(obj: unknown, key: string | number): unknown {
    if (obj === UNKNOWN) {
        return UNKNOWN;
    }
    if (obj === null || typeof obj !== "object") {
        return undefined;
    }
    try {
        if (!Object.prototype.hasOwnProperty.call(obj, key)) {
            return undefined;
        }
        const v = (obj as Record<string | number, unknown>)[key];
        return isSentinel(v) ? UNKNOWN : v;
    } catch (e) {
        if (isUnknownValueError(e)) {
            return UNKNOWN;
        }
        throw e;
    }
}

/** A plain deep copy of (possibly proxied) inputs in which every unknown is {@link UNKNOWN}. */
export function snapshot(value: unknown, depth = 0): unknown {
    if (value === UNKNOWN || isSentinel(value)) {
        return UNKNOWN;
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    // Inputs come from JSON, so they are trees; the cap only guards against a hand-built cyclic value.
    if (depth > 100) {
        return UNKNOWN;
    }
    if (Array.isArray(value)) {
        const length = peek(value, "length");
        const out: unknown[] = [];
        if (typeof length === "number") {
            for (let i = 0; i < length; i++) {
                out.push(snapshot(peek(value, i), depth + 1));
            }
        }
        return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
        out[k] = snapshot(peek(value, k), depth + 1);
    }
    return out;
}

/** Walks a snapshot: `at(props, "accessLogs", "enabled")`. UNKNOWN anywhere on the way gives UNKNOWN. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let cur = value;
    for (const key of path) {
        if (cur === UNKNOWN) {
            return UNKNOWN;
        }
        cur = peek(cur, key);
    }
    return cur;
}

// ------------------------------------------------------------------------------------------------
// Tolerant readers: programs (and hand-written plans) pass "true" for true and "7" for 7.
// ------------------------------------------------------------------------------------------------

export function asBool(v: unknown): boolean | undefined | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "boolean") {
        return v;
    }
    if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true") {
            return true;
        }
        if (s === "false") {
            return false;
        }
    }
    return undefined;
}

export function asNum(v: unknown): number | undefined | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
        return Number(v);
    }
    return undefined;
}

export function asStr(v: unknown): string | undefined | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "string") {
        return v;
    }
    if (typeof v === "number" || typeof v === "boolean") {
        return String(v);
    }
    return undefined;
}

/** An input list: absent → [], a lone value → [value] (lenient with hand-written inputs). */
export function asList(v: unknown): unknown[] | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (v === undefined || v === null) {
        return [];
    }
    return Array.isArray(v) ? v : [v];
}

/** Presence: UNKNOWN counts as set (see the convention at the top of this file). */
export function isPresent(v: unknown): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (v === undefined || v === null) {
        return false;
    }
    if (typeof v === "string") {
        return v.trim() !== "";
    }
    if (Array.isArray(v)) {
        return v.length > 0;
    }
    return true;
}

export function isTrue(v: unknown): Tri {
    const b = asBool(v);
    return b === UNKNOWN ? UNKNOWN : b === true;
}

/** `x !== true`, tolerant of "true"; UNKNOWN stays unknown. */
export function isNotTrue(v: unknown): Tri {
    const b = asBool(v);
    return b === UNKNOWN ? UNKNOWN : b !== true;
}

/** Compares a string case-insensitively with any of `allowed`. */
export function strIn(v: unknown, allowed: readonly string[]): Tri {
    const s = asStr(v);
    if (s === UNKNOWN) {
        return UNKNOWN;
    }
    return s !== undefined && allowed.some(a => a.toLowerCase() === s.toLowerCase());
}

export function atLeast(v: unknown, min: number): Tri {
    const n = asNum(v);
    if (n === UNKNOWN) {
        return UNKNOWN;
    }
    return n !== undefined && n >= min;
}

/** Three-valued AND. */
export function allOf(values: Tri[]): Tri {
    if (values.some(v => v === false)) {
        return false;
    }
    return values.some(v => v === UNKNOWN) ? UNKNOWN : true;
}

/** Three-valued OR. */
export function anyOf(values: Tri[]): Tri {
    if (values.some(v => v === true)) {
        return true;
    }
    return values.some(v => v === UNKNOWN) ? UNKNOWN : false;
}

/** A tag's value, UNKNOWN when the tag map itself is unknown. */
export function tagOf(props: unknown, key: string): string | undefined | Unknown {
    return asStr(at(props, "tags", key));
}

/** Renders a scalar for a message without dumping whole objects. */
export function show(v: unknown): string {
    if (v === UNKNOWN) {
        return "(unknown)";
    }
    if (v === undefined) {
        return "unset";
    }
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// ------------------------------------------------------------------------------------------------
// Findings: collect what a rule decided and what it could not, then hand both to the analyzer.
// ------------------------------------------------------------------------------------------------

export class Findings {
    private readonly failures: { message: string; urn?: string }[] = [];
    private readonly unverified: string[] = [];

    /** A decided violation. `urn` only matters for stack policies (resource policies report their resource). */
    fail(message: string, urn?: string): void {
        this.failures.push({ message, urn });
    }

    /** Something the rule needs but cannot see at preview. */
    unknown(what: string): void {
        if (!this.unverified.includes(what)) {
            this.unverified.push(what);
        }
    }

    /** Records a three-valued check: false is a violation, UNKNOWN is deferred. */
    expect(ok: Tri, what: string, message: string, urn?: string): void {
        if (ok === UNKNOWN) {
            this.unknown(what);
        } else if (!ok) {
            this.fail(message, urn);
        }
    }

    /** Reports the violations, then defers what could not be decided (see the file header). */
    flush(report: ReportViolation): void {
        for (const f of this.failures) {
            report(f.message, f.urn);
        }
        if (this.unverified.length > 0) {
            throw new DeferredCheckError(this.unverified);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Environment: a few rules only bind in prod.
// ------------------------------------------------------------------------------------------------

export type Environment = "dev" | "prod";

/**
 * Deliberately without a default: when the policy config doesn't say, the stack name decides (a policy
 * pack sees `pulumi.getStack()` since pulumi#3612), and anything unrecognized counts as prod.
 */
export const environmentProperty = {
    type: "string" as const,
    enum: ["dev", "prod"],
    description: "Stack environment. Unset: derived from the stack name (dev, dev-*: dev; anything else: prod).",
};

export function stackEnvironment(stack: string): Environment {
    const last = stack.split("/").pop() ?? "";
    return last === "dev" || last.startsWith("dev-") ? "dev" : "prod";
}

export function environmentOf(config: { environment?: unknown }): Environment {
    if (config.environment === "dev" || config.environment === "prod") {
        return config.environment;
    }
    let stack = "";
    try {
        stack = pulumi.getStack();
    } catch {
        // Outside a Pulumi program or policy pack host there is no stack: fall through to the strictest.
    }
    return stackEnvironment(stack);
}

// ------------------------------------------------------------------------------------------------
// IAM / resource-policy documents: string or object, Statement object or array, fields string or array.
// ------------------------------------------------------------------------------------------------

export interface PolicyStatement {
    sid: string | undefined;
    effect: "Allow" | "Deny";
    actions: unknown[] | Unknown;
    notActions: unknown[] | Unknown;
    resources: unknown[] | Unknown;
    hasNotResource: boolean;
    principal: unknown;
    notPrincipal: unknown;
    /** The condition block (UNKNOWN, undefined, or an operator → {key → value} map). */
    condition: unknown;
}

export type ParsedPolicy = { statements: PolicyStatement[] } | { error: string } | Unknown;

/** Parses an IAM or resource-policy document given as a JSON string or an object. */
export function parsePolicyDocument(raw: unknown): ParsedPolicy {
    if (raw === UNKNOWN) {
        return UNKNOWN;
    }
    let doc: unknown = raw;
    if (typeof raw === "string") {
        // A string built from unknown outputs is wholly unknown at preview; a sentinel inside a literal
        // string means a hand-built document embedded one, which is just as unknowable.
        if (hasUnknownSentinel(raw)) {
            return UNKNOWN;
        }
        try {
            doc = JSON.parse(raw);
        } catch {
            return { error: "the policy document is not valid JSON" };
        }
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        return { error: "the policy document is not a JSON object" };
    }
    const st = peek(doc, "Statement");
    if (st === UNKNOWN) {
        return UNKNOWN;
    }
    const list = st === undefined ? [] : Array.isArray(st) ? st : [st];
    const statements: PolicyStatement[] = [];
    for (const s of list) {
        if (s === UNKNOWN) {
            return UNKNOWN;
        }
        if (s === null || typeof s !== "object" || Array.isArray(s)) {
            return { error: "a policy Statement is not an object" };
        }
        const effect = asStr(peek(s, "Effect"));
        if (effect === UNKNOWN) {
            return UNKNOWN;
        }
        statements.push({
            sid: typeof peek(s, "Sid") === "string" ? (peek(s, "Sid") as string) : undefined,
            // A statement without a valid Effect is rejected by AWS; read it as Allow so it never passes as
            // a harmless Deny.
            effect: effect?.toLowerCase() === "deny" ? "Deny" : "Allow",
            actions: asList(peek(s, "Action")),
            notActions: asList(peek(s, "NotAction")),
            resources: asList(peek(s, "Resource")),
            hasNotResource: peek(s, "NotResource") !== undefined,
            principal: peek(s, "Principal"),
            notPrincipal: peek(s, "NotPrincipal"),
            condition: peek(s, "Condition"),
        });
    }
    return { statements };
}

export function isPolicyError(p: ParsedPolicy): p is { error: string } {
    return p !== UNKNOWN && "error" in p;
}

/** Whether a Principal grants everyone: `"*"`, `{AWS: "*"}`, `{AWS: [..., "*"]}`. */
export function isWildcardPrincipal(principal: unknown): Tri {
    if (principal === UNKNOWN) {
        return UNKNOWN;
    }
    if (principal === "*") {
        return true;
    }
    if (principal === null || typeof principal !== "object" || Array.isArray(principal)) {
        return false;
    }
    const aws = asList(peek(principal, "AWS"));
    if (aws === UNKNOWN) {
        return UNKNOWN;
    }
    return anyOf(aws.map(a => (a === UNKNOWN ? UNKNOWN : a === "*")));
}

/** The condition keys a statement tests, lower-cased (IAM keys are case-insensitive). */
export function conditionKeys(condition: unknown): string[] | Unknown {
    if (condition === UNKNOWN) {
        return UNKNOWN;
    }
    if (condition === null || typeof condition !== "object") {
        return [];
    }
    const keys: string[] = [];
    for (const op of Object.keys(condition)) {
        const block = peek(condition, op);
        if (block === UNKNOWN) {
            return UNKNOWN;
        }
        if (block !== null && typeof block === "object") {
            keys.push(...Object.keys(block).map(k => k.toLowerCase()));
        }
    }
    return keys;
}

/** IAM action wildcard matching (case-insensitive, `*` and `?`). */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(
        "^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$",
        "i",
    );
    return re.test(action);
}

// ------------------------------------------------------------------------------------------------
// Policy definitions with docs metadata.
// ------------------------------------------------------------------------------------------------

export type Family = "encryption" | "network" | "alarms" | "resilience" | "iam" | "logging";

export interface PolicyMeta {
    family: Family;
    /** Public controls the rule comes from, e.g. "RDS.3; CKV_AWS_16". */
    source: string;
}

export interface RegisteredPolicy {
    policy: ResourceValidationPolicy | StackValidationPolicy;
    meta: PolicyMeta;
}

export interface RuleSpec {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    family: Family;
    source: string;
    /** What to change, shown in the policy's docs (each violation message says it for its case). */
    remediation: string;
    configSchema?: PolicyConfigSchema;
}

/** What a resource rule sees: the analyzer's args with the inputs already made unknown-safe. */
export interface ResourceView {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    opts: PolicyResourceOptions;
    /** The explicit or default provider's inputs (e.g. `region`), when the engine sent them. */
    providerProps: Record<string, unknown> | undefined;
}

function asRecord(v: unknown): Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function specFields(spec: RuleSpec) {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        remediationSteps: spec.remediation,
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    };
}

/**
 * A resource policy for the given type tokens. Types are matched as strings (not SDK classes) so one rule
 * covers `aws:lb/...` and `aws:alb/...`, `Bucket` and `BucketV2`.
 */
export function resourceRule<C extends object>(
    spec: RuleSpec,
    types: readonly string[],
    check: (r: ResourceView, config: C, f: Findings) => void,
): RegisteredPolicy {
    const typeSet: ReadonlySet<string> = new Set(types);
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!typeSet.has(args.type)) {
            args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
        }
        const view: ResourceView = {
            type: args.type,
            name: args.name,
            urn: args.urn,
            props: asRecord(snapshot(args.props)),
            opts: args.opts,
            providerProps: args.provider ? asRecord(snapshot(args.provider.props)) : undefined,
        };
        const findings = new Findings();
        check(view, args.getConfig<C>(), findings);
        findings.flush(reportViolation);
    };
    // The offline runner skips other types without calling (the call would only say "not
    // applicable"); the engine ignores this property and calls every resource policy.
    Object.defineProperty(validateResource, APPLIES_TO, { value: typeSet });
    const policy: ResourceValidationPolicy = { ...specFields(spec), validateResource };
    return { policy, meta: { family: spec.family, source: spec.source } };
}

/** Property of a rule's validateResource holding the resource types it applies to (a ReadonlySet). */
export const APPLIES_TO = "groundworkAppliesTo";

/** One stack resource, unknown-safe, with its dependency edges resolved. */
export interface Res {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    opts: PolicyResourceOptions;
    providerProps: Record<string, unknown> | undefined;
    parent: Res | undefined;
    /** Resources whose outputs flowed into input `key` (an Output-to-input edge; not `dependsOn`). */
    deps(key: string): Res[];
}

/** The stack as a rule sees it: typed lookups over `args.resources`. */
export class StackView {
    readonly resources: Res[];
    private readonly byUrn = new Map<string, Res>();

    constructor(resources: PolicyResource[]) {
        const wrapped = new Map<PolicyResource, Res>();
        const wrap = (r: PolicyResource): Res => {
            const existing = wrapped.get(r);
            if (existing) {
                return existing;
            }
            let props: Record<string, unknown> | undefined;
            let providerProps: Record<string, unknown> | undefined | null = null;
            const res: Res = {
                type: r.type,
                name: r.name,
                urn: r.urn,
                get props() {
                    return (props ??= asRecord(snapshot(r.props)));
                },
                opts: r.opts,
                get providerProps() {
                    if (providerProps === null) {
                        providerProps = r.provider ? asRecord(snapshot(r.provider.props)) : undefined;
                    }
                    return providerProps;
                },
                get parent() {
                    return r.parent ? wrap(r.parent) : undefined;
                },
                deps: (key: string) => {
                    const list = r.propertyDependencies?.[key];
                    return Array.isArray(list) ? list.map(wrap) : [];
                },
            };
            wrapped.set(r, res);
            return res;
        };
        this.resources = resources.map(wrap);
        for (const r of this.resources) {
            this.byUrn.set(r.urn, r);
        }
    }

    ofType(...types: string[]): Res[] {
        const set = new Set(types);
        return this.resources.filter(r => set.has(r.type));
    }

    get(urn: string): Res | undefined {
        return this.byUrn.get(urn);
    }
}

/** A stack policy: `check` sees the whole stack and names the resource of each violation. */
export function stackRule<C extends object>(
    spec: RuleSpec,
    check: (stack: StackView, config: C, f: Findings) => void,
): RegisteredPolicy {
    const policy: StackValidationPolicy = {
        ...specFields(spec),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const findings = new Findings();
            check(new StackView(args.resources), args.getConfig<C>(), findings);
            findings.flush(reportViolation);
        },
    };
    return { policy, meta: { family: spec.family, source: spec.source } };
}

/** True when `from` has an Output-to-input edge on `key` to `to`. */
export function linked(from: Res, key: string, to: Res): boolean {
    return from.deps(key).some(d => d.urn === to.urn);
}

/**
 * The resources of `types` attached to `target` through input `key`: by an Output-to-input edge, or (a
 * literal name passed instead of an Output) by `key`'s value equalling the target's known `nameProp`.
 */
export function attachedTo(
    stack: StackView,
    types: readonly string[],
    key: string,
    target: Res,
    nameProp?: string,
): Res[] {
    const targetName = nameProp ? asStr(target.props[nameProp]) : undefined;
    return stack.ofType(...types).filter(r => {
        if (linked(r, key, target)) {
            return true;
        }
        const literal = asStr(r.props[key]);
        return typeof targetName === "string" && typeof literal === "string" && literal === targetName;
    });
}

/** Common type tokens, matched as strings. */
export const T = {
    rdsInstance: "aws:rds/instance:Instance",
    rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    bucketSse: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketPab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketOwnership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketVersioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    bucketLifecycle: [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    queueRedrive: "aws:sqs/redrivePolicy:RedrivePolicy",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
    secret: "aws:secretsmanager/secret:Secret",
    ecrRepository: "aws:ecr/repository:Repository",
    ecrRepositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    ecrLifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
    logDeliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    kmsKey: "aws:kms/key:Key",
    listeners: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    targetGroups: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
    distribution: "aws:cloudfront/distribution:Distribution",
    sesConfigurationSets: ["aws:ses/configurationSet:ConfigurationSet", "aws:sesv2/configurationSet:ConfigurationSet"],
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    ecsService: "aws:ecs/service:Service",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    ecsCluster: "aws:ecs/cluster:Cluster",
    iamPolicy: "aws:iam/policy:Policy",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamRole: "aws:iam/role:Role",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamRolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    identityPool: "aws:cognito/identityPool:IdentityPool",
} as const;
