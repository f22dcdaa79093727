import * as path from "path";
import { expect } from "chai";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import * as sns from "@pulumi/aws/sns";
import {
    Auth,
    AuthArgs,
    PASSWORD_MIN_LENGTH,
    REFRESH_TOKEN_DAYS,
    RISKY_REQUESTS_PER_5_MINUTES,
    TOKEN_MINUTES,
    USER_POOL_FIXED_PROPERTIES,
    USER_POOL_SCHEMA,
    customDomainProblem,
    defaultLogoutUrls,
    domainPrefixProblem,
    normalizeAuthArgs,
    prefixDomainHost,
    redirectUrlProblem,
    redirectUrlsProblem,
    userPoolArgs,
} from "../../components/auth";
import { loadPolicyConfig } from "../../policy/runner";
import { ROOT, Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean, violationsOf } from "../policy/fixtures";

const T = {
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    domain: "aws:cognito/userPoolDomain:UserPoolDomain",
    branding: "aws:cognito/managedLoginBranding:ManagedLoginBranding",
    risk: "aws:cognito/riskConfiguration:RiskConfiguration",
    record: "aws:route53/record:Record",
    secret: "aws:secretsmanager/secret:Secret",
    version: "aws:secretsmanager/secretVersion:SecretVersion",
    key: "aws:kms/key:Key",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";
const CALLBACK = "https://app.example.com/auth/callback";
const SES = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0";

/** Dev-like: prefix domain, Cognito's sender, the defaults. */
const DEV: AuthArgs = { spaCallbackUrls: [CALLBACK], domainPrefix: "groundwork-dev-login", alarmTopicArn: TOPIC };

/** Prod-like: custom domain, SES, MFA required, threat protection enforced, backend client, protected. */
const PROD: AuthArgs = {
    spaCallbackUrls: [CALLBACK],
    customDomain: "auth.example.com",
    customDomainCertificateArn: CERT,
    zoneId: "Z0123456789ABCDEFGHIJ",
    sesIdentityArn: SES,
    fromAddress: "Example <no-reply@example.com>",
    sesConfigurationSetName: "groundwork-prod",
    mfa: "required",
    threatProtection: "enforced",
    backendClient: true,
    backendCallbackUrls: ["https://api.example.com/auth/callback"],
    alarmTopicArn: TOPIC,
    protect: true,
};

/** With `withTopic`, the alarms notify a subscribed topic of the program, as the stack's Monitoring does. */
async function auth(args: AuthArgs = DEV, withTopic = false): Promise<{ rec: Recorded; auth: Auth }> {
    let created: Auth | undefined;
    const rec = await run(() => {
        let alarmTopicArn = args.alarmTopicArn;
        if (withTopic) {
            const topic = new sns.Topic("alarms");
            new sns.TopicSubscription("ops", { topic: topic.arn, protocol: "email", endpoint: "ops@example.com" });
            alarmTopicArn = topic.arn;
        }
        created = new Auth("auth", { ...args, alarmTopicArn });
    });
    return { rec, auth: created! };
}

const poolOf = (rec: Recorded) => rec.one(T.pool, "auth");
const clientOf = (rec: Recorded, kind: string) => rec.one(T.client, `auth-${kind}`);
const alarmNames = (rec: Recorded) => rec.ofType(T.alarm).map((a) => a.name);

describe("Auth", () => {
    describe("user pool", () => {
        let rec: Recorded;
        before(async () => {
            rec = (await auth()).rec;
        });

        it("signs in with a case-insensitive, code-verified e-mail address and recovers accounts by e-mail only", () => {
            const pool = poolOf(rec);
            expect(pool.props).to.deep.include({
                name: "groundwork-test-auth",
                usernameAttributes: ["email"],
                usernameConfiguration: { caseSensitive: false },
                autoVerifiedAttributes: ["email"],
                userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                verificationMessageTemplate: { defaultEmailOption: "CONFIRM_WITH_CODE" },
            });
            expect(pool.props).not.to.have.property("aliasAttributes");
        });

        it("declares exactly the fixed schema: e-mail, required and mutable", () => {
            expect(poolOf(rec).props.schemas).to.deep.equal(USER_POOL_SCHEMA.map((a) => ({ ...a })));
            expect(USER_POOL_SCHEMA).to.have.length(1);
            expect(USER_POOL_SCHEMA[0]).to.include({ name: "email", required: true, mutable: true });
        });

        it("requires 12-character passwords from four character classes, temporary ones valid 7 days", () => {
            expect(poolOf(rec).props.passwordPolicy).to.deep.equal({
                minimumLength: 12,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 7,
            });
        });

        it("offers TOTP MFA by default, lets only administrators create users, and runs on Essentials without threat protection", () => {
            expect(poolOf(rec).props).to.deep.include({
                mfaConfiguration: "OPTIONAL",
                softwareTokenMfaConfiguration: { enabled: true },
                adminCreateUserConfig: { allowAdminCreateUserOnly: true },
                userPoolTier: "ESSENTIALS",
                userPoolAddOns: { advancedSecurityMode: "OFF" },
            });
            expect(rec.ofType(T.risk)).to.deep.equal([]);
        });

        it("sends mail with Cognito's default sender when no SES identity is given", () => {
            expect(poolOf(rec).props.emailConfiguration).to.deep.equal({ emailSendingAccount: "COGNITO_DEFAULT" });
        });

        it("is unprotected, with deletion protection off, outside prod", () => {
            expect(poolOf(rec).props.deletionProtection).to.equal("INACTIVE");
            expect(poolOf(rec).options).to.include({ protect: false, retainOnDelete: false });
        });
    });

    describe("options", () => {
        it("applies a password policy of the caller's", async () => {
            const { rec } = await auth({
                ...DEV,
                passwordMinLength: 16,
                passwordRequireSymbols: false,
                temporaryPasswordValidityDays: 3,
            });
            expect(poolOf(rec).props.passwordPolicy).to.include({
                minimumLength: 16,
                requireSymbols: false,
                requireLowercase: true,
                temporaryPasswordValidityDays: 3,
            });
        });

        it("requires TOTP with mfa required, and drops the TOTP block with mfa off", async () => {
            const required = await auth({ ...DEV, mfa: "required" });
            expect(poolOf(required.rec).props).to.deep.include({
                mfaConfiguration: "ON",
                softwareTokenMfaConfiguration: { enabled: true },
            });
            const off = await auth({ ...DEV, mfa: "off" });
            expect(poolOf(off.rec).props.mfaConfiguration).to.equal("OFF");
            expect(poolOf(off.rec).props).not.to.have.property("softwareTokenMfaConfiguration");
        });

        it("lets people sign up themselves when asked, and watches sign-up throttles then", async () => {
            const { rec } = await auth({ ...DEV, selfSignUp: true });
            expect(poolOf(rec).props.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: false });
            expect(alarmNames(rec)).to.include("auth-spa-sign-up-throttles");
            expect(alarmNames((await auth()).rec)).not.to.include("auth-spa-sign-up-throttles");
        });

        it("audits risk on the Plus plan without blocking", async () => {
            const { rec } = await auth({ ...DEV, threatProtection: "audit" });
            expect(poolOf(rec).props).to.deep.include({
                userPoolTier: "PLUS",
                userPoolAddOns: { advancedSecurityMode: "AUDIT" },
            });
            expect(rec.ofType(T.risk)).to.deep.equal([]);
        });

        it("enforced: blocks compromised credentials and high-risk sign-ins, asks medium risk for MFA", async () => {
            const { rec } = await auth({ ...DEV, threatProtection: "enforced" });
            expect(poolOf(rec).props).to.deep.include({
                userPoolTier: "PLUS",
                userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
            });
            const risk = rec.one(T.risk, "auth-risk");
            expect(risk.propertyDependencies.userPoolId).to.deep.equal([poolOf(rec).urn]);
            expect(risk.props).not.to.have.property("clientId");
            expect(risk.props.compromisedCredentialsRiskConfiguration).to.deep.equal({
                eventFilters: ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
                actions: { eventAction: "BLOCK" },
            });
            expect(risk.props.accountTakeoverRiskConfiguration).to.deep.equal({
                actions: {
                    lowAction: { eventAction: "NO_ACTION", notify: false },
                    mediumAction: { eventAction: "MFA_IF_CONFIGURED", notify: false },
                    highAction: { eventAction: "BLOCK", notify: false },
                },
            });
        });

        it("sends mail through the SES identity and configuration set when given", async () => {
            const { rec } = await auth({
                ...DEV,
                sesIdentityArn: SES,
                fromAddress: "no-reply@example.com",
                sesConfigurationSetName: "groundwork-dev",
            });
            expect(poolOf(rec).props.emailConfiguration).to.deep.equal({
                emailSendingAccount: "DEVELOPER",
                sourceArn: SES,
                fromEmailAddress: "no-reply@example.com",
                configurationSet: "groundwork-dev",
            });
        });

        it("protects the pool and turns deletion protection on when protected", async () => {
            const { rec } = await auth({ ...DEV, protect: true });
            expect(poolOf(rec).props.deletionProtection).to.equal("ACTIVE");
            expect(poolOf(rec).options).to.include({ protect: true, retainOnDelete: true });
        });
    });

    describe("app clients", () => {
        it("makes the SPA a public authorization-code client with revocation and no user-existence leaks", async () => {
            const { rec, auth: created } = await auth();
            const spa = clientOf(rec, "spa");
            expect(spa.props).to.deep.include({
                name: "auth-spa",
                generateSecret: false,
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: ["openid", "email", "profile"],
                supportedIdentityProviders: ["COGNITO"],
                callbackUrls: [CALLBACK],
                logoutUrls: ["https://app.example.com/"],
                explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                enableTokenRevocation: true,
                preventUserExistenceErrors: "ENABLED",
            });
            expect(spa.propertyDependencies.userPoolId).to.deep.equal([poolOf(rec).urn]);
            expect(rec.ofType(T.client)).to.have.length(1);
            expect(created.backendClientId).to.equal(undefined);
            expect(created.backendClientSecretArn).to.equal(undefined);
            expect(rec.ofType(T.secret)).to.deep.equal([]);
        });

        it("gives tokens the configured lifetimes in minutes and days", async () => {
            const defaults = clientOf((await auth()).rec, "spa").props;
            expect(defaults).to.deep.include({
                accessTokenValidity: 60,
                idTokenValidity: 60,
                refreshTokenValidity: 30,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            });
            const custom = clientOf(
                (await auth({ ...DEV, accessTokenMinutes: 15, idTokenMinutes: 5, refreshTokenDays: 7 })).rec,
                "spa",
            ).props;
            expect(custom).to.include({ accessTokenValidity: 15, idTokenValidity: 5, refreshTokenValidity: 7 });
        });

        it("uses the given logout URLs, localhost over http included", async () => {
            const { rec } = await auth({
                ...DEV,
                spaCallbackUrls: [CALLBACK, "http://localhost:5173/auth/callback"],
                spaLogoutUrls: ["https://app.example.com/signed-out", "http://localhost:5173/"],
            });
            expect(clientOf(rec, "spa").props).to.deep.include({
                callbackUrls: [CALLBACK, "http://localhost:5173/auth/callback"],
                logoutUrls: ["https://app.example.com/signed-out", "http://localhost:5173/"],
            });
        });

        describe("backend client", () => {
            let rec: Recorded;
            let created: Auth;
            before(async () => {
                ({ rec, auth: created } = await auth({
                    ...DEV,
                    backendClient: true,
                    backendCallbackUrls: ["https://api.example.com/auth/callback"],
                }));
            });

            it("is a confidential code-flow client that only redeems codes and refresh tokens", () => {
                expect(clientOf(rec, "backend").props).to.deep.include({
                    generateSecret: true,
                    allowedOauthFlows: ["code"],
                    callbackUrls: ["https://api.example.com/auth/callback"],
                    logoutUrls: ["https://api.example.com/"],
                    explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
                    enableTokenRevocation: true,
                    preventUserExistenceErrors: "ENABLED",
                });
            });

            it("keeps only its secret in Secrets Manager, encrypted with a key of its own", async () => {
                const secret = rec.one(T.secret, "auth-backend-secret");
                const key = rec.one(T.key, "auth-key");
                expect(secret.props).to.include({ name: "groundwork/test/auth/cognito", recoveryWindowInDays: 0 });
                expect(secret.propertyDependencies.kmsKeyId).to.deep.equal([key.urn]);
                const version = rec.one(T.version, "auth-backend-secret");
                expect(version.props.secretString).to.equal("[secret]");
                expect(version.propertyDependencies.secretString).to.deep.equal([clientOf(rec, "backend").urn]);
                expect(version.propertyDependencies.secretId).to.deep.equal([secret.urn]);
                expect(await promiseOf(created.backendClientSecretArn!)).to.match(
                    /^arn:aws:secretsmanager:us-east-1:123456789012:secret:groundwork\/test\/auth\/cognito-/,
                );
                expect(created.backendClientSecretName).to.equal("groundwork/test/auth/cognito");
            });

            it("never puts the client secret in clear text in a resource or output", async () => {
                const clientSecret = await promiseOf(created.nodes.backendClient!.clientSecret);
                expect(clientSecret).to.match(/^mock-client-secret-/);
                expect(JSON.stringify(rec.resources.map((r) => r.props))).not.to.include(clientSecret);
                expect(JSON.stringify(rec.outputs)).not.to.include(clientSecret);
            });

            it("outputs its ID and watches its throttles too", async () => {
                expect(await promiseOf(created.backendClientId!)).to.match(/^[0-9a-f]{26}$/);
                expect(alarmNames(rec)).to.include.members([
                    "auth-backend-sign-in-throttles",
                    "auth-backend-token-refresh-throttles",
                ]);
            });
        });

        it("uses a given key for the backend secret and creates none, and keeps it 30 days when protected", async () => {
            const key = "arn:aws:kms:us-east-1:123456789012:key/0b1d2c3e";
            const { rec } = await auth({ ...PROD, secretKmsKeyArn: key });
            expect(rec.ofType(T.key)).to.deep.equal([]);
            const secret = rec.one(T.secret, "auth-backend-secret");
            expect(secret.props).to.include({ kmsKeyId: key, recoveryWindowInDays: 30 });
            expect(secret.options).to.include({ protect: true, retainOnDelete: true });
        });
    });

    describe("login domain", () => {
        it("serves managed login v2 on a Cognito prefix domain, each client with Cognito's default style", async () => {
            const { rec, auth: created } = await auth();
            const domain = rec.one(T.domain, "auth-domain");
            expect(domain.props).to.include({ domain: "groundwork-dev-login", managedLoginVersion: 2 });
            expect(domain.props).not.to.have.property("certificateArn");
            expect(rec.ofType(T.record)).to.deep.equal([]);
            expect(await promiseOf(created.domain)).to.equal("groundwork-dev-login.auth.us-east-1.amazoncognito.com");
            const [branding] = rec.ofType(T.branding);
            expect(branding.props).to.include({ useCognitoProvidedValues: true });
            expect(branding.propertyDependencies.clientId).to.deep.equal([clientOf(rec, "spa").urn]);
        });

        it("serves a custom domain with its us-east-1 certificate behind an alias A record", async () => {
            const { rec, auth: created } = await auth(PROD);
            const domain = rec.one(T.domain, "auth-domain");
            expect(domain.props).to.include({
                domain: "auth.example.com",
                certificateArn: CERT,
                managedLoginVersion: 2,
            });
            const record = rec.one(T.record, "auth-domain");
            const distribution = await promiseOf(created.nodes.userPoolDomain.cloudfrontDistribution);
            expect(record.props).to.deep.include({
                zoneId: "Z0123456789ABCDEFGHIJ",
                name: "auth.example.com",
                type: "A",
                aliases: [{ name: distribution, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
            });
            expect(record.propertyDependencies.aliases).to.deep.equal([domain.urn]);
            expect(await promiseOf(created.domain)).to.equal("auth.example.com");
            expect(rec.ofType(T.branding).map((b) => b.name)).to.have.members([
                "auth-spa-branding",
                "auth-backend-branding",
            ]);
        });
    });

    describe("outputs", () => {
        it("gives the backend what it validates tokens with: pool, client, issuer and JWKS URL", async () => {
            const { auth: created } = await auth();
            const poolId = await promiseOf(created.userPoolId);
            expect(poolId).to.match(/^us-east-1_[0-9a-f]{9}$/);
            expect(await promiseOf(created.userPoolArn)).to.equal(
                `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${poolId}`,
            );
            expect(await promiseOf(created.spaClientId)).to.match(/^[0-9a-f]{26}$/);
            expect(await promiseOf(created.issuerUrl)).to.equal(
                `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
            );
            expect(await promiseOf(created.jwksUrl)).to.equal(
                `https://cognito-idp.us-east-1.amazonaws.com/${poolId}/.well-known/jwks.json`,
            );
        });
    });

    describe("alarms and dashboard", () => {
        it("alarms on throttled sign-ins (critical) and token refreshes (warning) per client, linked to pool and client", async () => {
            const { rec } = await auth();
            const alarms = rec.ofType(T.alarm);
            expect(alarms.map((a) => a.name)).to.have.members([
                "auth-spa-sign-in-throttles",
                "auth-spa-token-refresh-throttles",
            ]);
            const signIn = rec.one(T.alarm, "auth-spa-sign-in-throttles");
            expect(signIn.props).to.include({
                namespace: "AWS/Cognito",
                metricName: "SignInThrottles",
                statistic: "Sum",
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
            });
            expect(signIn.props.tags).to.deep.equal({ severity: "critical" });
            expect(signIn.props.alarmActions).to.deep.equal([TOPIC]);
            expect(Object.keys(signIn.props.dimensions as object)).to.have.members(["UserPool", "UserPoolClient"]);
            expect(signIn.propertyDependencies.dimensions).to.have.members([poolOf(rec).urn, clientOf(rec, "spa").urn]);
            expect(rec.one(T.alarm, "auth-spa-token-refresh-throttles").props.tags).to.deep.equal({
                severity: "warning",
            });
        });

        it("with threat protection, alarms on bursts of high-risk and leaked-password sign-ins", async () => {
            for (const mode of ["audit", "enforced"]) {
                const { rec, auth: created } = await auth({ ...DEV, threatProtection: mode });
                const poolId = await promiseOf(created.userPoolId);
                for (const [name, metric] of [
                    ["auth-takeover-sign-ins", "AccountTakeoverRisk"],
                    ["auth-compromised-sign-ins", "CompromisedCredentialRisk"],
                ]) {
                    expect(rec.one(T.alarm, name).props).to.deep.include({
                        metricName: metric,
                        dimensions: { Operation: "SignIn", RiskLevel: "high", UserPoolId: poolId },
                        threshold: RISKY_REQUESTS_PER_5_MINUTES,
                        period: 300,
                    });
                }
                expect(created.dashboardWidgets).to.have.length(3);
            }
        });

        it("adds a dashboard row of sign-ins and throttles per client", async () => {
            const { auth: created } = await auth();
            expect(created.dashboardWidgets).to.have.length(2);
            const props = (await promiseOf(pulumi.output(created.dashboardWidgets[0].properties))) as unknown as {
                metrics: string[][];
            };
            const poolId = await promiseOf(created.userPoolId);
            const clientId = await promiseOf(created.spaClientId);
            expect(props.metrics).to.deep.equal([
                ["AWS/Cognito", "SignInSuccesses", "UserPool", poolId, "UserPoolClient", clientId],
                ["AWS/Cognito", "SignInThrottles", "UserPool", poolId, "UserPoolClient", clientId],
            ]);
        });
    });

    describe("schema stability", () => {
        /** The pool's URN and every property that would replace it or fail the update if it changed. */
        const fingerprint = (rec: Recorded): Record<string, unknown> => {
            const pool = poolOf(rec);
            return {
                urn: pool.urn,
                ...Object.fromEntries(USER_POOL_FIXED_PROPERTIES.map((p) => [p, pool.props[p]])),
            };
        };

        it("lists the properties the provider replaces the pool for", () => {
            expect([...USER_POOL_FIXED_PROPERTIES]).to.have.members([
                "name",
                "aliasAttributes",
                "usernameAttributes",
                "usernameConfiguration",
                "schemas",
            ]);
        });

        it("keeps the pool's URN, schema and sign-in attributes whatever else changes", async () => {
            const baseline = fingerprint((await auth()).rec);
            expect(baseline.schemas).to.have.length(1);
            await fc.assert(
                fc.asyncProperty(
                    fc.record({
                        mfa: fc.constantFrom("off", "optional", "required"),
                        threatProtection: fc.constantFrom("off", "audit", "enforced"),
                        passwordMinLength: fc.integer({ min: PASSWORD_MIN_LENGTH.min, max: PASSWORD_MIN_LENGTH.max }),
                        passwordRequireSymbols: fc.boolean(),
                        selfSignUp: fc.boolean(),
                        refreshTokenDays: fc.integer({ min: REFRESH_TOKEN_DAYS.min, max: REFRESH_TOKEN_DAYS.max }),
                        backendClient: fc.boolean(),
                        custom: fc.boolean(),
                        ses: fc.boolean(),
                        protect: fc.boolean(),
                        callbackPath: fc.constantFrom("/callback", "/auth/cb", "/"),
                    }),
                    async (v) => {
                        const { rec } = await auth({
                            spaCallbackUrls: [`https://app.example.com${v.callbackPath}`],
                            mfa: v.mfa,
                            threatProtection: v.threatProtection,
                            passwordMinLength: v.passwordMinLength,
                            passwordRequireSymbols: v.passwordRequireSymbols,
                            selfSignUp: v.selfSignUp,
                            refreshTokenDays: v.refreshTokenDays,
                            ...(v.backendClient
                                ? { backendClient: true, backendCallbackUrls: ["https://api.example.com/cb"] }
                                : {}),
                            ...(v.custom
                                ? { customDomain: "auth.example.com", customDomainCertificateArn: CERT, zoneId: "Z1" }
                                : { domainPrefix: "groundwork-dev-login" }),
                            ...(v.ses ? { sesIdentityArn: SES, fromAddress: "no-reply@example.com" } : {}),
                            protect: v.protect,
                            alarmTopicArn: TOPIC,
                        });
                        expect(fingerprint(rec)).to.deep.equal(baseline);
                    },
                ),
                { numRuns: 8 },
            );
        });

        it("derives none of the fixed properties from any argument", () => {
            const fixed = (args: AuthArgs) => {
                const props = userPoolArgs("pool", normalizeAuthArgs("auth", args)) as Record<string, unknown>;
                return USER_POOL_FIXED_PROPERTIES.map((p) => props[p]);
            };
            const baseline = fixed(DEV);
            fc.assert(
                fc.property(
                    fc.record({
                        mfa: fc.constantFrom("off", "optional", "required"),
                        threatProtection: fc.constantFrom("off", "audit", "enforced"),
                        passwordMinLength: fc.integer({ min: PASSWORD_MIN_LENGTH.min, max: PASSWORD_MIN_LENGTH.max }),
                        passwordRequireLowercase: fc.boolean(),
                        passwordRequireUppercase: fc.boolean(),
                        passwordRequireNumbers: fc.boolean(),
                        passwordRequireSymbols: fc.boolean(),
                        temporaryPasswordValidityDays: fc.integer({ min: 1, max: 365 }),
                        selfSignUp: fc.boolean(),
                        accessTokenMinutes: fc.integer({ min: TOKEN_MINUTES.min, max: TOKEN_MINUTES.max }),
                        idTokenMinutes: fc.integer({ min: TOKEN_MINUTES.min, max: TOKEN_MINUTES.max }),
                        protect: fc.boolean(),
                    }),
                    (v) => {
                        expect(fixed({ ...DEV, ...v })).to.deep.equal(baseline);
                    },
                ),
                { numRuns: 200 },
            );
        });
    });

    describe("policy pack", () => {
        const prodConfig = loadPolicyConfig(path.join(ROOT, "policy", "prod.json"));

        it("passes every rule in prod, with no mandatory or advisory finding on its resources", async () => {
            const { rec } = await auth(PROD, true);
            const report = evaluate(rec.resources, prodConfig, "prod");
            // The component and its children (the test's own topic is not under review).
            const urns = new Set(
                rec.resources.filter((r) => r.urn.includes("groundwork:index:Auth")).map((r) => r.urn),
            );
            const ours = report.violations.filter((v) => v.urn === undefined || urns.has(v.urn));
            expect(ours.map((v) => `${v.policyName}: ${v.message}`)).to.deep.equal([]);
        });

        it("is flagged in prod without MFA, deletion protection or enforced threat protection", async () => {
            const { rec } = await auth({ ...PROD, mfa: "off", threatProtection: "audit", protect: false }, true);
            const report = evaluate(rec.resources, prodConfig, "prod");
            const pool = poolOf(rec).urn;
            expect(violationsOf(report, "iam-cognito-mfa", pool)).to.have.length(1);
            expect(violationsOf(report, "res-cognito-delete-protect", pool)).to.have.length(1);
            expect(violationsOf(report, "iam-cognito-threat-protection", pool)).to.have.length(1);
        });

        it("keeps the dev defaults clean of the rules that apply everywhere", async () => {
            const { rec } = await auth(DEV, true);
            const report = evaluate(rec.resources, loadPolicyConfig(path.join(ROOT, "policy", "dev.json")), "dev");
            for (const policy of ["iam-cognito-password", "iam-cognito-client", "iam-cognito-mfa", "alarm-actions"]) {
                expectClean(report, policy);
            }
        });
    });

    describe("arguments", () => {
        const bad: [string, Partial<AuthArgs>][] = [
            ["mfa", { mfa: "sms" }],
            ["threatProtection", { threatProtection: "full" }],
            ["passwordMinLength", { passwordMinLength: 7 }],
            ["passwordMinLength", { passwordMinLength: 100 }],
            ["temporaryPasswordValidityDays", { temporaryPasswordValidityDays: 0 }],
            ["accessTokenMinutes", { accessTokenMinutes: 4 }],
            ["idTokenMinutes", { idTokenMinutes: 1441 }],
            ["refreshTokenDays", { refreshTokenDays: 0 }],
            ["spaCallbackUrls", { spaCallbackUrls: [] }],
            ["spaCallbackUrls", { spaCallbackUrls: ["http://app.example.com/callback"] }],
            ["spaCallbackUrls", { spaCallbackUrls: ["http://127.0.0.1:3000/callback"] }],
            ["spaCallbackUrls", { spaCallbackUrls: ["https://app.example.com/#/callback"] }],
            ["spaCallbackUrls", { spaCallbackUrls: [CALLBACK, CALLBACK] }],
            ["spaLogoutUrls", { spaLogoutUrls: ["myapp://signed-out"] }],
            ["backendCallbackUrls", { backendClient: true }],
            ["backendCallbackUrls", { backendCallbackUrls: ["https://api.example.com/cb"] }],
            ["secretKmsKeyArn", { secretKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/x" }],
            ["recoveryWindowInDays", { backendClient: true, backendCallbackUrls: [CALLBACK], recoveryWindowInDays: 3 }],
            ["fromAddress", { sesIdentityArn: SES }],
            ["fromAddress", { sesIdentityArn: SES, fromAddress: "no-reply" }],
            ["fromAddress", { fromAddress: "no-reply@example.com" }],
            ["sesConfigurationSetName", { sesConfigurationSetName: "set" }],
            ["sesIdentityArn", { sesIdentityArn: "example.com", fromAddress: "a@example.com" }],
            ["domainPrefix", { domainPrefix: undefined }],
            ["customDomain", { customDomain: "auth.example.com" }],
            ["domainPrefix", { domainPrefix: "my-aws-login" }],
            ["domainPrefix", { domainPrefix: "Login" }],
            ["zoneId", { zoneId: "Z1" }],
            ["customDomainCertificateArn", { domainPrefix: undefined, customDomain: "auth.example.com", zoneId: "Z1" }],
            [
                "customDomainCertificateArn",
                {
                    domainPrefix: undefined,
                    customDomain: "auth.example.com",
                    zoneId: "Z1",
                    customDomainCertificateArn: CERT.replace("us-east-1", "eu-west-1"),
                },
            ],
            ["zoneId", { domainPrefix: undefined, customDomain: "auth.example.com", customDomainCertificateArn: CERT }],
            ["customDomain", { domainPrefix: undefined, customDomain: "Auth.Example.com" }],
            ["selfSignUp", { selfSignUp: "yes" as unknown as boolean }],
            ["alarmTopicArn", { alarmTopicArn: "" }],
        ];
        for (const [arg, args] of bad) {
            it(`rejects ${JSON.stringify(args)}, naming ${arg}`, () => {
                expect(() => normalizeAuthArgs("auth", { ...DEV, ...args })).to.throw(
                    new RegExp(`^Auth "auth": args\\.${arg} `),
                );
            });
        }

        it("accepts the bounds", () => {
            const cfg = normalizeAuthArgs("auth", {
                ...DEV,
                passwordMinLength: 8,
                accessTokenMinutes: 1440,
                idTokenMinutes: 5,
                refreshTokenDays: 3650,
            });
            expect(cfg.password.minimumLength).to.equal(8);
            expect(cfg).to.include({ accessTokenMinutes: 1440, idTokenMinutes: 5, refreshTokenDays: 3650 });
            expect(normalizeAuthArgs("auth", { ...DEV, passwordMinLength: 99 }).password.minimumLength).to.equal(99);
        });
    });

    describe("helpers", () => {
        it("accepts https and http://localhost redirects, nothing else", () => {
            for (const ok of [
                CALLBACK,
                "https://app.example.com",
                "http://localhost",
                "http://localhost:3000/cb?x=1",
            ]) {
                expect(redirectUrlProblem(ok), ok).to.equal(undefined);
            }
            const problems: [string, RegExp][] = [
                ["http://app.example.com/cb", /clear text/],
                ["http://127.0.0.1:3000/cb", /outside localhost/],
                ["app.example.com/cb", /not an absolute URL/],
                ["https://app.example.com/#/cb", /fragment/],
                ["myapp://callback", /use https/],
                [`https://app.example.com/${"x".repeat(1024)}`, /longer than 1024/],
            ];
            for (const [url, problem] of problems) {
                expect(redirectUrlProblem(url), url).to.match(problem);
            }
        });

        it("refuses over 100 redirect URLs per client", () => {
            const urls = Array.from({ length: 101 }, (_, i) => `https://app.example.com/${i}`);
            expect(redirectUrlsProblem(urls.slice(0, 100))).to.equal(undefined);
            expect(redirectUrlsProblem(urls)).to.match(/at most 100/);
        });

        it("checks prefix and custom domains as Cognito does", () => {
            expect(domainPrefixProblem("groundwork-dev-login")).to.equal(undefined);
            expect(domainPrefixProblem("a")).to.equal(undefined);
            for (const bad of ["-login", "login-", "log_in", "x".repeat(64), "amazonlogin", "mycognito", "aws"]) {
                expect(domainPrefixProblem(bad), bad).not.to.equal(undefined);
            }
            expect(customDomainProblem("auth.example.com")).to.equal(undefined);
            for (const bad of ["auth", "auth..example.com", "-auth.example.com", `${"a".repeat(60)}.example.com`]) {
                expect(customDomainProblem(bad), bad).not.to.equal(undefined);
            }
            expect(prefixDomainHost("login", "eu-west-1")).to.equal("login.auth.eu-west-1.amazoncognito.com");
        });

        it("defaults logout URLs to each callback's site root, once", () => {
            expect(
                defaultLogoutUrls([CALLBACK, "https://app.example.com/other", "http://localhost:5173/auth/callback"]),
            ).to.deep.equal(["https://app.example.com/", "http://localhost:5173/"]);
        });
    });
});
