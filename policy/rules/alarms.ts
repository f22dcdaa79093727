import { RegisteredPolicy, stackRule } from "./lib/define";
import { containerInsightsOn } from "./lib/ecs";
import { Findings } from "./lib/findings";
import { arnEndsWith, linked, nameOrArn, referencedBy, refersTo, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import { anyOf, asBool, asList, asStr, show } from "./lib/values";
/**
 * 5.3 Alarm coverage. Stack policies that work at preview, before any ID or ARN exists.
 *
 * An alarm covers a resource when one of its dimensions *came from* that resource: writing
 * `dimensions: { DBInstanceIdentifier: db.identifier }` records the Output-to-input edge
 * `propertyDependencies.dimensions = [db]`, which is known at preview even though the identifier isn't.
 * Plain `dependencies` don't count: `dependsOn` fills them too and says nothing about what is measured.
 * When a dimension is a literal string (a physical name set in code), it is compared with the target's
 * known name instead.
 */

/** One metric an alarm watches: the alarm's own, or one of its metricQueries. */
interface MetricRef {
    metric: string | undefined | Unknown;
    namespace: string | undefined | Unknown;
    dims: unknown;
}

function metricRefs(alarm: Res): MetricRef[] {
    const p = alarm.props;
    const refs: MetricRef[] = [];
    if (p.metricName !== undefined) {
        refs.push({ metric: asStr(p.metricName), namespace: asStr(p.namespace), dims: p.dimensions });
    }
    const queries = asList(p.metricQueries);
    if (queries === UNKNOWN) {
        refs.push({ metric: UNKNOWN, namespace: UNKNOWN, dims: UNKNOWN });
    } else {
        for (const q of queries) {
            const m = peek(q, "metric");
            if (m === UNKNOWN) {
                refs.push({ metric: UNKNOWN, namespace: UNKNOWN, dims: UNKNOWN });
            } else if (m !== undefined && m !== null) {
                refs.push({
                    metric: asStr(peek(m, "metricName")),
                    namespace: asStr(peek(m, "namespace")),
                    dims: peek(m, "dimensions"),
                });
            }
        }
    }
    return refs;
}

/** Rule 1 of the catalogue: an Output-to-input edge from the target into the alarm's dimensions. */
function edgeTo(alarm: Res, target: Res): boolean {
    return linked(alarm, "dimensions", target) || linked(alarm, "metricQueries", target);
}

/** A literal dimension value, or undefined when it's absent or unknown. */
function literalDim(dims: unknown, key: string): string | undefined {
    const v = asStr(at(dims, key));
    return typeof v === "string" ? v : undefined;
}

function watches(ref: MetricRef, metric: string, namespaces: readonly string[]): Tri {
    if (ref.metric === UNKNOWN || ref.namespace === UNKNOWN) {
        return UNKNOWN;
    }
    return ref.metric === metric && (ref.namespace === undefined || namespaces.includes(ref.namespace));
}

interface CoverageSpec {
    targets: Res[];
    metrics: readonly string[];
    namespaces: readonly string[];
    /** Rule 2 of the catalogue: do these literal dimensions name the target? */
    literalMatch: (target: Res, dims: unknown) => boolean;
    /** The dimension to write in the remediation, e.g. `DBInstanceIdentifier: db.identifier`. */
    dimensionHint: string;
    /** The Groundwork component that creates these alarms when given `alarmTopicArn`, if there is one. */
    component?: string;
    exempt: readonly string[];
}

/** The Groundwork component (`groundwork:index:<name>`) a resource was declared in, if any. */
function enclosing(target: Res, component: string): Res | undefined {
    for (let p = target.parent; p; p = p.parent) {
        if (p.type === `groundwork:index:${component}`) {
            return p;
        }
    }
    return undefined;
}

/** The fix for a missing alarm: the component's argument when a component owns the resource. */
function missingAlarmFix(target: Res, metric: string, spec: CoverageSpec): string {
    const owner = spec.component ? enclosing(target, spec.component) : undefined;
    if (owner) {
        return (
            `pass \`alarmTopicArn\` to the ${spec.component} component "${owner.name}" (it creates the alarms, ` +
            `${metric} included, linked to ${target.name}).`
        );
    }
    return (
        `add an aws.cloudwatch.MetricAlarm with namespace "${spec.namespaces[0]}", metricName "${metric}" and ` +
        `dimensions { ${spec.dimensionHint} } passed as Outputs (dependsOn alone does not link an alarm to its ` +
        "resource), e.g. with Monitoring.addAlarm."
    );
}

function isExempt(r: Res, exempt: readonly string[]): boolean {
    return exempt.includes(r.name) || exempt.includes(r.urn);
}

function checkCoverage(stack: StackView, f: Findings, spec: CoverageSpec): void {
    const alarms = stack.ofType(T.metricAlarm);
    for (const target of spec.targets) {
        if (isExempt(target, spec.exempt)) {
            continue;
        }
        const covering = alarms.filter(
            (a) => edgeTo(a, target) || metricRefs(a).some((m) => spec.literalMatch(target, m.dims)),
        );
        for (const metric of spec.metrics) {
            const verdict = anyOf(
                covering.map((a) => anyOf(metricRefs(a).map((m) => watches(m, metric, spec.namespaces)))),
            );
            f.expect(
                verdict,
                `${target.name} ${metric} alarm (metricName)`,
                `${target.name} has no ${metric} alarm: ${missingAlarmFix(target, metric, spec)}`,
                target.urn,
            );
        }
    }
}

function metricsSchema(defaults: string[], what: string) {
    return {
        type: "array" as const,
        items: { type: "string" as const },
        default: defaults,
        description: `CloudWatch metrics that must each have an alarm linked to every ${what}.`,
    };
}

const exemptSchema = {
    type: "array" as const,
    items: { type: "string" as const },
    default: [] as string[],
    description: "Logical names or URNs of resources whose alarms are managed elsewhere.",
};

interface CoverageConfig {
    metrics?: string[];
    exempt?: string[];
}

// ------------------------------------------------------------------------------------------------

const RDS_METRICS = ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"];

const alarmRds = stackRule(
    {
        name: "alarm-rds",
        description: "Every RDS instance has CPU, free-storage and connection alarms linked to it.",
        enforcementLevel: "mandatory",
        family: "alarms",
        source: "CloudWatch Best-Practice-Alarms; RDS.20",
        remediation:
            "Pass `alarmTopicArn` to the Database component (it creates the alarms). For an instance " +
            "declared outside it, add MetricAlarms (namespace AWS/RDS) with dimensions " +
            "{ DBInstanceIdentifier: db.identifier } for each configured metric.",
        configSchema: { properties: { metrics: metricsSchema(RDS_METRICS, "RDS instance"), exempt: exemptSchema } },
    },
    (stack, cfg: CoverageConfig, f) =>
        checkCoverage(stack, f, {
            targets: stack.ofType(T.rdsInstance),
            metrics: cfg.metrics ?? RDS_METRICS,
            namespaces: ["AWS/RDS"],
            literalMatch: (db, dims) => {
                const id = asStr(db.props.identifier);
                return typeof id === "string" && literalDim(dims, "DBInstanceIdentifier") === id;
            },
            dimensionHint: "DBInstanceIdentifier: db.identifier",
            component: "Database",
            exempt: cfg.exempt ?? [],
        }),
);

const REDIS_METRICS = ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage"];

const alarmRedis = stackRule(
    {
        name: "alarm-redis",
        description: "Every ElastiCache replication group has engine-CPU and memory alarms linked to it.",
        enforcementLevel: "mandatory",
        family: "alarms",
        source: "CloudWatch Best-Practice-Alarms",
        remediation:
            "Pass `alarmTopicArn` to the Cache component (it creates the alarms). For a group declared " +
            "outside it, add MetricAlarms (namespace AWS/ElastiCache) with dimensions { ReplicationGroupId: cache.id } " +
            "(or CacheClusterId of a member) for each configured metric.",
        configSchema: {
            properties: { metrics: metricsSchema(REDIS_METRICS, "replication group"), exempt: exemptSchema },
        },
    },
    (stack, cfg: CoverageConfig, f) =>
        checkCoverage(stack, f, {
            targets: stack.ofType(T.redis),
            metrics: cfg.metrics ?? REDIS_METRICS,
            namespaces: ["AWS/ElastiCache"],
            literalMatch: (rg, dims) => {
                const id = asStr(rg.props.replicationGroupId);
                if (typeof id !== "string") {
                    return false;
                }
                const member = literalDim(dims, "CacheClusterId");
                return (
                    literalDim(dims, "ReplicationGroupId") === id ||
                    (member !== undefined && member.startsWith(`${id}-`))
                );
            },
            dimensionHint: "ReplicationGroupId: cache.id",
            component: "Cache",
            exempt: cfg.exempt ?? [],
        }),
);

// ------------------------------------------------------------------------------------------------

const ECS_METRICS = ["CPUUtilization", "MemoryUtilization"];

/** The cluster a service runs in, by Output edge or by literal name/ARN. */
function clusterOf(stack: StackView, service: Res): Res | undefined {
    return referencedBy(stack, service, "cluster", [T.ecsCluster], nameOrArn("name", ":cluster/"))[0];
}

const alarmEcs = stackRule(
    {
        name: "alarm-ecs",
        description:
            "Every ECS service has CPU and memory alarms linked to it, and its cluster runs Container Insights.",
        enforcementLevel: "mandatory",
        family: "alarms",
        source: "ECS.12; CKV_AWS_65; CloudWatch Best-Practice-Alarms",
        remediation:
            "Add MetricAlarms (namespace AWS/ECS) with dimensions { ClusterName: cluster.name, ServiceName: " +
            'service.name }; set the cluster\'s settings [{ name: "containerInsights", value: "enabled" }].',
        configSchema: { properties: { metrics: metricsSchema(ECS_METRICS, "ECS service"), exempt: exemptSchema } },
    },
    (stack, cfg: CoverageConfig, f) => {
        const services = stack.ofType(T.ecsService);
        checkCoverage(stack, f, {
            targets: services,
            metrics: cfg.metrics ?? ECS_METRICS,
            namespaces: ["AWS/ECS", "ECS/ContainerInsights"],
            literalMatch: (svc, dims) => {
                const name = asStr(svc.props.name);
                return typeof name === "string" && literalDim(dims, "ServiceName") === name;
            },
            dimensionHint: "ClusterName: cluster.name, ServiceName: service.name",
            exempt: cfg.exempt ?? [],
        });
        const seen = new Set<string>();
        for (const svc of services) {
            if (isExempt(svc, cfg.exempt ?? [])) {
                continue;
            }
            const cluster = clusterOf(stack, svc);
            if (!cluster) {
                if (svc.props.cluster === UNKNOWN) {
                    f.unknown(`${svc.name}.cluster (not linked to a cluster in this stack)`);
                }
                continue;
            }
            if (seen.has(cluster.urn)) {
                continue;
            }
            seen.add(cluster.urn);
            f.expect(
                containerInsightsOn(cluster),
                `${cluster.name}.settings`,
                `cluster ${cluster.name} (running ${svc.name}) has Container Insights off, so task-level metrics ` +
                    'are missing: add settings [{ name: "containerInsights", value: "enabled" }].',
                cluster.urn,
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

const LB_METRICS = ["HTTPCode_ELB_5XX_Count", "TargetResponseTime"];
const TG_METRICS = ["UnHealthyHostCount"];

interface AlbAlarmConfig {
    loadBalancerMetrics?: string[];
    targetGroupMetrics?: string[];
    exempt?: string[];
}

const alarmAlb = stackRule(
    {
        name: "alarm-alb",
        description: "Every ALB has 5XX and latency alarms, and every target group an unhealthy-host alarm.",
        enforcementLevel: "mandatory",
        family: "alarms",
        source: "CloudWatch Best-Practice-Alarms",
        remediation:
            "Add MetricAlarms (namespace AWS/ApplicationELB) with dimensions { LoadBalancer: alb.arnSuffix } " +
            "and, per target group, { TargetGroup: tg.arnSuffix, LoadBalancer: alb.arnSuffix }.",
        configSchema: {
            properties: {
                loadBalancerMetrics: metricsSchema(LB_METRICS, "application load balancer"),
                targetGroupMetrics: metricsSchema(TG_METRICS, "target group"),
                exempt: exemptSchema,
            },
        },
    },
    (stack, cfg: AlbAlarmConfig, f) => {
        const albs = stack.ofType(...T.loadBalancers).filter((lb) => {
            const t = asStr(lb.props.loadBalancerType);
            if (t === UNKNOWN) {
                f.unknown(`${lb.name}.loadBalancerType`);
                return false;
            }
            return t === undefined || t === "application";
        });
        // arnSuffix is "app/<name>/<id>" and "targetgroup/<name>/<id>": a literal one names the resource.
        const suffixMatch = (prefix: string, key: string) => (r: Res, dims: unknown) => {
            const name = asStr(r.props.name);
            const dim = literalDim(dims, key);
            return typeof name === "string" && dim !== undefined && dim.startsWith(`${prefix}/${name}/`);
        };
        checkCoverage(stack, f, {
            targets: albs,
            metrics: cfg.loadBalancerMetrics ?? LB_METRICS,
            namespaces: ["AWS/ApplicationELB"],
            literalMatch: suffixMatch("app", "LoadBalancer"),
            dimensionHint: "LoadBalancer: alb.arnSuffix",
            exempt: cfg.exempt ?? [],
        });
        const targetGroups = stack.ofType(...T.targetGroups).filter((tg) => asStr(tg.props.targetType) !== "lambda");
        checkCoverage(stack, f, {
            targets: targetGroups,
            metrics: cfg.targetGroupMetrics ?? TG_METRICS,
            namespaces: ["AWS/ApplicationELB", "AWS/NetworkELB"],
            literalMatch: suffixMatch("targetgroup", "TargetGroup"),
            dimensionHint: "TargetGroup: tg.arnSuffix, LoadBalancer: alb.arnSuffix",
            exempt: cfg.exempt ?? [],
        });
    },
);

// ------------------------------------------------------------------------------------------------

interface SqsDlqConfig {
    metric?: string;
    exempt?: string[];
}

/** The dead-letter queue(s) a queue's redrive policy points at, or UNKNOWN when that can't be seen. */
export function deadLetterQueues(stack: StackView, queue: Res, redrive: Res | undefined): Res[] | Unknown {
    const source = redrive ?? queue;
    const viaEdge = source.deps("redrivePolicy").filter((d) => d.type === T.queue && d.urn !== queue.urn);
    if (viaEdge.length > 0) {
        return viaEdge;
    }
    const raw = source.props.redrivePolicy;
    if (raw === UNKNOWN) {
        return UNKNOWN;
    }
    let doc: unknown = raw;
    if (typeof raw === "string") {
        try {
            doc = JSON.parse(raw);
        } catch {
            return [];
        }
    }
    const arn = asStr(peek(doc, "deadLetterTargetArn"));
    if (arn === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof arn !== "string") {
        return [];
    }
    // A queue ARN ends with ":<queue name>".
    const named = arnEndsWith("name", ":");
    return stack.ofType(T.queue).filter((q) => named(arn, q));
}

const alarmSqsDlq = stackRule(
    {
        name: "alarm-sqs-dlq",
        description: "Every SQS queue has a dead-letter queue, and every dead-letter queue a messages-visible alarm.",
        enforcementLevel: "mandatory",
        family: "alarms",
        source: "CloudWatch Best-Practice-Alarms",
        remediation:
            "Pass `alarmTopicArn` to the Queue component (it creates the dead-letter queue and its alarm). " +
            "For a queue declared outside it, give it redrivePolicy { deadLetterTargetArn: dlq.arn, maxReceiveCount } " +
            "and alarm on the DLQ's ApproximateNumberOfMessagesVisible with dimensions { QueueName: dlq.name }.",
        configSchema: {
            properties: {
                metric: {
                    type: "string",
                    default: "ApproximateNumberOfMessagesVisible",
                    description: "DLQ metric to alarm on.",
                },
                exempt: exemptSchema,
            },
        },
    },
    (stack, cfg: SqsDlqConfig, f) => {
        const queues = stack.ofType(T.queue);
        const exempt = cfg.exempt ?? [];
        const redrives = stack.ofType(T.queueRedrive);
        const dlqs = new Map<string, Res>();
        const pending: Res[] = [];
        for (const q of queues) {
            const separate = redrives.find((r) => linked(r, "queueUrl", q));
            const targets = deadLetterQueues(stack, q, separate);
            if (targets === UNKNOWN) {
                f.unknown(`${q.name}.redrivePolicy (dead-letter queue not linked)`);
                continue;
            }
            targets.forEach((d) => dlqs.set(d.urn, d));
            const hasRedrive =
                separate !== undefined ||
                (q.props.redrivePolicy !== undefined && q.props.redrivePolicy !== null && q.props.redrivePolicy !== "");
            if (!hasRedrive) {
                pending.push(q);
            } else if (targets.length === 0 && !isExempt(q, exempt)) {
                f.fail(
                    `${q.name}'s redrivePolicy does not name a dead-letter queue of this stack: set ` +
                        "deadLetterTargetArn: dlq.arn.",
                    q.urn,
                );
            }
        }
        for (const q of pending) {
            // A queue that is itself a dead-letter queue doesn't need one.
            if (!dlqs.has(q.urn) && !isExempt(q, exempt)) {
                f.fail(
                    `${q.name} has no dead-letter queue, so poison messages are retried until they expire: add a ` +
                        "DLQ and set redrivePolicy { deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }.",
                    q.urn,
                );
            }
        }
        checkCoverage(stack, f, {
            targets: [...dlqs.values()],
            metrics: [cfg.metric ?? "ApproximateNumberOfMessagesVisible"],
            namespaces: ["AWS/SQS"],
            literalMatch: (dlq, dims) => {
                const name = asStr(dlq.props.name);
                return typeof name === "string" && literalDim(dims, "QueueName") === name;
            },
            dimensionHint: "QueueName: dlq.name",
            component: "Queue",
            exempt,
        });
    },
);

// ------------------------------------------------------------------------------------------------

interface CloudfrontAlarmConfig {
    metric?: string;
    exempt?: string[];
}

/** The region an alarm is created in: its own `region` input, else its provider's. */
function alarmRegion(alarm: Res): string | undefined | Unknown {
    const own = asStr(alarm.props.region);
    if (own !== undefined) {
        return own;
    }
    return alarm.providerProps ? asStr(alarm.providerProps.region) : undefined;
}

const alarmCloudfront = stackRule(
    {
        name: "alarm-cloudfront",
        description:
            "Every CloudFront distribution has a 5xxErrorRate alarm, created in us-east-1 where the metric lives.",
        enforcementLevel: "advisory",
        family: "alarms",
        source: "CloudWatch Best-Practice-Alarms",
        remediation:
            "Add a MetricAlarm (namespace AWS/CloudFront, metricName 5xxErrorRate, dimensions { DistributionId: " +
            'cdn.id, Region: "Global" }) with a us-east-1 provider.',
        configSchema: {
            properties: {
                metric: { type: "string", default: "5xxErrorRate", description: "Distribution metric to alarm on." },
                exempt: exemptSchema,
            },
        },
    },
    (stack, cfg: CloudfrontAlarmConfig, f) => {
        const metric = cfg.metric ?? "5xxErrorRate";
        const distributions = stack.ofType(T.distribution);
        checkCoverage(stack, f, {
            targets: distributions,
            metrics: [metric],
            namespaces: ["AWS/CloudFront"],
            literalMatch: () => false, // a distribution ID exists only after creation
            dimensionHint: 'DistributionId: cdn.id, Region: "Global"',
            exempt: cfg.exempt ?? [],
        });
        const alarms = stack.ofType(T.metricAlarm);
        for (const d of distributions) {
            for (const a of alarms.filter((x) => edgeTo(x, d))) {
                const region = alarmRegion(a);
                f.expect(
                    region === UNKNOWN || region === undefined ? UNKNOWN : region === "us-east-1",
                    `${a.name} region`,
                    `alarm ${a.name} for ${d.name} is created in ${show(region)}, but CloudFront publishes metrics only ` +
                        'in us-east-1: give it a us-east-1 provider (or region: "us-east-1").',
                    a.urn,
                );
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface AlarmActionsConfig {
    externalActionArns?: string[];
}

const alarmActions = stackRule(
    {
        name: "alarm-actions",
        description: "Every alarm notifies an SNS topic of this stack that has a subscription.",
        enforcementLevel: "mandatory",
        family: "alarms",
        source: "CloudWatch.15; CloudWatch.17; CKV_AWS_319",
        remediation:
            "List at least one address in the stack config's `groundwork:alarms.emails` (the Monitoring " +
            "component subscribes each to the alarm topic). For alarms declared outside the components, keep " +
            "actionsEnabled true, set alarmActions: [topic.arn] and subscribe someone to the topic " +
            "(aws.sns.TopicSubscription with topic: topic.arn).",
        configSchema: {
            properties: {
                externalActionArns: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Action ARNs managed outside this stack that are known to reach a person.",
                },
            },
        },
    },
    (stack, cfg: AlarmActionsConfig, f) => {
        const external = cfg.externalActionArns ?? [];
        const topics = stack.ofType(T.topic);
        const subscriptions = stack.ofType(T.topicSubscription);
        const topicArn = arnEndsWith("name", ":");
        const subscribed = (topic: Res) => subscriptions.some((s) => refersTo(s, "topic", topic, topicArn));
        for (const alarm of stack.ofType(T.metricAlarm)) {
            const enabled = asBool(alarm.props.actionsEnabled);
            f.expect(
                enabled === UNKNOWN ? UNKNOWN : enabled !== false,
                `${alarm.name}.actionsEnabled`,
                `alarm ${alarm.name} has actionsEnabled: false, so it never notifies: remove it or set true.`,
                alarm.urn,
            );
            const actions = asList(alarm.props.alarmActions);
            if (actions !== UNKNOWN && actions.length === 0) {
                f.fail(
                    `alarm ${alarm.name} has no alarmActions: set alarmActions: [topic.arn] to a topic with a ` +
                        "subscription.",
                    alarm.urn,
                );
                continue;
            }
            const linkedTopics = alarm.deps("alarmActions").filter((d) => d.type === T.topic);
            const literalTopics =
                actions === UNKNOWN
                    ? []
                    : actions.flatMap((a) => {
                          const arn = asStr(a);
                          return typeof arn === "string" ? topics.filter((t) => topicArn(arn, t)) : [];
                      });
            const candidates = [...linkedTopics, ...literalTopics];
            if (candidates.length === 0) {
                const literals = actions === UNKNOWN ? [] : (actions.filter((a) => typeof a === "string") as string[]);
                if (literals.length > 0 && literals.some((a) => external.includes(a))) {
                    continue;
                }
                if (actions === UNKNOWN) {
                    f.unknown(`${alarm.name}.alarmActions`);
                    continue;
                }
                f.fail(
                    `alarm ${alarm.name}'s alarmActions don't reference an SNS topic of this stack: pass ` +
                        "topic.arn (an Output) or list the external ARN in externalActionArns.",
                    alarm.urn,
                );
                continue;
            }
            if (!candidates.some(subscribed)) {
                const viaMonitoring = candidates.some((t) => enclosing(t, "Monitoring"));
                f.fail(
                    `alarm ${alarm.name} notifies topic ${candidates.map((t) => t.name).join(", ")}, which has no ` +
                        "subscription, so nobody is told: " +
                        (viaMonitoring
                            ? "list an address in the stack config's `groundwork:alarms.emails` (the Monitoring component " +
                              "subscribes it to the topic)."
                            : "add an aws.sns.TopicSubscription with topic: topic.arn."),
                    alarm.urn,
                );
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

const alarmOkActions = stackRule(
    {
        name: "alarm-ok-actions",
        description: "Alarms also notify when they return to OK, so on-call knows an incident is over.",
        enforcementLevel: "advisory",
        family: "alarms",
        source: "CloudWatch.15 (okActionRequired)",
        remediation: "Set okActions to the same SNS topic as alarmActions.",
    },
    (stack, _cfg, f) => {
        for (const alarm of stack.ofType(T.metricAlarm)) {
            const ok = asList(alarm.props.okActions);
            if (ok === UNKNOWN) {
                f.unknown(`${alarm.name}.okActions`);
            } else if (ok.length === 0) {
                f.fail(
                    `alarm ${alarm.name} has no okActions, so nobody hears that it recovered: set okActions to the ` +
                        "alarm topic.",
                    alarm.urn,
                );
            }
        }
    },
);

export const alarmPolicies: RegisteredPolicy[] = [
    alarmRds,
    alarmRedis,
    alarmEcs,
    alarmAlb,
    alarmSqsDlq,
    alarmCloudfront,
    alarmActions,
    alarmOkActions,
];
