import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as cognito from "@pulumi/aws/cognito";
import * as route53 from "@pulumi/aws/route53";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmRoutes, AlarmSpec, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { requireRecoveryWindow, secretName, stackScopedName } from "./internal/naming";

/** MFA modes: `off`, `optional` (each user may enrol an authenticator app) or `required` (every user must). */
export const AUTH_MFA_MODES = ["off", "optional", "required"] as const;
export type AuthMfaMode = (typeof AUTH_MFA_MODES)[number];

/** Threat protection (formerly "advanced security") modes; `audit` and `enforced` need the Plus feature plan. */
export const THREAT_PROTECTION_MODES = ["off", "audit", "enforced"] as const;
export type ThreatProtectionMode = (typeof THREAT_PROTECTION_MODES)[number];

/**
 * Password length bounds: Cognito accepts 6-99 (CreateUserPool, PasswordPolicyType.MinimumLength);
 * Groundwork refuses below 8, the least NIST SP 800-63B allows for a user-chosen password.
 */
export const PASSWORD_MIN_LENGTH = { min: 8, max: 99 } as const;

/** Days an administrator-issued temporary password stays valid (PasswordPolicyType: 0-365; 0 would expire at once). */
export const TEMPORARY_PASSWORD_DAYS = { min: 1, max: 365 } as const;

/** Access and ID token lifetimes Cognito accepts, in minutes (5 minutes to 1 day). */
export const TOKEN_MINUTES = { min: 5, max: 24 * 60 } as const;

/** Refresh token lifetimes Cognito accepts, in days (60 minutes to 10 years; whole days here). */
export const REFRESH_TOKEN_DAYS = { min: 1, max: 3650 } as const;

/** Cognito's limits on an app client's callback and logout URLs (UserPoolClientType: 100 URLs of 1-1,024 characters). */
export const REDIRECT_URLS = { max: 100, maxLength: 1024 } as const;

/**
 * The user pool's attributes. Cognito never changes or removes an attribute of an existing pool:
 * the provider refuses such an update ("cannot modify or remove schema items") and only adds
 * custom attributes (AddCustomAttributes). Changing anything here therefore means a new pool and
 * losing every user; attributes the application needs later are added as `custom:` attributes,
 * never by editing these. Only `email` is declared: it is the username, so it is required, and
 * mutable so a user can change address (after verifying the new one). All other standard OIDC
 * attributes (`name`, `given_name`, `locale`, …) exist in every pool as optional attributes
 * without being listed. The constraints repeat what Cognito stores for `email`, so reading the
 * pool back shows no difference.
 */
export const USER_POOL_SCHEMA: readonly SchemaAttribute[] = Object.freeze([
    Object.freeze({
        name: "email",
        attributeDataType: "String",
        developerOnlyAttribute: false,
        mutable: true,
        required: true,
        stringAttributeConstraints: Object.freeze({ minLength: "0", maxLength: "2048" }),
    }),
]);

/** One attribute of {@link USER_POOL_SCHEMA}, as the provider's `schemas` takes it. */
export interface SchemaAttribute {
    readonly name: string;
    readonly attributeDataType: string;
    readonly developerOnlyAttribute: boolean;
    readonly mutable: boolean;
    readonly required: boolean;
    readonly stringAttributeConstraints: { readonly minLength: string; readonly maxLength: string };
}

/**
 * User pool properties that cannot change in place: the provider replaces the pool when `name`,
 * `aliasAttributes`, `usernameAttributes` or `usernameConfiguration.caseSensitive` change
 * (terraform-provider-aws `aws_cognito_user_pool`, ForceNew), and fails the update when a schema
 * attribute is modified or removed. None of them may depend on an argument of {@link Auth}.
 */
export const USER_POOL_FIXED_PROPERTIES = [
    "name",
    "aliasAttributes",
    "usernameAttributes",
    "usernameConfiguration",
    "schemas",
] as const;

/**
 * Threat protection alarms fire above this many high-risk requests in 5 minutes: single risky
 * sign-ins are routine on a public pool (and blocked when enforced); a burst is an attack wave
 * such as credential stuffing.
 */
export const RISKY_REQUESTS_PER_5_MINUTES = 10;

/**
 * What is wrong with an OAuth redirect (callback or logout) URL, or undefined. Cognito accepts
 * https:// and, for development only, http://localhost (Cognito Developer Guide, "App clients":
 * "HTTPS over HTTP except for http://localhost"); a redirect URI carries no fragment (RFC 6749
 * 3.1.2). Native-app schemes (`myapp://`) are refused: these clients serve web applications.
 */
export function redirectUrlProblem(url: string): string | undefined {
    if (url.length > REDIRECT_URLS.maxLength) {
        return `is longer than ${REDIRECT_URLS.maxLength} characters, the most Cognito accepts`;
    }
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return "is not an absolute URL";
    }
    if (url.includes("#")) {
        return "has a fragment (#…), which an OAuth redirect URI may not carry";
    }
    if (parsed.protocol === "https:") {
        return parsed.hostname === "" ? "has no host" : undefined;
    }
    if (parsed.protocol === "http:") {
        return parsed.hostname === "localhost"
            ? undefined
            : "uses http:// outside localhost: tokens and codes would travel in clear text; use https://";
    }
    return `uses ${parsed.protocol}//; use https:// (or http://localhost for development)`;
}

/** What is wrong with a list of redirect URLs (each as {@link redirectUrlProblem}, at most 100, no repeats), or undefined. */
export function redirectUrlsProblem(urls: readonly string[]): string | undefined {
    if (urls.length > REDIRECT_URLS.max) {
        return `lists ${urls.length} URLs; Cognito accepts at most ${REDIRECT_URLS.max} per client`;
    }
    const seen = new Set<string>();
    for (const url of urls) {
        const problem = redirectUrlProblem(url);
        if (problem !== undefined) {
            return `has ${JSON.stringify(url)}, which ${problem}`;
        }
        if (seen.has(url)) {
            return `lists ${JSON.stringify(url)} twice`;
        }
        seen.add(url);
    }
    return undefined;
}

/**
 * What is wrong with a Cognito prefix domain (`<prefix>.auth.<region>.amazoncognito.com`), or
 * undefined: 1-63 lower-case letters, digits and hyphens, not starting or ending with a hyphen
 * (CreateUserPoolDomain, Domain), without the reserved words aws, amazon or cognito (Cognito
 * Developer Guide, "Using the Amazon Cognito prefix domain"). Prefixes are unique per region across
 * all accounts, so a taken one fails at deployment.
 */
export function domainPrefixProblem(prefix: string): string | undefined {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
        return "is not 1-63 lower-case letters, digits and hyphens (no hyphen first or last)";
    }
    const reserved = ["aws", "amazon", "cognito"].find((word) => prefix.includes(word));
    return reserved === undefined ? undefined : `contains "${reserved}", which Cognito reserves`;
}

/**
 * What is wrong with a custom login domain (`auth.example.com`), or undefined: a lower-case host
 * name of at most 63 characters (CreateUserPoolDomain, Domain: length 1-63), with at least one dot.
 */
export function customDomainProblem(domain: string): string | undefined {
    if (domain.length > 63) {
        return "is longer than 63 characters, the most Cognito accepts for a domain";
    }
    const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    return new RegExp(`^${label}(?:\\.${label})+$`).test(domain)
        ? undefined
        : "is not a lower-case host name such as auth.example.com";
}

/** The host of a Cognito prefix domain: `<prefix>.auth.<region>.amazoncognito.com`. */
export function prefixDomainHost(prefix: string, region: string): string {
    return `${prefix}.auth.${region}.amazoncognito.com`;
}

/** `from@example.com` or `Display Name <from@example.com>`, as Cognito's EmailConfiguration.From takes it. */
const FROM_ADDRESS = /^(?:[^<>@]+ <[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

/** The logout URLs that default from callback URLs: each one's site root, once. */
export function defaultLogoutUrls(callbackUrls: readonly string[]): string[] {
    return [...new Set(callbackUrls.map((url) => `${new URL(url).origin}/`))];
}

export interface AuthArgs {
    /**
     * Multi-factor authentication with an authenticator app (TOTP; no SMS, so no SNS spend or
     * SIM-swap exposure): `off`, `optional` (users may enrol) or `required` (every user enrols at
     * first sign-in). Changes in place.
     * @default "optional"
     */
    mfa?: string;
    /**
     * Shortest password accepted (8-99). The policy pack asks for 12 or more.
     * @default 12
     */
    passwordMinLength?: number;
    /** Passwords need a lower-case letter. @default true */
    passwordRequireLowercase?: boolean;
    /** Passwords need an upper-case letter. @default true */
    passwordRequireUppercase?: boolean;
    /** Passwords need a digit. @default true */
    passwordRequireNumbers?: boolean;
    /** Passwords need a symbol. @default true */
    passwordRequireSymbols?: boolean;
    /**
     * Days a temporary password from an administrator (admin-created users) stays valid (1-365).
     * @default 7
     */
    temporaryPasswordValidityDays?: number;
    /**
     * Let people sign themselves up (they verify their e-mail with a code). Off, only
     * administrators create users (`AdminCreateUser`), which also keeps sign-up bots from
     * running up the MAU bill.
     * @default false
     */
    selfSignUp?: boolean;
    /**
     * Threat protection: `off`, `audit` (risk is scored and published as metrics, nothing is
     * blocked) or `enforced` (compromised credentials are blocked, and so are high-risk sign-ins;
     * medium risk asks for MFA where the user has it). `audit` and `enforced` move the pool to the
     * Plus feature plan: $0.02 per monthly active user with no free tier, against Essentials'
     * 10,000 free MAUs then $0.015 (Cognito pricing). Changes in place.
     * @default "off"
     */
    threatProtection?: string;
    /**
     * ARN of the verified SES identity (the Mail component's domain identity) Cognito sends its
     * mail from (`DEVELOPER` sending). Without it Cognito's own sender is used: at most 50 mails a
     * day per account, from no-reply@verificationemail.com — for development only.
     * @default undefined (Cognito's default sender)
     */
    sesIdentityArn?: pulumi.Input<string>;
    /**
     * Sender of Cognito's mail (`no-reply@example.com` or `Example <no-reply@example.com>`), an
     * address of the SES identity. Required with `sesIdentityArn`.
     * @default undefined
     */
    fromAddress?: string;
    /**
     * SES configuration set Cognito's mail goes through (event publishing, TLS). Only with `sesIdentityArn`.
     * @default undefined
     */
    sesConfigurationSetName?: pulumi.Input<string>;
    /**
     * Where the SPA may be sent back after sign-in: https:// URLs, or http://localhost[:port] for
     * development; at most 100. The site's callback page.
     */
    spaCallbackUrls: string[];
    /**
     * Where the SPA may be sent after sign-out (same rules as the callback URLs).
     * @default the site root of each callback URL
     */
    spaLogoutUrls?: string[];
    /** Access token lifetime in minutes (5-1,440), for every client. @default 60 */
    accessTokenMinutes?: number;
    /** ID token lifetime in minutes (5-1,440), for every client. @default 60 */
    idTokenMinutes?: number;
    /**
     * Refresh token lifetime in days (1-3,650): how long a user stays signed in without entering
     * the password again. Revoked tokens (sign-out) stop working at once.
     * @default 30
     */
    refreshTokenDays?: number;
    /**
     * Also create a confidential app client for server-side sign-in (authorization code flow with
     * a client secret), whose secret is stored in Secrets Manager.
     * @default false
     */
    backendClient?: boolean;
    /**
     * Callback URLs of the backend client (same rules as `spaCallbackUrls`). Required with `backendClient`.
     * @default undefined
     */
    backendCallbackUrls?: string[];
    /**
     * Logout URLs of the backend client.
     * @default the site root of each backend callback URL
     */
    backendLogoutUrls?: string[];
    /**
     * Customer-managed KMS key for the backend client's secret.
     * @default a key of the component's own ($1/month), only with `backendClient`
     */
    secretKmsKeyArn?: pulumi.Input<string>;
    /**
     * Days Secrets Manager keeps the deleted backend client secret recoverable (7-30), or 0 to
     * delete it at once (the name is free again for a re-created stack).
     * @default 30 when `protect`, else 0
     */
    recoveryWindowInDays?: number;
    /**
     * A Cognito prefix domain for the managed login pages and OAuth endpoints
     * (`<prefix>.auth.<region>.amazoncognito.com`; unique per region across all accounts). For
     * development; give either this or `customDomain`. Changing it replaces the domain.
     * @default undefined
     */
    domainPrefix?: string;
    /**
     * A custom login domain such as `auth.example.com` (prod). Needs `customDomainCertificateArn`
     * and `zoneId`; its parent domain (`example.com`) must already resolve (an A record), or
     * Cognito refuses it. Changing it replaces the domain.
     * @default undefined
     */
    customDomain?: string;
    /** ARN of the ACM certificate for `customDomain`, in us-east-1 (Cognito serves it through CloudFront). @default undefined */
    customDomainCertificateArn?: pulumi.Input<string>;
    /** Route 53 hosted zone that gets the alias record of `customDomain`. @default undefined */
    zoneId?: pulumi.Input<string>;
    /** ARN of the SNS topic for the alarms (throttled sign-ins; with threat protection, risky requests). */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the user pool, the backend client secret and its key (`protect` and
     * `retainOnDelete`) and turn on the pool's deletion protection: deleting the pool deletes
     * every user. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Auth}. An interface, so that the component package's schema can carry it. */
export interface AuthNodes {
    userPool: cognito.UserPool;
    spaClient: cognito.UserPoolClient;
    /** Only with `backendClient`. */
    backendClient?: cognito.UserPoolClient;
    userPoolDomain: cognito.UserPoolDomain;
    /** The alias record of a custom domain. */
    domainRecord?: route53.Record;
    /** Managed login's style per client (Cognito's defaults); without one a client's login pages don't work. */
    brandings: cognito.ManagedLoginBranding[];
    /** Only with threat protection `enforced`. */
    riskConfiguration?: cognito.RiskConfiguration;
    /** Only with `backendClient` and no `secretKmsKeyArn`. */
    secretKey?: KmsKey;
    backendSecret?: secretsmanager.Secret;
    backendSecretVersion?: secretsmanager.SecretVersion;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * A Cognito user pool for the application's users, as the reference documents use it: sign-in
 * with a case-insensitive e-mail address verified by a code, a password policy (12+ characters
 * from four classes by default), TOTP MFA, account recovery by verified e-mail only, admin-only or
 * self sign-up, threat protection on the Plus plan, and mail through the stack's SES identity. A
 * public SPA client (authorization code + PKCE, no secret, token revocation, no user-existence
 * leaks), an optional confidential backend client whose secret is kept in Secrets Manager, and
 * managed login (version 2, Cognito's default style) on a prefix domain or a custom domain with
 * its alias record. What a backend needs to validate tokens (pool ID, client IDs, issuer and JWKS
 * URLs) is output as plain values: none of it is secret.
 *
 * The schema ({@link USER_POOL_SCHEMA}) and the sign-in attributes are fixed in code, because
 * changing them replaces the pool and loses every user; every argument changes the pool in place.
 *
 * Alarms: throttled sign-ins (critical) and token refreshes (warning) per client, throttled
 * sign-ups with self sign-up, and with threat protection bursts of high-risk sign-ins and of
 * compromised credentials. Customize what the component does not expose with Pulumi's
 * `transforms` resource option.
 *
 * ```ts
 * const auth = new Auth("auth", {
 *     spaCallbackUrls: ["https://app.example.com/auth/callback"],
 *     customDomain: "auth.example.com",
 *     customDomainCertificateArn: usEast1Certificate.arn,
 *     zoneId: zone.zoneId,
 *     sesIdentityArn: mail.identityArn,
 *     fromAddress: "Example <no-reply@example.com>",
 *     mfa: "required",
 *     threatProtection: "enforced",
 *     alarmTopicArn: monitoring.alarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
 *     protect: true,
 * });
 * ```
 *
 * **Cost**: Essentials plan (threat protection off): 10,000 monthly active users free, then
 * $0.015/MAU; Plus plan (threat protection on): $0.020/MAU from the first user (10,000 MAUs ≈
 * $200/month). Alarms $0.10/month each (2-7). With `backendClient`: secret $0.40/month + KMS key
 * $1/month. Mail through SES $0.10 per 1,000.
 */
export class Auth extends pulumi.ComponentResource {
    /** The user pool ID (`<region>_<id>`), the `UserPool` dimension of Cognito metrics. */
    readonly userPoolId: pulumi.Output<string>;
    readonly userPoolArn: pulumi.Output<string>;
    /** The public SPA client's ID (the `aud` of its ID tokens, `client_id` of its access tokens). */
    readonly spaClientId: pulumi.Output<string>;
    /** The confidential backend client's ID (only with `backendClient`). */
    readonly backendClientId?: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret that holds the backend client's secret, and only it (only with `backendClient`). */
    readonly backendClientSecretArn?: pulumi.Output<string>;
    /** Name of that secret, known before deployment (`<project>/<stack>/<component>/cognito`). */
    readonly backendClientSecretName?: string;
    /** The token issuer (`iss`): `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
    readonly issuerUrl: pulumi.Output<string>;
    /** The pool's signing keys: `<issuerUrl>/.well-known/jwks.json`. */
    readonly jwksUrl: pulumi.Output<string>;
    /** Host of the managed login pages and OAuth endpoints (`/oauth2/authorize`, `/oauth2/token`, `/logout`). */
    readonly domain: pulumi.Output<string>;
    /** Widgets for the stack dashboard. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: AuthNodes;

    private readonly name: string;

    constructor(name: string, args: AuthArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Auth", name, {}, opts);
        this.name = name;
        const cfg = normalizeAuthArgs(name, args);

        const userPool = new cognito.UserPool(
            name,
            userPoolArgs(stackScopedName(name, 128), cfg),
            statefulOptions(this, cfg.protect),
        );
        const riskConfiguration =
            cfg.threatProtection === "enforced" ? this.createRiskConfiguration(userPool) : undefined;
        const spaClient = this.createClient("spa", userPool, cfg, cfg.spa);
        const backendClient = cfg.backend ? this.createClient("backend", userPool, cfg, cfg.backend) : undefined;
        const clients: Record<string, cognito.UserPoolClient> = { spa: spaClient };
        if (backendClient) {
            clients.backend = backendClient;
        }
        const { userPoolDomain, domainRecord, host } = this.createDomain(userPool, cfg);
        const brandings = Object.entries(clients).map(([kind, c]) => this.createBranding(kind, userPool, c));
        const backendSecret = backendClient ? this.createBackendSecret(backendClient, cfg) : undefined;

        this.userPoolId = userPool.id;
        this.userPoolArn = userPool.arn;
        this.spaClientId = spaClient.id;
        this.backendClientId = backendClient?.id;
        this.backendClientSecretArn = backendSecret?.secret.arn;
        this.backendClientSecretName = backendSecret ? cfg.backendSecretName : undefined;
        // The pool's endpoint is `cognito-idp.<region>.<dns suffix>/<pool id>`, the issuer without its scheme.
        this.issuerUrl = pulumi.interpolate`https://${userPool.endpoint}`;
        this.jwksUrl = pulumi.interpolate`${this.issuerUrl}/.well-known/jwks.json`;
        this.domain = host;
        this.dashboardWidgets = this.createWidgets(userPool, clients, cfg);
        this.nodes = {
            userPool,
            spaClient,
            backendClient,
            userPoolDomain,
            domainRecord,
            brandings,
            riskConfiguration,
            secretKey: backendSecret?.key,
            backendSecret: backendSecret?.secret,
            backendSecretVersion: backendSecret?.version,
            alarms: this.createAlarms(userPool, clients, cfg),
        };
        this.registerOutputs({
            userPoolId: this.userPoolId,
            spaClientId: this.spaClientId,
            issuerUrl: this.issuerUrl,
            domain: this.domain,
        });
    }

    /**
     * What enforced threat protection does: block compromised credentials on every event, and
     * high-risk sign-ins; ask medium-risk ones for MFA where the user has it. No notification mail
     * (it would need templates and an SES sender of its own). These actions apply only in
     * `ENFORCED` mode (SetRiskConfiguration, CompromisedCredentialsActionsType / AccountTakeoverActionsType).
     */
    private createRiskConfiguration(userPool: cognito.UserPool): cognito.RiskConfiguration {
        return new cognito.RiskConfiguration(
            `${this.name}-risk`,
            {
                userPoolId: userPool.id,
                compromisedCredentialsRiskConfiguration: {
                    eventFilters: ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
                    actions: { eventAction: "BLOCK" },
                },
                accountTakeoverRiskConfiguration: {
                    actions: {
                        lowAction: { eventAction: "NO_ACTION", notify: false },
                        mediumAction: { eventAction: "MFA_IF_CONFIGURED", notify: false },
                        highAction: { eventAction: "BLOCK", notify: false },
                    },
                },
            },
            { parent: this },
        );
    }

    private createClient(
        kind: "spa" | "backend",
        userPool: cognito.UserPool,
        cfg: NormalizedAuthArgs,
        urls: RedirectUrls,
    ): cognito.UserPoolClient {
        const confidential = kind === "backend";
        return new cognito.UserPoolClient(
            `${this.name}-${kind}`,
            {
                name: `${this.name}-${kind}`,
                userPoolId: userPool.id,
                // A browser can't keep a secret: the SPA is a public client and proves possession
                // with PKCE; the backend keeps its secret in Secrets Manager. Changing
                // generateSecret replaces the client.
                generateSecret: confidential,
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: ["openid", "email", "profile"],
                supportedIdentityProviders: ["COGNITO"],
                callbackUrls: urls.callbackUrls,
                logoutUrls: urls.logoutUrls,
                // SRP lets the SPA sign in with the SDK as well as through managed login; no flow
                // sends the password itself. The backend only redeems codes and refresh tokens.
                explicitAuthFlows: confidential
                    ? ["ALLOW_REFRESH_TOKEN_AUTH"]
                    : ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                enableTokenRevocation: true,
                preventUserExistenceErrors: "ENABLED",
                accessTokenValidity: cfg.accessTokenMinutes,
                idTokenValidity: cfg.idTokenMinutes,
                refreshTokenValidity: cfg.refreshTokenDays,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            },
            { parent: this },
        );
    }

    /**
     * Managed login version 2 (the current login pages; the Essentials plan or above). Its pages
     * work for an app client only once the client has a branding style (DeleteManagedLoginBranding:
     * "managed login pages for that app client are nonfunctional until you create a new style"),
     * so each client gets Cognito's default style ({@link createBranding}); without it users see
     * "Login pages unavailable".
     */
    private createDomain(
        userPool: cognito.UserPool,
        cfg: NormalizedAuthArgs,
    ): { userPoolDomain: cognito.UserPoolDomain; domainRecord?: route53.Record; host: pulumi.Output<string> } {
        const custom = cfg.customDomain;
        const userPoolDomain = new cognito.UserPoolDomain(
            `${this.name}-domain`,
            {
                userPoolId: userPool.id,
                domain: custom ? custom.domain : cfg.domainPrefix!,
                certificateArn: custom?.certificateArn,
                managedLoginVersion: 2,
            },
            { parent: this },
        );
        if (!custom) {
            const region = getRegionOutput({}, { parent: this }).region;
            return {
                userPoolDomain,
                host: pulumi.all([region, userPoolDomain.domain]).apply(([r, prefix]) => prefixDomainHost(prefix, r)),
            };
        }
        // Cognito serves a custom domain from a CloudFront distribution of its own: an alias A
        // record to it (the provider's documented pattern for aws_cognito_user_pool_domain).
        const domainRecord = new route53.Record(
            `${this.name}-domain`,
            {
                zoneId: custom.zoneId,
                name: userPoolDomain.domain,
                type: "A",
                aliases: [
                    {
                        name: userPoolDomain.cloudfrontDistribution,
                        zoneId: userPoolDomain.cloudfrontDistributionZoneId,
                        evaluateTargetHealth: false,
                    },
                ],
            },
            { parent: this },
        );
        return {
            userPoolDomain,
            domainRecord,
            host: pulumi.all([userPoolDomain.domain, domainRecord.name]).apply(([d]) => d),
        };
    }

    private createBranding(
        kind: string,
        userPool: cognito.UserPool,
        client: cognito.UserPoolClient,
    ): cognito.ManagedLoginBranding {
        return new cognito.ManagedLoginBranding(
            `${this.name}-${kind}-branding`,
            { userPoolId: userPool.id, clientId: client.id, useCognitoProvidedValues: true },
            { parent: this },
        );
    }

    private createBackendSecret(client: cognito.UserPoolClient, cfg: NormalizedAuthArgs) {
        const key = cfg.secretKmsKeyArn
            ? undefined
            : createKmsKey(
                  `${this.name}-key`,
                  { description: `Encrypts the Cognito backend client secret of ${this.name}`, protect: cfg.protect },
                  this,
              );
        const secret = new secretsmanager.Secret(
            `${this.name}-backend-secret`,
            {
                name: cfg.backendSecretName,
                description: `Client secret of the Cognito backend app client of ${this.name}`,
                kmsKeyId: cfg.secretKmsKeyArn ?? key!.key.arn,
                recoveryWindowInDays: cfg.recoveryWindowInDays,
            },
            statefulOptions(this, cfg.protect),
        );
        // Only the secret: the pool and client IDs are not secrets and reach services as plain values.
        const version = new secretsmanager.SecretVersion(
            `${this.name}-backend-secret`,
            { secretId: secret.id, secretString: pulumi.secret(client.clientSecret) },
            { parent: this },
        );
        return { key, secret, version };
    }

    private createWidgets(
        userPool: cognito.UserPool,
        clients: Record<string, cognito.UserPoolClient>,
        cfg: NormalizedAuthArgs,
    ): DashboardWidget[] {
        const perClient = (metric: string) =>
            Object.values(clients).map((c) => ["AWS/Cognito", metric, "UserPool", userPool.id, "UserPoolClient", c.id]);
        const widgets = [
            metricWidget(
                `${this.name}: sign-ins and throttles`,
                [...perClient("SignInSuccesses"), ...perClient("SignInThrottles")],
                { stat: "Sum" },
            ),
            metricWidget(`${this.name}: token refresh throttles`, perClient("TokenRefreshThrottles"), { stat: "Sum" }),
        ];
        if (cfg.threatProtection !== "off") {
            widgets.push(
                metricWidget(
                    `${this.name}: risky sign-ins (high risk)`,
                    ["AccountTakeoverRisk", "CompromisedCredentialRisk"].map((metric) => [
                        "AWS/Cognito",
                        metric,
                        "Operation",
                        "SignIn",
                        "RiskLevel",
                        "high",
                        "UserPoolId",
                        userPool.id,
                    ]),
                    { stat: "Sum" },
                ),
            );
        }
        return widgets;
    }

    /**
     * Metric names and dimensions as CloudWatch lists them for AWS::Cognito::UserPool: the
     * throttle metrics per `UserPool` + `UserPoolClient`, and threat protection's
     * `AccountTakeoverRisk` / `CompromisedCredentialRisk` per `Operation` + `RiskLevel` +
     * `UserPoolId` (Cognito publishes these only in `audit` or `enforced` mode).
     */
    private createAlarms(
        userPool: cognito.UserPool,
        clients: Record<string, cognito.UserPoolClient>,
        cfg: NormalizedAuthArgs,
    ): cloudwatch.MetricAlarm[] {
        const specs: [string, AlarmSpec][] = [];
        const throttle = (kind: string, client: cognito.UserPoolClient, metric: string, what: string) => ({
            namespace: "AWS/Cognito",
            metricName: metric,
            dimensions: { UserPool: userPool.id, UserPoolClient: client.id },
            statistic: "Sum",
            period: 300,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            description: `Cognito throttled ${what} of the ${kind} client of ${this.name}: the account's request quota for that category is exhausted and users are refused. Find the caller in CloudTrail, or request a quota increase.`,
        });
        for (const [kind, client] of Object.entries(clients)) {
            specs.push([
                `${this.name}-${kind}-sign-in-throttles`,
                { ...throttle(kind, client, "SignInThrottles", "sign-ins"), severity: "critical" },
            ]);
            specs.push([
                `${this.name}-${kind}-token-refresh-throttles`,
                { ...throttle(kind, client, "TokenRefreshThrottles", "token refreshes"), severity: "warning" },
            ]);
        }
        if (cfg.selfSignUp) {
            specs.push([
                `${this.name}-spa-sign-up-throttles`,
                { ...throttle("spa", clients.spa, "SignUpThrottles", "sign-ups"), severity: "warning" },
            ]);
        }
        if (cfg.threatProtection !== "off") {
            const outcome = cfg.threatProtection === "enforced" ? "blocked" : "let through (audit mode)";
            for (const [metric, what] of [
                ["AccountTakeoverRisk", "high-risk sign-ins (account takeover)"],
                ["CompromisedCredentialRisk", "sign-ins with leaked passwords"],
            ]) {
                specs.push([
                    `${this.name}-${metric === "AccountTakeoverRisk" ? "takeover" : "compromised"}-sign-ins`,
                    {
                        description: `More than ${RISKY_REQUESTS_PER_5_MINUTES} ${what} in 5 minutes on ${this.name}, ${outcome}: likely credential stuffing. Look at the user pool's threat protection event history and consider an IP block list.`,
                        severity: "warning",
                        namespace: "AWS/Cognito",
                        metricName: metric,
                        dimensions: { Operation: "SignIn", RiskLevel: "high", UserPoolId: userPool.id },
                        statistic: "Sum",
                        period: 300,
                        threshold: RISKY_REQUESTS_PER_5_MINUTES,
                        comparisonOperator: "GreaterThanThreshold",
                    },
                ]);
            }
        }
        return specs.map(([alarmName, spec]) => createAlarm(alarmName, spec, cfg.alarmRoutes, { parent: this }));
    }
}

/** Callback and logout URLs of one client. */
interface RedirectUrls {
    callbackUrls: string[];
    logoutUrls: string[];
}

interface NormalizedAuthArgs {
    mfa: AuthMfaMode;
    password: {
        minimumLength: number;
        requireLowercase: boolean;
        requireUppercase: boolean;
        requireNumbers: boolean;
        requireSymbols: boolean;
        temporaryPasswordValidityDays: number;
    };
    selfSignUp: boolean;
    threatProtection: ThreatProtectionMode;
    /** The feature plan: Plus when threat protection is on, else Essentials (managed login v2 needs at least Essentials). */
    tier: "ESSENTIALS" | "PLUS";
    email?: {
        sourceArn: pulumi.Input<string>;
        fromAddress: string;
        configurationSet?: pulumi.Input<string>;
    };
    spa: RedirectUrls;
    backend?: RedirectUrls;
    accessTokenMinutes: number;
    idTokenMinutes: number;
    refreshTokenDays: number;
    secretKmsKeyArn?: pulumi.Input<string>;
    recoveryWindowInDays: number;
    backendSecretName: string;
    domainPrefix?: string;
    customDomain?: { domain: string; certificateArn: pulumi.Input<string>; zoneId: pulumi.Input<string> };
    alarmRoutes: AlarmRoutes;
    protect: boolean;
}

const MFA_CONFIGURATION: Record<AuthMfaMode, string> = { off: "OFF", optional: "OPTIONAL", required: "ON" };

/**
 * The user pool's inputs from normalized args. Pure; exported so tests can show that no argument
 * reaches a property in {@link USER_POOL_FIXED_PROPERTIES}.
 */
export function userPoolArgs(poolName: string, cfg: NormalizedAuthArgs): cognito.UserPoolArgs {
    return {
        name: poolName,
        userPoolTier: cfg.tier,
        // Fixed: each replaces the pool if changed (USER_POOL_FIXED_PROPERTIES).
        usernameAttributes: ["email"],
        usernameConfiguration: { caseSensitive: false },
        schemas: USER_POOL_SCHEMA.map((a) => ({
            ...a,
            stringAttributeConstraints: { ...a.stringAttributeConstraints },
        })),
        // Changeable in place.
        autoVerifiedAttributes: ["email"],
        // A changed address stays unused until its code is confirmed; the verified one keeps working.
        userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
        // The API's names (RecoveryOptionNameType), not the camel case of the provider's docs.
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        // No custom message text: Cognito refuses templates with its default sender.
        verificationMessageTemplate: { defaultEmailOption: "CONFIRM_WITH_CODE" },
        adminCreateUserConfig: { allowAdminCreateUserOnly: !cfg.selfSignUp },
        passwordPolicy: cfg.password,
        mfaConfiguration: MFA_CONFIGURATION[cfg.mfa],
        // Turning TOTP off needs mfaConfiguration OFF and no block at all (provider docs).
        softwareTokenMfaConfiguration: cfg.mfa === "off" ? undefined : { enabled: true },
        userPoolAddOns: { advancedSecurityMode: cfg.threatProtection.toUpperCase() },
        emailConfiguration: cfg.email
            ? {
                  emailSendingAccount: "DEVELOPER",
                  sourceArn: cfg.email.sourceArn,
                  fromEmailAddress: cfg.email.fromAddress,
                  configurationSet: cfg.email.configurationSet,
              }
            : { emailSendingAccount: "COGNITO_DEFAULT" },
        deletionProtection: cfg.protect ? "ACTIVE" : "INACTIVE",
    };
}

/** Applies defaults and validates; every error names the argument. Pure; exported for tests and the stack config. */
export function normalizeAuthArgs(name: string, args: AuthArgs): NormalizedAuthArgs {
    const check: ArgChecker<AuthArgs> = new ArgChecker("Auth", name, args);
    const flag = (arg: keyof AuthArgs, fallback: boolean): boolean => {
        const value = args[arg] ?? fallback;
        if (typeof value !== "boolean") {
            check.fail(arg, `is ${JSON.stringify(value)}; expected true or false`);
        }
        return value;
    };
    const urls = (arg: keyof AuthArgs, value: string[] | undefined): string[] => {
        if (!Array.isArray(value) || value.length === 0) {
            check.fail(arg, "must list at least one URL");
        }
        const problem = redirectUrlsProblem(value);
        if (problem !== undefined) {
            check.fail(arg, problem);
        }
        return value;
    };
    const clientUrls = (callbackArg: keyof AuthArgs, logoutArg: keyof AuthArgs): RedirectUrls => {
        const callbackUrls = urls(callbackArg, args[callbackArg] as string[] | undefined);
        const logout = args[logoutArg] as string[] | undefined;
        return {
            callbackUrls,
            logoutUrls: logout === undefined ? defaultLogoutUrls(callbackUrls) : urls(logoutArg, logout),
        };
    };

    const threatProtection = check.oneOf("threatProtection", args.threatProtection ?? "off", THREAT_PROTECTION_MODES);
    const backendClient = flag("backendClient", false);
    if (!backendClient) {
        for (const arg of ["backendCallbackUrls", "backendLogoutUrls", "secretKmsKeyArn"] as const) {
            if (args[arg] !== undefined) {
                check.fail(arg, "is set, but backendClient is not");
            }
        }
    }
    const protect = flag("protect", false);
    if (!args.alarmTopicArn) {
        check.fail("alarmTopicArn", "is required: the user pool's alarms notify it");
    }
    return {
        mfa: check.oneOf("mfa", args.mfa ?? "optional", AUTH_MFA_MODES),
        password: {
            minimumLength: check.int("passwordMinLength", 12, PASSWORD_MIN_LENGTH.min, PASSWORD_MIN_LENGTH.max),
            requireLowercase: flag("passwordRequireLowercase", true),
            requireUppercase: flag("passwordRequireUppercase", true),
            requireNumbers: flag("passwordRequireNumbers", true),
            requireSymbols: flag("passwordRequireSymbols", true),
            temporaryPasswordValidityDays: check.int(
                "temporaryPasswordValidityDays",
                7,
                TEMPORARY_PASSWORD_DAYS.min,
                TEMPORARY_PASSWORD_DAYS.max,
            ),
        },
        selfSignUp: flag("selfSignUp", false),
        threatProtection,
        tier: threatProtection === "off" ? "ESSENTIALS" : "PLUS",
        email: normalizeEmail(check, args),
        spa: clientUrls("spaCallbackUrls", "spaLogoutUrls"),
        backend: backendClient ? clientUrls("backendCallbackUrls", "backendLogoutUrls") : undefined,
        accessTokenMinutes: check.int("accessTokenMinutes", 60, TOKEN_MINUTES.min, TOKEN_MINUTES.max),
        idTokenMinutes: check.int("idTokenMinutes", 60, TOKEN_MINUTES.min, TOKEN_MINUTES.max),
        refreshTokenDays: check.int("refreshTokenDays", 30, REFRESH_TOKEN_DAYS.min, REFRESH_TOKEN_DAYS.max),
        secretKmsKeyArn: args.secretKmsKeyArn,
        recoveryWindowInDays: requireRecoveryWindow("Auth", name, args.recoveryWindowInDays, protect),
        backendSecretName: secretName(name, "cognito"),
        ...normalizeDomain(check, args),
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        protect,
    };
}

function normalizeEmail(check: ArgChecker<AuthArgs>, args: AuthArgs): NormalizedAuthArgs["email"] {
    if (args.sesIdentityArn === undefined) {
        for (const arg of ["fromAddress", "sesConfigurationSetName"] as const) {
            if (args[arg] !== undefined) {
                check.fail(arg, "is set without sesIdentityArn: Cognito's default sender uses neither");
            }
        }
        return undefined;
    }
    if (
        typeof args.sesIdentityArn === "string" &&
        !/^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/.+$/.test(args.sesIdentityArn)
    ) {
        check.fail(
            "sesIdentityArn",
            `is ${JSON.stringify(args.sesIdentityArn)}; expected an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain>)`,
        );
    }
    if (args.fromAddress === undefined) {
        check.fail("fromAddress", "is required with sesIdentityArn: name the sender, an address of the identity");
    }
    check.match(
        "fromAddress",
        args.fromAddress,
        FROM_ADDRESS,
        "expected an address such as no-reply@example.com or Example <no-reply@example.com>",
    );
    return {
        sourceArn: args.sesIdentityArn,
        fromAddress: args.fromAddress,
        configurationSet: args.sesConfigurationSetName,
    };
}

function normalizeDomain(
    check: ArgChecker<AuthArgs>,
    args: AuthArgs,
): Pick<NormalizedAuthArgs, "domainPrefix" | "customDomain"> {
    if ((args.domainPrefix === undefined) === (args.customDomain === undefined)) {
        check.fail(
            args.domainPrefix === undefined ? "domainPrefix" : "customDomain",
            args.domainPrefix === undefined
                ? "or customDomain is required: the SPA signs in through the pool's domain"
                : "and customDomain are both set; give one",
        );
    }
    if (args.domainPrefix !== undefined) {
        for (const arg of ["customDomainCertificateArn", "zoneId"] as const) {
            if (args[arg] !== undefined) {
                check.fail(arg, "is set, but only customDomain uses it");
            }
        }
        return { domainPrefix: check.rule("domainPrefix", args.domainPrefix, domainPrefixProblem(args.domainPrefix)) };
    }
    const domain = check.rule("customDomain", args.customDomain!, customDomainProblem(args.customDomain!));
    const certificateArn = args.customDomainCertificateArn;
    if (certificateArn === undefined) {
        check.fail("customDomainCertificateArn", "is required with customDomain: an ACM certificate in us-east-1");
    }
    if (
        typeof certificateArn === "string" &&
        !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/.test(certificateArn)
    ) {
        check.fail(
            "customDomainCertificateArn",
            `is ${JSON.stringify(certificateArn)}; expected an ACM certificate ARN in us-east-1, where Cognito's CloudFront distribution takes it from`,
        );
    }
    if (args.zoneId === undefined) {
        check.fail("zoneId", "is required with customDomain: its alias record goes into that hosted zone");
    }
    return { customDomain: { domain, certificateArn, zoneId: args.zoneId } };
}
