import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { ComponentArgError, requireInt, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { requireRecoveryWindow, secretName } from "./internal/naming";

// Moved to ./internal/naming; re-exported for programs that imported it from here.
export { secretName } from "./internal/naming";

/** The key under which the JWT signing secret is stored. */
export const JWT_SECRET_KEY = "jwt-signing-key";

/** What a third-party key's secret holds until an operator stores the real value. */
export const PLACEHOLDER_SECRET_VALUE = "placeholder: store the real value with `aws secretsmanager put-secret-value`";

const SECRET_KEY = /^[a-z][a-z0-9-]{0,62}$/;

export interface AppSecretsArgs {
    /**
     * Length of the generated JWT signing secret (32-256 characters from [A-Za-z0-9], ≈ 5.95
     * bits each: 64 gives ≈ 380 bits). Changing it generates a new secret, which signs out every user.
     * @default 64
     */
    jwtSecretLength?: number;
    /**
     * Names of third-party API keys (`["stripe", "sendgrid"]`: lower-case letters, digits and
     * hyphens). Each becomes a secret holding a placeholder; an operator stores the real value
     * and Pulumi never reverts it.
     * @default []
     */
    thirdPartyKeys?: string[];
    /**
     * Days Secrets Manager keeps a deleted secret recoverable (7-30), or 0 to delete it at once
     * (force delete without recovery). The name stays taken during the window, so a stack that is
     * destroyed and brought back within it fails on every secret ("already scheduled for deletion").
     * @default 30 when `protect`, else 0 (an unprotected stack can be destroyed and recreated)
     */
    recoveryWindowInDays?: number;
    /**
     * Protect the secrets and their KMS key (`protect` and `retainOnDelete`). Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link AppSecrets}. An interface, so that the component package's schema can carry it. */
export interface AppSecretsNodes {
    key: KmsKey;
    jwtSecret: RandomPassword;
    secrets: Record<string, secretsmanager.Secret>;
    versions: Record<string, secretsmanager.SecretVersion>;
}

/**
 * The application's secrets in Secrets Manager, encrypted with their own customer-managed KMS
 * key: a JWT signing secret generated with `@pulumi/random`, and one secret per third-party API
 * key with a placeholder value that operators replace (the placeholder's version ignores changes
 * to its value, so `pulumi up` never writes it back). Values are never outputs: the component
 * exposes names and ARNs only, for ECS task `secrets` and the task role's policy.
 *
 * ```ts
 * const secrets = new AppSecrets("secrets", { thirdPartyKeys: ["stripe", "sendgrid"], protect: true });
 * export const secretArns = secrets.secretArns;
 * ```
 *
 * **Cost**: $0.40 per secret per month + $0.05 per 10,000 API calls + KMS key $1/month.
 */
export class AppSecrets extends pulumi.ComponentResource {
    /** Secret ARN per key (`jwt-signing-key` and each third-party key). */
    readonly secretArns: pulumi.Output<Record<string, string>>;
    /** Secret name per key; plain values, known before deployment. */
    readonly secretNames: Record<string, string>;
    readonly jwtSecretArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: AppSecretsNodes;

    private readonly name: string;

    constructor(name: string, args: AppSecretsArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:AppSecrets", name, {}, opts);
        this.name = name;
        const cfg = normalizeAppSecretsArgs(name, args);

        const key = createKmsKey(
            `${name}-key`,
            { description: `Encrypts the application secrets of ${name}`, protect: cfg.protect },
            this,
        );
        const jwt = this.createJwtSecret(key, cfg);
        const thirdParty = cfg.thirdPartyKeys.map((k) => this.createPlaceholderSecret(k, key, cfg));

        const secrets: Record<string, secretsmanager.Secret> = { [JWT_SECRET_KEY]: jwt.secret };
        const versions: Record<string, secretsmanager.SecretVersion> = { [JWT_SECRET_KEY]: jwt.version };
        cfg.thirdPartyKeys.forEach((k, i) => {
            secrets[k] = thirdParty[i].secret;
            versions[k] = thirdParty[i].version;
        });

        this.secretNames = Object.fromEntries(Object.keys(secrets).map((k) => [k, secretName(name, k)]));
        this.secretArns = pulumi.output(Object.fromEntries(Object.entries(secrets).map(([k, s]) => [k, s.arn])));
        this.jwtSecretArn = jwt.secret.arn;
        this.kmsKeyArn = key.key.arn;
        this.nodes = { key, jwtSecret: jwt.password, secrets, versions };
        this.registerOutputs({ secretArns: this.secretArns, kmsKeyArn: this.kmsKeyArn });
    }

    private createSecret(
        secretKey: string,
        description: string,
        key: KmsKey,
        cfg: NormalizedAppSecretsArgs,
    ): secretsmanager.Secret {
        return new secretsmanager.Secret(
            `${this.name}-${secretKey}`,
            {
                name: secretName(this.name, secretKey),
                description,
                kmsKeyId: key.key.arn,
                recoveryWindowInDays: cfg.recoveryWindowInDays,
            },
            statefulOptions(this, cfg.protect),
        );
    }

    private createJwtSecret(key: KmsKey, cfg: NormalizedAppSecretsArgs) {
        const password = new RandomPassword(
            `${this.name}-${JWT_SECRET_KEY}`,
            { length: cfg.jwtSecretLength, special: false },
            { parent: this },
        );
        const secret = this.createSecret(JWT_SECRET_KEY, "Signs the application's JWTs", key, cfg);
        const version = new secretsmanager.SecretVersion(
            `${this.name}-${JWT_SECRET_KEY}`,
            // pulumi.secret: the value stays encrypted in the state and masked in every plan.
            { secretId: secret.id, secretString: pulumi.secret(password.result) },
            { parent: this },
        );
        return { password, secret, version };
    }

    private createPlaceholderSecret(thirdParty: string, key: KmsKey, cfg: NormalizedAppSecretsArgs) {
        const secret = this.createSecret(thirdParty, `API key for ${thirdParty}; set by an operator`, key, cfg);
        const version = new secretsmanager.SecretVersion(
            `${this.name}-${thirdParty}`,
            { secretId: secret.id, secretString: PLACEHOLDER_SECRET_VALUE },
            // The operator's put-secret-value makes a new version current; ignoring the value
            // keeps Pulumi from writing the placeholder back on the next update.
            { parent: this, ignoreChanges: ["secretString"] },
        );
        return { secret, version };
    }
}

type NormalizedAppSecretsArgs = ReturnType<typeof normalizeAppSecretsArgs>;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeAppSecretsArgs(name: string, args: AppSecretsArgs) {
    const thirdPartyKeys = args.thirdPartyKeys ?? [];
    const bad = thirdPartyKeys.find((k) => !SECRET_KEY.test(k));
    if (bad !== undefined) {
        throw new ComponentArgError(
            "AppSecrets",
            name,
            "thirdPartyKeys",
            `has ${JSON.stringify(bad)}; use lower-case letters, digits and hyphens, starting with a letter`,
        );
    }
    const seen = new Set<string>([JWT_SECRET_KEY]);
    for (const k of thirdPartyKeys) {
        if (seen.has(k)) {
            throw new ComponentArgError(
                "AppSecrets",
                name,
                "thirdPartyKeys",
                `lists ${JSON.stringify(k)} twice or uses the reserved ${JSON.stringify(JWT_SECRET_KEY)}`,
            );
        }
        seen.add(k);
    }
    const protect = args.protect ?? false;
    return {
        jwtSecretLength: requireInt("AppSecrets", name, "jwtSecretLength", args.jwtSecretLength ?? 64, 32, 256),
        thirdPartyKeys,
        recoveryWindowInDays: requireRecoveryWindow("AppSecrets", name, args.recoveryWindowInDays, protect),
        protect,
    };
}
