import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { ComponentArgError, policyDocument, requireInt, stackScopedName, statefulOptions } from "./common";

/** Service principals that may be granted the key with an `aws:SourceAccount` condition. */
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

/**
 * CloudWatch Logs' regional service principal, `logs.<region>.<dnsSuffix>`. Logs is one of the
 * few services whose principal carries the partition's DNS suffix (`logs.cn-north-1.amazonaws.com.cn`
 * in China; the AWS provider's `aws_service_principal` and the CDK's region table list it), so a
 * hard-coded `amazonaws.com` would grant a principal that does not exist there.
 */
export function cloudWatchLogsPrincipal(region: string, dnsSuffix: string): string {
    return `logs.${region}.${dnsSuffix}`;
}

export interface KmsKeyArgs {
    /** What the key encrypts; shown in the KMS console and on every CloudTrail entry of its use. */
    description: string;
    /**
     * Days KMS waits before deleting the key once deletion is scheduled (7-30). A deleted key
     * makes everything it encrypted unreadable, backups included, so the longest window is the default.
     * @default 30
     */
    deletionWindowInDays?: number;
    /**
     * AWS services (e.g. `cloudfront.amazonaws.com`, `events.amazonaws.com`) that may use the key
     * to encrypt and decrypt on behalf of this account: each gets `kms:Decrypt` and
     * `kms:GenerateDataKey*`, limited by an `aws:SourceAccount` condition (confused-deputy guard),
     * or to the resources named in `serviceSourceArns`.
     * Services that act with the caller's credentials (RDS, ElastiCache, S3, SQS, Secrets Manager)
     * need no entry: the account statement lets IAM policies grant them.
     * @default []
     */
    servicePrincipals?: string[];
    /**
     * Narrows a listed service's grant from "any resource of this account" to the named resources:
     * keyed by service principal (one of `servicePrincipals`), the ARNs go into an `AWS:SourceArn`
     * condition in place of `aws:SourceAccount`. For CloudFront origin access control this is
     * the distribution's ARN, the key policy AWS documents for SSE-KMS origins
     * (`{ "cloudfront.amazonaws.com": [distribution.arn] }`). Values may be Outputs; to pass
     * the ARN of a distribution that itself needs this key's bucket, see `pulumi.deferredOutput`.
     * @default {} (every listed service is limited to this account)
     */
    serviceSourceArns?: Record<string, pulumi.Input<string>[]>;
    /**
     * Log groups (names; `*` matches any characters) that CloudWatch Logs of this account and region
     * may encrypt with the key. Logs uses a regional principal and its requests carry the log group
     * ARN as encryption context, which the grant is conditioned on (the form AWS documents for log
     * group keys), so no other log group can use the key.
     * @default [] (no grant)
     */
    cloudWatchLogGroupNames?: string[];
    /**
     * More key-policy statements, appended after the account, service and log-group grants, for a
     * service whose documented key policy has conditions of its own (CloudTrail's
     * `kms:EncryptionContext:aws:cloudtrail:arn`). Values may be Outputs.
     * @default []
     */
    extraStatements?: pulumi.Input<Record<string, unknown>>[];
    /**
     * Region to create the key in, when not the provider's (a cross-region backup copy needs a key in
     * the destination region). Uses the AWS provider v7 per-resource `region`, so no second provider
     * is needed. Changing it replaces the key.
     * @default the provider's region
     */
    region?: string;
    /**
     * Protect the key (`protect` and `retainOnDelete`): deleting it destroys every copy of the data
     * it encrypted. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The key and its alias; the alias only names the key for people (console, CLI), nothing refers to it. */
export interface KmsKey {
    key: kms.Key;
    alias: kms.Alias;
}

/**
 * Declares a symmetric customer-managed KMS key that rotates yearly, with a key policy that lets
 * the account administer it through IAM and grants the listed services, plus an alias
 * `alias/<project>-<stack>-<name>`. Data components call it for their own key (one key per data
 * store, so one key policy never opens more than one store).
 *
 * ```ts
 * const { key } = createKmsKey(`${name}-key`, { description: "Encrypts the uploads bucket", protect: args.protect }, this);
 * ```
 *
 * **Cost**: $1/month per key (rotated versions included) + $0.03 per 10,000 requests; S3 bucket
 * keys and SQS data-key reuse keep the request count low.
 */
export function createKmsKey(name: string, args: KmsKeyArgs, parent: pulumi.Resource): KmsKey {
    const deletionWindowInDays = requireInt(
        "KmsKey",
        name,
        "deletionWindowInDays",
        args.deletionWindowInDays ?? 30,
        7,
        30,
    );
    const services = args.servicePrincipals ?? [];
    const bad = services.find((s) => !SERVICE_PRINCIPAL.test(s));
    if (bad !== undefined) {
        throw new ComponentArgError(
            "KmsKey",
            name,
            "servicePrincipals",
            `has ${JSON.stringify(bad)}; expected a service principal such as cloudfront.amazonaws.com`,
        );
    }
    const sourceArns = args.serviceSourceArns ?? {};
    for (const [service, arns] of Object.entries(sourceArns)) {
        if (!services.includes(service)) {
            throw new ComponentArgError(
                "KmsKey",
                name,
                "serviceSourceArns",
                `names ${JSON.stringify(service)}, which servicePrincipals does not list`,
            );
        }
        if (arns.length === 0) {
            throw new ComponentArgError(
                "KmsKey",
                name,
                "serviceSourceArns",
                `lists no ARN for ${JSON.stringify(service)}; give at least one or remove the entry`,
            );
        }
    }

    const invokeOpts = { parent };
    const account = getCallerIdentityOutput({}, invokeOpts).accountId;
    const { partition, dnsSuffix } = getPartitionOutput({}, invokeOpts);
    const region = args.region ?? getRegionOutput({}, invokeOpts).region;

    const statements: unknown[] = [
        {
            Sid: "AccountAdministersThroughIam",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        ...services.map((service) => ({
            Sid: `ServiceUse${service.replace(/\.amazonaws\.com(\.cn)?$/, "").replace(/[^a-zA-Z0-9]/g, "")}`,
            Effect: "Allow",
            Principal: { Service: service },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            // Confused-deputy guard: only this account's resources, or only the named ones.
            Condition: {
                StringEquals: sourceArns[service]
                    ? { "AWS:SourceArn": sourceArns[service] }
                    : { "aws:SourceAccount": account },
            },
        })),
    ];
    const logGroups = args.cloudWatchLogGroupNames ?? [];
    if (logGroups.length > 0) {
        statements.push({
            Sid: "CloudWatchLogsEncryptsLogGroups",
            Effect: "Allow",
            Principal: {
                Service: pulumi.all([region, dnsSuffix]).apply(([r, suffix]) => cloudWatchLogsPrincipal(r, suffix)),
            },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn": logGroups.map(
                        (group) => pulumi.interpolate`arn:${partition}:logs:${region}:${account}:log-group:${group}`,
                    ),
                },
            },
        });
    }

    statements.push(...(args.extraStatements ?? []));

    const key = new kms.Key(
        name,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays,
            policy: policyDocument({ Version: "2012-10-17", Statement: statements }),
            region: args.region,
        },
        statefulOptions(parent, args.protect),
    );
    const alias = new kms.Alias(
        name,
        { name: `alias/${stackScopedName(name, 200)}`, targetKeyId: key.keyId, region: args.region },
        { parent },
    );
    return { key, alias };
}
