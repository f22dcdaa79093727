/**
 * The one credential detector of the pack: by value shape and by name, for rules that look for secrets
 * written into resource inputs (iam-no-literal-credentials, iam-ecs-env-values, iam-lambda-env-secrets).
 * One detector means one judgement: a value is a credential for every rule or for none.
 *
 * Shapes are the ones secret scanners (gitleaks, GitHub secret scanning, detect-secrets, Checkov's
 * CKV_SECRET_*) key on: AWS access key ids (AKIA/ASIA + 16), PEM private key blocks, URLs carrying a
 * password, JSON Web Tokens, well-known token prefixes, and long random-looking strings. Values that refer to
 * a secret instead of holding it (ARNs, SSM paths, `{{resolve:...}}`, the plan's "[secret]" placeholder) are
 * not credentials.
 */
import { peek, UNKNOWN, Unknown } from "./unknowns";
import { asStr } from "./values";

const SHAPES: { re: RegExp; what: string }[] = [
    {
        re: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
        what: "a URL with an embedded password (scheme://user:password@host)",
    },
    { re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, what: "an AWS access key id (AKIA…/ASIA…)" },
    { re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, what: "a private key block" },
    { re: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/, what: "a JSON Web Token" },
    {
        re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abpors]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20})\b/,
        what: "a service token (GitHub, Slack, Stripe, GitLab)",
    },
];

/** Values that point at a secret (or a file, an SSM path) rather than hold one. */
const REFERENCE =
    /^(arn:aws[a-z-]*:|\{\{resolve:|\[secret\]$|alias\/|projects\/[^/]+\/secrets\/|ssm:|secretsmanager:|\/)/i;

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
 * A token-like string (an API key, a signing secret): 20+ characters of the token alphabet mixing letters and
 * digits, with ≥ 4 bits of entropy per character. Hex strings (commit SHAs, hashes, UUIDs) are identifiers
 * far more often than secrets and are left alone.
 */
export function isHighEntropyToken(s: string): boolean {
    const t = s.trim();
    if (t.length < 20 || !TOKEN_CHARS.test(t) || REFERENCE.test(t) || /^[0-9a-f-]+$/i.test(t)) {
        return false;
    }
    if (!/[A-Za-z]/.test(t) || !/[0-9]/.test(t) || t.split("/").length > 2) {
        return false;
    }
    // A lower-case, hyphenated resource name (`groundwork-prod-uploads-20261203081234567800000001`,
    // an S3 bucket made from a prefix) mixes words and digits with high entropy, but two or more
    // whole words between hyphens make it a name: tokens mix case and do not spell words.
    if (/^[a-z0-9-]+$/.test(t) && t.split("-").filter((segment) => /^[a-z]{3,}$/.test(segment)).length >= 2) {
        return false;
    }
    return entropy(t) >= 4;
}

/** What credential a value looks like, or undefined. */
export function credentialShape(value: string): string | undefined {
    const v = value.trim();
    if (v === "" || REFERENCE.test(v)) {
        return undefined;
    }
    for (const { re, what } of SHAPES) {
        if (re.test(v)) {
            return what;
        }
    }
    return isHighEntropyToken(v) ? "a long random token" : undefined;
}

const SECRET_NAME =
    /(passw(or)?d|passphrase|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|(^|[_-])auth($|[_-])|(^|[_-])key($|[_-]))/i;
const REFERENCE_NAME =
    /(_|-)?(arn|id|name|url|uri|path|file|region|length|ttl|expiry|header|prefix|param|parameter|endpoint)$/i;

/** Whether a variable name says it holds a secret (DB_PASSWORD, API_KEY), but not a reference to one (SECRET_ARN). */
export function isCredentialName(name: string): boolean {
    return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name);
}

/** Whether a literal value is a real value rather than empty or a reference. */
export function isLiteralValue(value: string): boolean {
    const t = value.trim();
    return t !== "" && !REFERENCE.test(t);
}

/** Why an environment variable looks like it carries a credential. */
export interface SecretHit {
    /** "value": the value itself has a credential's shape; "name": a secret-sounding name with a literal value. */
    kind: "value" | "name";
    /** What was recognised, for the message ("an AWS access key id"). */
    what: string;
}

/**
 * Whether a plain environment variable looks like a credential: by the shape of its value, or by a
 * secret-sounding name with a literal value that is not a reference (an ARN, an SSM path).
 * Empty values, placeholders and `allowedNames` never match.
 */
export function secretInEnv(name: string, value: string, allowedNames: readonly string[] = []): SecretHit | undefined {
    if (allowedNames.includes(name) || !isLiteralValue(value)) {
        return undefined;
    }
    const shape = credentialShape(value);
    if (shape) {
        return { kind: "value", what: shape };
    }
    if (isCredentialName(name)) {
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
