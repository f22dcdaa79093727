import { expect } from "chai";
import type { PlannedResource } from "../../tools/plan-types";
import {
    dependsOn,
    evaluate,
    expectClean,
    expectDeferred,
    expectViolation,
    goodDbProps,
    goodRedisProps,
    link,
    res,
    T,
    U,
} from "./fixtures";

/** An alarm whose dimension came from `target`'s output (the Output-to-input edge). */
function alarmOn(
    name: string,
    target: PlannedResource,
    namespace: string,
    metricName: string,
    dimension: string,
    extra: Record<string, unknown> = {},
): PlannedResource {
    return link(
        res(T.alarm, name, {
            namespace,
            metricName,
            dimensions: { [dimension]: U },
            alarmActions: [U],
            comparisonOperator: "GreaterThanThreshold",
            ...extra,
        }),
        "dimensions",
        target,
    );
}

describe("policy family: alarms", () => {
    describe("alarm-rds", () => {
        const metrics = ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"];

        it("passes an instance with all three alarms linked through dimensions", () => {
            const db = res(T.rds, "db", goodDbProps());
            const alarms = metrics.map((m) => alarmOn(`db-${m}`, db, "AWS/RDS", m, "DBInstanceIdentifier"));
            expectClean(evaluate([db, ...alarms]), "alarm-rds");
        });

        it("flags a missing metric, and does not count an alarm linked only by dependsOn", () => {
            const db = res(T.rds, "db", goodDbProps());
            const cpu = alarmOn("db-cpu", db, "AWS/RDS", "CPUUtilization", "DBInstanceIdentifier");
            const conns = alarmOn("db-conns", db, "AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier");
            const storage = dependsOn(
                res(T.alarm, "db-storage", {
                    namespace: "AWS/RDS",
                    metricName: "FreeStorageSpace",
                    dimensions: { DBInstanceIdentifier: U },
                    alarmActions: [U],
                }),
                db,
            );
            const report = evaluate([db, cpu, conns, storage]);
            expectViolation(report, "alarm-rds", "no FreeStorageSpace alarm", db.urn);
            expect(report.violations.filter((v) => v.policyName === "alarm-rds")).to.have.length(1);
        });

        it("accepts a literal DBInstanceIdentifier matching the instance's identifier, and metricQueries", () => {
            const db = res(T.rds, "db", goodDbProps({ identifier: "app-db" }));
            const cpu = res(T.alarm, "cpu", {
                namespace: "AWS/RDS",
                metricName: "CPUUtilization",
                dimensions: { DBInstanceIdentifier: "app-db" },
                alarmActions: [U],
            });
            const storage = link(
                res(T.alarm, "storage", {
                    alarmActions: [U],
                    metricQueries: [
                        {
                            id: "m1",
                            returnData: true,
                            metric: {
                                namespace: "AWS/RDS",
                                metricName: "FreeStorageSpace",
                                period: 300,
                                stat: "Minimum",
                                dimensions: { DBInstanceIdentifier: U },
                            },
                        },
                    ],
                }),
                "metricQueries",
                db,
            );
            const other = res(T.alarm, "conns", {
                namespace: "AWS/RDS",
                metricName: "DatabaseConnections",
                dimensions: { DBInstanceIdentifier: "another-db" },
                alarmActions: [U],
            });
            const report = evaluate([db, cpu, storage, other]);
            expectViolation(report, "alarm-rds", "no DatabaseConnections alarm");
            expect(report.violations.filter((v) => v.policyName === "alarm-rds")).to.have.length(1);
        });

        it("names the Database component's alarmTopicArn for an instance the component declared", () => {
            const component = res("groundwork:index:Database", "database");
            const db = res(T.rds, "database-instance", goodDbProps(), { parent: component.urn });
            const v = expectViolation(evaluate([component, db]), "alarm-rds", "no CPUUtilization alarm", db.urn);
            expect(v.message, "component instance").to.contain(
                'pass `alarmTopicArn` to the Database component "database"',
            );
            const bare = expectViolation(
                evaluate([res(T.rds, "db", goodDbProps())]),
                "alarm-rds",
                "no CPUUtilization alarm",
            );
            expect(bare.message, "bare instance").to.contain("add an aws.cloudwatch.MetricAlarm");
        });

        it("doesn't count an alarm of another namespace", () => {
            const db = res(T.rds, "db", goodDbProps());
            const alarms = metrics.map((m) =>
                alarmOn(`db-${m}`, db, m === "CPUUtilization" ? "AWS/EC2" : "AWS/RDS", m, "DBInstanceIdentifier"),
            );
            expectViolation(evaluate([db, ...alarms]), "alarm-rds", "no CPUUtilization alarm");
        });

        it("takes metrics and exemptions from config", () => {
            const db = res(T.rds, "db", goodDbProps());
            const cpu = alarmOn("db-cpu", db, "AWS/RDS", "CPUUtilization", "DBInstanceIdentifier");
            expectClean(evaluate([db, cpu], { "alarm-rds": { metrics: ["CPUUtilization"] } }), "alarm-rds");
            expectClean(evaluate([db], { "alarm-rds": { exempt: ["db"] } }), "alarm-rds");
        });

        it("defers when a linked alarm's metric name is unknown", () => {
            const db = res(T.rds, "db", goodDbProps());
            const alarms = metrics.map((m) =>
                alarmOn(`db-${m}`, db, "AWS/RDS", m === "FreeStorageSpace" ? U : m, "DBInstanceIdentifier"),
            );
            expectDeferred(evaluate([db, ...alarms]), "alarm-rds", "db FreeStorageSpace alarm");
        });
    });

    describe("alarm-redis", () => {
        it("passes a group with engine CPU and memory alarms", () => {
            const rg = res(T.redis, "cache", goodRedisProps());
            const a = alarmOn("cpu", rg, "AWS/ElastiCache", "EngineCPUUtilization", "ReplicationGroupId");
            const b = alarmOn("mem", rg, "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "ReplicationGroupId");
            expectClean(evaluate([rg, a, b]), "alarm-redis");
        });

        it("flags a missing memory alarm; a literal member CacheClusterId counts", () => {
            const rg = res(T.redis, "cache", goodRedisProps({ replicationGroupId: "app-cache" }));
            const a = res(T.alarm, "cpu", {
                namespace: "AWS/ElastiCache",
                metricName: "EngineCPUUtilization",
                dimensions: { CacheClusterId: "app-cache-001" },
                alarmActions: [U],
            });
            const report = evaluate([rg, a]);
            expectViolation(report, "alarm-redis", "no DatabaseMemoryUsagePercentage alarm", rg.urn);
            expect(report.violations.filter((v) => v.policyName === "alarm-redis")).to.have.length(1);
        });

        it("defers an unknown metricQueries alarm linked to the group", () => {
            const rg = res(T.redis, "cache", goodRedisProps());
            const a = alarmOn("cpu", rg, "AWS/ElastiCache", "EngineCPUUtilization", "ReplicationGroupId");
            const b = link(res(T.alarm, "mem", { metricQueries: U, alarmActions: [U] }), "metricQueries", rg);
            expectDeferred(evaluate([rg, a, b]), "alarm-redis", "cache DatabaseMemoryUsagePercentage alarm");
        });
    });

    describe("alarm-ecs", () => {
        function service(insights: unknown) {
            const cluster = res(T.cluster, "cluster", {
                settings: insights === undefined ? [] : [{ name: "containerInsights", value: insights }],
            });
            const svc = link(res(T.service, "web", { cluster: U, name: "web" }), "cluster", cluster);
            const cpu = link(
                alarmOn("web-cpu", svc, "AWS/ECS", "CPUUtilization", "ServiceName", {
                    dimensions: { ClusterName: U, ServiceName: U },
                }),
                "dimensions",
                cluster,
            );
            const mem = link(
                alarmOn("web-mem", svc, "AWS/ECS", "MemoryUtilization", "ServiceName", {
                    dimensions: { ClusterName: U, ServiceName: U },
                }),
                "dimensions",
                cluster,
            );
            return { cluster, svc, cpu, mem };
        }

        it("passes a service with CPU and memory alarms on a cluster with Container Insights", () => {
            const s = service("enhanced");
            expectClean(evaluate([s.cluster, s.svc, s.cpu, s.mem]), "alarm-ecs");
        });

        it("flags a missing memory alarm and Container Insights off", () => {
            const s = service(undefined);
            const report = evaluate([s.cluster, s.svc, s.cpu]);
            expectViolation(report, "alarm-ecs", "no MemoryUtilization alarm", s.svc.urn);
            expectViolation(report, "alarm-ecs", "Container Insights off", s.cluster.urn);
        });

        it("does not count an alarm linked only to the cluster", () => {
            const s = service("enabled");
            const clusterOnly = link(
                res(T.alarm, "cluster-mem", {
                    namespace: "AWS/ECS",
                    metricName: "MemoryUtilization",
                    dimensions: { ClusterName: U },
                    alarmActions: [U],
                }),
                "dimensions",
                s.cluster,
            );
            expectViolation(
                evaluate([s.cluster, s.svc, s.cpu, clusterOnly]),
                "alarm-ecs",
                "no MemoryUtilization alarm",
            );
        });

        it("defers unknown cluster settings", () => {
            const s = service("enabled");
            s.cluster.props.settings = U;
            expectDeferred(evaluate([s.cluster, s.svc, s.cpu, s.mem]), "alarm-ecs", "cluster.settings");
        });
    });

    describe("alarm-alb", () => {
        function stack(lbType: string) {
            const lb = res(lbType, "alb", { name: "app-alb", loadBalancerType: "application", subnets: [U, U] });
            const tg = res(T.tg, "tg", { name: "app-tg", port: 8080, protocol: "HTTP", vpcId: U, targetType: "ip" });
            const alarms = [
                alarmOn("alb-5xx", lb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer"),
                alarmOn("alb-latency", lb, "AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer"),
                link(
                    alarmOn("tg-unhealthy", tg, "AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", {
                        dimensions: { TargetGroup: U, LoadBalancer: U },
                    }),
                    "dimensions",
                    lb,
                ),
            ];
            return { lb, tg, alarms };
        }

        it("passes an ALB and target group with their alarms (aws:lb and aws:alb tokens)", () => {
            const a = stack(T.lb);
            expectClean(evaluate([a.lb, a.tg, ...a.alarms]), "alarm-alb");
            const b = stack(T.alb);
            expectClean(evaluate([b.lb, b.tg, ...b.alarms]), "alarm-alb");
        });

        it("flags a target group without an unhealthy-host alarm (the LB's alarms don't count for it)", () => {
            const a = stack(T.alb);
            const report = evaluate([a.lb, a.tg, a.alarms[0], a.alarms[1]]);
            expectViolation(report, "alarm-alb", "no UnHealthyHostCount alarm", a.tg.urn);
            expectClean(report, "alarm-alb", a.lb.urn);
        });

        it("matches a literal arnSuffix dimension, and ignores network load balancers", () => {
            const lb = res(T.lb, "alb", { name: "app-alb" });
            const literal = res(T.alarm, "5xx", {
                namespace: "AWS/ApplicationELB",
                metricName: "HTTPCode_ELB_5XX_Count",
                dimensions: { LoadBalancer: "app/app-alb/50dc6c495c0c9188" },
                alarmActions: [U],
            });
            const nlb = res(T.lb, "nlb", { loadBalancerType: "network" });
            const report = evaluate([lb, literal, nlb]);
            expectViolation(report, "alarm-alb", "no TargetResponseTime alarm", lb.urn);
            expectClean(report, "alarm-alb", nlb.urn);
            expect(report.violations.filter((v) => v.policyName === "alarm-alb")).to.have.length(1);
        });

        it("defers an unknown load balancer type", () => {
            expectDeferred(evaluate([res(T.lb, "lb", { loadBalancerType: U })]), "alarm-alb", "lb.loadBalancerType");
        });
    });

    describe("alarm-sqs-dlq", () => {
        it("passes a queue whose DLQ (linked through redrivePolicy) has a visible-messages alarm", () => {
            const dlq = res(T.queue, "jobs-dlq", {});
            const q = link(res(T.queue, "jobs", { redrivePolicy: U }), "redrivePolicy", dlq);
            const a = alarmOn("dlq-visible", dlq, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName");
            expectClean(evaluate([dlq, q, a]), "alarm-sqs-dlq");
        });

        it("accepts a separate RedrivePolicy resource and a literal DLQ ARN", () => {
            const dlq = res(T.queue, "dlq", { name: "jobs-dlq" });
            const q = res(T.queue, "jobs", {});
            const redrive = link(
                res(T.redrive, "jobs-redrive", {
                    queueUrl: U,
                    redrivePolicy: JSON.stringify({
                        deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:jobs-dlq",
                        maxReceiveCount: 5,
                    }),
                }),
                "queueUrl",
                q,
            );
            const a = alarmOn("dlq-visible", dlq, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName");
            expectClean(evaluate([dlq, q, redrive, a]), "alarm-sqs-dlq");
        });

        it("flags a queue without a DLQ and a DLQ without an alarm", () => {
            const lonely = res(T.queue, "lonely", {});
            const dlq = res(T.queue, "jobs-dlq", {});
            const q = link(res(T.queue, "jobs", { redrivePolicy: U }), "redrivePolicy", dlq);
            const report = evaluate([lonely, dlq, q]);
            expectViolation(report, "alarm-sqs-dlq", "has no dead-letter queue", lonely.urn);
            expectViolation(report, "alarm-sqs-dlq", "no ApproximateNumberOfMessagesVisible alarm", dlq.urn);
        });

        it("defers an unknown redrive policy that is not linked to a queue", () => {
            expectDeferred(
                evaluate([res(T.queue, "jobs", { redrivePolicy: U })]),
                "alarm-sqs-dlq",
                "jobs.redrivePolicy",
            );
        });
    });

    describe("alarm-cloudfront (advisory)", () => {
        const usEast1 = res(T.provider, "us-east-1", { region: "us-east-1" });
        const euWest1 = res(T.provider, "eu-west-1", { region: "eu-west-1" });
        const onProvider = (p: PlannedResource) => ({ options: { provider: `${p.urn}::${U}` } });

        it("passes a 5xxErrorRate alarm created through a us-east-1 provider", () => {
            const cdn = res(T.cdn, "cdn", {});
            const a = link(
                res(
                    T.alarm,
                    "cdn-5xx",
                    {
                        namespace: "AWS/CloudFront",
                        metricName: "5xxErrorRate",
                        dimensions: { DistributionId: U, Region: "Global" },
                        alarmActions: [U],
                    },
                    onProvider(usEast1),
                ),
                "dimensions",
                cdn,
            );
            expectClean(evaluate([usEast1, cdn, a]), "alarm-cloudfront");
        });

        it("flags an alarm in the wrong region and a distribution without one", () => {
            const cdn = res(T.cdn, "cdn", {});
            const a = link(
                res(
                    T.alarm,
                    "cdn-5xx",
                    {
                        namespace: "AWS/CloudFront",
                        metricName: "5xxErrorRate",
                        dimensions: { DistributionId: U },
                        alarmActions: [U],
                    },
                    onProvider(euWest1),
                ),
                "dimensions",
                cdn,
            );
            const bare = res(T.cdn, "bare", {});
            const report = evaluate([euWest1, cdn, a, bare]);
            expect(
                expectViolation(report, "alarm-cloudfront", 'created in "eu-west-1"', a.urn).enforcementLevel,
            ).to.equal("advisory");
            expectViolation(report, "alarm-cloudfront", "no 5xxErrorRate alarm", bare.urn);
        });

        it("accepts the alarm's own region input", () => {
            const cdn = res(T.cdn, "cdn", {});
            const a = link(
                res(
                    T.alarm,
                    "cdn-5xx",
                    {
                        region: "us-east-1",
                        namespace: "AWS/CloudFront",
                        metricName: "5xxErrorRate",
                        dimensions: { DistributionId: U },
                        alarmActions: [U],
                    },
                    onProvider(euWest1),
                ),
                "dimensions",
                cdn,
            );
            expectClean(evaluate([euWest1, cdn, a]), "alarm-cloudfront");
        });

        it("defers when the provider's region is unknown", () => {
            const unknownRegion = res(T.provider, "p", { region: U });
            const cdn = res(T.cdn, "cdn", {});
            const a = link(
                res(
                    T.alarm,
                    "cdn-5xx",
                    {
                        namespace: "AWS/CloudFront",
                        metricName: "5xxErrorRate",
                        dimensions: { DistributionId: U },
                        alarmActions: [U],
                    },
                    onProvider(unknownRegion),
                ),
                "dimensions",
                cdn,
            );
            expectDeferred(evaluate([unknownRegion, cdn, a]), "alarm-cloudfront", "cdn-5xx region");
        });
    });

    describe("alarm-actions", () => {
        function notified() {
            const topic = res(T.topic, "alerts", { kmsMasterKeyId: U });
            const sub = link(
                res(T.subscription, "oncall", { topic: U, protocol: "email", endpoint: "oncall@example.com" }),
                "topic",
                topic,
            );
            return { topic, sub };
        }

        it("passes an alarm notifying a subscribed topic of the stack", () => {
            const { topic, sub } = notified();
            const a = link(res(T.alarm, "a", { metricName: "x", alarmActions: [U] }), "alarmActions", topic);
            expectClean(evaluate([topic, sub, a]), "alarm-actions");
        });

        it("flags disabled actions, no actions, and a topic without a subscription", () => {
            const { topic, sub } = notified();
            const off = link(
                res(T.alarm, "off", { metricName: "x", actionsEnabled: false, alarmActions: [U] }),
                "alarmActions",
                topic,
            );
            const none = res(T.alarm, "none", { metricName: "x" });
            const silent = res(T.topic, "silent", {});
            const toSilent = link(
                res(T.alarm, "to-silent", { metricName: "x", alarmActions: [U] }),
                "alarmActions",
                silent,
            );
            const report = evaluate([topic, sub, off, none, silent, toSilent]);
            expectViolation(report, "alarm-actions", "actionsEnabled: false", off.urn);
            expectViolation(report, "alarm-actions", "has no alarmActions", none.urn);
            expectViolation(report, "alarm-actions", "which has no subscription", toSilent.urn);
        });

        it("points at groundwork:alarms.emails when the unsubscribed topic is the Monitoring component's", () => {
            const monitoring = res("groundwork:index:Monitoring", "monitoring");
            const topic = res(T.topic, "monitoring-alarms", {}, { parent: monitoring.urn });
            const a = link(res(T.alarm, "a", { metricName: "x", alarmActions: [U] }), "alarmActions", topic);
            const v = expectViolation(
                evaluate([monitoring, topic, a]),
                "alarm-actions",
                "which has no subscription",
                a.urn,
            );
            expect(v.message).to.contain("`groundwork:alarms.emails`");
        });

        it("does not accept a subscription linked to the topic only by dependsOn", () => {
            const topic = res(T.topic, "alerts", {});
            const sub = dependsOn(
                res(T.subscription, "oncall", { topic: U, protocol: "email", endpoint: "a@b.c" }),
                topic,
            );
            const a = link(res(T.alarm, "a", { metricName: "x", alarmActions: [U] }), "alarmActions", topic);
            expectViolation(evaluate([topic, sub, a]), "alarm-actions", "has no subscription");
        });

        it("flags an unknown external ARN, and accepts one listed in config", () => {
            const arn = "arn:aws:sns:eu-west-1:123456789012:central-oncall";
            const a = res(T.alarm, "a", { metricName: "x", alarmActions: [arn] });
            expectViolation(evaluate([a]), "alarm-actions", "don't reference an SNS topic of this stack");
            expectClean(evaluate([a], { "alarm-actions": { externalActionArns: [arn] } }), "alarm-actions");
        });

        it("defers an unknown actionsEnabled", () => {
            const { topic, sub } = notified();
            const a = link(
                res(T.alarm, "a", { metricName: "x", actionsEnabled: U, alarmActions: [U] }),
                "alarmActions",
                topic,
            );
            expectDeferred(evaluate([topic, sub, a]), "alarm-actions", "a.actionsEnabled");
        });
    });
});
