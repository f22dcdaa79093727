import { peek, UNKNOWN, Unknown } from "./lib/unknowns";
import { asStr } from "./lib/values";
/**
 * Helpers shared by the rules for the types the next components bring (ECS services, load balancer
 * listeners, CloudFront, WAF, Cognito, Lambda). No side effects, like util.ts.
 */

/** Type tokens these rules match, as strings (see util.ts `T` for the older ones). */
export const N = {
    listenerRules: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"],
    responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclRule: "aws:wafv2/webAclRule:WebAclRule",
    webAclRuleGroupAssociation: "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    userPool: "aws:cognito/userPool:UserPool",
    userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
    lambdaFunction: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    lambdaPermission: "aws:lambda/permission:Permission",
    functionEventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
} as const;

// ------------------------------------------------------------------------------------------------
// Credentials in plain environment values (ECS container `environment`, Lambda `environment.variables`).
// ------------------------------------------------------------------------------------------------

/** Why an environment variable looks like it carries a credential. */
export interface SecretHit {
    /** "value": the value itself has a credential's shape; "name": a secret-sounding name with a literal value. */
    kind: "value" | "name";
    /** What was recognised, for the message ("an AWS access key id"). */
    what: string;
}

const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;
const AWS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
/** Token alphabet: base64, base64url and hex. Dots, colons and spaces make it a name, URI or sentence. */
const TOKEN_CHARS = /^[A-Za-z0-9+/=_-]+$/;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
    const counts = new Map<string, number>();
    for (const ch of s) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

/**
 * A long random-looking token (an API key, a signing secret). Hex strings (commit SHAs, hashes) stay below
 * the threshold: 16 symbols give at most 4 bits per character; base64 secrets of 32+ characters reach ~4.5-5.
 */
function isHighEntropyToken(v: string): boolean {
    return v.length >= 32 && TOKEN_CHARS.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v) && entropy(v) >= 4.3;
}

/** The credential shape of a value, if any (CKV_SECRET_2/4/6/9/13 in Checkov's secret scanner). */
export function secretValueShape(value: string): string | undefined {
    const v = value.trim();
    if (URL_WITH_PASSWORD.test(v)) {
        return "a URL with an embedded password (scheme://user:password@host)";
    }
    if (AWS_KEY_ID.test(v)) {
        return "an AWS access key id (AKIA…/ASIA…)";
    }
    if (PRIVATE_KEY.test(v)) {
        return "a private key block";
    }
    if (JWT.test(v)) {
        return "a JSON Web Token";
    }
    if (isHighEntropyToken(v)) {
        return "a long random token";
    }
    return undefined;
}

/** Names of variables that hold secrets; suffixes that mean a reference to one, not the secret itself. */
const SECRET_NAME = /(PASSW(OR)?D|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const REFERENCE_NAME = /_(ARN|ID|NAME|PATH|PREFIX|PARAM|PARAMETER|ENDPOINT|URL|URI|HEADER|FILE|REGION|TTL)$/i;
/** Values that point at a secret store rather than holding a secret. */
const REFERENCE_VALUE = /^(arn:aws[a-z-]*:|\/|\{\{resolve:|ssm:|secretsmanager:)/i;

/**
 * Whether a plain environment variable looks like a credential: by the shape of its value, or by a
 * secret-sounding name with a literal value that is not a reference (an ARN, an SSM path).
 * Empty values, placeholders and `allowedNames` never match.
 */
export function secretInEnv(name: string, value: string, allowedNames: readonly string[] = []): SecretHit | undefined {
    if (allowedNames.includes(name) || value.trim() === "") {
        return undefined;
    }
    const shape = secretValueShape(value);
    if (shape) {
        return { kind: "value", what: shape };
    }
    if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && !REFERENCE_VALUE.test(value.trim())) {
        return { kind: "name", what: "a secret-sounding name with a literal value" };
    }
    return undefined;
}

/** Environment entries as name/value pairs: an ECS `[{ name, value }]` list or a Lambda `{ NAME: value }` map. */
export function envEntries(env: unknown): { name: string; value: unknown }[] | Unknown {
    if (env === UNKNOWN) {
        return UNKNOWN;
    }
    if (Array.isArray(env)) {
        const out: { name: string; value: unknown }[] = [];
        for (const e of env) {
            const name = asStr(peek(e, "name"));
            if (typeof name === "string") {
                out.push({ name, value: peek(e, "value") });
            }
        }
        return out;
    }
    if (env !== null && typeof env === "object") {
        return Object.keys(env).map((name) => ({ name, value: peek(env, name) }));
    }
    return [];
}

// ------------------------------------------------------------------------------------------------
// Small readers.
// ------------------------------------------------------------------------------------------------

/** Whether an object input has key `key` set (a present-but-empty block such as `block: {}` counts). */
export function hasBlock(obj: unknown, key: string): boolean | Unknown {
    const v = peek(obj, key);
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    return v !== undefined && v !== null;
}

/** A redirect URL is acceptable over HTTPS, or plain HTTP to the local machine (development sign-in). */
export function isSecureRedirectUrl(url: string): boolean {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return false;
    }
    if (parsed.protocol === "https:") {
        return true;
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    return parsed.protocol === "http:" && (host === "localhost" || host === "127.0.0.1" || host === "::1");
}
