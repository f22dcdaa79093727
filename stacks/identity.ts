import { z } from "zod";
import {
    AUTH_MFA_MODES,
    PASSWORD_MIN_LENGTH,
    REFRESH_TOKEN_DAYS,
    THREAT_PROTECTION_MODES,
    TOKEN_MINUTES,
    domainPrefixProblem,
    redirectUrlProblem,
} from "../components/auth";
import { DMARC_POLICIES } from "../components/mail";
import type { DnsConfig } from "./edge";
import type { ConfigProblem } from "./errors";
import type { Environment } from "./schema";
import { distinctArray } from "./values";

/**
 * The identity and mail sections: `groundwork:auth` (the Cognito user pool and its clients) and
 * `groundwork:mail` (the SES domain). Raw schemas with every field documented, the tier defaults
 * in one table, and {@link resolveIdentityConfig}, which applies them and checks what spans
 * sections (mail needs a zone; callback URLs default to the site's). Value rules come from the
 * components (`components/auth.ts`, `components/mail.ts`): one rule for config and component.
 *
 * Only type imports from `./schema` (schema.ts imports this module; see data.ts).
 */

const NAMESPACE = "groundwork";

const redirectUrl = z.string().superRefine((url, ctx) => {
    const problem = redirectUrlProblem(url);
    if (problem !== undefined) {
        ctx.addIssue({ code: "custom", message: problem, input: url });
    }
});

const domainPrefix = z.string().superRefine((prefix, ctx) => {
    const problem = domainPrefixProblem(prefix);
    if (problem !== undefined) {
        ctx.addIssue({ code: "custom", message: problem, input: prefix });
    }
});

export const authSchema = z.strictObject({
    /** Create the user pool. Default true. */
    enabled: z.boolean().optional(),
    /** TOTP MFA: `off`, `optional` (dev default) or `required` (prod default). */
    mfa: z.enum(AUTH_MFA_MODES).optional(),
    /** Shortest password. Default 12; the pack's iam-cognito-password wants at least 12. */
    passwordMinLength: z.number().int().min(PASSWORD_MIN_LENGTH.min).max(PASSWORD_MIN_LENGTH.max).optional(),
    /** Require lower-case letters, upper-case letters, digits, symbols. Default all true. */
    passwordRequireLowercase: z.boolean().optional(),
    passwordRequireUppercase: z.boolean().optional(),
    passwordRequireNumbers: z.boolean().optional(),
    passwordRequireSymbols: z.boolean().optional(),
    /** Let people sign themselves up (else only administrators create users). Default false. */
    selfSignUp: z.boolean().optional(),
    /** Threat protection: `off` (dev default), `audit` or `enforced` (prod default; the Plus plan). */
    threatProtection: z.enum(THREAT_PROTECTION_MODES).optional(),
    /** Where the SPA's login returns to. Default the site's URL (`https://app.<zone>/`; dev without a zone: `http://localhost:3000/`). */
    callbackUrls: distinctArray(redirectUrl).min(1).optional(),
    /** Where logout returns to. Default each callback URL's site root. */
    logoutUrls: distinctArray(redirectUrl).min(1).optional(),
    /** Access and ID token lifetimes in minutes (5-1440). Default 60. */
    accessTokenMinutes: z.number().int().min(TOKEN_MINUTES.min).max(TOKEN_MINUTES.max).optional(),
    idTokenMinutes: z.number().int().min(TOKEN_MINUTES.min).max(TOKEN_MINUTES.max).optional(),
    /** Refresh token lifetime in days. Default 30. */
    refreshTokenDays: z.number().int().min(REFRESH_TOKEN_DAYS.min).max(REFRESH_TOKEN_DAYS.max).optional(),
    /** A confidential backend client whose secret goes to Secrets Manager. Default false. */
    backendClient: z.boolean().optional(),
    /**
     * The login domain: a Cognito prefix (`<prefix>.auth.<region>.amazoncognito.com`; unique in
     * the region across all accounts) or `custom` (`auth.<zone>`, prod default; the zone's apex
     * must resolve, a Cognito requirement). Default prefix `<project>-<stack>` in dev.
     */
    domainPrefix: domainPrefix.optional(),
    customDomain: z.boolean().optional(),
});

export const mailSchema = z.strictObject({
    /** Send mail through SES from the zone's domain. Default: on when the stack names a zone. */
    enabled: z.boolean().optional(),
    /** The MAIL FROM subdomain (bounces). Default `mail`. */
    mailFromSubdomain: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: "is not a DNS label" })
        .optional(),
    /** DMARC policy: `none`, `quarantine` (default) or `reject` (seed 002). */
    dmarcPolicy: z.enum(DMARC_POLICIES).optional(),
    /** Where DMARC aggregate reports go (rua). Default none. */
    dmarcReportAddress: z.email({ message: "is not an e-mail address" }).optional(),
});

/** The identity sections of the raw config; spread into the namespace schema. */
export const identityConfigShape = {
    auth: authSchema.optional(),
    mail: mailSchema.optional(),
};

export type RawIdentityConfig = {
    [K in keyof typeof identityConfigShape]?: z.infer<(typeof identityConfigShape)[K]>;
};

export interface AuthConfig {
    mfa: (typeof AUTH_MFA_MODES)[number];
    passwordMinLength: number;
    passwordRequireLowercase: boolean;
    passwordRequireUppercase: boolean;
    passwordRequireNumbers: boolean;
    passwordRequireSymbols: boolean;
    selfSignUp: boolean;
    threatProtection: (typeof THREAT_PROTECTION_MODES)[number];
    callbackUrls: string[];
    logoutUrls?: string[];
    accessTokenMinutes: number;
    idTokenMinutes: number;
    refreshTokenDays: number;
    backendClient: boolean;
    /** Exactly one of the two. */
    domainPrefix?: string;
    customDomain?: string;
}

export interface MailConfig {
    domain: string;
    mailFromSubdomain: string;
    dmarcPolicy: (typeof DMARC_POLICIES)[number];
    dmarcReportAddress?: string;
}

export interface IdentityConfig {
    /** Unset: no user pool. */
    auth?: AuthConfig;
    /** Unset: no SES identity (Cognito then mails through its own sender). */
    mail?: MailConfig;
}

/** What differs by tier: prod requires MFA, enforces threat protection and logs in on the stack's own domain. */
export const IDENTITY_TIER_DEFAULTS: Record<
    Environment,
    { mfa: AuthConfig["mfa"]; threatProtection: AuthConfig["threatProtection"]; customDomain: boolean }
> = {
    dev: { mfa: "optional", threatProtection: "off", customDomain: false },
    prod: { mfa: "required", threatProtection: "enforced", customDomain: true },
};

/**
 * Applies the tier defaults and checks what spans sections. Pure; problems are keyed
 * `groundwork:<section>.<field>`.
 */
export function resolveIdentityConfig(
    raw: RawIdentityConfig,
    environment: Environment,
    dns: DnsConfig | undefined,
    project: string,
    stack: string,
): { config: IdentityConfig; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const problem = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
    const tier = IDENTITY_TIER_DEFAULTS[environment];

    let mail: MailConfig | undefined;
    const rawMail = raw.mail ?? {};
    if (rawMail.enabled === true && dns === undefined) {
        problem("mail.enabled", "is true but no dns.zoneName is set: SES sends from the zone's domain; name a zone");
    } else if ((rawMail.enabled ?? dns !== undefined) && dns !== undefined) {
        mail = {
            domain: dns.zoneName,
            mailFromSubdomain: rawMail.mailFromSubdomain ?? "mail",
            dmarcPolicy: rawMail.dmarcPolicy ?? "quarantine",
            dmarcReportAddress: rawMail.dmarcReportAddress,
        };
    }

    let auth: AuthConfig | undefined;
    const rawAuth = raw.auth ?? {};
    if (rawAuth.enabled ?? true) {
        // Without a zone the tier's custom domain falls back to a prefix (prod without a zone is
        // already an error of its own, dns.zoneName).
        const wantsCustom =
            rawAuth.customDomain ?? (rawAuth.domainPrefix === undefined && tier.customDomain && dns !== undefined);
        if (rawAuth.customDomain === true && rawAuth.domainPrefix !== undefined) {
            problem("auth.domainPrefix", "is set together with customDomain: true; use one login domain");
        }
        if (wantsCustom && dns === undefined) {
            problem("auth.customDomain", "is true but no dns.zoneName is set: the login domain is auth.<zone>");
        }
        const mfa = rawAuth.mfa ?? tier.mfa;
        if (environment === "prod" && mfa === "off") {
            problem("auth.mfa", 'is "off" in prod; use "optional" or "required" (the pack\'s iam-cognito-mfa)');
        }
        const defaultCallback = dns ? `https://${dns.siteName}/` : "http://localhost:3000/";
        auth = {
            mfa,
            passwordMinLength: rawAuth.passwordMinLength ?? 12,
            passwordRequireLowercase: rawAuth.passwordRequireLowercase ?? true,
            passwordRequireUppercase: rawAuth.passwordRequireUppercase ?? true,
            passwordRequireNumbers: rawAuth.passwordRequireNumbers ?? true,
            passwordRequireSymbols: rawAuth.passwordRequireSymbols ?? true,
            selfSignUp: rawAuth.selfSignUp ?? false,
            threatProtection: rawAuth.threatProtection ?? tier.threatProtection,
            callbackUrls: rawAuth.callbackUrls ?? [defaultCallback],
            logoutUrls: rawAuth.logoutUrls,
            accessTokenMinutes: rawAuth.accessTokenMinutes ?? 60,
            idTokenMinutes: rawAuth.idTokenMinutes ?? 60,
            refreshTokenDays: rawAuth.refreshTokenDays ?? 30,
            backendClient: rawAuth.backendClient ?? false,
            ...(wantsCustom && dns
                ? { customDomain: `auth.${dns.zoneName}` }
                : {
                      domainPrefix:
                          rawAuth.domainPrefix ?? `${project}-${stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
                  }),
        };
        if (environment === "prod" && (dns !== undefined || rawAuth.callbackUrls !== undefined)) {
            const insecure = auth.callbackUrls.findIndex((u) => !u.startsWith("https://"));
            if (insecure >= 0) {
                problem(
                    `auth.callbackUrls[${insecure}]`,
                    `${JSON.stringify(auth.callbackUrls[insecure])} is not https; prod logs in only to the site`,
                );
            }
        }
    } else {
        for (const key of Object.keys(rawAuth).filter((k) => k !== "enabled")) {
            problem(`auth.${key}`, "is set but auth.enabled is false; remove it or turn auth on");
        }
    }
    return { config: { auth, mail }, problems };
}
