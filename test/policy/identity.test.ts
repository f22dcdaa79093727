import { evaluate, expectClean, expectDeferred, expectViolation, res, U } from "./fixtures";
import { goodUserPoolClientProps, goodUserPoolProps, NT, userPool } from "./fixtures-next";

const PROD = { environment: "prod" };
const DEV = { environment: "dev" };
const pool = (overrides: Record<string, unknown>) => res(NT.userPool, "users", goodUserPoolProps(overrides));
const client = (overrides: Record<string, unknown>) =>
    res(NT.userPoolClient, "web", goodUserPoolClientProps(overrides));

describe("policy family: identity (Cognito)", () => {
    describe("iam-cognito-mfa (prod)", () => {
        it("passes MFA ON in prod, and MFA OFF in dev", () => {
            expectClean(evaluate(userPool().all, { "iam-cognito-mfa": PROD }), "iam-cognito-mfa");
            expectClean(evaluate([pool({ mfaConfiguration: "OFF" })], { "iam-cognito-mfa": DEV }), "iam-cognito-mfa");
        });
        it("flags MFA OFF in prod", () =>
            expectViolation(
                evaluate([pool({ mfaConfiguration: "OFF" })], { "iam-cognito-mfa": PROD }),
                "iam-cognito-mfa",
                'mfaConfiguration is "OFF"',
            ));
        it("defers an unknown MFA setting", () =>
            expectDeferred(
                evaluate([pool({ mfaConfiguration: U })], { "iam-cognito-mfa": PROD }),
                "iam-cognito-mfa",
                "mfaConfiguration",
            ));
    });

    describe("iam-cognito-password", () => {
        it("passes 12 characters from four classes", () =>
            expectClean(evaluate(userPool().all), "iam-cognito-password"));
        it("flags a short policy without symbols, long-lived temporary passwords, and no policy", () => {
            const weak = pool({
                passwordPolicy: {
                    minimumLength: 8,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: false,
                    temporaryPasswordValidityDays: 30,
                },
            });
            const none = res(NT.userPool, "none", goodUserPoolProps({ passwordPolicy: undefined }));
            const report = evaluate([weak, none]);
            expectViolation(report, "iam-cognito-password", "minimumLength is 8", weak.urn);
            expectViolation(report, "iam-cognito-password", "doesn't require requireSymbols", weak.urn);
            expectViolation(report, "iam-cognito-password", "temporaryPasswordValidityDays is 30", weak.urn);
            expectViolation(report, "iam-cognito-password", "passwordPolicy is not set", none.urn);
        });
        it("defers an unknown minimum length", () =>
            expectDeferred(
                evaluate([
                    pool({
                        passwordPolicy: {
                            minimumLength: U,
                            requireLowercase: true,
                            requireUppercase: true,
                            requireNumbers: true,
                            requireSymbols: true,
                        },
                    }),
                ]),
                "iam-cognito-password",
                "passwordPolicy.minimumLength",
            ));
    });

    describe("iam-cognito-threat-protection", () => {
        it("passes enforced threat protection on the PLUS tier", () =>
            expectClean(evaluate(userPool().all), "iam-cognito-threat-protection"));
        it("flags audit-only protection, and none on the ESSENTIALS tier", () => {
            const audit = pool({ userPoolAddOns: { advancedSecurityMode: "AUDIT" } });
            const essentials = res(
                NT.userPool,
                "ess",
                goodUserPoolProps({ userPoolTier: "ESSENTIALS", userPoolAddOns: undefined }),
            );
            const report = evaluate([audit, essentials]);
            expectViolation(report, "iam-cognito-threat-protection", 'advancedSecurityMode is "AUDIT"', audit.urn);
            expectViolation(report, "iam-cognito-threat-protection", 'needs userPoolTier "PLUS"', essentials.urn);
        });
        it("defers an unknown mode", () =>
            expectDeferred(
                evaluate([pool({ userPoolAddOns: { advancedSecurityMode: U } })]),
                "iam-cognito-threat-protection",
                "userPoolAddOns.advancedSecurityMode",
            ));
    });

    describe("iam-cognito-client", () => {
        it("passes https (and localhost) redirects, the code flow and hidden user existence", () =>
            expectClean(evaluate(userPool().all), "iam-cognito-client"));
        it("flags http redirects, the implicit flow and LEGACY existence errors", () => {
            const report = evaluate([
                client({
                    callbackUrls: ["http://app.example.com/cb"],
                    allowedOauthFlows: ["code", "implicit"],
                    preventUserExistenceErrors: undefined,
                }),
            ]);
            expectViolation(report, "iam-cognito-client", 'callbackUrls contains "http://app.example.com/cb"');
            expectViolation(report, "iam-cognito-client", 'includes "implicit"');
            expectViolation(report, "iam-cognito-client", "preventUserExistenceErrors is unset");
        });
        it("defers unknown callback URLs", () =>
            expectDeferred(evaluate([client({ callbackUrls: U })]), "iam-cognito-client", "callbackUrls"));
    });

    describe("res-cognito-delete-protect (prod)", () => {
        it("passes an ACTIVE pool in prod, and an unprotected one in dev", () => {
            expectClean(evaluate(userPool().all, { "res-cognito-delete-protect": PROD }), "res-cognito-delete-protect");
            expectClean(
                evaluate([pool({ deletionProtection: "INACTIVE" })], { "res-cognito-delete-protect": DEV }),
                "res-cognito-delete-protect",
            );
        });
        it("flags an unprotected prod pool (the stack name decides without config)", () =>
            expectViolation(
                evaluate([pool({ deletionProtection: undefined })], {}, "prod"),
                "res-cognito-delete-protect",
                "deletionProtection is unset",
            ));
        it("defers an unknown setting", () =>
            expectDeferred(
                evaluate([pool({ deletionProtection: U })], { "res-cognito-delete-protect": PROD }),
                "res-cognito-delete-protect",
                "deletionProtection",
            ));
    });
});
