/**
 * 5.1 Encryption at rest and in transit.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { isPolicyError, parsePolicyDocument } from "./lib/policy-documents";
import { attachedTo, nameIs, referencedBy, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { Findings } from "./lib/findings";
import { at, peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import { allOf, anyOf, asList, asStr, isPresent, isTrue, show, strIn } from "./lib/values";
import { isLogDeliveryBucket } from "./principals";

// ------------------------------------------------------------------------------------------------

/** Whether a replica's source, named by a literal ARN, lives in another region than the replica's provider. */
function crossRegionSource(source: unknown, region: unknown): boolean {
    if (typeof source !== "string" || !source.startsWith("arn:") || typeof region !== "string") {
        return false;
    }
    return source.split(":")[3] !== region;
}

const encRdsStorage = resourceRule(
    {
        name: "enc-rds-storage",
        description: "RDS instances encrypt storage (and Performance Insights) with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "rds-storage-encrypted; RDS.3; CKV_AWS_16; CKV_AWS_354",
        remediation:
            "Set storageEncrypted: true and kmsKeyId to a customer-managed key; when " +
            "performanceInsightsEnabled, also set performanceInsightsKmsKeyId.",
    },
    [T.rdsInstance],
    (r, _cfg, f) => {
        const p = r.props;
        f.expect(
            isTrue(p.storageEncrypted),
            "storageEncrypted",
            `storageEncrypted is ${show(p.storageEncrypted)}: set storageEncrypted: true ` +
                "(encryption can only be chosen at creation; changing it replaces the instance).",
        );
        const replicaOf = isPresent(p.replicateSourceDb) ? asStr(p.replicateSourceDb) : undefined;
        if (!isPresent(p.kmsKeyId)) {
            if (replicaOf === undefined) {
                f.fail(
                    "kmsKeyId is not set, so RDS uses the AWS-managed key: pass a customer-managed key " +
                        "(kmsKeyId: key.arn) so key policy and rotation are yours.",
                );
            } else if (crossRegionSource(replicaOf, asStr(p.region) ?? asStr(r.providerProps?.region))) {
                f.fail(
                    `this cross-region read replica of ${String(replicaOf)} sets no kmsKeyId: name a customer-managed key ` +
                        "in the replica's region (an encrypted source's key does not exist there).",
                );
            }
            // A same-region read replica always uses its source's key, and RDS refuses a kmsKeyId for it
            // ("Your request does not require the KMS key parameter"; CreateDBInstanceReadReplica: KmsKeyId
            // applies to cross-region replicas). The source instance is checked by this rule.
        }
        const pi = isTrue(p.performanceInsightsEnabled);
        if (pi !== false && !isPresent(p.performanceInsightsKmsKeyId)) {
            f.expect(
                pi === UNKNOWN ? UNKNOWN : false,
                "performanceInsightsEnabled",
                "Performance Insights is enabled without performanceInsightsKmsKeyId: set it to the same " +
                    "customer-managed key.",
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

/** The TLS-forcing parameter per engine family; other engines are out of scope. */
function tlsParameterFor(engine: string): { name: string; values: string[] } | undefined {
    const e = engine.toLowerCase();
    if (e.includes("postgres")) {
        return { name: "rds.force_ssl", values: ["1", "true", "on"] };
    }
    if (e.includes("mysql") || e.includes("mariadb")) {
        return { name: "require_secure_transport", values: ["1", "true", "on"] };
    }
    if (e.startsWith("sqlserver")) {
        return { name: "rds.force_ssl", values: ["1", "true", "on"] };
    }
    return undefined;
}

/** The custom parameter group an instance uses: by Output edge or by literal name. */
function parameterGroupOf(stack: StackView, db: Res): Res | undefined {
    return referencedBy(stack, db, "parameterGroupName", [T.rdsParameterGroup], nameIs("name"))[0];
}

const encRdsTls = stackRule(
    {
        name: "enc-rds-tls",
        description: "RDS instances with a custom parameter group force TLS for client connections.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "CKV2_AWS_69",
        remediation:
            "In the instance's parameter group set rds.force_ssl = 1 (PostgreSQL, SQL Server) or " +
            "require_secure_transport = 1 (MySQL, MariaDB).",
    },
    (stack, _cfg, f) => {
        for (const db of stack.ofType(T.rdsInstance)) {
            if (!isPresent(db.props.parameterGroupName)) {
                continue; // reported, as advisory, by enc-rds-tls-custom-group
            }
            const engine = asStr(db.props.engine);
            if (engine === UNKNOWN) {
                f.unknown(`${db.name}.engine`);
                continue;
            }
            const param = engine ? tlsParameterFor(engine) : undefined;
            if (!param) {
                continue;
            }
            const group = parameterGroupOf(stack, db);
            if (!group) {
                if (db.props.parameterGroupName === UNKNOWN) {
                    f.unknown(`${db.name}.parameterGroupName (not linked to a parameter group in this stack)`);
                }
                // A literal name of a group managed outside this stack: nothing here to check.
                continue;
            }
            const params = asList(group.props.parameters);
            if (params === UNKNOWN) {
                f.unknown(`${group.name}.parameters`);
                continue;
            }
            const verdicts: Tri[] = params.map((entry) => {
                const name = asStr(peek(entry, "name"));
                if (name === UNKNOWN) {
                    return UNKNOWN;
                }
                return name === param.name ? strIn(peek(entry, "value"), param.values) : false;
            });
            f.expect(
                anyOf(verdicts),
                `${group.name}.parameters`,
                `parameter group ${group.name} (used by ${db.name}) does not set ${param.name} = 1: add ` +
                    `{ name: "${param.name}", value: "1" } to its parameters.`,
                db.urn,
            );
        }
    },
);

const encRdsTlsCustomGroup = resourceRule(
    {
        name: "enc-rds-tls-custom-group",
        description: "RDS instances use a custom parameter group, so TLS enforcement is decided in code.",
        enforcementLevel: "advisory",
        family: "encryption",
        source: "CKV2_AWS_69 (companion of enc-rds-tls)",
        remediation: "Create an aws.rds.ParameterGroup with rds.force_ssl = 1 and pass it as parameterGroupName.",
    },
    [T.rdsInstance],
    (r, _cfg, f) => {
        if (!isPresent(r.props.parameterGroupName)) {
            f.fail(
                "the instance uses the engine's default parameter group, where TLS may be optional " +
                    "(PostgreSQL < 15 defaults rds.force_ssl to 0): set parameterGroupName to a custom group " +
                    "with rds.force_ssl = 1.",
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

const encRedisRest = resourceRule(
    {
        name: "enc-redis-rest",
        description: "ElastiCache replication groups encrypt data at rest with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "ElastiCache.4; CKV_AWS_191",
        remediation: "Set atRestEncryptionEnabled: true and kmsKeyId to a customer-managed key.",
    },
    [T.redis],
    (r, _cfg, f) => {
        f.expect(
            isTrue(r.props.atRestEncryptionEnabled),
            "atRestEncryptionEnabled",
            `atRestEncryptionEnabled is ${show(r.props.atRestEncryptionEnabled)}: set it to true ` +
                "(changing it replaces the replication group).",
        );
        if (!isPresent(r.props.kmsKeyId)) {
            f.fail("kmsKeyId is not set: pass a customer-managed key (kmsKeyId: key.arn).");
        }
    },
);

const encRedisTransit = resourceRule(
    {
        name: "enc-redis-transit",
        description: "ElastiCache replication groups require TLS and authenticate clients.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "ElastiCache.5; ElastiCache.6; CKV_AWS_31",
        remediation:
            'Set transitEncryptionEnabled: true, leave transitEncryptionMode unset or "required", ' +
            "and set authToken (from a secret) or userGroupIds.",
    },
    [T.redis],
    (r, _cfg, f) => {
        const p = r.props;
        f.expect(
            isTrue(p.transitEncryptionEnabled),
            "transitEncryptionEnabled",
            `transitEncryptionEnabled is ${show(p.transitEncryptionEnabled)}: set it to true.`,
        );
        const mode = asStr(p.transitEncryptionMode);
        f.expect(
            mode === UNKNOWN ? UNKNOWN : mode?.toLowerCase() !== "preferred",
            "transitEncryptionMode",
            'transitEncryptionMode is "preferred", which still accepts plaintext clients: set it to "required".',
        );
        const users = asList(p.userGroupIds);
        if (!isPresent(p.authToken) && users !== UNKNOWN && users.length === 0) {
            f.fail(
                "no client authentication: set authToken (e.g. from a random password stored in Secrets " +
                    "Manager) or userGroupIds (RBAC).",
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

/** Whether an SSE rule list uses KMS (`aws:kms` or `aws:kms:dsse`). */
function rulesUseKms(rules: unknown): Tri {
    const list = asList(rules);
    if (list === UNKNOWN) {
        return UNKNOWN;
    }
    return anyOf(
        list.map((rule) => {
            const algo = asStr(at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
            if (algo === UNKNOWN) {
                return UNKNOWN;
            }
            return algo !== undefined && algo.toLowerCase().startsWith("aws:kms");
        }),
    );
}

/**
 * The rules of the deprecated inline SSE block, which encrypts just the same: `Bucket` has
 * `serverSideEncryptionConfiguration.rule`, `BucketV2` has `serverSideEncryptionConfigurations[].rules[]`.
 */
function inlineSseRules(props: Record<string, unknown>): unknown[] | typeof UNKNOWN | undefined {
    const single = props.serverSideEncryptionConfiguration;
    const many = props.serverSideEncryptionConfigurations;
    if (single === UNKNOWN || many === UNKNOWN) {
        return UNKNOWN;
    }
    const rules: unknown[] = [];
    if (single !== undefined && single !== null) {
        rules.push(peek(single, "rule"));
    }
    const list = asList(many);
    for (const c of list === UNKNOWN ? [] : list) {
        const rs = asList(peek(c, "rules"));
        if (rs === UNKNOWN) {
            return UNKNOWN;
        }
        rules.push(...rs);
    }
    return rules.length > 0 ? rules : undefined;
}

const encS3Sse = stackRule(
    {
        name: "enc-s3-sse",
        description:
            "Every S3 bucket has a server-side encryption configuration using KMS; only a log-delivery bucket " +
            "(its policy grants ELB log delivery write-only access to AWSLogs/, or S3 server access log " +
            "delivery write-only access to objects) may use SSE-S3.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "S3.17; CKV_AWS_145",
        remediation:
            "Add an aws.s3.BucketServerSideEncryptionConfiguration with bucket: bucket.id and " +
            'sseAlgorithm "aws:kms" (kmsMasterKeyId: key.arn).',
    },
    (stack, _cfg, f) => {
        for (const bucket of stack.ofType(...T.buckets)) {
            const configs = attachedTo(stack, T.bucketSse, "bucket", bucket, nameIs("bucket"));
            const verdicts: Tri[] = configs.map((c) => rulesUseKms(c.props.rules));
            const inline = inlineSseRules(bucket.props);
            if (inline !== undefined) {
                verdicts.push(rulesUseKms(inline));
            }
            if (verdicts.length === 0) {
                f.fail(
                    `bucket ${bucket.name} has no server-side encryption configuration: add an ` +
                        'aws.s3.BucketServerSideEncryptionConfiguration (bucket: bucket.id) with sseAlgorithm "aws:kms".',
                    bucket.urn,
                );
                continue;
            }
            const kms = anyOf(verdicts);
            if (kms === false) {
                // ELB access logs and S3 server access logs only support SSE-S3: the sanctioned exceptions,
                // decided by the bucket's policy (what it is for), not by its name or tags.
                const logs = isLogDeliveryBucket(stack, bucket);
                if (logs === true) {
                    continue;
                }
                if (logs === UNKNOWN) {
                    f.unknown(`${bucket.name} bucket policy (is it an ELB or S3 access-log bucket?)`);
                    continue;
                }
            }
            f.expect(
                kms,
                `${bucket.name} SSE algorithm`,
                `bucket ${bucket.name} is encrypted with SSE-S3, not KMS: set sseAlgorithm "aws:kms" and ` +
                    "kmsMasterKeyId to a customer-managed key (only a log-delivery bucket, whose policy grants ELB log " +
                    "delivery write-only access to an AWSLogs/ prefix or S3 server access log delivery write-only " +
                    "access to objects, may use SSE-S3).",
                bucket.urn,
            );
        }
    },
);

/** Whether a bucket policy denies requests without TLS (`aws:SecureTransport` = false). */
function deniesInsecureTransport(raw: unknown): Tri | "invalid" {
    const doc = parsePolicyDocument(raw);
    if (doc === UNKNOWN) {
        return UNKNOWN;
    }
    if (isPolicyError(doc)) {
        return "invalid";
    }
    return anyOf(
        doc.statements
            .filter((s) => s.effect === "Deny")
            .map((s) => {
                if (s.condition === UNKNOWN) {
                    return UNKNOWN;
                }
                for (const op of Object.keys(s.condition ?? {})) {
                    const block = peek(s.condition, op);
                    if (block === UNKNOWN) {
                        return UNKNOWN;
                    }
                    for (const key of Object.keys(block ?? {})) {
                        if (key.toLowerCase() === "aws:securetransport") {
                            const v = peek(block, key);
                            if (v === UNKNOWN) {
                                return UNKNOWN;
                            }
                            const values = Array.isArray(v) ? v : [v];
                            if (
                                values.some(
                                    (x) => x === false || (typeof x === "string" && x.toLowerCase() === "false"),
                                )
                            ) {
                                return true;
                            }
                        }
                    }
                }
                return false;
            }),
    );
}

const encS3TlsOnly = stackRule(
    {
        name: "enc-s3-tls-only",
        description: "Every S3 bucket's policy denies requests that don't use TLS.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "S3.5",
        remediation:
            "Add an aws.s3.BucketPolicy with a Deny statement for all principals on s3:* when " +
            'Condition Bool aws:SecureTransport is "false".',
    },
    (stack, _cfg, f) => {
        for (const bucket of stack.ofType(...T.buckets)) {
            const docs: unknown[] = attachedTo(stack, [T.bucketPolicy], "bucket", bucket, nameIs("bucket")).map(
                (p) => p.props.policy,
            );
            if (bucket.props.policy !== undefined) {
                docs.push(bucket.props.policy);
            }
            if (docs.length === 0) {
                f.fail(
                    `bucket ${bucket.name} has no bucket policy, so plain-HTTP requests are allowed: add an ` +
                        'aws.s3.BucketPolicy that denies s3:* when aws:SecureTransport is "false".',
                    bucket.urn,
                );
                continue;
            }
            const verdicts = docs.map(deniesInsecureTransport);
            const invalid = verdicts.includes("invalid");
            const decided = anyOf(verdicts.map((v) => (v === "invalid" ? false : v)));
            if (decided === false && invalid) {
                f.fail(
                    `bucket ${bucket.name}'s policy is not a valid policy document: fix the JSON and add a ` +
                        'Deny on aws:SecureTransport = "false".',
                    bucket.urn,
                );
                continue;
            }
            f.expect(
                decided,
                `${bucket.name} bucket policy document`,
                `bucket ${bucket.name}'s policy does not deny insecure transport: add a Deny statement on s3:* ` +
                    'with Condition { Bool: { "aws:SecureTransport": "false" } }.',
                bucket.urn,
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

const encMessaging = resourceRule(
    {
        name: "enc-messaging",
        description: "SQS queues and SNS topics are encrypted at rest.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "SQS.1; SNS.1; CKV_AWS_26; CKV_AWS_27",
        remediation: "SQS: set kmsMasterKeyId (or keep sqsManagedSseEnabled true); SNS: set kmsMasterKeyId.",
    },
    [T.queue, T.topic],
    (r, _cfg, f) => {
        if (isPresent(r.props.kmsMasterKeyId)) {
            return;
        }
        if (r.type === T.topic) {
            f.fail(
                "the topic is not encrypted: set kmsMasterKeyId to a customer-managed key (key.arn); the " +
                    "AWS-managed alias/aws/sns can't grant CloudWatch or EventBridge the right to publish.",
            );
            return;
        }
        const sqsManaged = r.props.sqsManagedSseEnabled;
        const ok: Tri =
            sqsManaged === UNKNOWN
                ? UNKNOWN
                : isTrue(sqsManaged) === true || sqsManaged === undefined || sqsManaged === null;
        f.expect(
            ok,
            "sqsManagedSseEnabled",
            "sqsManagedSseEnabled is false and no kmsMasterKeyId is set, so the queue is unencrypted: set " +
                "kmsMasterKeyId or remove sqsManagedSseEnabled: false.",
        );
    },
);

const encCmkMisc = resourceRule(
    {
        name: "enc-cmk-misc",
        description: "Secrets, ECR repositories and log groups are encrypted with a customer-managed KMS key.",
        enforcementLevel: "advisory",
        family: "encryption",
        source: "ECR.5; CKV_AWS_149; CKV_AWS_136; CKV_AWS_158",
        remediation:
            'Secret/LogGroup: set kmsKeyId; ECR: encryptionConfigurations: [{ encryptionType: "KMS", kmsKey }].',
    },
    [T.secret, T.ecrRepository, T.logGroup],
    (r, _cfg, f) => {
        if (r.type === T.ecrRepository) {
            const configs = asList(r.props.encryptionConfigurations);
            const kms: Tri =
                configs === UNKNOWN
                    ? UNKNOWN
                    : anyOf(configs.map((c) => strIn(peek(c, "encryptionType"), ["KMS", "KMS_DSSE"])));
            f.expect(
                kms,
                "encryptionConfigurations",
                "the repository uses AES256 (AWS-owned key): set encryptionConfigurations: " +
                    '[{ encryptionType: "KMS", kmsKey: key.arn }] (changing it replaces the repository).',
            );
            // KMS without kmsKey is the AWS-managed aws/ecr key (ECR CreateRepository,
            // EncryptionConfiguration.kmsKey): not customer-managed, so its policy cannot be scoped.
            if (kms === true && Array.isArray(configs)) {
                const key = configs.find((c) => strIn(peek(c, "encryptionType"), ["KMS", "KMS_DSSE"]) === true);
                const kmsKey = peek(key, "kmsKey");
                f.expect(
                    isPresent(kmsKey), // an unknown kmsKey is a key's ARN not yet known: present
                    "encryptionConfigurations",
                    "the repository uses KMS without kmsKey, i.e. the AWS-managed aws/ecr key: set kmsKey to a " +
                        "customer-managed key (changing it replaces the repository).",
                );
            }
            return;
        }
        if (!isPresent(r.props.kmsKeyId)) {
            f.fail(
                "kmsKeyId is not set, so the AWS-managed key is used: set kmsKeyId to a customer-managed key" +
                    (r.type === T.logGroup ? " (its key policy must allow logs.<region>.amazonaws.com)." : "."),
            );
        }
    },
);

const encEc2Volumes = resourceRule(
    {
        name: "enc-ec2-volumes",
        description: "EC2 instances encrypt their root and attached EBS volumes.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "EC2.3; EC2.7; CKV_AWS_8",
        remediation:
            "Set rootBlockDevice: { encrypted: true } and encrypted: true on every ebsBlockDevices entry " +
            "(the account's default EBS encryption is not visible to the pack).",
    },
    [T.ec2Instance],
    (r, _cfg, f) => {
        f.expect(
            isTrue(at(r.props, "rootBlockDevice", "encrypted")),
            "rootBlockDevice.encrypted",
            "rootBlockDevice.encrypted is not true, so the root volume is as encrypted as the AMI's snapshot: " +
                "set rootBlockDevice: { encrypted: true }.",
        );
        const extra = asList(r.props.ebsBlockDevices);
        if (extra === UNKNOWN) {
            f.unknown("ebsBlockDevices");
            return;
        }
        extra.forEach((device, i) =>
            f.expect(
                isTrue(at(device, "encrypted")),
                `ebsBlockDevices[${i}].encrypted`,
                `ebsBlockDevices[${i}].encrypted is not true: set encrypted: true on every attached volume.`,
            ),
        );
    },
);

const encKmsRotation = resourceRule(
    {
        name: "enc-kms-rotation",
        description: "Symmetric KMS keys rotate their key material.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "cmk-backing-key-rotation-enabled; KMS.4",
        remediation: "Set enableKeyRotation: true on symmetric encryption keys.",
    },
    [T.kmsKey],
    (r, _cfg, f) => {
        const spec = asStr(r.props.customerMasterKeySpec ?? r.props.keySpec);
        const usage = asStr(r.props.keyUsage);
        if (spec === UNKNOWN || usage === UNKNOWN) {
            f.unknown("customerMasterKeySpec/keyUsage");
            return;
        }
        // AWS only rotates symmetric encryption keys; asymmetric and HMAC keys can't enable it.
        const symmetric =
            (spec === undefined || spec === "SYMMETRIC_DEFAULT") &&
            (usage === undefined || usage === "ENCRYPT_DECRYPT");
        if (!symmetric) {
            return;
        }
        f.expect(
            isTrue(r.props.enableKeyRotation),
            "enableKeyRotation",
            `enableKeyRotation is ${show(r.props.enableKeyRotation)}: set enableKeyRotation: true.`,
        );
    },
);

// ------------------------------------------------------------------------------------------------

const DEFAULT_SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

interface TlsListenerConfig {
    allowedSslPolicies?: string[];
}

const tlsAlbListener = resourceRule(
    {
        name: "tls-alb-listener",
        description: "Load balancer listeners serve TLS with a modern policy; plain HTTP only redirects to HTTPS.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "alb-http-to-https-redirection; ELB.1; ELB.17; ELB.18; CKV_AWS_103",
        remediation:
            "HTTPS/TLS listeners: set sslPolicy to an allowed policy (ELBSecurityPolicy-TLS13-1-2-2021-06) " +
            "and certificateArn; HTTP listeners: a single redirect action to protocol HTTPS.",
        configSchema: {
            properties: {
                allowedSslPolicies: {
                    type: "array",
                    items: { type: "string" },
                    default: DEFAULT_SSL_POLICIES,
                    description: "ELB security policies that are acceptable (TLS 1.2+ with forward secrecy).",
                },
            },
        },
    },
    T.listeners,
    (r, cfg: TlsListenerConfig, f) => {
        const allowed = cfg.allowedSslPolicies ?? DEFAULT_SSL_POLICIES;
        const protocolRaw = asStr(r.props.protocol);
        if (protocolRaw === UNKNOWN) {
            f.unknown("protocol");
            return;
        }
        // An ALB listener without a protocol is HTTP.
        const protocol = (protocolRaw ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS" || protocol === "TLS") {
            const policy = asStr(r.props.sslPolicy);
            if (policy === undefined) {
                f.fail(
                    `sslPolicy is not set, so AWS picks its legacy default: set sslPolicy to one of ${allowed.slice(0, 2).join(", ")}.`,
                );
            } else {
                f.expect(
                    policy === UNKNOWN ? UNKNOWN : allowed.includes(policy),
                    "sslPolicy",
                    `sslPolicy ${show(policy)} is not in the allow-list: use ${allowed[0]} (or another of: ${allowed.join(", ")}).`,
                );
            }
            if (!isPresent(r.props.certificateArn)) {
                f.fail("certificateArn is not set: attach an ACM certificate.");
            }
            return;
        }
        if (protocol !== "HTTP") {
            f.fail(`protocol ${protocol} is unencrypted: use TLS (NLB) or HTTPS (ALB) with an allowed sslPolicy.`);
            return;
        }
        const actions = asList(r.props.defaultActions);
        if (actions === UNKNOWN) {
            f.unknown("defaultActions");
            return;
        }
        const redirectOk: Tri =
            actions.length !== 1
                ? false
                : allOf([
                      strIn(peek(actions[0], "type"), ["redirect"]),
                      strIn(at(actions[0], "redirect", "protocol"), ["HTTPS"]),
                  ]);
        f.expect(
            redirectOk,
            "defaultActions",
            'an HTTP listener must only redirect: set defaultActions to a single { type: "redirect", redirect: ' +
                '{ protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.',
        );
    },
);

// ------------------------------------------------------------------------------------------------

/** CloudFront viewer TLS policies, oldest first. */
const CLOUDFRONT_TLS_ORDER = [
    "SSLv3",
    "TLSv1",
    "TLSv1_2016",
    "TLSv1.1_2016",
    "TLSv1.2_2018",
    "TLSv1.2_2019",
    "TLSv1.2_2021",
    "TLSv1.2_2025",
    "TLSv1.3_2025",
];

interface TlsCloudfrontConfig {
    minimumProtocolVersion?: string;
}

const tlsCloudfront = resourceRule(
    {
        name: "tls-cloudfront",
        description:
            "CloudFront distributions use HTTPS to viewers (TLS 1.2+); tls-cloudfront-origin checks the origins.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "CloudFront.3; CloudFront.10; CKV_AWS_174",
        remediation:
            "Set every viewerProtocolPolicy to redirect-to-https and viewerCertificate.minimumProtocolVersion " +
            "to TLSv1.2_2021 (custom certificate).",
        configSchema: {
            properties: {
                minimumProtocolVersion: {
                    type: "string",
                    enum: CLOUDFRONT_TLS_ORDER,
                    default: "TLSv1.2_2021",
                    description: "Oldest acceptable viewer TLS policy.",
                },
            },
        },
    },
    [T.distribution],
    (r, cfg: TlsCloudfrontConfig, f) => {
        const p = r.props;
        const behaviors: { label: string; value: unknown }[] = [
            { label: "defaultCacheBehavior", value: p.defaultCacheBehavior },
        ];
        const ordered = asList(p.orderedCacheBehaviors);
        if (ordered === UNKNOWN) {
            f.unknown("orderedCacheBehaviors");
        } else {
            ordered.forEach((b, i) => behaviors.push({ label: `orderedCacheBehaviors[${i}]`, value: b }));
        }
        for (const b of behaviors) {
            const vpp = asStr(at(b.value, "viewerProtocolPolicy"));
            f.expect(
                vpp === UNKNOWN ? UNKNOWN : vpp !== undefined && vpp.toLowerCase() !== "allow-all",
                `${b.label}.viewerProtocolPolicy`,
                `${b.label}.viewerProtocolPolicy is ${show(vpp)}: set it to "redirect-to-https" (or "https-only").`,
            );
        }

        const min = cfg.minimumProtocolVersion ?? "TLSv1.2_2021";
        const defaultCert = isTrue(at(p.viewerCertificate, "cloudfrontDefaultCertificate"));
        if (defaultCert === UNKNOWN) {
            f.unknown("viewerCertificate.cloudfrontDefaultCertificate");
        } else if (!defaultCert) {
            // With the *.cloudfront.net certificate CloudFront pins TLSv1, so the floor only applies to custom ones.
            const version = asStr(at(p.viewerCertificate, "minimumProtocolVersion"));
            const ok: Tri =
                version === UNKNOWN
                    ? UNKNOWN
                    : version !== undefined &&
                      CLOUDFRONT_TLS_ORDER.indexOf(version) >= CLOUDFRONT_TLS_ORDER.indexOf(min);
            f.expect(
                ok,
                "viewerCertificate.minimumProtocolVersion",
                `viewerCertificate.minimumProtocolVersion is ${show(version)}: set it to ${min} or newer.`,
            );
        }
    },
);

/** An origin's TLS settings: https-only, TLS 1.2 only (CloudFront's origin protocols go down to SSLv3). */
function checkOriginTls(f: Findings, label: string, policy: unknown, protocols: unknown[] | Unknown): void {
    const p = asStr(policy);
    f.expect(
        p === UNKNOWN ? UNKNOWN : p?.toLowerCase() === "https-only",
        `${label}.originProtocolPolicy`,
        `${label} uses originProtocolPolicy ${show(p)}: set it to "https-only".`,
    );
    const ok: Tri =
        protocols === UNKNOWN
            ? UNKNOWN
            : protocols.length > 0 && allOf(protocols.map((x) => (x === UNKNOWN ? UNKNOWN : x === "TLSv1.2")));
    f.expect(
        ok,
        `${label}.originSslProtocols`,
        `${label} allows origin protocols ${show(protocols)}: set them to ["TLSv1.2"].`,
    );
}

// A rule of its own so that a stack can lower it alone: a dev stack without a DNS zone has a load
// balancer without a certificate, which CloudFront can only reach over HTTP (policy/dev.json makes
// this rule advisory there; viewers still get HTTPS from tls-cloudfront).
const tlsCloudfrontOrigin = resourceRule(
    {
        name: "tls-cloudfront-origin",
        description: "CloudFront reaches custom and VPC origins over HTTPS with TLS 1.2 only.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "CloudFront.9; CloudFront.15",
        remediation:
            'Set customOriginConfig (distribution) and vpcOriginEndpointConfig (VpcOrigin) to originProtocolPolicy "https-only" ' +
            'with originSslProtocols ["TLSv1.2"], and give the origin a certificate for its domain name.',
    },
    [T.distribution, T.vpcOrigin],
    (r, _cfg, f) => {
        if (r.type === T.vpcOrigin) {
            const endpoint = r.props.vpcOriginEndpointConfig;
            if (endpoint === UNKNOWN) {
                f.unknown("vpcOriginEndpointConfig");
                return;
            }
            checkOriginTls(
                f,
                "vpcOriginEndpointConfig",
                at(endpoint, "originProtocolPolicy"),
                asList(at(endpoint, "originSslProtocols", "items")),
            );
            return;
        }
        const origins = asList(r.props.origins);
        if (origins === UNKNOWN) {
            f.unknown("origins");
            return;
        }
        origins.forEach((o, i) => {
            // S3 origins have no protocol to choose; a VPC origin's is on its VpcOrigin resource.
            const custom = peek(o, "customOriginConfig");
            if (custom === undefined || custom === null) {
                return;
            }
            const id = asStr(peek(o, "originId"));
            const label = typeof id === "string" ? `origin ${id}` : `origins[${i}]`;
            checkOriginTls(f, label, at(custom, "originProtocolPolicy"), asList(at(custom, "originSslProtocols")));
        });
    },
);

// ------------------------------------------------------------------------------------------------

const tlsSes = resourceRule(
    {
        name: "tls-ses",
        description: "SES configuration sets require TLS for outbound delivery.",
        enforcementLevel: "advisory",
        family: "encryption",
        source: "CKV_AWS_365",
        remediation: 'Set deliveryOptions.tlsPolicy to "Require" (ses) / "REQUIRE" (sesv2).',
    },
    T.sesConfigurationSets,
    (r, _cfg, f) => {
        const policy = at(r.props, "deliveryOptions", "tlsPolicy");
        f.expect(
            strIn(policy, ["Require"]),
            "deliveryOptions.tlsPolicy",
            `deliveryOptions.tlsPolicy is ${show(policy)}, so mail may be sent in plaintext: set it to ` +
                (r.type.startsWith("aws:sesv2") ? '"REQUIRE".' : '"Require".'),
        );
    },
);

// ------------------------------------------------------------------------------------------------

interface CmkConfig {
    allowedKeyArns?: string[];
}

/** Where each type names its KMS key. `path` walks list elements with "*". */
const KEY_INPUTS: { types: readonly string[]; key: string; path: (string | "*")[] }[] = [
    { types: [T.rdsInstance], key: "kmsKeyId", path: ["kmsKeyId"] },
    { types: [T.rdsInstance], key: "performanceInsightsKmsKeyId", path: ["performanceInsightsKmsKeyId"] },
    { types: [T.rdsInstance], key: "masterUserSecretKmsKeyId", path: ["masterUserSecretKmsKeyId"] },
    { types: [T.redis], key: "kmsKeyId", path: ["kmsKeyId"] },
    { types: [T.queue, T.topic], key: "kmsMasterKeyId", path: ["kmsMasterKeyId"] },
    { types: [T.secret, T.logGroup], key: "kmsKeyId", path: ["kmsKeyId"] },
    { types: [T.ecrRepository], key: "encryptionConfigurations", path: ["encryptionConfigurations", "*", "kmsKey"] },
    { types: T.bucketSse, key: "rules", path: ["rules", "*", "applyServerSideEncryptionByDefault", "kmsMasterKeyId"] },
];

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//i;

function valuesAt(value: unknown, path: (string | "*")[]): unknown[] {
    if (path.length === 0) {
        return [value];
    }
    if (value === UNKNOWN) {
        return [UNKNOWN];
    }
    const [head, ...rest] = path;
    if (head === "*") {
        const list = asList(value);
        return list === UNKNOWN ? [UNKNOWN] : list.flatMap((v) => valuesAt(v, rest));
    }
    return valuesAt(peek(value, head), rest);
}

const encCmkManaged = stackRule(
    {
        name: "enc-cmk-managed",
        description:
            'A "customer-managed key" is one this stack manages (an edge to an aws.kms.Key or its Alias) or an ' +
            "allow-listed key ARN, never an AWS-managed alias (alias/aws/...); SSE-KMS buckets name their key.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "RDS.3; ElastiCache.4; SQS.1; SNS.1; S3.17; CKV_AWS_145; CKV_AWS_149; CKV_AWS_158; CKV_AWS_191; CKV2_AWS_64",
        remediation:
            "Pass key.arn (or alias.arn) of an aws.kms.Key declared in this program; for a key shared from " +
            "another stack, list its ARN in the rule's allowedKeyArns; don't use alias/aws/*.",
        configSchema: {
            properties: {
                allowedKeyArns: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Key (or alias) ARNs managed elsewhere that count as customer-managed.",
                },
            },
        },
    },
    (stack, cfg: CmkConfig, f) => {
        const allowed = cfg.allowedKeyArns ?? [];
        for (const { types, key, path } of KEY_INPUTS) {
            for (const r of stack.ofType(...types)) {
                if (r.deps(key).some((d) => d.type === T.kmsKey || d.type === "aws:kms/alias:Alias")) {
                    continue;
                }
                for (const v of valuesAt(r.props, path)) {
                    if (v === undefined || v === null || v === "") {
                        if ((T.bucketSse as readonly string[]).includes(r.type)) {
                            const algos = valuesAt(r.props, [
                                "rules",
                                "*",
                                "applyServerSideEncryptionByDefault",
                                "sseAlgorithm",
                            ]);
                            if (algos.some((a) => typeof a === "string" && a.toLowerCase().startsWith("aws:kms"))) {
                                f.fail(
                                    `${r.name} uses aws:kms without kmsMasterKeyId, i.e. the AWS-managed aws/s3 key: set ` +
                                        "kmsMasterKeyId to key.arn.",
                                    r.urn,
                                );
                            }
                        }
                        continue; // absence is for the per-type presence rules
                    }
                    if (v === UNKNOWN) {
                        f.unknown(`${r.name}.${key} (not linked to a key in this stack)`);
                        continue;
                    }
                    const text = String(v);
                    if (AWS_MANAGED_ALIAS.test(text)) {
                        f.fail(
                            `${r.name}.${key} is the AWS-managed ${text.slice(text.indexOf("alias/"))}: its key policy and ` +
                                "rotation aren't yours; pass a customer-managed key (key.arn).",
                            r.urn,
                        );
                    } else if (!allowed.includes(text)) {
                        f.fail(
                            `${r.name}.${key} names key ${show(text)}, which this stack doesn't manage and allowedKeyArns ` +
                                "doesn't list: pass key.arn of a key declared here, or allow-list the ARN.",
                            r.urn,
                        );
                    }
                }
            }
        }
    },
);

/** Re-exported for tests and the README: the SSL policies tls-alb-listener accepts by default. */
export const defaultSslPolicies: readonly string[] = DEFAULT_SSL_POLICIES;

export const encryptionPolicies: RegisteredPolicy[] = [
    encRdsStorage,
    encRdsTls,
    encRdsTlsCustomGroup,
    encRedisRest,
    encRedisTransit,
    encS3Sse,
    encS3TlsOnly,
    encMessaging,
    encCmkMisc,
    encEc2Volumes,
    encKmsRotation,
    encCmkManaged,
    tlsAlbListener,
    tlsCloudfront,
    tlsCloudfrontOrigin,
    tlsSes,
];
