/**
 * IAM and resource-policy documents: string or object, Statement object or array, fields string or array.
 */
import { hasUnknownSentinel, peek, Tri, UNKNOWN, Unknown } from "./unknowns";
import { anyOf, asList, asStr } from "./values";

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
    return anyOf(aws.map((a) => (a === UNKNOWN ? UNKNOWN : a === "*")));
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
            keys.push(...Object.keys(block).map((k) => k.toLowerCase()));
        }
    }
    return keys;
}

/** IAM action wildcard matching (case-insensitive, `*` and `?`). */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(
        "^" +
            pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".") +
            "$",
        "i",
    );
    return re.test(action);
}
