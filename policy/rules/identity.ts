/**
 * Cognito user pools and app clients (identity pools: net-cognito-guest). Prod-only rules use the pack's
 * one `prodOnly` guard (lib/define.ts): `environment` from their config, else the stack name; off in dev.
 */
import { RegisteredPolicy, resourceRule } from "./lib/define";
import { EnvConfig, envSchema } from "./lib/environment";
import { at, UNKNOWN } from "./lib/unknowns";
import { asList, asNum, asStr, atLeast, isPresent, isTrue, show, strIn } from "./lib/values";
import { isSecureRedirectUrl, N } from "./next-helpers";

const iamCognitoMfa = resourceRule(
    {
        name: "iam-cognito-mfa",
        description: "Prod user pools require or offer MFA.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "Cognito.5; cognito-user-pool-mfa-enabled",
        remediation:
            'In prod set mfaConfiguration "ON" (or "OPTIONAL") with softwareTokenMfaConfiguration { enabled: true }.',
        configSchema: envSchema,
        prodOnly: true,
    },
    [N.userPool],
    (r, cfg: EnvConfig, f) => {
        const mfa = r.props.mfaConfiguration;
        f.expect(
            strIn(mfa, ["ON", "OPTIONAL"]),
            "mfaConfiguration",
            `mfaConfiguration is ${show(mfa)}, so a leaked password is enough to sign in: set it to "ON" (or ` +
                '"OPTIONAL") with an authenticator app factor (softwareTokenMfaConfiguration { enabled: true }).',
        );
    },
);

interface PasswordConfig {
    minLength?: number;
    maxTemporaryPasswordDays?: number;
}

const CHARACTER_CLASSES = ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"] as const;

const iamCognitoPassword = resourceRule(
    {
        name: "iam-cognito-password",
        description: "User pool password policies require at least 12 characters from all four character classes.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "Cognito.3; cognito-user-pool-password-policy-check",
        remediation:
            "Set passwordPolicy { minimumLength: 12, requireLowercase: true, requireUppercase: true, " +
            "requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7 }.",
        configSchema: {
            properties: {
                minLength: {
                    type: "integer",
                    minimum: 8,
                    maximum: 99,
                    default: 12,
                    description: "Shortest acceptable minimumLength.",
                },
                maxTemporaryPasswordDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 365,
                    default: 7,
                    description: "Longest acceptable temporaryPasswordValidityDays.",
                },
            },
        },
    },
    [N.userPool],
    (r, cfg: PasswordConfig, f) => {
        const min = cfg.minLength ?? 12;
        const maxTemp = cfg.maxTemporaryPasswordDays ?? 7;
        const policy = r.props.passwordPolicy;
        if (policy === UNKNOWN) {
            f.unknown("passwordPolicy");
            return;
        }
        if (policy === undefined || policy === null) {
            f.fail(
                `passwordPolicy is not set, so Cognito accepts 8-character passwords: set minimumLength: ${min} and ` +
                    "require all four character classes.",
            );
            return;
        }
        const length = at(policy, "minimumLength");
        f.expect(
            atLeast(length, min),
            "passwordPolicy.minimumLength",
            `passwordPolicy.minimumLength is ${show(length)}: set it to at least ${min}.`,
        );
        const off = CHARACTER_CLASSES.filter((k) => isTrue(at(policy, k)) === false);
        if (off.length > 0) {
            f.fail(`passwordPolicy doesn't require ${off.join(", ")}: set ${off.map((k) => `${k}: true`).join(", ")}.`);
        }
        for (const k of CHARACTER_CLASSES) {
            if (isTrue(at(policy, k)) === UNKNOWN) {
                f.unknown(`passwordPolicy.${k}`);
            }
        }
        const temp = asNum(at(policy, "temporaryPasswordValidityDays"));
        f.expect(
            temp === UNKNOWN ? UNKNOWN : temp === undefined || temp <= maxTemp,
            "passwordPolicy.temporaryPasswordValidityDays",
            `passwordPolicy.temporaryPasswordValidityDays is ${show(temp)}: keep temporary passwords at most ${maxTemp} days.`,
        );
    },
);

const iamCognitoThreatProtection = resourceRule(
    {
        name: "iam-cognito-threat-protection",
        description: "User pools run threat protection (advanced security) in enforced mode.",
        enforcementLevel: "advisory",
        family: "iam",
        source: "Cognito.1; Cognito.4",
        remediation:
            'Set userPoolTier "PLUS" and userPoolAddOns { advancedSecurityMode: "ENFORCED" } (with custom ' +
            'auth triggers also advancedSecurityAdditionalFlows { customAuthMode: "ENFORCED" }); PLUS is billed per MAU.',
    },
    [N.userPool],
    (r, _cfg, f) => {
        const tier = asStr(r.props.userPoolTier);
        const mode = at(r.props, "userPoolAddOns", "advancedSecurityMode");
        const tierNote =
            typeof tier === "string" && tier.toUpperCase() !== "PLUS"
                ? ` (threat protection needs userPoolTier "PLUS"; this pool is ${tier})`
                : "";
        f.expect(
            strIn(mode, ["ENFORCED"]),
            "userPoolAddOns.advancedSecurityMode",
            `userPoolAddOns.advancedSecurityMode is ${show(mode)}, so compromised credentials and risky sign-ins are not ` +
                `blocked${tierNote}: set it to "ENFORCED".`,
        );
        const customAuth = at(r.props, "lambdaConfig", "defineAuthChallenge");
        if (customAuth === UNKNOWN || isPresent(customAuth)) {
            const customMode = at(r.props, "userPoolAddOns", "advancedSecurityAdditionalFlows", "customAuthMode");
            f.expect(
                strIn(customMode, ["ENFORCED"]),
                "userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode",
                `the pool uses custom authentication but customAuthMode is ${show(customMode)}: set ` +
                    'advancedSecurityAdditionalFlows { customAuthMode: "ENFORCED" }.',
            );
        }
    },
);

const iamCognitoClient = resourceRule(
    {
        name: "iam-cognito-client",
        description:
            "User pool app clients redirect only over HTTPS, don't use the implicit grant and hide whether a user exists.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "RFC 9700 (OAuth 2.0 Security BCP) 2.1.2; Cognito prevent-user-existence-errors",
        remediation:
            "Use https:// callback and logout URLs (http://localhost only for development), the code flow with " +
            'PKCE instead of "implicit", and preventUserExistenceErrors "ENABLED".',
    },
    [N.userPoolClient],
    (r, _cfg, f) => {
        for (const key of ["callbackUrls", "logoutUrls"] as const) {
            const urls = asList(r.props[key]);
            if (urls === UNKNOWN) {
                f.unknown(key);
                continue;
            }
            urls.forEach((u, i) => {
                const url = asStr(u);
                if (url === UNKNOWN) {
                    f.unknown(`${key}[${i}]`);
                } else if (typeof url === "string" && !isSecureRedirectUrl(url)) {
                    f.fail(
                        `${key} contains ${show(url)}: redirect only to https:// URLs (http://localhost is allowed for ` +
                            "development), or tokens and codes travel in clear text.",
                    );
                }
            });
        }
        const defaultUri = asStr(r.props.defaultRedirectUri);
        if (defaultUri === UNKNOWN) {
            f.unknown("defaultRedirectUri");
        } else if (typeof defaultUri === "string" && !isSecureRedirectUrl(defaultUri)) {
            f.fail(`defaultRedirectUri ${show(defaultUri)} is not https://: use an https:// URL.`);
        }
        const flows = asList(r.props.allowedOauthFlows);
        if (flows === UNKNOWN) {
            f.unknown("allowedOauthFlows");
        } else if (flows.some((x) => x === UNKNOWN)) {
            f.unknown("allowedOauthFlows element");
        } else if (flows.some((x) => typeof x === "string" && x.toLowerCase() === "implicit")) {
            f.fail(
                'allowedOauthFlows includes "implicit", which returns tokens in the URL fragment: use ["code"] ' +
                    "with PKCE.",
            );
        }
        const pue = r.props.preventUserExistenceErrors;
        f.expect(
            strIn(pue, ["ENABLED"]),
            "preventUserExistenceErrors",
            `preventUserExistenceErrors is ${show(pue)} (unset means LEGACY), so sign-in and reset answers reveal which ` +
                'users exist: set it to "ENABLED".',
        );
    },
);

const resCognitoDeleteProtect = resourceRule(
    {
        name: "res-cognito-delete-protect",
        description: "Prod user pools have deletion protection.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "Cognito.6; cognito-user-pool-deletion-protection-enabled",
        remediation: 'In prod set deletionProtection "ACTIVE" (and protect the pool with the stack\'s protect option).',
        configSchema: envSchema,
        prodOnly: true,
    },
    [N.userPool],
    (r, cfg: EnvConfig, f) => {
        const dp = r.props.deletionProtection;
        f.expect(
            strIn(dp, ["ACTIVE"]),
            "deletionProtection",
            `deletionProtection is ${show(dp)} (unset means INACTIVE), so one API call deletes every user: set it to ` +
                '"ACTIVE" in prod.',
        );
    },
);

export const identityPolicies: RegisteredPolicy[] = [
    iamCognitoMfa,
    iamCognitoPassword,
    iamCognitoThreatProtection,
    iamCognitoClient,
    resCognitoDeleteProtect,
];
