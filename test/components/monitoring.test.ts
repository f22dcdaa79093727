import { expect } from "chai";
import { createAlarm, createMathAlarm, metricWidget } from "../../components/internal/alarms";
import { Cdn } from "../../components/cdn";
import { Monitoring, dashboardBody } from "../../components/monitoring";
import { SECRET_PLACEHOLDER } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean } from "../policy/fixtures";

const KEY = "aws:kms/key:Key";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const EMAILS = ["a@example.com", "b@example.com"];

/** Monitoring in `region` (the stack's region too); `build` adds more to the program. */
async function monitoringIn(
    region: string,
    edgeAlarms: boolean | undefined,
    build: (m: Monitoring) => void = () => undefined,
): Promise<{ rec: Recorded; monitoring: Monitoring }> {
    let monitoring: Monitoring | undefined;
    const rec = await run(
        () => {
            monitoring = new Monitoring("mon", { region, alarmEmails: EMAILS, edgeAlarms });
            build(monitoring);
        },
        "test",
        { "aws:region": region },
    );
    return { rec, monitoring: monitoring! };
}

const ALARM_SPEC = {
    description: "edge",
    severity: "critical" as const,
    namespace: "AWS/CloudFront",
    metricName: "5xxErrorRate",
    dimensions: { DistributionId: "E1", Region: "Global" },
    statistic: "Average",
    threshold: 5,
    comparisonOperator: "GreaterThanThreshold",
    region: "us-east-1",
};

describe("Monitoring", () => {
    it("encrypts the alarm topic with a rotating customer-managed key CloudWatch may use", async () => {
        const rec = await run(() => new Monitoring("mon", { region: "us-east-1", alarmEmails: ["a@example.com"] }));
        const [key] = rec.ofType("aws:kms/key:Key");
        const [topic] = rec.ofType("aws:sns/topic:Topic");
        expect(key.props.enableKeyRotation).to.equal(true);
        expect(key.props.deletionWindowInDays).to.equal(30);
        expect(topic.propertyDependencies.kmsMasterKeyId).to.deep.equal([key.urn]);
        const policy = JSON.parse(key.props.policy as string);
        const cloudwatch = policy.Statement.find(
            (s: { Principal: { Service?: string } }) => s.Principal.Service === "cloudwatch.amazonaws.com",
        );
        expect(cloudwatch.Action).to.include("kms:GenerateDataKey*");
        expect(cloudwatch.Condition.StringEquals["aws:SourceAccount"]).to.equal("123456789012");
    });

    it("subscribes each alarm e-mail to both routes' topics", async () => {
        const rec = await run(() => new Monitoring("mon", { region: "us-east-1", alarmEmails: EMAILS }));
        for (const topic of [rec.one(TOPIC, "mon-alarms"), rec.one(TOPIC, "mon-critical-alarms")]) {
            const subscriptions = rec.ofType(SUBSCRIPTION).filter((s) => s.propertyDependencies.topic[0] === topic.urn);
            expect(
                subscriptions.map((s) => s.props.endpoint),
                topic.name,
            ).to.deep.equal(EMAILS);
            expect(subscriptions.every((s) => s.props.protocol === "email")).to.equal(true);
        }
    });

    it("protects the key and topic when asked (prod)", async () => {
        const rec = await run(() => new Monitoring("mon", { region: "us-east-1", protect: true }));
        for (const type of ["aws:kms/key:Key", "aws:sns/topic:Topic"]) {
            expect(rec.ofType(type)[0].options).to.include({ protect: true, retainOnDelete: true });
        }
    });

    it("adds alarms that notify the topic on ALARM and OK, parented where asked", async () => {
        const rec = await run(() => {
            const monitoring = new Monitoring("mon", { region: "us-east-1" });
            monitoring.addAlarm("mon-custom", {
                description: "custom",
                severity: "warning",
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: "jobs" },
                statistic: "Maximum",
                threshold: 600,
                comparisonOperator: "GreaterThanThreshold",
            });
        });
        const alarm = rec.named("mon-custom");
        const [topic] = rec.ofType("aws:sns/topic:Topic");
        const [component] = rec.ofType("groundwork:index:Monitoring");
        expect(alarm.parent).to.equal(component.urn);
        expect(alarm.props).to.include({
            alarmDescription: "[warning] custom",
            treatMissingData: "notBreaching",
            actionsEnabled: true,
        });
        expect(alarm.propertyDependencies.alarmActions).to.deep.equal([topic.urn]);
        expect(alarm.propertyDependencies.okActions).to.deep.equal([topic.urn]);
    });

    it("lays out the dashboard with every widget added, in the stack's region", async () => {
        const rec = await run(() => {
            const monitoring = new Monitoring("mon", { region: "eu-west-1", dashboardName: "groundwork-test" });
            monitoring.addWidgets([
                metricWidget("one", [["AWS/EC2", "CPUUtilization"]]),
                metricWidget("two", [["AWS/EC2", "NetworkIn"]]),
            ]);
            monitoring.createDashboard();
        });
        const [dashboard] = rec.ofType("aws:cloudwatch/dashboard:Dashboard");
        expect(dashboard.props.dashboardName).to.equal("groundwork-test");
        const body = JSON.parse(dashboard.props.dashboardBody as string);
        const metrics = body.widgets.filter((w: { type: string }) => w.type === "metric");
        expect(metrics.map((w: { properties: { title: string } }) => w.properties.title)).to.deep.equal(["one", "two"]);
        expect(metrics.every((w: { properties: { region: string } }) => w.properties.region === "eu-west-1")).to.equal(
            true,
        );
        expect(metrics.map((w: { x: number; y: number }) => [w.x, w.y])).to.deep.equal([
            [0, 2],
            [12, 2],
        ]);
    });

    it("refuses widgets after the dashboard exists, and a bad key deletion window", async () => {
        await run(() => {
            const monitoring = new Monitoring("mon", { region: "us-east-1" });
            monitoring.createDashboard();
            expect(() => monitoring.addWidgets([])).to.throw(/after createDashboard/);
        });
        expect(() => new Monitoring("bad", { region: "us-east-1", keyDeletionWindowInDays: 3 })).to.throw(
            /args\.keyDeletionWindowInDays is 3/,
        );
    });

    it("createAlarm defaults datapoints to the evaluation periods", async () => {
        const rec = await run(() => {
            createAlarm(
                "solo",
                {
                    description: "d",
                    severity: "critical",
                    namespace: "N",
                    metricName: "M",
                    dimensions: {},
                    statistic: "Sum",
                    evaluationPeriods: 3,
                    threshold: 1,
                    comparisonOperator: "GreaterThanThreshold",
                },
                { critical: "arn:aws:sns:us-east-1:123456789012:c", warning: "arn:aws:sns:us-east-1:123456789012:w" },
                {},
            );
        });
        expect(rec.named("solo").props).to.include({ evaluationPeriods: 3, datapointsToAlarm: 3, period: 300 });
        expect(rec.named("solo").props, "the provider's region unless the spec names one").not.to.have.property(
            "region",
        );
    });

    describe("alarm routes", () => {
        const spec = (severity: "critical" | "warning") => ({
            description: severity,
            severity,
            namespace: "AWS/SQS",
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: "jobs" },
            statistic: "Maximum",
            threshold: 600,
            comparisonOperator: "GreaterThanThreshold",
        });

        it("has a warning and a critical topic under one rotating key, alarmTopicArn being the warning one", async () => {
            let monitoring: Monitoring | undefined;
            const rec = await run(() => {
                monitoring = new Monitoring("mon", { region: "us-east-1", alarmEmails: EMAILS });
            });
            const [key] = rec.ofType(KEY);
            const warning = rec.one(TOPIC, "mon-alarms");
            const critical = rec.one(TOPIC, "mon-critical-alarms");
            expect(rec.ofType(KEY)).to.have.length(1);
            for (const topic of [warning, critical]) {
                expect(topic.propertyDependencies.kmsMasterKeyId, topic.name).to.deep.equal([key.urn]);
            }
            const m = monitoring!;
            expect(await promiseOf(m.alarmTopicArn)).to.equal(await promiseOf(m.warningAlarmTopicArn));
            expect(await promiseOf(m.criticalAlarmTopicArn)).to.not.equal(await promiseOf(m.warningAlarmTopicArn));
            const sids = JSON.parse(
                rec.one(TOPIC_POLICY, "mon-critical-alarms-policy").props.policy as string,
            ).Statement.map((st: { Sid: string }) => st.Sid);
            expect(sids).to.deep.equal(["CloudWatchAlarmsPublish", "DenyInsecureTransport"]);
        });

        it("sends each added alarm to the topic of its severity, on ALARM and on OK", async () => {
            const rec = await run(() => {
                const monitoring = new Monitoring("mon", { region: "us-east-1" });
                monitoring.addAlarm("page-me", spec("critical"));
                monitoring.addAlarm("mail-me", spec("warning"));
            });
            const critical = rec.one(TOPIC, "mon-critical-alarms").urn;
            const warning = rec.one(TOPIC, "mon-alarms").urn;
            for (const [name, topic] of [
                ["page-me", critical],
                ["mail-me", warning],
            ]) {
                expect(rec.named(name).propertyDependencies.alarmActions, name).to.deep.equal([topic]);
                expect(rec.named(name).propertyDependencies.okActions, name).to.deep.equal([topic]);
            }
        });

        it("subscribes critical-only addresses and the webhook to the critical topic alone, the URL kept secret", async () => {
            const rec = await run(
                () =>
                    new Monitoring("mon", {
                        region: "us-east-1",
                        alarmEmails: ["ops@example.com"],
                        criticalAlarmEmails: ["pager@example.com", "ops@example.com"],
                        criticalWebhookUrl: "https://hooks.example.com/services/T0/B0/token",
                        criticalWebhookAutoConfirms: true,
                    }),
            );
            const on = (topic: string) =>
                rec
                    .ofType(SUBSCRIPTION)
                    .filter((sub) => sub.propertyDependencies.topic[0] === rec.one(TOPIC, topic).urn);
            expect(on("mon-alarms").map((sub) => sub.props.endpoint)).to.deep.equal(["ops@example.com"]);
            const critical = on("mon-critical-alarms");
            expect(critical.map((sub) => [sub.props.protocol, sub.props.endpoint])).to.deep.equal([
                ["email", "ops@example.com"],
                ["email", "pager@example.com"],
                ["https", SECRET_PLACEHOLDER],
            ]);
            expect(rec.named("mon-critical-webhook").props.endpointAutoConfirms).to.equal(true);
        });

        it("refuses a webhook that is not https without repeating the URL", () => {
            expect(
                () =>
                    new Monitoring("bad", {
                        region: "us-east-1",
                        criticalWebhookUrl: "http://hooks.example.com/t0k3n",
                    }),
            )
                .to.throw(/args\.criticalWebhookUrl is not an https:\/\/ URL/)
                .and.satisfy((err: Error) => !err.message.includes("t0k3n"));
        });

        it("routes a metric-math alarm by its severity, with one returned expression over hidden metrics", async () => {
            const rec = await run(() => {
                const monitoring = new Monitoring("mon", { region: "us-east-1" });
                monitoring.addMathAlarm("rate", {
                    description: "error rate",
                    severity: "critical",
                    metrics: [
                        { id: "errors", namespace: "N", metricName: "E", dimensions: { D: "d" }, stat: "Sum" },
                        { id: "requests", namespace: "N", metricName: "R", dimensions: { D: "d" }, stat: "Sum" },
                    ],
                    expression: "100 * errors / requests",
                    label: "Error rate (%)",
                    period: 60,
                    threshold: 5,
                    comparisonOperator: "GreaterThanThreshold",
                });
            });
            const alarm = rec.named("rate");
            expect(alarm.props).not.to.have.any.keys("namespace", "metricName", "statistic", "dimensions");
            const queries = alarm.props.metricQueries as {
                id: string;
                returnData: boolean;
                metric?: { period: number };
            }[];
            expect(queries.map((q) => [q.id, q.returnData])).to.deep.equal([
                ["errors", false],
                ["requests", false],
                ["e1", true],
            ]);
            expect(queries[0].metric!.period).to.equal(60);
            expect(alarm.propertyDependencies.alarmActions).to.deep.equal([rec.one(TOPIC, "mon-critical-alarms").urn]);
            expect(alarm.props.tags).to.deep.equal({ severity: "critical" });
        });

        it("createMathAlarm sends a warning to the warning route", async () => {
            const rec = await run(() => {
                createMathAlarm(
                    "solo-math",
                    {
                        description: "d",
                        severity: "warning",
                        metrics: [{ id: "m1", namespace: "N", metricName: "M", dimensions: {}, stat: "Sum" }],
                        expression: "m1 * 2",
                        label: "double",
                        threshold: 1,
                        comparisonOperator: "GreaterThanThreshold",
                    },
                    {
                        critical: "arn:aws:sns:us-east-1:123456789012:c",
                        warning: "arn:aws:sns:us-east-1:123456789012:w",
                    },
                    {},
                );
            });
            expect(rec.named("solo-math").props.alarmActions).to.deep.equal(["arn:aws:sns:us-east-1:123456789012:w"]);
        });
    });

    describe("budget", () => {
        it("alerts the warning topic at 80 % forecast and 100 % actual, filtered to the stack's tags", async () => {
            let monitoring: Monitoring | undefined;
            const rec = await run(() => {
                monitoring = new Monitoring("mon", {
                    region: "us-east-1",
                    alarmEmails: EMAILS,
                    budget: {
                        monthlyUsd: 500,
                        costTags: { project: "groundwork", stack: "prod" },
                        name: "groundwork-prod",
                    },
                });
            });
            const budget = rec.one("aws:budgets/budget:Budget", "mon-budget");
            expect(budget.props).to.include({
                name: "groundwork-prod",
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: "500.00",
                limitUnit: "USD",
            });
            // The provider refuses a filter expression without metrics.
            expect(budget.props.metrics).to.equal("UnblendedCost");
            expect(budget.props.filterExpression).to.deep.equal({
                ands: [
                    { tags: { key: "project", values: ["groundwork"] } },
                    { tags: { key: "stack", values: ["prod"] } },
                ],
            });
            const warningArn = await promiseOf(monitoring!.warningAlarmTopicArn);
            expect(budget.props.notifications).to.deep.equal([
                {
                    notificationType: "FORECASTED",
                    comparisonOperator: "GREATER_THAN",
                    threshold: 80,
                    thresholdType: "PERCENTAGE",
                    subscriberSnsTopicArns: [warningArn],
                },
                {
                    notificationType: "ACTUAL",
                    comparisonOperator: "GREATER_THAN",
                    threshold: 100,
                    thresholdType: "PERCENTAGE",
                    subscriberSnsTopicArns: [warningArn],
                },
            ]);
            expect(await promiseOf(monitoring!.budgetName!)).to.equal("groundwork-prod");
            // Budgets may publish to the warning topic and use its key; created after both.
            const policy = JSON.parse(rec.one(TOPIC_POLICY, "mon-alarms-policy").props.policy as string);
            const publish = policy.Statement.find((st: { Sid: string }) => st.Sid === "BudgetsPublish");
            expect(publish).to.deep.include({ Principal: { Service: "budgets.amazonaws.com" }, Action: "sns:Publish" });
            expect(publish.Condition.StringEquals["aws:SourceAccount"]).to.equal("123456789012");
            const critical = JSON.parse(rec.one(TOPIC_POLICY, "mon-critical-alarms-policy").props.policy as string);
            expect(critical.Statement.map((st: { Sid: string }) => st.Sid)).not.to.include("BudgetsPublish");
            const [key] = rec.ofType(KEY);
            const grant = JSON.parse(key.props.policy as string).Statement.find(
                (st: { Principal: { Service?: string } }) => st.Principal.Service === "budgets.amazonaws.com",
            );
            expect(grant.Action).to.include.members(["kms:Decrypt", "kms:GenerateDataKey*"]);
            expect(budget.dependencies).to.include.members([rec.one(TOPIC_POLICY, "mon-alarms-policy").urn, key.urn]);
        });

        it("uses one tag alone, none for the whole account, and no budget or grant unless asked", async () => {
            const one = await run(
                () =>
                    new Monitoring("mon", {
                        region: "us-east-1",
                        budget: { monthlyUsd: 12.5, costTags: { stack: "dev" } },
                    }),
            );
            expect(one.one("aws:budgets/budget:Budget", "mon-budget").props).to.deep.include({
                limitAmount: "12.50",
                filterExpression: { tags: { key: "stack", values: ["dev"] } },
            });
            const all = await run(() => new Monitoring("mon", { region: "us-east-1", budget: { monthlyUsd: 10 } }));
            expect(all.one("aws:budgets/budget:Budget", "mon-budget").props).not.to.have.property("filterExpression");
            expect(all.one("aws:budgets/budget:Budget", "mon-budget").props).not.to.have.property("metrics");
            const none = await run(() => new Monitoring("mon", { region: "us-east-1" }));
            expect(none.ofType("aws:budgets/budget:Budget")).to.deep.equal([]);
            expect(none.ofType(KEY)[0].props.policy as string).not.to.include("budgets.amazonaws.com");
        });

        it("refuses an amount of zero or less and a bad forecast percent, naming the argument", () => {
            expect(() => new Monitoring("bad", { region: "us-east-1", budget: { monthlyUsd: 0 } })).to.throw(
                /args\.budget\.monthlyUsd is 0/,
            );
            expect(
                () => new Monitoring("bad", { region: "us-east-1", budget: { monthlyUsd: 5, forecastPercent: 0 } }),
            ).to.throw(/args\.budget\.forecastPercent is 0/);
        });
    });

    describe("dashboard", () => {
        it("puts an alarm-status widget with every added alarm's ARN under the title, and section headers", async () => {
            let alarm: { arn: import("@pulumi/pulumi").Output<string> } | undefined;
            const rec = await run(() => {
                const monitoring = new Monitoring("mon", { region: "us-east-1" });
                alarm = monitoring.addAlarm("one", { ...ALARM_SPEC, region: undefined, severity: "warning" });
                monitoring.addSection("Data tier", [metricWidget("db", [["AWS/RDS", "CPUUtilization"]])]);
                monitoring.addSection("Empty tier", []);
                monitoring.createDashboard();
            });
            const body = JSON.parse(rec.ofType("aws:cloudwatch/dashboard:Dashboard")[0].props.dashboardBody as string);
            expect(body.widgets.map((w: { type: string }) => w.type)).to.deep.equal([
                "text",
                "alarm",
                "text",
                "metric",
            ]);
            expect(body.widgets[1].properties.alarms).to.deep.equal([await promiseOf(alarm!.arn)]);
            expect(body.widgets[2].properties.markdown).to.equal("## Data tier");
        });

        it("lays widgets out on the 24-column grid, rows wrapping, metric widgets given the region", async () => {
            const widgets = [
                { type: "text" as const, width: 24, height: 1, properties: { markdown: "## t" } },
                metricWidget("a", [["N", "M"]], { width: 8 }),
                metricWidget("b", [["N", "M"]], { width: 8 }),
                metricWidget("c", [["N", "M"]], { width: 12 }),
            ];
            const body = JSON.parse(await promiseOf(dashboardBody(widgets, "eu-west-1")));
            expect(body.widgets.map((w: { x: number; y: number }) => [w.x, w.y])).to.deep.equal([
                [0, 0],
                [0, 1],
                [8, 1],
                [0, 7],
            ]);
            expect(body.widgets[1].properties.region).to.equal("eu-west-1");
            expect(body.widgets[0].properties).not.to.have.property("region");
        });
    });

    describe("edge alarms", () => {
        it("adds an encrypted us-east-1 topic with the same subscriptions when the stack is elsewhere", async () => {
            const { rec, monitoring } = await monitoringIn("eu-west-1", true);
            const edgeKey = rec.one(KEY, "mon-edge-topic-key");
            const edgeTopic = rec.one(TOPIC, "mon-edge-alarms");
            expect(edgeKey.props).to.include({ region: "us-east-1", enableKeyRotation: true });
            expect(edgeTopic.props.region).to.equal("us-east-1");
            expect(edgeTopic.propertyDependencies.kmsMasterKeyId).to.deep.equal([edgeKey.urn]);
            const grant = JSON.parse(edgeKey.props.policy as string).Statement.find(
                (st: { Principal: { Service?: string } }) => st.Principal.Service === "cloudwatch.amazonaws.com",
            );
            expect(grant.Action).to.include("kms:GenerateDataKey*");

            const policy = rec.one(TOPIC_POLICY, "mon-edge-alarms-policy");
            expect(policy.props.region).to.equal("us-east-1");
            expect(policy.propertyDependencies.arn).to.deep.equal([edgeTopic.urn]);
            const sids = JSON.parse(policy.props.policy as string).Statement.map((st: { Sid: string }) => st.Sid);
            expect(sids).to.deep.equal(["CloudWatchAlarmsPublish", "DenyInsecureTransport"]);

            const edgeSubscriptions = rec
                .ofType(SUBSCRIPTION)
                .filter((sub) => sub.propertyDependencies.topic[0] === edgeTopic.urn);
            expect(edgeSubscriptions.map((sub) => sub.props.endpoint)).to.deep.equal(EMAILS);
            expect(edgeSubscriptions.every((sub) => sub.props.region === "us-east-1")).to.equal(true);

            expect(await promiseOf(monitoring.edgeAlarmTopicArn!)).to.match(/^arn:aws:sns:us-east-1:123456789012:/);
            expect(await promiseOf(monitoring.alarmTopicArn)).to.match(/^arn:aws:sns:eu-west-1:/);
            // The stack's own topic is untouched: no region of its own, the same logical names.
            expect(rec.one(TOPIC, "mon-alarms").props).not.to.have.property("region");
            expect(rec.one(KEY, "mon-topic-key").props).not.to.have.property("region");
        });

        it("uses the stack's topic for the edge in us-east-1, with or without edgeAlarms", async () => {
            for (const edgeAlarms of [true, undefined]) {
                const { rec, monitoring } = await monitoringIn("us-east-1", edgeAlarms);
                expect(rec.ofType(TOPIC), String(edgeAlarms)).to.have.length(2);
                expect(await promiseOf(monitoring.edgeAlarmTopicArn!)).to.equal(
                    await promiseOf(monitoring.alarmTopicArn),
                );
                expect(await promiseOf(monitoring.edgeCriticalAlarmTopicArn!)).to.equal(
                    await promiseOf(monitoring.criticalAlarmTopicArn),
                );
            }
        });

        it("has no edge topic elsewhere unless asked, and refuses a us-east-1 alarm then", async () => {
            const { rec, monitoring } = await monitoringIn("eu-west-1", undefined);
            expect(rec.ofType(TOPIC)).to.have.length(2);
            expect(monitoring.edgeAlarmTopicArn).to.equal(undefined);
            expect(monitoring.edgeCriticalAlarmTopicArn).to.equal(undefined);
            expect(() => monitoring.addAlarm("edge-alarm", ALARM_SPEC)).to.throw(
                /alarm edge-alarm is in us-east-1, where this component has no topic; .* \(set edgeAlarms for us-east-1\)/,
            );
        });

        it("sends an added us-east-1 alarm to the edge topic of its severity", async () => {
            const { rec } = await monitoringIn("eu-west-1", true, (m) => {
                m.addAlarm("edge-alarm", ALARM_SPEC);
                m.addAlarm("edge-warning", { ...ALARM_SPEC, severity: "warning" });
            });
            const alarm = rec.named("edge-alarm");
            expect(alarm.props.region).to.equal("us-east-1");
            expect(alarm.propertyDependencies.alarmActions).to.deep.equal([
                rec.one(TOPIC, "mon-edge-critical-alarms").urn,
            ]);
            expect(rec.named("edge-warning").propertyDependencies.alarmActions).to.deep.equal([
                rec.one(TOPIC, "mon-edge-alarms").urn,
            ]);
            expect(rec.one(TOPIC, "mon-edge-critical-alarms").props.region).to.equal("us-east-1");
        });

        it("protects the edge key and topic with the rest", async () => {
            const rec = await run(
                () => new Monitoring("mon", { region: "eu-west-1", edgeAlarms: true, protect: true }),
                "test",
                { "aws:region": "eu-west-1" },
            );
            for (const r of [rec.one(KEY, "mon-edge-topic-key"), rec.one(TOPIC, "mon-edge-alarms")]) {
                expect(r.options, r.name).to.include({ protect: true, retainOnDelete: true });
            }
        });

        it("gives a Cdn's alarm a subscribed topic of its region, as the pack's alarm rules ask", async () => {
            const { rec } = await monitoringIn("eu-west-1", true, (m) => {
                new Cdn("cdn", {
                    originDomainName: "origin.example.com",
                    assetsBucketRegionalDomainName: "assets.s3.eu-west-1.amazonaws.com",
                    alarmTopicArn: m.edgeAlarmTopicArn!,
                });
            });
            const alarm = rec.one("aws:cloudwatch/metricAlarm:MetricAlarm", "cdn-5xx-error-rate");
            expect(alarm.propertyDependencies.alarmActions).to.deep.equal([rec.one(TOPIC, "mon-edge-alarms").urn]);
            const report = evaluate(rec.resources);
            for (const policy of [
                "alarm-actions",
                "alarm-ok-actions",
                "alarm-cloudfront",
                "enc-messaging",
                "enc-kms-rotation",
            ]) {
                expectClean(report, policy);
            }
        });
    });
});
