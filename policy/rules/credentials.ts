/**
 * Credential detection by value shape and by name, for rules that look for secrets written into
 * resource inputs (environment variables, passwords, tokens). Pure functions: reusable by any rule.
 *
 * Shapes are the ones secret scanners (gitleaks, GitHub secret scanning, detect-secrets) key on: AWS
 * access key ids (AKIA/ASIA + 16), PEM private key blocks, URLs carrying a password, JSON Web Tokens,
 * well-known token prefixes, and long high-entropy strings. Values that refer to a secret instead of
 * holding it (ARNs, `{{resolve:...}}`, the plan's "[secret]" placeholder) are not credentials.
 */

const SHAPES: { re: RegExp; what: string }[] = [
    { re: /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/, what: "an AWS access key id" },
    { re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, what: "a private key block" },
    { re: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: "a URL with a password" },
    { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, what: "a JSON Web Token" },
    {
        re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abpors]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20})\b/,
        what: "a service token",
    },
];

/** Values that point at a secret rather than hold one. */
const REFERENCE = /^(arn:aws[a-z-]*:|\{\{resolve:|\[secret\]$|alias\/|projects\/[^/]+\/secrets\/)/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
    const counts = new Map<string, number>();
    for (const ch of s) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    let h = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        h -= p * Math.log2(p);
    }
    return h;
}

/**
 * A token-like string: 20+ characters of one "word" (no spaces, not a URL or path), mixing letters and
 * digits, with ≥ 4 bits of entropy per character (hex digests, UUIDs and words fall below or are excluded).
 */
export function isHighEntropyToken(s: string): boolean {
    const t = s.trim();
    if (t.length < 20 || /\s/.test(t) || t.includes("://") || REFERENCE.test(t)) {
        return false;
    }
    if (/^[0-9a-f-]+$/i.test(t)) {
        return false; // hex digests, UUIDs: identifiers far more often than secrets
    }
    if (!/[A-Za-z]/.test(t) || !/[0-9]/.test(t) || t.split("/").length > 2) {
        return false;
    }
    return entropy(t) >= 4;
}

/** What credential a value looks like, or undefined. `highEntropy` also counts random-looking tokens. */
export function credentialShape(value: string, opts: { highEntropy?: boolean } = {}): string | undefined {
    if (REFERENCE.test(value.trim())) {
        return undefined;
    }
    for (const { re, what } of SHAPES) {
        if (re.test(value)) {
            return what;
        }
    }
    if (opts.highEntropy && isHighEntropyToken(value)) {
        return "a high-entropy token";
    }
    return undefined;
}

const SECRET_NAME =
    /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth|(^|[_-])key($|[_-]))/i;
const REFERENCE_NAME = /(_|-)?(arn|id|name|url|uri|path|file|region|length|ttl|expiry|header)$/i;

/** Whether a variable name says it holds a secret (DB_PASSWORD, API_KEY), but not a reference to one (SECRET_ARN). */
export function isCredentialName(name: string): boolean {
    return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name);
}

/** Whether a literal value is a real value rather than empty or a reference. */
export function isLiteralValue(value: string): boolean {
    const t = value.trim();
    return t !== "" && !REFERENCE.test(t);
}
