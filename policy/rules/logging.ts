import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { containerInsightsOn, forEachContainer } from "./lib/ecs";
import { environmentOf, environmentProperty } from "./lib/environment";
import { attachedTo, linked, nameIs } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, Tri, UNKNOWN } from "./lib/unknowns";
import { allOf, anyOf, asList, asNum, asStr, isPresent, isTrue, show, strIn } from "./lib/values";
import { isS3AccessLogTarget } from "./principals";
/**
 * 5.6 Logging.
 */

const logAlb = resourceRule(
    {
        name: "log-alb",
        description: "Load balancers write access logs to S3.",
        enforcementLevel: "mandatory",
        family: "logging",
        source: "elb-logging-enabled; ELB.5; CKV_AWS_91",
        remediation:
            "Set accessLogs { bucket: logBucket.id, enabled: true } (the bucket policy must allow the " +
            "regional ELB log delivery principal).",
    },
    T.loadBalancers,
    (r, _cfg, f) => {
        const type = asStr(r.props.loadBalancerType);
        if (type === "gateway") {
            return; // gateway load balancers have no access logs
        }
        const logs = r.props.accessLogs;
        f.expect(
            allOf([isTrue(at(logs, "enabled")), isPresent(at(logs, "bucket"))]),
            "accessLogs.enabled",
            `accessLogs is ${show(logs)}: set accessLogs { bucket: logBucket.id, enabled: true } so requests can be ` +
                "investigated after the fact.",
        );
    },
);

const logCloudfront = stackRule(
    {
        name: "log-cloudfront",
        description: "CloudFront distributions log requests (legacy S3 logging or CloudWatch log delivery v2).",
        enforcementLevel: "mandatory",
        family: "logging",
        source: "CloudFront.5; CKV_AWS_86",
        remediation:
            "Set loggingConfig { bucket } or add an aws.cloudwatch.LogDeliverySource (resourceArn: cdn.arn, " +
            "logType ACCESS_LOGS) with an aws.cloudwatch.LogDelivery (deliverySourceName: source.name).",
    },
    (stack, _cfg, f) => {
        const sources = stack.ofType(T.logDeliverySource);
        const deliveries = stack.ofType(T.logDelivery);
        for (const d of stack.ofType(T.distribution)) {
            const legacy = isPresent(at(d.props, "loggingConfig", "bucket"));
            if (legacy) {
                continue;
            }
            const v2: Tri = anyOf(
                sources
                    .filter((s) => linked(s, "resourceArn", d))
                    .map((s) => {
                        const delivered = deliveries.some(
                            (x) =>
                                linked(x, "deliverySourceName", s) ||
                                (typeof asStr(x.props.deliverySourceName) === "string" &&
                                    asStr(x.props.deliverySourceName) === asStr(s.props.name)),
                        );
                        return allOf([strIn(s.props.logType, ["ACCESS_LOGS"]), delivered]);
                    }),
            );
            f.expect(
                v2,
                `${d.name} log delivery`,
                `distribution ${d.name} has no access logging: set loggingConfig { bucket: logBucket.bucketDomainName } ` +
                    "or add a CloudWatch LogDeliverySource (resourceArn: cdn.arn, logType ACCESS_LOGS) and LogDelivery.",
                d.urn,
            );
        }
    },
);

const logVpcFlow = stackRule(
    {
        name: "log-vpc-flow",
        description: "Every VPC has a flow log.",
        enforcementLevel: "mandatory",
        family: "logging",
        source: "EC2.6; CKV2_AWS_11",
        remediation: 'Add an aws.ec2.FlowLog with vpcId: vpc.id (trafficType "ALL" or "REJECT").',
    },
    (stack, _cfg, f) => {
        const flowLogs = stack.ofType(T.flowLog);
        for (const vpc of stack.ofType(T.vpc)) {
            if (!flowLogs.some((fl) => linked(fl, "vpcId", vpc))) {
                f.fail(
                    `VPC ${vpc.name} has no flow log: add an aws.ec2.FlowLog with vpcId: vpc.id (an Output, so the ` +
                        "link is visible) to CloudWatch Logs or S3.",
                    vpc.urn,
                );
            }
        }
    },
);

const logEcsContainers = resourceRule(
    {
        name: "log-ecs-containers",
        description: "Every ECS container ships its logs, and clusters run Container Insights.",
        enforcementLevel: "mandatory",
        family: "logging",
        source: "ECS.9; ECS.12; CKV_AWS_65",
        remediation:
            'Give every container logConfiguration { logDriver: "awslogs", options: { ... } }; set the ' +
            'cluster\'s settings [{ name: "containerInsights", value: "enabled" }].',
    },
    [T.ecsTaskDefinition, T.ecsCluster],
    (r, _cfg, f) => {
        if (r.type === T.ecsCluster) {
            f.expect(
                containerInsightsOn(r),
                "settings",
                'Container Insights is off: add settings [{ name: "containerInsights", value: "enabled" }] ' +
                    '("enhanced" for per-container metrics).',
            );
            return;
        }
        forEachContainer(r.props.containerDefinitions, f, (c, label) => {
            if (!isPresent(at(c, "logConfiguration", "logDriver"))) {
                f.fail(
                    `${label} has no logConfiguration, so its output is lost: set logConfiguration { logDriver: ` +
                        '"awslogs", options: { "awslogs-group", "awslogs-region", "awslogs-stream-prefix" } }.',
                );
            }
        });
    },
);

interface RdsLogConfig {
    postgresExports?: string[];
}

const logRds = resourceRule(
    {
        name: "log-rds",
        description: "RDS instances export engine logs to CloudWatch and use Enhanced Monitoring.",
        enforcementLevel: "mandatory",
        family: "logging",
        source: "RDS.9; RDS.36; RDS.6; CKV_AWS_129; CKV_AWS_118",
        remediation:
            'Set enabledCloudwatchLogsExports ["postgresql"] (PostgreSQL) and monitoringInterval > 0 with ' +
            "monitoringRoleArn.",
        configSchema: {
            properties: {
                postgresExports: {
                    type: "array",
                    items: { type: "string" },
                    default: ["postgresql"],
                    description: 'Log types PostgreSQL instances must export (add "upgrade" to keep upgrade logs).',
                },
            },
        },
    },
    [T.rdsInstance],
    (r, cfg: RdsLogConfig, f) => {
        const engine = asStr(r.props.engine);
        if (engine === UNKNOWN) {
            f.unknown("engine");
        } else if (engine?.toLowerCase().includes("postgres")) {
            const required = cfg.postgresExports ?? ["postgresql"];
            const exports = asList(r.props.enabledCloudwatchLogsExports);
            if (exports === UNKNOWN) {
                f.unknown("enabledCloudwatchLogsExports");
            } else {
                const missing = required.filter((x) => !exports.includes(x));
                if (missing.length > 0 && exports.includes(UNKNOWN)) {
                    f.unknown("enabledCloudwatchLogsExports");
                } else if (missing.length > 0) {
                    f.fail(
                        `enabledCloudwatchLogsExports lacks ${missing.join(", ")}: set enabledCloudwatchLogsExports: ` +
                            `${JSON.stringify(required)}.`,
                    );
                }
            }
        }
        const interval = asNum(r.props.monitoringInterval);
        f.expect(
            interval === UNKNOWN ? UNKNOWN : interval !== undefined && interval > 0,
            "monitoringInterval",
            `monitoringInterval is ${show(r.props.monitoringInterval)}: set it to 60 (or less) with a monitoringRoleArn ` +
                "for OS-level metrics.",
        );
    },
);

interface RetentionConfig {
    environment?: string;
    minDaysProd?: number;
    minDaysDev?: number;
}

const logRetention = resourceRule(
    {
        name: "log-retention",
        description: "Log groups set a retention of at least a year in prod (30 days in dev).",
        enforcementLevel: "advisory",
        family: "logging",
        source: "CloudWatch.16; CKV_AWS_66; CKV_AWS_338",
        remediation: "Set retentionInDays to at least 365 in prod (30 in dev).",
        configSchema: {
            properties: {
                environment: environmentProperty,
                minDaysProd: { type: "integer", minimum: 1, default: 365 },
                minDaysDev: { type: "integer", minimum: 1, default: 30 },
            },
        },
    },
    [T.logGroup],
    (r, cfg: RetentionConfig, f) => {
        const env = environmentOf(cfg);
        const min = env === "prod" ? (cfg.minDaysProd ?? 365) : (cfg.minDaysDev ?? 30);
        const days = asNum(r.props.retentionInDays);
        if (days === undefined) {
            f.fail(`retentionInDays is not set, so logs are kept (and billed) forever: set retentionInDays: ${min}.`);
            return;
        }
        // 0 means "never expire": long enough, just expensive.
        f.expect(
            days === UNKNOWN ? UNKNOWN : days === 0 || days >= min,
            "retentionInDays",
            `retentionInDays is ${show(days)}: keep logs at least ${min} days in ${env}.`,
        );
    },
);

/**
 * Whether a bucket resource's own deprecated inline logging block names a target (`Bucket.logging`,
 * `BucketV2.loggings[]`); undefined when it has none.
 */
function inlineLogging(props: Record<string, unknown>): Tri | undefined {
    const single = props.logging;
    const many = props.loggings;
    if (single === UNKNOWN || many === UNKNOWN) {
        return UNKNOWN;
    }
    const blocks: unknown[] = single !== undefined && single !== null ? [single] : [];
    const list = asList(many);
    if (list === UNKNOWN) {
        return UNKNOWN;
    }
    blocks.push(...list);
    return blocks.length > 0 ? anyOf(blocks.map((b) => isPresent(at(b, "targetBucket")))) : undefined;
}

const logS3Access = stackRule(
    {
        name: "log-s3-access",
        description:
            "Every S3 bucket logs server access to another bucket, except the access-log target itself " +
            "(logging.s3.amazonaws.com writes to it), whose own access logs would loop. CloudTrail, ELB and " +
            "vended-log buckets log their access like any other.",
        enforcementLevel: "mandatory",
        family: "logging",
        source: "S3.9; CKV_AWS_18; Pulumi AWSGuard s3-bucket-logging-enabled",
        remediation:
            "Add an aws.s3.BucketLogging with bucket: bucket.id and targetBucket: a log bucket (SSE-S3, its policy " +
            "granting logging.s3.amazonaws.com s3:PutObject with aws:SourceArn/aws:SourceAccount).",
    },
    (stack, _cfg, f) => {
        for (const bucket of stack.ofType(...T.buckets)) {
            const configs = attachedTo(stack, T.bucketLogging, "bucket", bucket, nameIs("bucket"));
            const verdicts: Tri[] = configs.map((c) => isPresent(c.props.targetBucket));
            const inline = inlineLogging(bucket.props);
            if (inline !== undefined) {
                verdicts.push(inline);
            }
            const logged = anyOf(verdicts);
            if (logged === true) {
                continue;
            }
            const destination = isS3AccessLogTarget(stack, bucket);
            if (destination === true) {
                continue;
            }
            if (logged === UNKNOWN || destination === UNKNOWN) {
                f.unknown(`${bucket.name} server access logging (or is it the access-log target?)`);
                continue;
            }
            f.fail(
                `bucket ${bucket.name} has no server access logging: add an aws.s3.BucketLogging (bucket: bucket.id, ` +
                    "targetBucket: a log bucket) so requests on it can be audited.",
                bucket.urn,
            );
        }
    },
);

export const loggingPolicies: RegisteredPolicy[] = [
    logAlb,
    logCloudfront,
    logVpcFlow,
    logS3Access,
    logEcsContainers,
    logRds,
    logRetention,
];
