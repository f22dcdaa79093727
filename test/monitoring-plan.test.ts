import { expect } from "chai";
import { plan, PlanResult } from "../tools/plan";
import { PlannedResource } from "../tools/plan-types";
import { ERROR_RATE_EXPRESSION } from "../components/load-balancer";
import { TIER_DEFAULTS } from "../stacks";
import { SECRET_PLACEHOLDER } from "../tools/plan-types";
import { runIndex, stackConfig } from "./helpers";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";

interface Widget {
    type: string;
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { metrics?: unknown[][]; alarms?: string[]; region?: string; markdown?: string; title?: string };
}

/** The one dashboard's body, parsed. */
function dashboardOf(result: PlanResult): { widgets: Widget[] } {
    const dashboards = result.document.resources.filter((r) => r.type === DASHBOARD);
    expect(dashboards).to.have.length(1);
    return JSON.parse(dashboards[0].props.dashboardBody as string);
}

/** Every `[namespace, metric, dim, value, …]` row of the metric widgets, with the widget's region. */
function metricRows(body: { widgets: Widget[] }): { row: unknown[]; region?: string }[] {
    return body.widgets
        .filter((w) => w.type === "metric")
        .flatMap((w) => (w.properties.metrics ?? []).map((row) => ({ row, region: w.properties.region })));
}

/** The values of one dimension across the rows of a namespace. */
function dimensionValues(body: { widgets: Widget[] }, namespace: string, dimension: string): Set<unknown> {
    const values = new Set<unknown>();
    for (const { row } of metricRows(body)) {
        const i = row.indexOf(dimension);
        if (row[0] === namespace && i >= 2) {
            values.add(row[i + 1]);
        }
    }
    return values;
}

/** The topic an alarm of this severity must notify, from the stack's outputs. */
function routeOf(result: PlanResult, severity: unknown): unknown {
    const outputs = result.document.outputs;
    return severity === "critical" ? outputs.criticalAlarmTopicArn : outputs.alarmTopicArn;
}

describe("monitoring over the whole dev and prod plans", () => {
    const results: Record<string, PlanResult> = {};
    before(async () => {
        results.dev = await plan("dev");
        results.prod = await plan("prod");
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every alarm notifies exactly the topic of its severity, on ALARM and on OK`, () => {
            const result = results[stack];
            const alarms = result.document.resources.filter((r) => r.type === ALARM);
            const { criticalAlarmTopicArn, alarmTopicArn } = result.document.outputs;
            // Two distinct routes, and alarms of both severities: otherwise this test could not fail.
            expect(criticalAlarmTopicArn).to.be.a("string").and.not.equal(alarmTopicArn);
            const severities = new Set(alarms.map((a) => (a.props.tags as Record<string, string>)?.severity));
            expect([...severities].sort()).to.deep.equal(["critical", "warning"]);

            const wrong = alarms.filter((alarm: PlannedResource) => {
                const severity = (alarm.props.tags as Record<string, string> | undefined)?.severity;
                const topic = routeOf(result, severity);
                const actions = JSON.stringify([topic]);
                return (
                    JSON.stringify(alarm.props.alarmActions) !== actions ||
                    JSON.stringify(alarm.props.okActions) !== actions ||
                    !String(alarm.props.alarmDescription).startsWith(`[${severity}] `)
                );
            });
            expect(
                wrong.map((a) => `${a.name} (${(a.props.tags as Record<string, string>)?.severity})`),
                "alarms on the wrong route",
            ).to.deep.equal([]);
        });
    }

    it("prod pages on what takes the application down and e-mails the rest", () => {
        const severity = (name: string) =>
            (
                results.prod.document.resources.find((r) => r.type === ALARM && r.name === name)?.props.tags as
                    Record<string, string> | undefined
            )?.severity;
        expect(severity("web-error-rate")).to.equal("critical");
        expect(severity("jobs-dlq-not-empty")).to.equal("critical");
        expect(severity("jobs-oldest-message-age")).to.equal("warning");
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the dashboard body is CloudWatch's structure: typed widgets on the 24-column grid, metrics with a region`, () => {
            const body = dashboardOf(results[stack]);
            expect(body.widgets.length).to.be.within(1, 500);
            for (const w of body.widgets) {
                expect(["metric", "text", "alarm"], JSON.stringify(w)).to.include(w.type);
                expect(w.x + w.width, `${w.properties.title ?? w.properties.markdown}`).to.be.at.most(24);
                expect(w.y).to.be.at.least(0);
                if (w.type === "metric") {
                    expect(w.properties.region, w.properties.title).to.match(/^[a-z]{2}-[a-z]+-\d$/);
                    for (const row of w.properties.metrics!) {
                        // A metric row starts with its namespace; an expression row is one object.
                        const ok =
                            typeof row[0] === "string" ||
                            (row.length === 1 && typeof (row[0] as { expression?: string }).expression === "string");
                        expect(ok, `${w.properties.title}: ${JSON.stringify(row)}`).to.equal(true);
                    }
                }
            }
        });

        it(`${stack}: the alarm-status widgets list every alarm of the stack, each once`, () => {
            const result = results[stack];
            const body = dashboardOf(result);
            const listed = body.widgets.filter((w) => w.type === "alarm").flatMap((w) => w.properties.alarms ?? []);
            const alarms = result.document.resources.filter((r) => r.type === ALARM);
            expect(listed).to.have.length(alarms.length);
            expect(new Set(listed).size).to.equal(listed.length);
            for (const arn of listed) {
                expect(arn).to.match(/^arn:aws:cloudwatch:[a-z0-9-]+:\d{12}:alarm:/);
            }
            for (const alarm of alarms) {
                expect(
                    listed.some((arn) => arn.includes(`:alarm:${alarm.name}-`)),
                    `${alarm.name} in an alarm widget`,
                ).to.equal(true);
            }
        });

        it(`${stack}: a panel for every resource the pack watches, under a header per tier`, () => {
            const result = results[stack];
            const body = dashboardOf(result);
            const resources = result.document.resources;
            const of = (type: string) => resources.filter((r) => r.type === type);
            const services = of("aws:ecs/service:Service").map((s) => s.props.name);
            expect(services.length).to.be.greaterThan(0);
            expect([...dimensionValues(body, "AWS/ECS", "ServiceName")].sort()).to.deep.equal([...services].sort());
            expect([...dimensionValues(body, "ECS/ContainerInsights", "ServiceName")].sort()).to.deep.equal(
                [...services].sort(),
            );
            const databases = of("aws:rds/instance:Instance").map((d) => d.props.identifier);
            expect([...dimensionValues(body, "AWS/RDS", "DBInstanceIdentifier")].sort()).to.deep.equal(
                [...databases].sort(),
            );
            const rdsMetrics = new Set(
                metricRows(body)
                    .filter(({ row }) => row[0] === "AWS/RDS")
                    .map(({ row }) => row[1]),
            );
            for (const metric of [
                "CPUUtilization",
                "DatabaseConnections",
                "FreeStorageSpace",
                "ReadIOPS",
                "WriteIOPS",
                "ReadLatency",
                "WriteLatency",
                "FreeableMemory",
            ]) {
                expect(rdsMetrics.has(metric), `RDS ${metric}`).to.equal(true);
            }
            const cache = of("aws:elasticache/replicationGroup:ReplicationGroup")[0].props.replicationGroupId as string;
            const nodes = [...dimensionValues(body, "AWS/ElastiCache", "CacheClusterId")] as string[];
            expect(nodes.length).to.be.greaterThan(0);
            expect(nodes.every((n) => n.startsWith(`${cache}-`))).to.equal(true);
            // Each queue and its dead-letter queue.
            expect(dimensionValues(body, "AWS/SQS", "QueueName").size).to.equal(of("aws:sqs/queue:Queue").length);
            const loadBalancers = of("aws:lb/loadBalancer:LoadBalancer");
            expect(dimensionValues(body, "AWS/ApplicationELB", "LoadBalancer").size).to.equal(loadBalancers.length);
            const natGateways = of("aws:ec2/natGateway:NatGateway");
            expect(dimensionValues(body, "AWS/NATGateway", "NatGatewayId").size).to.equal(natGateways.length);
            const distributions = of("aws:cloudfront/distribution:Distribution");
            expect(dimensionValues(body, "AWS/CloudFront", "DistributionId").size).to.equal(distributions.length);
            // CloudFront's and a CLOUDFRONT-scope WAF's metrics exist only in us-east-1.
            for (const { row, region } of metricRows(body)) {
                if (row[0] === "AWS/CloudFront" || (row[0] === "AWS/WAFV2" && distributions.length > 0)) {
                    expect(region, JSON.stringify(row)).to.equal("us-east-1");
                }
            }
            if (of("aws:wafv2/webAcl:WebAcl").length > 0) {
                expect(dimensionValues(body, "AWS/WAFV2", "WebACL").size).to.be.greaterThan(0);
            }
            if (of("aws:cognito/userPool:UserPool").length > 0) {
                expect(
                    metricRows(body).some(({ row }) => row[0] === "AWS/Cognito" && row[1] === "SignInSuccesses"),
                ).to.equal(true);
            }
            if (of("aws:sesv2/configurationSet:ConfigurationSet").length > 0) {
                const ses = new Set(
                    metricRows(body)
                        .filter(({ row }) => row[0] === "AWS/SES")
                        .map(({ row }) => row[1]),
                );
                expect(ses.has("Reputation.BounceRate") && ses.has("Reputation.ComplaintRate")).to.equal(true);
            }
            const headers = body.widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown);
            expect(headers.filter((h) => h?.startsWith("## ")).length).to.be.at.least(4);
        });
    }

    it("prod's dashboard graphs the load balancer's 5XX error rate with the alarm's expression", () => {
        const body = dashboardOf(results.prod);
        const expressions = metricRows(body)
            .map(({ row }) => (row[0] as { expression?: string }).expression)
            .filter((e) => e !== undefined);
        expect(expressions).to.include(ERROR_RATE_EXPRESSION);
        expect(body.widgets.some((w) => w.properties.title === "web: 4XX and 5XX responses")).to.equal(true);
    });

    it("each stack has a monthly budget alerting its warning route, at its tier's default amount", () => {
        for (const [stack, amount] of [
            ["dev", TIER_DEFAULTS.dev.budgetMonthlyUsd],
            ["prod", TIER_DEFAULTS.prod.budgetMonthlyUsd],
        ] as const) {
            const budgets = results[stack].document.resources.filter((r) => r.type === "aws:budgets/budget:Budget");
            expect(budgets, stack).to.have.length(1);
            expect(budgets[0].props.limitAmount).to.equal(amount.toFixed(2));
            expect(budgets[0].props.metrics).to.equal("UnblendedCost");
            expect(budgets[0].props.filterExpression).to.deep.equal({
                ands: [
                    { tags: { key: "project", values: ["groundwork"] } },
                    { tags: { key: "stack", values: [stack] } },
                ],
            });
            const topics = (budgets[0].props.notifications as { subscriberSnsTopicArns: string[] }[]).map(
                (n) => n.subscriberSnsTopicArns,
            );
            expect(topics).to.deep.equal([
                [results[stack].document.outputs.alarmTopicArn],
                [results[stack].document.outputs.alarmTopicArn],
            ]);
        }
    });

    it("wires alarms config: critical-only addresses and a secret webhook on the critical topic, no budget when off", async () => {
        const rec = await runIndex(
            "dev",
            stackConfig("dev", {
                alarms: {
                    emails: ["ops@example.com"],
                    criticalEmails: ["pager@example.com"],
                    webhookUrl: "https://hooks.example.com/services/T0/B0/t0k3n",
                    budget: { enabled: false },
                },
            }),
        );
        const topic = (name: string) => rec.one("aws:sns/topic:Topic", name).urn;
        const subscribers = (name: string) =>
            rec
                .ofType("aws:sns/topicSubscription:TopicSubscription")
                .filter((sub) => sub.propertyDependencies.topic[0] === topic(name))
                .map((sub) => `${sub.props.protocol} ${sub.props.endpoint}`);
        expect(subscribers("monitoring-alarms")).to.deep.equal(["email ops@example.com"]);
        expect(subscribers("monitoring-critical-alarms")).to.deep.equal([
            "email ops@example.com",
            "email pager@example.com",
            `https ${SECRET_PLACEHOLDER}`,
        ]);
        expect(JSON.stringify(rec.resources)).not.to.include("t0k3n");
        expect(rec.ofType("aws:budgets/budget:Budget")).to.deep.equal([]);
    });
});
