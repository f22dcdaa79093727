/**
 * Unknown values, the way the analyzer hands them to a policy. No side effects.
 *
 * ## The convention every rule follows
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
 */
import * as policySdk from "@pulumi/policy";

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
        this.message =
            `cannot be verified at preview (unknown value): ${shown}${more}. ` +
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
